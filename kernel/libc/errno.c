/* errno for the x86_64 image; on aarch64 picolibc defines it.  It is
 * thread-local so each CPU's thread sees its own (local-exec TLS). */
#include <errno.h>

__thread int errno;
