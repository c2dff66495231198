#ifndef _SYS_TIME_H
#define _SYS_TIME_H

#include <sys/types.h>

typedef long suseconds_t;

struct timeval {
	time_t tv_sec;
	suseconds_t tv_usec;
};

/* Seconds since the image started (see <time.h>); tz is ignored. */
int gettimeofday(struct timeval *restrict tv, void *restrict tz);

#endif
