/* Running the INIT_CALL levels; see hillock/init.h. */

#include <hillock/arch.h>
#include <hillock/init.h>
#include <hillock/kmsg.h>
#include <hillock/timeline.h>

extern const struct init_call __init_calls_start[], __init_calls_end[];

/* Each level's name on the boot timeline (hillock/timeline.h). */
static const char *const init_level_names[] = {
	[INIT_MEMORY] = "memory",
	[INIT_CPU] = "cpu",
	[INIT_SMP] = "smp",
	[INIT_SERVICE] = "service",
};

int init_run(const struct boot_info *bi)
{
	for (const struct init_call *c = __init_calls_start; c < __init_calls_end; c++) {
		uint64_t t0 = arch_time_ns();
		int rc = c->fn(bi);

		if (rc != 0) {
			kmsg(KMSG_ERR, "init: %s failed (%d)", c->name, rc);
			return rc;
		}
		kmsg(KMSG_INFO, "init: %s done in %llu us", c->name,
		     (unsigned long long)((arch_time_ns() - t0) / 1000));
		/* The last call of a level closes it on the timeline. */
		if (c + 1 == __init_calls_end || c[1].level != c->level) {
			timeline_mark(init_level_names[c->level]);
		}
	}
	return 0;
}
