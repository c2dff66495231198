/* The vTPM's NV medium (tpm/nv_platform.c): the CFI flash driver against
 * QEMU's pflash, nvstore over the flash backend, torn stores, and a record
 * whose generation counts the boots that ran this suite on one NV file
 * (tests/qemu/boot-tests.sh boots it twice with one key, once with another,
 * then with the first again).
 *
 * The tests work in the flash's spare upper half (tpm_nv_platform_spare),
 * never where the vTPM keeps its state:
 *
 *   spare + 0                 the generation record's two slots
 *   + 2 generation slots      two slots for the round-trip and torn tests
 *   + 2 test slots            one scratch erase block
 *
 * Without a flash (x86_64 booted without --tpm-nv) the flash tests pass
 * with a note, and the generation record lives in the platform's RAM. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <drivers/cfi_flash.h>
#include <hillock/arch.h>
#include <hillock/config.h>
#include <hillock/machine.h>
#include <hillock/selftest.h>

#include "tpm/nv_platform.h"
#include "tpm/nvstore.h"
#include "tpm/nvstore_flash.h"

#define TPMNV_GEN_SLOT_MIN 4096
/* Test slots span several 4 KiB blocks on q35. */
#define TPMNV_TEST_SLOT_MIN (12 * 1024)
#define TPMNV_PAYLOAD 9000
#define TPMNV_IO_CHUNK 4096

/* Static, not on the stack: tests run on the 32 KiB boot stack. */
static struct tpm_nv_platform tpmnv_platform;
static uint8_t tpmnv_key[NVSTORE_KEY_SIZE];
static struct nvstore tpmnv_store, tpmnv_check;
static struct nvstore_flash tpmnv_slots;
static struct nv_backend tpmnv_backend;
static uint8_t tpmnv_in[TPMNV_PAYLOAD], tpmnv_out[TPMNV_PAYLOAD + 64];
static uint8_t tpmnv_io[TPMNV_IO_CHUNK];

/* A fixed key for the round-trip and torn tests (not the platform's). */
static const uint8_t tpmnv_test_key[NVSTORE_KEY_SIZE] = "tpmnv test key, not a secret...";

struct tpmnv_layout {
	uint64_t gen_off, test_off, scratch_off;
	size_t gen_slot, test_slot;
};

static int tpmnv_entropy(void *arg, unsigned char *buf, size_t len)
{
	(void)arg;
	for (size_t i = 0; i < len; i++) {
		buf[i] = (unsigned char)arch_random_u64();
	}
	return 0;
}

/*
 * Opens the platform (its key into tpmnv_key) and lays the spare half out.
 * Returns 1 with a flash, 0 without one (after a note), -2 when the
 * platform refuses to open as configured (hillock.tpm_nv=flash without a
 * flash: nothing to test), -1 on failure.
 */
static int tpmnv_open(struct tpmnv_layout *l)
{
	const struct cfi_flash *f = &tpmnv_platform.flash;
	uint64_t spare, spare_len;
	int rc = tpm_nv_platform_open(&tpmnv_platform, TPMNV_GEN_SLOT_MIN, tpmnv_key);

	if (rc == -ENODEV && strcmp(kernel_config.tpm_nv, "flash") == 0) {
		printf("  tpmnv: hillock.tpm_nv=flash and no flash: the platform refuses, as it must\n");
		return -2;
	}
	if (EXPECT(rc == 0)) {
		return -1;
	}
	if (tpm_nv_platform_spare(&tpmnv_platform, &spare, &spare_len) != 0) {
		printf("  tpmnv: no NV flash on this boot (none attached: tools/qemu-run.sh --tpm-nv; "
		       "or hillock.tpm_nv=ram)\n");
		return 0;
	}
	l->gen_slot = nvstore_flash_slot_size(f, TPMNV_GEN_SLOT_MIN);
	l->test_slot = nvstore_flash_slot_size(f, TPMNV_TEST_SLOT_MIN);
	l->gen_off = spare;
	l->test_off = l->gen_off + NVSTORE_SLOT_COUNT * l->gen_slot;
	l->scratch_off = l->test_off + NVSTORE_SLOT_COUNT * l->test_slot;
	if (EXPECT(l->scratch_off + f->erase_block <= spare + spare_len)) {
		return -1;
	}
	return 1;
}

static void tpmnv_fill(uint8_t *buf, size_t len, uint32_t seed)
{
	for (size_t i = 0; i < len; i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (uint8_t)(seed >> 16);
	}
}

