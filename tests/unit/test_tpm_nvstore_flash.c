/*
 * nvstore over its flash backend (tpm/nvstore_flash.c) on the build host,
 * with a simulated NOR flash in place of drivers/flash/cfi_flash.c: erase
 * sets a block to 0xff, programming only clears bits (a byte that needs a
 * bit set is -ENOTEMPTY, as the driver reports it), and power can be cut
 * after any number of programmed bytes or erased blocks, the erase in
 * progress left half done.  QEMU's pflash model overwrites instead of
 * clearing bits, so these semantics are only tested here.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/types.h>

#include <cmocka.h>

#include "nvstore.h"
#include "nvstore_flash.h"

#define BLOCK 512
#define BLOCKS 16
#define SLOT (3 * BLOCK) /* a record up to three blocks */
#define PAYLOAD_MAX (SLOT - sizeof(struct nvstore_header))

static const uint8_t key_a[NVSTORE_KEY_SIZE] = "hillock nvstore test key, A.....";

static int host_entropy(void *arg, unsigned char *buf, size_t len)
{
	(void)arg;
	return getrandom(buf, len, 0) == (ssize_t)len ? 0 : -1;
}

/* ---- the simulated flash: drivers/cfi_flash.h over memory ---- */

static struct {
	uint8_t mem[BLOCKS * BLOCK];
	long budget;   /* programmed bytes plus erased blocks left; < 0: unlimited */
	int transient; /* at the cut, fail that one call; otherwise power is lost */
	int dead;      /* power is lost: every call fails */
	unsigned ops;  /* programmed bytes plus erased blocks so far */
	unsigned erases;
} sim;

static struct cfi_flash sim_flash = {
	.size = sizeof(sim.mem),
	.erase_block = BLOCK,
	.bank_width = 1,
	.chips = 1,
};

/* Takes one unit of the budget; 0 when the operation may go on. */
static int sim_spend(void)
{
	if (sim.dead) {
		return -1;
	}
	if (sim.budget == 0) {
		sim.dead = !sim.transient;
		sim.budget = sim.transient ? -1 : 0;
		return -1;
	}
	if (sim.budget > 0) {
		sim.budget--;
	}
	sim.ops++;
	return 0;
}

int cfi_flash_read(const struct cfi_flash *f, uint64_t off, void *buf, size_t len)
{
	if (off > f->size || len > f->size - off || sim.dead) {
		return -EINVAL;
	}
	memcpy(buf, sim.mem + off, len);
	return 0;
}

int cfi_flash_erase(const struct cfi_flash *f, uint64_t off)
{
	if (off > f->size - f->erase_block || off % f->erase_block != 0) {
		return -EINVAL;
	}
	if (sim_spend() != 0) {
		/* Power lost during the erase: half the block is erased. */
		memset(sim.mem + off, 0xff, BLOCK / 2);
		return -EIO;
	}
	memset(sim.mem + off, 0xff, BLOCK);
	sim.erases++;
	return 0;
}

int cfi_flash_program(const struct cfi_flash *f, uint64_t off, const void *buf, size_t len)
{
	const uint8_t *in = buf;

	if (off > f->size || len > f->size - off) {
		return -EINVAL;
	}
	for (size_t i = 0; i < len; i++) {
		if ((sim.mem[off + i] & in[i]) != in[i]) {
			return -ENOTEMPTY;
		}
	}
	for (size_t i = 0; i < len; i++) {
		if (sim_spend() != 0) {
			return -EIO;
		}
		sim.mem[off + i] &= in[i];
	}
	return 0;
}

static void sim_reset(uint8_t fill)
{
	memset(&sim, 0, sizeof(sim));
	memset(sim.mem, fill, sizeof(sim.mem));
	sim.budget = -1;
}

/* ---- helpers ---- */

static void fill_payload(uint8_t *p, size_t len, uint8_t seed)
{
	for (size_t i = 0; i < len; i++) {
		p[i] = (uint8_t)(seed + i * 131 + (i >> 8));
	}
}

/* A store through a fresh backend and instance: what a boot does. */
static enum nvstore_status store_fresh(const void *p, size_t len)
{
	struct nvstore_flash nf;
	struct nv_backend b;
	struct nvstore s;
	enum nvstore_status st;

