/* Bounds of the running image, from the linker script.  Addresses are the
 * relocated, runtime ones. */
#ifndef HILLOCK_IMAGE_H
#define HILLOCK_IMAGE_H

extern char __image_start[], __image_end[];

/* Version and source revision, e.g. "0.1.0" and "3f2c1ab" (kernel/version.c). */
extern const char hillock_version[];
extern const char hillock_git_rev[];

#endif