/* Loads through a fresh store over backend with key; expects want. */
static int tpmnv_expect_load(const struct nv_backend *backend, const uint8_t *key, const uint8_t *want,
			     size_t want_len)
{
	size_t len = 0;
	int rc = EXPECT(nvstore_init(&tpmnv_check, backend, key, tpmnv_entropy, NULL) == NVSTORE_OK);

	rc |= EXPECT(nvstore_load(&tpmnv_check, tpmnv_out, sizeof(tpmnv_out), &len, NULL) == NVSTORE_OK);
	rc |= EXPECT(len == want_len && memcmp(tpmnv_out, want, want_len) == 0);
	nvstore_fini(&tpmnv_check);
	return rc;
}

TEST(tpmnv, flash_probe_geometry)
{
	const struct machine_flash *m = arch_tpm_nv_flash();
	const struct cfi_flash *f = &tpmnv_platform.flash;
	struct tpmnv_layout l;
	int found = tpmnv_open(&l), rc = 0;

	if (found <= 0) {
		tpm_nv_platform_close(&tpmnv_platform);
		return found == -1;
	}
	printf("  tpmnv: pflash at 0x%llx, %llu KiB, %u KiB erase blocks, %u-byte write buffer, "
	       "%u-byte bus of %u chip(s)\n",
	       (unsigned long long)f->base, (unsigned long long)f->size / 1024, f->erase_block / 1024,
	       f->write_buffer, f->bank_width, f->chips);
	rc |= EXPECT(m != NULL && f->base == m->base && f->size == m->size);
	rc |= EXPECT(m != NULL && f->bank_width == m->bank_width);
	rc |= EXPECT(f->chips >= 1 && f->chips <= f->bank_width);
	rc |= EXPECT(f->erase_block >= 4096 && (f->erase_block & (f->erase_block - 1)) == 0);
	rc |= EXPECT(f->size % f->erase_block == 0);
	/* Out of bounds and misaligned requests are refused. */
	rc |= EXPECT(cfi_flash_read(f, f->size, tpmnv_io, 1) == -EINVAL);
	rc |= EXPECT(cfi_flash_read(f, f->size - 1, tpmnv_io, 2) == -EINVAL);
	rc |= EXPECT(cfi_flash_erase(f, l.scratch_off + 1) == -EINVAL);
	rc |= EXPECT(cfi_flash_erase(f, f->size) == -EINVAL);
	rc |= EXPECT(cfi_flash_program(f, f->size - 1, tpmnv_io, 2) == -EINVAL);
	tpm_nv_platform_close(&tpmnv_platform);
	return rc;
}

/* Checks that [off, off + len) reads as the bytes of expect(i). */
static int tpmnv_expect_range(const struct cfi_flash *f, uint64_t off, size_t len,
			      uint8_t (*expect)(size_t i, const void *arg), const void *arg)
{
	for (size_t done = 0; done < len; done += sizeof(tpmnv_io)) {
		size_t n = len - done < sizeof(tpmnv_io) ? len - done : sizeof(tpmnv_io);

		if (EXPECT(cfi_flash_read(f, off + done, tpmnv_io, n) == 0)) {
			return 1;
		}
		for (size_t i = 0; i < n; i++) {
			if (tpmnv_io[i] != expect(done + i, arg)) {
				printf("  tpmnv: byte %zu of the range is 0x%02x, expected 0x%02x\n", done + i,
				       tpmnv_io[i], expect(done + i, arg));
				return EXPECT(0);
			}
		}
	}
	return 0;
}

static uint8_t tpmnv_erased(size_t i, const void *arg)
{
	(void)i;
	(void)arg;
	return 0xff;
}

/* The scratch block after two programs: bytes 3..7 and 8..307 of tpmnv_in. */
static uint8_t tpmnv_programmed(size_t i, const void *arg)
{
	(void)arg;
	return i >= 3 && i < 308 ? tpmnv_in[i] : 0xff;
}

