/* Initialization by linker section.
 *
 * A subsystem registers its boot-time setup with INIT_CALL(level, fn) in its
 * own file; kernel_main() runs the levels in order on the boot CPU (within
 * a level, in link order).  A function returns 0, or a negative errno after
 * printing why: the boot stops there with a failing status.
 *
 *   INIT_MEMORY   page allocator, page tables, heap, stacks
 *   INIT_CPU      this CPU's interrupt controller, timers, per-CPU data
 *   INIT_SMP      the other CPUs
 *   INIT_SERVICE  what runs on top (later: the paravisor's services)
 */
#ifndef HILLOCK_INIT_H
#define HILLOCK_INIT_H

#include <hillock/boot.h>

enum init_level {
	INIT_MEMORY = 1,
	INIT_CPU = 2,
	INIT_SMP = 3,
	INIT_SERVICE = 4,
};

struct init_call {
	const char *name;
	int (*fn)(const struct boot_info *bi);
	enum init_level level;
};

/* The linker sorts the sections by name, so each level's section carries
 * its number ("#level" would give ".init_calls.INIT_CPU", which sorts
 * before INIT_MEMORY). */
#define INIT_SECTION_INIT_MEMORY ".init_calls.1"
#define INIT_SECTION_INIT_CPU ".init_calls.2"
#define INIT_SECTION_INIT_SMP ".init_calls.3"
#define INIT_SECTION_INIT_SERVICE ".init_calls.4"

#define INIT_CALL(level, function)                                                          \
	static const struct init_call init_call_##function                                 \
		__attribute__((used, section(INIT_SECTION_##level), aligned(8))) = {       \
			#function, function, level}

/* Run every registered call of every level, in order (kernel/init.c). */
int init_run(const struct boot_info *bi);

#endif
