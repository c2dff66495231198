/* Time.  There is no wall clock: every clock, including CLOCK_REALTIME and
 * time(), counts from the moment the image started (arch_time_ns()).
 * Layouts and constants are glibc's, which prebuilt libraries use. */
#ifndef _TIME_H
#define _TIME_H

#include <stddef.h>

typedef long time_t;
typedef long clock_t;
typedef int clockid_t;

struct timespec {
	time_t tv_sec;
	long tv_nsec;
};

struct tm {
	int tm_sec;
	int tm_min;
	int tm_hour;
	int tm_mday;
	int tm_mon;
	int tm_year; /* years since 1900 */
	int tm_wday;
	int tm_yday;
	int tm_isdst;
	long tm_gmtoff;
	const char *tm_zone;
};

#define CLOCKS_PER_SEC 1000000L

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7

time_t time(time_t *out);
clock_t clock(void);
/* Any clock above; others fail with EINVAL. */
int clock_gettime(clockid_t clock, struct timespec *out);
/* UTC, proleptic Gregorian; NULL with EOVERFLOW when the year does not fit
 * tm_year. */
struct tm *gmtime_r(const time_t *restrict t, struct tm *restrict out);

#endif
