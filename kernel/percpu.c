/* The per-CPU variables every image needs, the loader's included: the
 * loader runs on one CPU, but the heap's lock (kernel/spinlock.c) asks
 * which CPU holds it.  See hillock/cpu.h. */
#include <hillock/cpu.h>

__thread unsigned int cpu_id;
