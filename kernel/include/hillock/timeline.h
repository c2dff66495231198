/* The boot timeline: when each phase of the boot finished, in nanoseconds
 * since the image was entered (arch_time_ns()).  Kept for inspection and
 * printed once the kernel is ready:
 *   shim       the shim was entered (its device tree records it)
 *   kernel     kernel_main() started
 *   memory, cpu, smp, service   each INIT level finished
 *   ready      everything is up */
#ifndef HILLOCK_TIMELINE_H
#define HILLOCK_TIMELINE_H

#include <stdint.h>

#define TIMELINE_MAX 16

struct timeline_entry {
	const char *phase;
	uint64_t ns;
};

/* Record that phase ended now (or at ns, for timeline_mark_at). */
void timeline_mark(const char *phase);
void timeline_mark_at(const char *phase, uint64_t ns);

/* The entries so far, in order; returns their count. */
unsigned int timeline_get(const struct timeline_entry **entries);

/* One line: "boot timeline: shim 5.2 ms, kernel 9.0 ms, ..." */
void timeline_print(void);

#endif