	assert_int_equal(nvstore_flash_init(&nf, &b, &sim_flash, BLOCK, SLOT), 0);
	assert_int_equal(nvstore_init(&s, &b, key_a, host_entropy, NULL), NVSTORE_OK);
	st = nvstore_store(&s, p, len);
	nvstore_fini(&s);
	return st;
}

static enum nvstore_status load_fresh(uint8_t *buf, size_t cap, size_t *len)
{
	struct nvstore_flash nf;
	struct nv_backend b;
	struct nvstore s;
	enum nvstore_status st;

	assert_int_equal(nvstore_flash_init(&nf, &b, &sim_flash, BLOCK, SLOT), 0);
	assert_int_equal(nvstore_init(&s, &b, key_a, host_entropy, NULL), NVSTORE_OK);
	st = nvstore_load(&s, buf, cap, len, NULL);
	nvstore_fini(&s);
	return st;
}

static void assert_loads(const uint8_t *want, size_t want_len)
{
	uint8_t buf[SLOT];
	size_t len = 0;

	assert_int_equal(load_fresh(buf, sizeof(buf), &len), NVSTORE_OK);
	assert_int_equal(len, want_len);
	assert_memory_equal(buf, want, want_len);
}

/* ---- tests ---- */

static void nvstore_flash_round_trip_on_garbage(void **state)
{
	uint8_t a[PAYLOAD_MAX], b[700];
	uint8_t buf[SLOT];
	size_t len = 0;

	(void)state;
	/* Never-erased flash full of zeros (a fresh NV file) loads as empty;
	 * stores erase what they write. */
	sim_reset(0x00);
	assert_int_equal(load_fresh(buf, sizeof(buf), &len), NVSTORE_EMPTY);
	fill_payload(a, sizeof(a), 1);
	fill_payload(b, sizeof(b), 2);
	assert_int_equal(store_fresh(a, sizeof(a)), NVSTORE_OK);
	assert_loads(a, sizeof(a));
	assert_int_equal(store_fresh(b, sizeof(b)), NVSTORE_OK);
	assert_loads(b, sizeof(b));
	assert_int_equal(store_fresh(a, sizeof(a)), NVSTORE_OK);
	assert_loads(a, sizeof(a));
	/* Nothing outside the two slots was touched. */
	for (size_t i = 0; i < BLOCK; i++) {
		assert_int_equal(sim.mem[i], 0x00);
	}
	for (size_t i = BLOCK + 2 * SLOT; i < sizeof(sim.mem); i++) {
		assert_int_equal(sim.mem[i], 0x00);
	}
}

static void nvstore_flash_erases_only_what_a_store_writes(void **state)
{
	uint8_t small[100], big[PAYLOAD_MAX];

	(void)state;
	sim_reset(0xff);
	fill_payload(small, sizeof(small), 3);
	fill_payload(big, sizeof(big), 4);
	/* One block for a record that fits in one, every store anew. */
	assert_int_equal(store_fresh(small, sizeof(small)), NVSTORE_OK);
	assert_int_equal(sim.erases, 1);
	assert_int_equal(store_fresh(small, sizeof(small)), NVSTORE_OK);
	assert_int_equal(store_fresh(small, sizeof(small)), NVSTORE_OK);
	assert_int_equal(sim.erases, 3);
	assert_int_equal(store_fresh(big, sizeof(big)), NVSTORE_OK);
	assert_int_equal(sim.erases, 6);
	assert_loads(big, sizeof(big));
}

/*
 * For every cut from 0 to the number of operations an uninterrupted store
 * takes: a reboot loads the old record (or the new one once complete),
 * never an error, and the next store wins.  With one old record (the
 * target slot erased or garbage) and two (the target holds an older valid
 * record), new records shorter and longer than the old.
 */