TEST(tpmnv, flash_erase_program_read)
{
	const struct cfi_flash *f = &tpmnv_platform.flash;
	struct tpmnv_layout l;
	uint64_t t0, erase_us, program_us;
	uint8_t b;
	int found = tpmnv_open(&l), rc = 0;

	if (found <= 0) {
		tpm_nv_platform_close(&tpmnv_platform);
		return found == -1;
	}
	tpmnv_fill(tpmnv_in, sizeof(tpmnv_in), 7);
	t0 = arch_time_ns();
	rc |= EXPECT(cfi_flash_erase(f, l.scratch_off) == 0);
	erase_us = (arch_time_ns() - t0) / 1000;
	rc |= tpmnv_expect_range(f, l.scratch_off, f->erase_block, tpmnv_erased, NULL);
	/* Unaligned pieces, one sharing a bus word with the next. */
	rc |= EXPECT(cfi_flash_program(f, l.scratch_off + 3, tpmnv_in + 3, 5) == 0);
	rc |= EXPECT(cfi_flash_program(f, l.scratch_off + 8, tpmnv_in + 8, 300) == 0);
	rc |= tpmnv_expect_range(f, l.scratch_off, 1024, tpmnv_programmed, NULL);
	/* The same bytes again change nothing; clearing more bits works;
	 * setting a bit needs an erase and programs nothing. */
	rc |= EXPECT(cfi_flash_program(f, l.scratch_off + 8, tpmnv_in + 8, 300) == 0);
	b = (uint8_t)(tpmnv_in[20] & 0x0f);
	rc |= EXPECT(cfi_flash_program(f, l.scratch_off + 20, &b, 1) == 0);
	tpmnv_in[20] = b;
	b = 0xff;
	rc |= EXPECT(tpmnv_in[21] == 0xff || cfi_flash_program(f, l.scratch_off + 21, &b, 1) == -ENOTEMPTY);
	rc |= tpmnv_expect_range(f, l.scratch_off, 1024, tpmnv_programmed, NULL);
	/* A whole block's worth, timed; then erased again. */
	rc |= EXPECT(cfi_flash_erase(f, l.scratch_off) == 0);
	t0 = arch_time_ns();
	rc |= EXPECT(cfi_flash_program(f, l.scratch_off, tpmnv_in, 4096) == 0);
	program_us = (arch_time_ns() - t0) / 1000;
	rc |= EXPECT(cfi_flash_read(f, l.scratch_off, tpmnv_io, 4096) == 0);
	rc |= EXPECT(memcmp(tpmnv_io, tpmnv_in, 4096) == 0);
	rc |= EXPECT(cfi_flash_erase(f, l.scratch_off) == 0);
	rc |= tpmnv_expect_range(f, l.scratch_off, f->erase_block, tpmnv_erased, NULL);
	printf("  tpmnv: erased a %u KiB block in %llu us, programmed 4096 bytes in %llu us\n",
	       f->erase_block / 1024, (unsigned long long)erase_us, (unsigned long long)program_us);
	tpm_nv_platform_close(&tpmnv_platform);
	return rc;
}

TEST(tpmnv, nvstore_over_flash_round_trip)
{
	const struct cfi_flash *f = &tpmnv_platform.flash;
	struct tpmnv_layout l;
	struct nvstore_report report;
	size_t len;
	int found = tpmnv_open(&l), rc = 0, first;

	if (found <= 0) {
		tpm_nv_platform_close(&tpmnv_platform);
		return found == -1;
	}
	rc |= EXPECT(nvstore_flash_init(&tpmnv_slots, &tpmnv_backend, f, l.test_off, l.test_slot) == 0);
	/* Slots that do not fit or are not whole blocks are refused. */
	rc |= EXPECT(nvstore_flash_init(&tpmnv_slots, &tpmnv_backend, f, l.test_off, l.test_slot + 1) ==
		     -EINVAL);
	rc |= EXPECT(nvstore_flash_init(&tpmnv_slots, &tpmnv_backend, f, f->size - f->erase_block,
					f->erase_block) == -EINVAL);
	rc |= EXPECT(nvstore_flash_init(&tpmnv_slots, &tpmnv_backend, f, l.test_off, l.test_slot) == 0);
	rc |= EXPECT(nvstore_init(&tpmnv_store, &tpmnv_backend, tpmnv_test_key, tpmnv_entropy, NULL) ==
		     NVSTORE_OK);
	/* A marker the medium must never show in clear. */
	tpmnv_fill(tpmnv_in, sizeof(tpmnv_in), 11);
	memcpy(tpmnv_in + 100, "PLAINTEXT-MARKER", 16);
	rc |= EXPECT(nvstore_store(&tpmnv_store, tpmnv_in, sizeof(tpmnv_in)) == NVSTORE_OK);
	rc |= tpmnv_expect_load(&tpmnv_backend, tpmnv_test_key, tpmnv_in, sizeof(tpmnv_in));
	rc |= EXPECT(nvstore_load(&tpmnv_store, tpmnv_out, sizeof(tpmnv_out), &len, &report) == NVSTORE_OK);
	first = report.newest;
	/* The next store goes to the other slot; an empty payload works. */
	tpmnv_fill(tpmnv_in, 5000, 12);
	rc |= EXPECT(nvstore_store(&tpmnv_store, tpmnv_in, 5000) == NVSTORE_OK);
	rc |= tpmnv_expect_load(&tpmnv_backend, tpmnv_test_key, tpmnv_in, 5000);
	rc |= EXPECT(nvstore_load(&tpmnv_store, tpmnv_out, sizeof(tpmnv_out), &len, &report) == NVSTORE_OK);
	rc |= EXPECT(report.newest == 1 - first && report.slot[first] == NVSTORE_SLOT_VALID);
	rc |= EXPECT(nvstore_store(&tpmnv_store, NULL, 0) == NVSTORE_OK);
	rc |= tpmnv_expect_load(&tpmnv_backend, tpmnv_test_key, tpmnv_in, 0);
	/* Each slot starts with a header; no plaintext anywhere. */
	for (unsigned slot = 0; slot < NVSTORE_SLOT_COUNT; slot++) {
		uint64_t base = l.test_off + (uint64_t)slot * l.test_slot;

		rc |= EXPECT(cfi_flash_read(f, base, tpmnv_io, 4) == 0 && memcmp(tpmnv_io, "HLNV", 4) == 0);
		for (size_t off = 0; off < l.test_slot; off += sizeof(tpmnv_io) - 16) {
			size_t n = l.test_slot - off < sizeof(tpmnv_io) ? l.test_slot - off : sizeof(tpmnv_io);

			rc |= EXPECT(cfi_flash_read(f, base + off, tpmnv_io, n) == 0);
			for (size_t i = 0; i + 16 <= n; i++) {
				if (memcmp(tpmnv_io + i, "PLAINTEXT-MARKER", 16) == 0) {
					rc |= EXPECT(!"plaintext on the medium");
				}
			}
			if (n < sizeof(tpmnv_io)) {
				break;
			}
		}
	}
	nvstore_fini(&tpmnv_store);
	tpm_nv_platform_close(&tpmnv_platform);
	return rc;
}

