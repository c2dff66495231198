/* Time.  Hillock has no wall clock: every clock counts from image start
 * (arch_time_ns()), CLOCK_REALTIME and time() included, so dates come out
 * in January 1970.  gmtime_r still converts any time_t correctly. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/time.h>
#include <time.h>

#include <hillock/arch.h>

#define NS_PER_SEC 1000000000ULL
#define SECONDS_PER_DAY 86400
/* The Gregorian calendar repeats every 400 years, which have 146097 days. */
#define DAYS_PER_ERA 146097
/* 0000-03-01 to 1970-01-01.  Counting years from March puts the leap day
 * last, so month lengths before it never depend on the year. */
#define DAYS_MARCH_0000_TO_EPOCH 719468

static const char gmt_zone[] = "GMT";

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b < 0);
}

static bool is_leap(int64_t year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

struct tm *gmtime_r(const time_t *restrict t, struct tm *restrict out)
{
	/* Days before the 1st of each month, January first, in a common year. */
	static const int days_before_month[12] = { 0, 31, 59, 90, 120, 151,
						    181, 212, 243, 273, 304, 334 };
	int64_t days = *t / SECONDS_PER_DAY;
	int64_t seconds = *t % SECONDS_PER_DAY;
	int64_t shifted;
	int64_t era;
	int64_t day_of_era;
	int64_t year_of_era;
	int64_t day_of_march_year;
	int64_t march_month;
	int64_t mday;
	int64_t month;
	int64_t year;

	if (seconds < 0) {
		seconds += SECONDS_PER_DAY;
		days--;
	}
	shifted = days + DAYS_MARCH_0000_TO_EPOCH;
	era = floor_div(shifted, DAYS_PER_ERA);
	day_of_era = shifted - era * DAYS_PER_ERA; /* 0..146096 */
	/* Subtracting the leap days before day_of_era leaves 365-day years;
	 * the last day of the era (a 366th day) is the one exception. */
	year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 -
		       day_of_era / (DAYS_PER_ERA - 1)) /
		      365;
	day_of_march_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
	/* Months from March have lengths 31 30 31 30 31 31 30 31 30 31 31 29/28:
	 * a 153-day pattern every five months. */
	march_month = (5 * day_of_march_year + 2) / 153;
	mday = day_of_march_year - (153 * march_month + 2) / 5 + 1;
	month = march_month < 10 ? march_month + 2 : march_month - 10; /* 0 = Jan */
	year = era * 400 + year_of_era + (month < 2);

	if (year - 1900 < INT_MIN || year - 1900 > INT_MAX) {
		errno = EOVERFLOW;
		return NULL;
	}
	out->tm_year = (int)(year - 1900);
	out->tm_mon = (int)month;
	out->tm_mday = (int)mday;
	out->tm_yday = days_before_month[month] + (int)mday - 1 + (month >= 2 && is_leap(year));
	/* 1970-01-01 was a Thursday (4). */
	out->tm_wday = (int)(days + 4 - floor_div(days + 4, 7) * 7);
	out->tm_hour = (int)(seconds / 3600);
	out->tm_min = (int)(seconds / 60 % 60);
	out->tm_sec = (int)(seconds % 60);
	out->tm_isdst = 0;
	out->tm_gmtoff = 0;
	out->tm_zone = gmt_zone;
	return out;
}

time_t time(time_t *out)
{
	time_t now = (time_t)(arch_time_ns() / NS_PER_SEC);

	if (out != NULL) {
		*out = now;
	}
	return now;
}

int clock_gettime(clockid_t clock, struct timespec *out)
{
	uint64_t ns;

	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		ns = arch_time_ns();
		out->tv_sec = (time_t)(ns / NS_PER_SEC);
		out->tv_nsec = (long)(ns % NS_PER_SEC);
		return 0;
	default:
		errno = EINVAL;
		return -1;
	}
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
	uint64_t ns = arch_time_ns();

	(void)tz;
	tv->tv_sec = (time_t)(ns / NS_PER_SEC);
	tv->tv_usec = (suseconds_t)(ns % NS_PER_SEC / 1000);
	return 0;
}

/* All time is this program's CPU time. */
clock_t clock(void)
{
	return (clock_t)(arch_time_ns() / (NS_PER_SEC / CLOCKS_PER_SEC));
}
