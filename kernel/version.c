/* Version strings; the Makefile passes the revision of the tree it built. */
#include <hillock/image.h>

#ifndef HILLOCK_GIT_REV
#error "the Makefile defines HILLOCK_GIT_REV"
#endif

const char hillock_version[] = HILLOCK_VERSION;
const char hillock_git_rev[] = HILLOCK_GIT_REV;