/* A backend that passes budget bytes through to inner, then writes a
 * prefix of the next write and fails: a power cut after that many bytes. */
struct tpmnv_torn {
	const struct nv_backend *inner;
	size_t budget;
};

static int tpmnv_torn_read(void *ctx, unsigned slot, size_t off, void *buf, size_t len)
{
	const struct tpmnv_torn *t = ctx;

	return t->inner->read(t->inner->ctx, slot, off, buf, len);
}

static int tpmnv_torn_write(void *ctx, unsigned slot, size_t off, const void *buf, size_t len)
{
	struct tpmnv_torn *t = ctx;

	if (len <= t->budget) {
		t->budget -= len;
		return t->inner->write(t->inner->ctx, slot, off, buf, len);
	}
	if (t->budget > 0) {
		t->inner->write(t->inner->ctx, slot, off, buf, t->budget);
		t->budget = 0;
	}
	return -1;
}

static int tpmnv_torn_flush(void *ctx, unsigned slot)
{
	const struct tpmnv_torn *t = ctx;

	return t->inner->flush(t->inner->ctx, slot);
}

TEST(tpmnv, torn_store_keeps_old_record)
{
	/* Cut before anything, inside the first chunk, across a 4 KiB block,
	 * after the whole ciphertext (no header), inside the header. */
	static const size_t budgets[] = {0, 1, 100, 4097, TPMNV_PAYLOAD, TPMNV_PAYLOAD + 20};
	const struct cfi_flash *f = &tpmnv_platform.flash;
	struct tpmnv_layout l;
	struct tpmnv_torn torn;
	struct nv_backend torn_backend;
	int found = tpmnv_open(&l), rc = 0;

	if (found <= 0) {
		tpm_nv_platform_close(&tpmnv_platform);
		return found == -1;
	}
	rc |= EXPECT(nvstore_flash_init(&tpmnv_slots, &tpmnv_backend, f, l.test_off, l.test_slot) == 0);
	torn.inner = &tpmnv_backend;
	torn.budget = SIZE_MAX;
	torn_backend = tpmnv_backend;
	torn_backend.read = tpmnv_torn_read;
	torn_backend.write = tpmnv_torn_write;
	torn_backend.flush = tpmnv_torn_flush;
	torn_backend.ctx = &torn;
	rc |= EXPECT(nvstore_init(&tpmnv_store, &torn_backend, tpmnv_test_key, tpmnv_entropy, NULL) ==
		     NVSTORE_OK);
	tpmnv_fill(tpmnv_in, sizeof(tpmnv_in), 100);
	rc |= EXPECT(nvstore_store(&tpmnv_store, tpmnv_in, sizeof(tpmnv_in)) == NVSTORE_OK);
	for (size_t i = 0; i < sizeof(budgets) / sizeof(budgets[0]) && rc == 0; i++) {
		/* tpmnv_in holds the last complete record. */
		torn.budget = budgets[i];
		tpmnv_fill(tpmnv_out, TPMNV_PAYLOAD, 200 + (uint32_t)i);
		rc |= EXPECT(nvstore_store(&tpmnv_store, tpmnv_out, TPMNV_PAYLOAD) == NVSTORE_IO_ERROR);
		rc |= tpmnv_expect_load(&tpmnv_backend, tpmnv_test_key, tpmnv_in, sizeof(tpmnv_in));
		/* The next store goes over the torn one and wins. */
		torn.budget = SIZE_MAX;
		tpmnv_fill(tpmnv_in, sizeof(tpmnv_in), 300 + (uint32_t)i);
		rc |= EXPECT(nvstore_store(&tpmnv_store, tpmnv_in, sizeof(tpmnv_in)) == NVSTORE_OK);
		rc |= tpmnv_expect_load(&tpmnv_backend, tpmnv_test_key, tpmnv_in, sizeof(tpmnv_in));
		if (rc != 0) {
			printf("  tpmnv: failed with the cut after %zu bytes\n", budgets[i]);
		}
	}
	nvstore_fini(&tpmnv_store);
	tpm_nv_platform_close(&tpmnv_platform);
	return rc;
}