static void crash_case(int two_old, size_t old_len, size_t new_len)
{
	static uint8_t snapshot[sizeof(sim.mem)];
	uint8_t older[PAYLOAD_MAX], old[PAYLOAD_MAX], new[PAYLOAD_MAX], newer[PAYLOAD_MAX];
	unsigned total;

	fill_payload(older, sizeof(older), 10);
	fill_payload(old, sizeof(old), 11);
	fill_payload(new, sizeof(new), 12);
	fill_payload(newer, sizeof(newer), 13);
	sim_reset(0x5a);
	if (two_old) {
		assert_int_equal(store_fresh(older, PAYLOAD_MAX), NVSTORE_OK);
	}
	assert_int_equal(store_fresh(old, old_len), NVSTORE_OK);
	memcpy(snapshot, sim.mem, sizeof(snapshot));
	sim.ops = 0;
	assert_int_equal(store_fresh(new, new_len), NVSTORE_OK);
	total = sim.ops;
	assert_true(total > new_len);

	for (unsigned n = 0; n <= total; n++) {
		memcpy(sim.mem, snapshot, sizeof(snapshot));
		sim.budget = n;
		sim.dead = 0;
		sim.transient = 0;
		if (n < total) {
			assert_int_equal(store_fresh(new, new_len), NVSTORE_IO_ERROR);
		} else {
			assert_int_equal(store_fresh(new, new_len), NVSTORE_OK);
		}
		/* Power back: a fresh boot. */
		sim.dead = 0;
		sim.budget = -1;
		if (n < total) {
			assert_loads(old, old_len);
		} else {
			assert_loads(new, new_len);
		}
		assert_int_equal(store_fresh(newer, PAYLOAD_MAX), NVSTORE_OK);
		assert_loads(newer, PAYLOAD_MAX);
	}
}

static void nvstore_flash_crash_at_every_byte_leaves_old_or_new(void **state)
{
	(void)state;
	crash_case(0, 200, 1100);
	crash_case(1, 200, 1100);
	crash_case(1, 1100, 200);
	crash_case(1, 0, PAYLOAD_MAX);
}

/*
 * A write that fails without a power cut (the same boot goes on): the next
 * store through the same instance, into the same slot, must erase again and
 * win, for a failure at every point.
 */
static void nvstore_flash_store_after_failed_write_wins(void **state)
{
	uint8_t old[1000], new[1000], newer[1000];
	unsigned total;

	(void)state;
	fill_payload(old, sizeof(old), 20);
	fill_payload(new, sizeof(new), 21);
	fill_payload(newer, sizeof(newer), 22);
	sim_reset(0xff);
	assert_int_equal(store_fresh(old, sizeof(old)), NVSTORE_OK);
	sim.ops = 0;
	assert_int_equal(store_fresh(new, sizeof(new)), NVSTORE_OK);
	total = sim.ops;
	for (unsigned n = 0; n < total; n += 7) {
		struct nvstore_flash nf;
		struct nv_backend b;
		struct nvstore s;

		sim_reset(0xff);
		assert_int_equal(store_fresh(old, sizeof(old)), NVSTORE_OK);
		assert_int_equal(nvstore_flash_init(&nf, &b, &sim_flash, BLOCK, SLOT), 0);
		assert_int_equal(nvstore_init(&s, &b, key_a, host_entropy, NULL), NVSTORE_OK);
		sim.budget = n;
		sim.transient = 1;
		assert_int_equal(nvstore_store(&s, new, sizeof(new)), NVSTORE_IO_ERROR);
		assert_loads(old, sizeof(old));
		assert_int_equal(nvstore_store(&s, newer, sizeof(newer)), NVSTORE_OK);
		assert_loads(newer, sizeof(newer));
		nvstore_fini(&s);
	}
}

/* A backend in front of the flash backend that passes budget bytes on and
 * then fails without telling it: a store abandoned halfway, as when
 * something above the backend fails. */
struct abandon {
	struct nv_backend *inner;
	size_t budget;
};

static int abandon_read(void *ctx, unsigned slot, size_t off, void *buf, size_t len)
{
	struct abandon *a = ctx;

	return a->inner->read(a->inner->ctx, slot, off, buf, len);
}

static int abandon_write(void *ctx, unsigned slot, size_t off, const void *buf, size_t len)
{
	struct abandon *a = ctx;

	if (len > a->budget) {
		if (a->budget > 0) {
			assert_int_equal(a->inner->write(a->inner->ctx, slot, off, buf, a->budget), 0);
		}
		a->budget = 0;
		return -1;
	}
	a->budget -= len;
	return a->inner->write(a->inner->ctx, slot, off, buf, len);
}

static int abandon_flush(void *ctx, unsigned slot)
{
	struct abandon *a = ctx;

	return a->inner->flush(a->inner->ctx, slot);
}

/* The next store over an abandoned one writes bytes the backend saw
 * written since the last flush: it must erase again, and win. */
