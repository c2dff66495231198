/* The clocks picolibc leaves to the system, as on x86_64 (kernel/libc/time.c):
 * every clock counts from image start (arch_time_ns()).  Callers are
 * Hillock's code, compiled against picolibc's headers, and the prebuilt
 * Debian libraries (libtpms), compiled against glibc's: the two number
 * their clock ids differently, so the id is only checked for being one of
 * the fixed clocks both define (glibc's dynamic CPU clocks are negative).
 * struct timespec and struct timeval have the same layout in both. */
#include <errno.h>
#include <stdint.h>
#include <sys/time.h>
#include <time.h>

#include <hillock/arch.h>

#define NS_PER_SEC 1000000000ULL
#define CLOCK_ID_MAX 11

int clock_gettime(clockid_t clock, struct timespec *out)
{
	uint64_t ns = arch_time_ns();

	if ((int)clock < 0 || (int)clock > CLOCK_ID_MAX) {
		errno = EINVAL;
		return -1;
	}
	out->tv_sec = (time_t)(ns / NS_PER_SEC);
	out->tv_nsec = (long)(ns % NS_PER_SEC);
	return 0;
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
	uint64_t ns = arch_time_ns();

	(void)tz;
	tv->tv_sec = (time_t)(ns / NS_PER_SEC);
	tv->tv_usec = (suseconds_t)(ns % NS_PER_SEC / 1000);
	return 0;
}

/* All time is this program's CPU time.  Only the prebuilt libraries call
 * clock() (libtpms's Clock.c), with glibc's CLOCKS_PER_SEC of 1000000;
 * picolibc's headers say 100, so the unit is written out here. */
#define GLIBC_CLOCKS_PER_SEC 1000000
clock_t clock(void)
{
	return (clock_t)(arch_time_ns() / (NS_PER_SEC / GLIBC_CLOCKS_PER_SEC));
}
