/* The kernel log: a ring of records (level, time, CPU, text) that
 * diagnostics read, with the console as a sink for the records at or
 * above the console level.
 *
 * The console level comes from the command line (hillock.loglevel=0..3:
 * error, warn, info, debug).  Its default is info, and warn on an isolated
 * platform, where the host reads the serial port: there the ring, which
 * the host cannot read, keeps what the console does not show. */
#ifndef HILLOCK_KMSG_H
#define HILLOCK_KMSG_H

#include <stddef.h>
#include <stdint.h>

enum kmsg_level {
	KMSG_ERR = 0,
	KMSG_WARN = 1,
	KMSG_INFO = 2,
	KMSG_DEBUG = 3,
};

#define KMSG_TEXT_MAX 200
#define KMSG_RECORDS 512

struct kmsg_record {
	uint64_t seq;
	uint64_t ns;
	uint16_t cpu;
	uint8_t level;
	char text[KMSG_TEXT_MAX + 1];
};

/* Log one line (no trailing newline needed). */
void kmsg(enum kmsg_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Records at or above level reach the console. */
void kmsg_set_console_level(enum kmsg_level level);
enum kmsg_level kmsg_console_level(void);

/* Copy the oldest record with sequence number >= *seq into *out and set
 * *seq past it; returns 0, or -1 when there is none newer.  Records the
 * ring has overwritten are skipped: out->seq shows the gap. */
int kmsg_read(uint64_t *seq, struct kmsg_record *out);

/* "error", "warn", "info", "debug". */
const char *kmsg_level_name(enum kmsg_level level);

/* For panic(): log without taking the lock (the other CPUs are stopped
 * or may hold it forever). */
void kmsg_emergency(const char *text);

#endif
