/* The boot timeline; see hillock/timeline.h.  Boot CPU only, before the
 * other CPUs run, so no lock. */
#include <stdio.h>

#include <hillock/arch.h>
#include <hillock/kmsg.h>
#include <hillock/timeline.h>

static struct timeline_entry timeline[TIMELINE_MAX];
static unsigned int timeline_count;

void timeline_mark_at(const char *phase, uint64_t ns)
{
	if (timeline_count < TIMELINE_MAX) {
		timeline[timeline_count++] = (struct timeline_entry){phase, ns};
	}
}

void timeline_mark(const char *phase)
{
	timeline_mark_at(phase, arch_time_ns());
}

unsigned int timeline_get(const struct timeline_entry **entries)
{
	*entries = timeline;
	return timeline_count;
}

void timeline_print(void)
{
	char line[KMSG_TEXT_MAX];
	size_t used = (size_t)snprintf(line, sizeof(line), "boot timeline:");

	for (unsigned int i = 0; i < timeline_count && used < sizeof(line); i++) {
		used += (size_t)snprintf(line + used, sizeof(line) - used, "%s %s %llu.%03llu ms",
					 i ? "," : "", timeline[i].phase,
					 (unsigned long long)(timeline[i].ns / 1000000),
					 (unsigned long long)(timeline[i].ns / 1000 % 1000));
	}
	kmsg(KMSG_INFO, "%s", line);
}