static void nvstore_flash_store_over_abandoned_store_wins(void **state)
{
	uint8_t old[1000], new[1000], newer[1000];

	(void)state;
	fill_payload(old, sizeof(old), 30);
	fill_payload(new, sizeof(new), 31);
	fill_payload(newer, sizeof(newer), 32);
	for (size_t n = 0; n <= sizeof(new) + sizeof(struct nvstore_header); n += 13) {
		struct nvstore_flash nf;
		struct nv_backend inner, outer;
		struct abandon a = {.inner = &inner, .budget = SIZE_MAX};
		struct nvstore s;

		sim_reset(0xff);
		assert_int_equal(nvstore_flash_init(&nf, &inner, &sim_flash, BLOCK, SLOT), 0);
		outer = inner;
		outer.read = abandon_read;
		outer.write = abandon_write;
		outer.flush = abandon_flush;
		outer.ctx = &a;
		assert_int_equal(nvstore_init(&s, &outer, key_a, host_entropy, NULL), NVSTORE_OK);
		assert_int_equal(nvstore_store(&s, old, sizeof(old)), NVSTORE_OK);
		a.budget = n;
		assert_int_equal(nvstore_store(&s, new, sizeof(new)), NVSTORE_IO_ERROR);
		assert_loads(old, sizeof(old));
		a.budget = SIZE_MAX;
		assert_int_equal(nvstore_store(&s, newer, sizeof(newer)), NVSTORE_OK);
		assert_loads(newer, sizeof(newer));
		nvstore_fini(&s);
	}
}

static void nvstore_flash_backend_checks_bounds(void **state)
{
	struct nvstore_flash nf;
	struct nv_backend b;
	uint8_t byte = 0;

	(void)state;
	sim_reset(0xff);
	assert_int_equal(nvstore_flash_init(&nf, &b, &sim_flash, BLOCK, SLOT + 1), -EINVAL);
	assert_int_equal(nvstore_flash_init(&nf, &b, &sim_flash, BLOCK + 1, SLOT), -EINVAL);
	assert_int_equal(nvstore_flash_init(&nf, &b, &sim_flash, 0, 0), -EINVAL);
	assert_int_equal(nvstore_flash_init(&nf, &b, &sim_flash, (BLOCKS - 1) * BLOCK, BLOCK),
			 -EINVAL);
	assert_int_equal(nvstore_flash_init(&nf, &b, &sim_flash, (BLOCKS - 2) * BLOCK, BLOCK), 0);
	assert_int_equal(nvstore_flash_init(&nf, &b, &sim_flash, BLOCK, SLOT), 0);
	assert_int_equal(b.slot_size, SLOT);
	assert_int_equal(nvstore_flash_slot_size(&sim_flash, 1), BLOCK);
	assert_int_equal(nvstore_flash_slot_size(&sim_flash, BLOCK), BLOCK);
	assert_int_equal(nvstore_flash_slot_size(&sim_flash, BLOCK + 1), 2 * BLOCK);
	assert_int_equal(nvstore_flash_slot_size(&sim_flash, SIZE_MAX), 0);
	assert_int_equal(b.read(b.ctx, 0, SLOT, &byte, 1), -1);
	assert_int_equal(b.read(b.ctx, 2, 0, &byte, 1), -1);
	assert_int_equal(b.write(b.ctx, 1, SLOT - 1, &byte, 2), -1);
	assert_int_equal(b.write(b.ctx, 2, 0, &byte, 1), -1);
	assert_int_equal(b.flush(b.ctx, 2), -1);
	assert_int_equal(b.read(b.ctx, 1, SLOT - 1, &byte, 1), 0);
	assert_int_equal(b.write(b.ctx, 1, SLOT - 1, &byte, 1), 0);
	assert_int_equal(b.flush(b.ctx, 1), 0);
	assert_int_equal(sim.erases, 3); /* the slot up to the block written */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nvstore_flash_round_trip_on_garbage),
		cmocka_unit_test(nvstore_flash_erases_only_what_a_store_writes),
		cmocka_unit_test(nvstore_flash_crash_at_every_byte_leaves_old_or_new),
		cmocka_unit_test(nvstore_flash_store_after_failed_write_wins),
		cmocka_unit_test(nvstore_flash_store_over_abandoned_store_wins),
		cmocka_unit_test(nvstore_flash_backend_checks_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
