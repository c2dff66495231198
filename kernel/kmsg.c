/* The kernel log; see hillock/kmsg.h.
 *
 * A fixed array used as a ring: the record with sequence number seq lives
 * in slot seq % KMSG_RECORDS, so a reader that falls behind loses the
 * oldest records and can tell how many.  One lock (LOCK_RANK_KMSG) orders
 * writers from every CPU; the console echo happens outside it. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <hillock/arch.h>
#include <hillock/cpu.h>
#include <hillock/kmsg.h>
#include <hillock/spinlock.h>

static struct kmsg_record kmsg_ring[KMSG_RECORDS];
static uint64_t kmsg_next_seq;
static struct spinlock kmsg_lock = SPINLOCK_INIT("kmsg", LOCK_RANK_KMSG);
static volatile enum kmsg_level kmsg_console = KMSG_INFO;

static const char *const kmsg_level_names[] = {"error", "warn", "info", "debug"};

static void kmsg_fill(struct kmsg_record *r, enum kmsg_level level, const char *text)
{
	r->seq = kmsg_next_seq++;
	r->ns = arch_time_ns();
	r->cpu = (uint16_t)cpu_self();
	r->level = (uint8_t)level;
	snprintf(r->text, sizeof(r->text), "%s", text);
}

void kmsg(enum kmsg_level level, const char *fmt, ...)
{
	char text[KMSG_TEXT_MAX + 1];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);

	unsigned long flags = spin_lock(&kmsg_lock);

	kmsg_fill(&kmsg_ring[kmsg_next_seq % KMSG_RECORDS], level, text);
	spin_unlock(&kmsg_lock, flags);
	if (level <= kmsg_console) {
		printf("%s\n", text);
	}
}

void kmsg_emergency(const char *text)
{
	kmsg_fill(&kmsg_ring[kmsg_next_seq % KMSG_RECORDS], KMSG_ERR, text);
}

void kmsg_set_console_level(enum kmsg_level level)
{
	kmsg_console = level;
}

enum kmsg_level kmsg_console_level(void)
{
	return kmsg_console;
}

int kmsg_read(uint64_t *seq, struct kmsg_record *out)
{
	unsigned long flags = spin_lock(&kmsg_lock);
	uint64_t oldest = kmsg_next_seq > KMSG_RECORDS ? kmsg_next_seq - KMSG_RECORDS : 0;
	int rc = -1;

	if (*seq < oldest) {
		*seq = oldest;
	}
	if (*seq < kmsg_next_seq) {
		*out = kmsg_ring[*seq % KMSG_RECORDS];
		*seq = out->seq + 1;
		rc = 0;
	}
	spin_unlock(&kmsg_lock, flags);
	return rc;
}

const char *kmsg_level_name(enum kmsg_level level)
{
	return (unsigned int)level <= KMSG_DEBUG ? kmsg_level_names[level] : "?";
}
