/* The kernel log (kernel/kmsg.c): records keep their level, CPU and order;
 * a reader that falls behind skips exactly what the ring overwrote; the
 * console level is what the command line set. */
#include <stdio.h>
#include <string.h>

#include <hillock/cpu.h>
#include <hillock/kmsg.h>
#include <hillock/selftest.h>

/* The sequence number the next record will get. */
static uint64_t kmsg_test_next(void)
{
	struct kmsg_record r;
	uint64_t seq = 0, last = 0;

	while (kmsg_read(&seq, &r) == 0) {
		last = r.seq + 1;
	}
	return last;
}

TEST(kmsg, records_keep_level_cpu_order)
{
	enum kmsg_level saved = kmsg_console_level();
	struct kmsg_record r;
	uint64_t seq;
	int rc = 0;

	kmsg_set_console_level(KMSG_ERR); /* keep the console quiet */
	seq = kmsg_test_next();
	kmsg(KMSG_WARN, "kmsg test %d", 1);
	kmsg(KMSG_DEBUG, "kmsg test %d", 2);
	kmsg_set_console_level(saved);

	rc |= EXPECT(kmsg_read(&seq, &r) == 0);
	rc |= EXPECT(strcmp(r.text, "kmsg test 1") == 0 && r.level == KMSG_WARN);
	rc |= EXPECT(r.cpu == cpu_self());
	uint64_t first = r.seq, t1 = r.ns;

	rc |= EXPECT(kmsg_read(&seq, &r) == 0);
	rc |= EXPECT(strcmp(r.text, "kmsg test 2") == 0 && r.level == KMSG_DEBUG);
	rc |= EXPECT(r.seq == first + 1 && r.ns >= t1);
	rc |= EXPECT(kmsg_read(&seq, &r) == -1);
	rc |= EXPECT(strcmp(kmsg_level_name(KMSG_WARN), "warn") == 0);
	return rc;
}

TEST(kmsg, reader_behind_skips_overwritten)
{
	enum kmsg_level saved = kmsg_console_level();
	struct kmsg_record r;
	uint64_t start = kmsg_test_next(), seq = start;
	int rc = 0;

	kmsg_set_console_level(KMSG_ERR);
	for (int i = 0; i < KMSG_RECORDS + 10; i++) {
		kmsg(KMSG_DEBUG, "flood %d", i);
	}
	kmsg_set_console_level(saved);
	/* The 10 oldest of the flood are gone; reading resumes at the 11th. */
	rc |= EXPECT(kmsg_read(&seq, &r) == 0);
	rc |= EXPECT(r.seq == start + 10 && strcmp(r.text, "flood 10") == 0);
	return rc;
}

TEST(kmsg, long_text_is_cut_not_overrun)
{
	enum kmsg_level saved = kmsg_console_level();
	char big[KMSG_TEXT_MAX * 2];
	struct kmsg_record r;
	uint64_t seq = kmsg_test_next();

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	kmsg_set_console_level(KMSG_ERR);
	kmsg(KMSG_DEBUG, "%s", big);
	kmsg_set_console_level(saved);
	return EXPECT(kmsg_read(&seq, &r) == 0 && strlen(r.text) == KMSG_TEXT_MAX);
}
