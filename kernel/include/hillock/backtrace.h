/* Frame-pointer backtraces with function names, for fatal reports.
 *
 * Both architectures keep a frame record where the frame pointer points
 * (x86_64 %rbp; AAPCS64 x29): the caller's frame pointer, then the return
 * address.  The image is built with -fno-omit-frame-pointer, so one walk
 * serves both. */
#ifndef HILLOCK_BACKTRACE_H
#define HILLOCK_BACKTRACE_H

#include <stdint.h>

/* Print "  #N image+0x... function+0x..." for each frame from fp upwards.
 * sp is the stack pointer of the code fp belongs to: only frame records
 * on that stack, at or above sp, are read, and the walk stops at the first
 * return address outside the image's text. */
void backtrace_print(uint64_t fp, uint64_t sp);

#endif