/* The generation record: what the boots on one NV file count. */
struct tpmnv_generation {
	char magic[8];
	uint64_t generation;
};

#define TPMNV_GEN_MAGIC "tpmnvgen"

TEST(tpmnv, record_generation)
{
	static struct tpmnv_generation rec;
	struct tpmnv_layout l;
	struct nvstore_report report;
	const struct nv_backend *backend = &tpmnv_platform.backend;
	enum nvstore_status st;
	uint64_t generation = 1;
	size_t len = 0;
	int found = tpmnv_open(&l), rc = 0;

	if (found < 0) {
		tpm_nv_platform_close(&tpmnv_platform);
		return found == -1;
	}
	/* On the flash the record lives in the spare half, not in the vTPM's
	 * slots; in RAM the platform's own slots are this test's. */
	if (strcmp(tpmnv_platform.medium, "pflash") == 0) {
		rc |= EXPECT(nvstore_flash_init(&tpmnv_slots, &tpmnv_backend, &tpmnv_platform.flash,
						l.gen_off, l.gen_slot) == 0);
		backend = &tpmnv_backend;
	}
	rc |= EXPECT(nvstore_init(&tpmnv_store, backend, tpmnv_key, tpmnv_entropy, NULL) == NVSTORE_OK);
	st = nvstore_load(&tpmnv_store, &rec, sizeof(rec), &len, &report);
	if (st == NVSTORE_NO_VALID_STATE) {
		/* Another key, or damage: report it and leave the medium alone. */
		printf("  tpmnv: no valid state on %s under this key (slots: %s, %s): left as it is\n",
		       tpmnv_platform.medium, nvstore_slot_state_name(report.slot[0]),
		       nvstore_slot_state_name(report.slot[1]));
	} else {
		if (st == NVSTORE_OK) {
			rc |= EXPECT(len == sizeof(rec) &&
				     memcmp(rec.magic, TPMNV_GEN_MAGIC, sizeof(rec.magic)) == 0);
			generation = rec.generation + 1;
		} else {
			rc |= EXPECT(st == NVSTORE_EMPTY);
		}
		memcpy(rec.magic, TPMNV_GEN_MAGIC, sizeof(rec.magic));
		rec.generation = generation;
		rc |= EXPECT(nvstore_store(&tpmnv_store, &rec, sizeof(rec)) == NVSTORE_OK);
		rc |= tpmnv_expect_load(backend, tpmnv_key, (const uint8_t *)&rec, sizeof(rec));
		printf("  tpmnv: record generation %llu (%s, key from %s, %s)\n",
		       (unsigned long long)generation, tpmnv_platform.medium, tpmnv_platform.key_source,
		       tpmnv_platform.persistent ? "persistent" : "not persistent");
	}
	nvstore_fini(&tpmnv_store);
	memset(tpmnv_key, 0, sizeof(tpmnv_key));
	tpm_nv_platform_close(&tpmnv_platform);
	return rc;
}
