/*
 * nvstore (tpm/nvstore.c) on the RAM backend, behind a fault-injecting
 * wrapper that can stop a write after any number of blocks, tear the next
 * block, or fail reads of one slot.
 */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/types.h>

#include <cmocka.h>
#include <mbedtls/gcm.h>

#include "nvstore.h"

#define SLOT_SIZE 2048
#define HDR sizeof(struct nvstore_header)

static const uint8_t key_a[NVSTORE_KEY_SIZE] =
	"hillock nvstore test key, A.....";
static const uint8_t key_b[NVSTORE_KEY_SIZE] =
	"hillock nvstore test key, B.....";

static const uint8_t zeros[SLOT_SIZE];

static int host_entropy(void *arg, unsigned char *buf, size_t len)
{
	(void)arg;
	return getrandom(buf, len, 0) == (ssize_t)len ? 0 : -1;
}

static int failing_entropy(void *arg, unsigned char *buf, size_t len)
{
	(void)arg;
	(void)buf;
	(void)len;
	return -1;
}

/* ---- the medium: RAM slots behind a fault injector ---- */

struct medium {
	struct nv_backend backend; /* what nvstore sees */
	struct nv_backend ram_backend;
	struct nvstore_ram ram;
	unsigned block_size; /* the unit a crash can cut at */
	long budget;         /* blocks still written; < 0: unlimited */
	int torn;            /* at the cut, write half the next block */
	int dead;            /* the cut happened: every write fails */
	int fail_read_slot;  /* reads of this slot fail; -1: none */
	unsigned blocks;     /* blocks written so far */
	uint8_t mem[NVSTORE_SLOT_COUNT * SLOT_SIZE];
};

/* Splits a write at block boundaries and writes blocks while budget lasts. */
static int medium_write(void *ctx, unsigned slot, size_t off, const void *buf,
			size_t len)
{
	struct medium *m = ctx;
	const uint8_t *p = buf;

	while (len > 0) {
		size_t n = m->block_size - off % m->block_size;

		if (n > len) {
			n = len;
		}
		if (m->dead) {
			return -1;
		}
		if (m->budget == 0) {
			if (m->torn) {
				m->ram_backend.write(m->ram_backend.ctx, slot,
						     off, p, n / 2);
			}
			m->dead = 1;
			return -1;
		}
		if (m->ram_backend.write(m->ram_backend.ctx, slot, off, p, n)) {
			return -1;
		}
		if (m->budget > 0) {
			m->budget--;
		}
		m->blocks++;
		off += n;
		p += n;
		len -= n;
	}
	return 0;
}

static int medium_read(void *ctx, unsigned slot, size_t off, void *buf,
		       size_t len)
{
	struct medium *m = ctx;

	if ((int)slot == m->fail_read_slot) {
		return -1;
	}
	return m->ram_backend.read(m->ram_backend.ctx, slot, off, buf, len);
}

static int medium_flush(void *ctx, unsigned slot)
{
	struct medium *m = ctx;

	return m->dead ? -1 : m->ram_backend.flush(m->ram_backend.ctx, slot);
}

static struct medium *medium_new(unsigned block_size)
{
	struct medium *m = calloc(1, sizeof(*m));

	assert_non_null(m);
	nvstore_ram_init(&m->ram, &m->ram_backend, m->mem, SLOT_SIZE);
	m->backend = m->ram_backend;
	m->backend.read = medium_read;
	m->backend.write = medium_write;
	m->backend.flush = medium_flush;
	m->backend.ctx = m;
	m->block_size = block_size;
	m->budget = -1;
	m->fail_read_slot = -1;
	return m;
}

/* Power comes back: writes work again, nothing else changes. */
static void medium_repair(struct medium *m)
{
	m->budget = -1;
	m->torn = 0;
	m->dead = 0;
	m->fail_read_slot = -1;
}

static uint8_t *slot_mem(struct medium *m, unsigned slot)
{
	return m->mem + slot * SLOT_SIZE;
}

/* ---- helpers ---- */

static void fill_payload(uint8_t *p, size_t len, uint8_t seed)
{
	size_t i;

	for (i = 0; i < len; i++) {
		p[i] = (uint8_t)(seed + i * 131 + (i >> 8));
	}
}

static void store_ok(struct medium *m, const uint8_t *key, const void *p,
		     size_t len)
{
	struct nvstore s;

	assert_int_equal(nvstore_init(&s, &m->backend, key, host_entropy, NULL),
			 NVSTORE_OK);
	assert_int_equal(nvstore_store(&s, p, len), NVSTORE_OK);
	nvstore_fini(&s);
}

/* Loads through a fresh store, as after a reboot. */
static enum nvstore_status load_fresh(struct medium *m, const uint8_t *key,
				      uint8_t *buf, size_t cap, size_t *len,
				      struct nvstore_report *report)
{
	struct nvstore s;
	enum nvstore_status rc;

	assert_int_equal(nvstore_init(&s, &m->backend, key, host_entropy, NULL),
			 NVSTORE_OK);
	rc = nvstore_load(&s, buf, cap, len, report);
	nvstore_fini(&s);
	return rc;
}

static void assert_loads(struct medium *m, const uint8_t *want,
			 size_t want_len, int want_slot)
{
	uint8_t buf[SLOT_SIZE];
	struct nvstore_report r;
	size_t len = 0;

	assert_int_equal(load_fresh(m, key_a, buf, sizeof(buf), &len, &r),
			 NVSTORE_OK);
	assert_int_equal(len, want_len);
	assert_memory_equal(buf, want, want_len);
	assert_int_equal(r.newest, want_slot);
	assert_int_equal(r.slot[want_slot], NVSTORE_SLOT_VALID);
}

static struct nvstore_header header_of(struct medium *m, unsigned slot)
{
	struct nvstore_header h;

	memcpy(&h, slot_mem(m, slot), sizeof(h));
	return h;
}

/* The header with the higher sequence (both slots written, no wrap). */
static struct nvstore_header newest_header(struct medium *m)
{
	struct nvstore_header h0 = header_of(m, 0), h1 = header_of(m, 1);

	return h1.sequence > h0.sequence ? h1 : h0;
}

/*
 * Seals a record straight from the format in docs/vtpm.md, byte by byte,
 * without nvstore: the format is a contract, not an accident of the code.
 */
static void craft_record(struct medium *m, unsigned slot, uint64_t seq,
			 const uint8_t *payload, uint32_t len)
{
	static const uint8_t iv[12] = "crafted iv..";
	uint8_t hdr[48] = "HLNV\x01\x00\x00\x00";
	mbedtls_gcm_context g;
	int i;

	for (i = 0; i < 8; i++) {
		hdr[8 + i] = (uint8_t)(seq >> (8 * i));
	}
	for (i = 0; i < 4; i++) {
		hdr[16 + i] = (uint8_t)(len >> (8 * i));
	}
	memcpy(hdr + 20, iv, sizeof(iv));
	mbedtls_gcm_init(&g);
	assert_int_equal(mbedtls_gcm_setkey(&g, MBEDTLS_CIPHER_ID_AES, key_a,
					    256),
			 0);
	assert_int_equal(mbedtls_gcm_crypt_and_tag(&g, MBEDTLS_GCM_ENCRYPT, len,
						   iv, sizeof(iv), hdr, 32,
						   payload,
						   slot_mem(m, slot) + 48, 16,
						   hdr + 32),
			 0);
	mbedtls_gcm_free(&g);
	memcpy(slot_mem(m, slot), hdr, sizeof(hdr));
}

/* ---- tests ---- */

static void nvstore_round_trip(void **state)
{
	struct medium *m = medium_new(16);
	uint8_t payload[1000], buf[SLOT_SIZE];
	struct nvstore_report r;
	size_t len;

	(void)state;
	assert_int_equal(load_fresh(m, key_a, buf, sizeof(buf), &len, &r),
			 NVSTORE_EMPTY);
	assert_int_equal(r.newest, -1);
	assert_int_equal(r.slot[0], NVSTORE_SLOT_ERASED);

	fill_payload(payload, sizeof(payload), 1);
	store_ok(m, key_a, payload, sizeof(payload));
	assert_loads(m, payload, sizeof(payload), 0);
	assert_int_equal(load_fresh(m, key_a, buf, sizeof(buf), &len, &r),
			 NVSTORE_OK);
	assert_int_equal(r.slot[1], NVSTORE_SLOT_ERASED);
	assert_int_equal(r.sequence[0], 1);

	/* On the medium: the documented magic and no plaintext. */
	assert_memory_equal(slot_mem(m, 0), "HLNV", 4);
	assert_null(memmem(m->mem, sizeof(m->mem), payload + 100, 16));

	/* An empty payload is a state too. */
	store_ok(m, key_a, NULL, 0);
	assert_loads(m, payload, 0, 1);
	free(m);
}

static void nvstore_alternates_slots(void **state)
{
	struct medium *m = medium_new(16);
	uint8_t payload[8][300];
	struct nvstore_report r;
	uint8_t buf[SLOT_SIZE];
	struct nvstore s;
	size_t len;
	unsigned i;

	(void)state;
	for (i = 0; i < 8; i++) {
		fill_payload(payload[i], sizeof(payload[i]), (uint8_t)(i * 7));
	}
	/* One store instance across several stores... */
	assert_int_equal(nvstore_init(&s, &m->backend, key_a, host_entropy,
				      NULL),
			 NVSTORE_OK);
	for (i = 0; i < 4; i++) {
		assert_int_equal(nvstore_store(&s, payload[i], 300),
				 NVSTORE_OK);
		assert_int_equal(header_of(m, i % 2).sequence, i + 1);
		assert_loads(m, payload[i], 300, (int)(i % 2));
	}
	nvstore_fini(&s);
	/* ...then one per store, each finding its place by scanning. */
	for (i = 4; i < 8; i++) {
		store_ok(m, key_a, payload[i], 300);
		assert_int_equal(header_of(m, i % 2).sequence, i + 1);
		assert_int_equal(load_fresh(m, key_a, buf, sizeof(buf), &len,
					    &r),
				 NVSTORE_OK);
		assert_int_equal(r.newest, (int)(i % 2));
		assert_int_equal(r.slot[0], NVSTORE_SLOT_VALID);
		assert_int_equal(r.slot[1], NVSTORE_SLOT_VALID);
		assert_int_equal(r.sequence[i % 2], i + 1);
		assert_int_equal(r.sequence[1 - i % 2], i);
		assert_memory_equal(buf, payload[i], 300);
	}
	free(m);
}

/*
 * A crash at every block of a store: first count the blocks an
 * uninterrupted store writes, then for every N in 0..count stop after N
 * blocks (cleanly, and with the next block torn).  A fresh load must give
 * exactly the old state or, once every block is written, the new one.  A
 * second crash in the next store must still leave the old state, and a
 * store after that must succeed.
 */
static void crash_at_every_block(unsigned block_size, size_t old_len,
				 size_t new_len, int old_records)
{
	uint8_t old_state[2][SLOT_SIZE], new_state[SLOT_SIZE], buf[SLOT_SIZE];
	uint8_t before[sizeof(((struct medium *)0)->mem)];
	struct medium *m = medium_new(block_size);
	struct nvstore_report r;
	unsigned total, n, i;
	enum nvstore_status rc;
	struct nvstore s;
	size_t len;
	int torn;

	fill_payload(old_state[0], old_len, 0x11);
	fill_payload(old_state[1], old_len, 0x22);
	fill_payload(new_state, new_len, 0x33);
	for (i = 0; i < (unsigned)old_records; i++) {
		store_ok(m, key_a, old_state[i], old_len);
	}
	memcpy(before, m->mem, sizeof(before));

	m->blocks = 0;
	store_ok(m, key_a, new_state, new_len);
	total = m->blocks;
	assert_true(total >= (new_len + HDR) / block_size);

	for (n = 0; n <= total; n++) {
		for (torn = 0; torn < 2; torn++) {
			memcpy(m->mem, before, sizeof(before));
			medium_repair(m);
			m->budget = n;
			m->torn = torn;
			assert_int_equal(nvstore_init(&s, &m->backend, key_a,
						      host_entropy, NULL),
					 NVSTORE_OK);
			rc = nvstore_store(&s, new_state, new_len);
			nvstore_fini(&s);
			assert_int_equal(rc, n == total ? NVSTORE_OK
							: NVSTORE_IO_ERROR);

			medium_repair(m);
			rc = load_fresh(m, key_a, buf, sizeof(buf), &len, &r);
			if (n == total) {
				assert_int_equal(rc, NVSTORE_OK);
				assert_int_equal(len, new_len);
				assert_memory_equal(buf, new_state, new_len);
			} else if (old_records > 0) {
				/* Never the new state before it is complete. */
				assert_int_equal(rc, NVSTORE_OK);
				assert_int_equal(len, old_len);
				assert_memory_equal(buf,
						    old_state[old_records - 1],
						    old_len);
			} else {
				assert_true(rc == NVSTORE_EMPTY ||
					    rc == NVSTORE_NO_VALID_STATE);
			}

			/*
			 * A second crash halfway through the next store must
			 * not cost the state the first one left.
			 */
			if (n < total && old_records > 0) {
				m->budget = total / 2;
				assert_int_equal(nvstore_init(&s, &m->backend,
							      key_a,
							      host_entropy,
							      NULL),
						 NVSTORE_OK);
				assert_int_equal(nvstore_store(&s, new_state,
							       new_len),
						 NVSTORE_IO_ERROR);
				nvstore_fini(&s);
				medium_repair(m);
				assert_int_equal(load_fresh(m, key_a, buf,
							    sizeof(buf), &len,
							    &r),
						 NVSTORE_OK);
				assert_memory_equal(buf,
						    old_state[old_records - 1],
						    old_len);
			}

			/* Recovery: the next store lands and wins. */
			store_ok(m, key_a, new_state, new_len / 2);
			assert_int_equal(load_fresh(m, key_a, buf, sizeof(buf),
						    &len, &r),
					 NVSTORE_OK);
			assert_int_equal(len, new_len / 2);
			assert_memory_equal(buf, new_state, new_len / 2);
		}
	}
	free(m);
}

static void nvstore_crash_at_every_block_leaves_old_or_new(void **state)
{
	(void)state;
	/* Both slots hold records: the older is overwritten. */
	crash_at_every_block(16, 1000, 700, 2);
	crash_at_every_block(16, 300, 1500, 2);
	/* Only one record: the erased slot is written. */
	crash_at_every_block(16, 1000, 1000, 1);
	/* Nothing yet: a crash leaves nothing, never garbage. */
	crash_at_every_block(16, 0, 999, 0);
	/* Sector-sized blocks. */
	crash_at_every_block(512, 1200, 1900, 2);
}

/*
 * Flips each bit of every header byte, and of a sample of ciphertext bytes,
 * of one slot: that slot must be reported bad and the other one used.
 */
static void flip_and_check(struct medium *m, unsigned slot, size_t off,
			   const uint8_t *other, size_t other_len,
			   int slot_is_newest)
{
	uint8_t buf[SLOT_SIZE];
	struct nvstore_report r;
	enum nvstore_status rc;
	size_t len;
	int bit;

	for (bit = 0; bit < 8; bit++) {
		slot_mem(m, slot)[off] ^= (uint8_t)(1u << bit);
		memset(buf, 0, sizeof(buf));
		rc = load_fresh(m, key_a, buf, sizeof(buf), &len, &r);
		slot_mem(m, slot)[off] ^= (uint8_t)(1u << bit);
		assert_int_equal(rc, NVSTORE_OK);
		assert_int_equal(r.newest, 1 - (int)slot);
		assert_true(r.slot[slot] == NVSTORE_SLOT_BAD_HEADER ||
			    r.slot[slot] == NVSTORE_SLOT_BAD_TAG);
		assert_int_equal(r.slot[1 - slot], NVSTORE_SLOT_VALID);
		assert_int_equal(len, other_len);
		assert_memory_equal(buf, other, other_len);
		/* A rejected newest record leaves nothing of itself behind. */
		if (slot_is_newest) {
			assert_memory_equal(buf + len, zeros,
					    sizeof(buf) - len);
		}
	}
}

static void nvstore_bit_flips_make_slot_ignored(void **state)
{
	struct medium *m = medium_new(16);
	uint8_t older[777], newer[1234];
	size_t off;
	unsigned slot;

	(void)state;
	fill_payload(older, sizeof(older), 0x40);
	fill_payload(newer, sizeof(newer), 0x50);
	store_ok(m, key_a, older, sizeof(older)); /* slot 0 */
	store_ok(m, key_a, newer, sizeof(newer)); /* slot 1, newest */

	for (slot = 0; slot < 2; slot++) {
		const uint8_t *other = slot == 1 ? older : newer;
		size_t other_len = slot == 1 ? sizeof(older) : sizeof(newer);
		size_t rec_len = HDR + (slot == 1 ? sizeof(newer)
						  : sizeof(older));

		for (off = 0; off < HDR; off++) {
			flip_and_check(m, slot, off, other, other_len,
				       slot == 1);
		}
		for (off = HDR; off < rec_len; off += 61) {
			flip_and_check(m, slot, off, other, other_len,
				       slot == 1);
		}
		flip_and_check(m, slot, rec_len - 1, other, other_len,
			       slot == 1);
	}
	/* Bytes past the record are not part of it. */
	slot_mem(m, 1)[HDR + sizeof(newer) + 5] ^= 0xff;
	assert_loads(m, newer, sizeof(newer), 1);
	free(m);
}

static void nvstore_both_slots_corrupt_is_no_valid_state(void **state)
{
	struct medium *m = medium_new(16);
	uint8_t payload[500], buf[SLOT_SIZE];
	struct nvstore_report r;
	size_t len = 99;

	(void)state;
	fill_payload(payload, sizeof(payload), 0x60);
	store_ok(m, key_a, payload, sizeof(payload));
	store_ok(m, key_a, payload, sizeof(payload));
	slot_mem(m, 0)[HDR + 10] ^= 0x01; /* ciphertext */
	slot_mem(m, 1)[0] ^= 0x80;        /* magic */
	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(load_fresh(m, key_a, buf, sizeof(buf), &len, &r),
			 NVSTORE_NO_VALID_STATE);
	assert_int_equal(len, 0);
	assert_int_equal(r.newest, -1);
	assert_int_equal(r.slot[0], NVSTORE_SLOT_BAD_TAG);
	assert_int_equal(r.slot[1], NVSTORE_SLOT_BAD_HEADER);
	assert_null(memmem(buf, sizeof(buf), payload, 8));

	/* One erased, one corrupt: something was there, so not "empty". */
	memset(slot_mem(m, 1), 0xff, SLOT_SIZE);
	assert_int_equal(load_fresh(m, key_a, buf, sizeof(buf), &len, &r),
			 NVSTORE_NO_VALID_STATE);
	assert_int_equal(r.slot[1], NVSTORE_SLOT_ERASED);
	/* Both erased (0x00 and 0xFF): empty. */
	memset(slot_mem(m, 0), 0x00, SLOT_SIZE);
	assert_int_equal(load_fresh(m, key_a, buf, sizeof(buf), &len, &r),
			 NVSTORE_EMPTY);
	free(m);
}

static void nvstore_wrong_key_is_no_valid_state(void **state)
{
	struct medium *m = medium_new(16);
	uint8_t payload[64], buf[SLOT_SIZE];
	struct nvstore_report r;
	size_t len;

	(void)state;
	fill_payload(payload, sizeof(payload), 0x70);
	store_ok(m, key_a, payload, sizeof(payload));
	store_ok(m, key_a, payload, sizeof(payload));
	assert_int_equal(load_fresh(m, key_b, buf, sizeof(buf), &len, &r),
			 NVSTORE_NO_VALID_STATE);
	assert_int_equal(r.slot[0], NVSTORE_SLOT_BAD_TAG);
	assert_int_equal(r.slot[1], NVSTORE_SLOT_BAD_TAG);
	assert_loads(m, payload, sizeof(payload), 1);
	free(m);
}

static void nvstore_rejects_oversized_payload(void **state)
{
	struct medium *m = medium_new(16);
	static uint8_t payload[SLOT_SIZE];
	uint8_t buf[SLOT_SIZE], before[sizeof(m->mem)];
	size_t max = SLOT_SIZE - HDR, len = 0;
	size_t i;
	struct nvstore s;

	(void)state;
	assert_int_equal(nvstore_max_payload(&m->backend), max);
	fill_payload(payload, sizeof(payload), 0x80);
	memcpy(before, m->mem, sizeof(before));
	assert_int_equal(nvstore_init(&s, &m->backend, key_a, host_entropy,
				      NULL),
			 NVSTORE_OK);
	assert_int_equal(nvstore_store(&s, payload, max + 1),
			 NVSTORE_TOO_LARGE);
	assert_memory_equal(m->mem, before, sizeof(before));
	assert_int_equal(nvstore_store(&s, payload, max), NVSTORE_OK);
	nvstore_fini(&s);
	assert_loads(m, payload, max, 0);

	/* A buffer smaller than the state: told so, with the size needed. */
	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(load_fresh(m, key_a, buf, 100, &len, NULL),
			 NVSTORE_BUFFER_TOO_SMALL);
	assert_int_equal(len, max);
	for (i = 0; i < 100; i++) {
		assert_int_equal(buf[i], 0xaa);
	}

	/* A header claiming more than the slot holds is refused unread. */
	craft_record(m, 1, 5, payload, 16);
	((struct nvstore_header *)slot_mem(m, 1))->payload_len =
		(uint32_t)max + 1;
	assert_loads(m, payload, max, 0);

	/* Slots smaller than a header are refused. */
	m->backend.slot_size = HDR - 1;
	assert_int_equal(nvstore_init(&s, &m->backend, key_a, host_entropy,
				      NULL),
			 NVSTORE_BAD_ARGUMENT);
	free(m);
}

static void nvstore_sequence_wraps(void **state)
{
	struct medium *m = medium_new(16);
	uint8_t a[100], b[100], c[100], buf[SLOT_SIZE];
	struct nvstore_report r;
	size_t len;

	(void)state;
	assert_true(nvstore_seq_newer(0, UINT64_MAX));
	assert_false(nvstore_seq_newer(UINT64_MAX, 0));
	assert_true(nvstore_seq_newer(5, 4));
	assert_false(nvstore_seq_newer(4, 4));

	fill_payload(a, sizeof(a), 1);
	fill_payload(b, sizeof(b), 2);
	fill_payload(c, sizeof(c), 3);
	/* A record made from the documented format alone. */
	craft_record(m, 0, UINT64_MAX - 1, a, sizeof(a));
	craft_record(m, 1, UINT64_MAX, b, sizeof(b));
	assert_loads(m, b, sizeof(b), 1);

	store_ok(m, key_a, c, sizeof(c)); /* slot 0, sequence 0 */
	assert_int_equal(load_fresh(m, key_a, buf, sizeof(buf), &len, &r),
			 NVSTORE_OK);
	assert_int_equal(r.newest, 0);
	assert_int_equal(r.sequence[0], 0);
	assert_int_equal(r.sequence[1], UINT64_MAX);
	assert_memory_equal(buf, c, sizeof(c));

	store_ok(m, key_a, a, sizeof(a)); /* slot 1, sequence 1 */
	assert_int_equal(header_of(m, 1).sequence, 1);
	assert_loads(m, a, sizeof(a), 1);
	free(m);
}

/* IVs stay distinct across stores, instances and failed writes. */
static void nvstore_never_repeats_an_iv(void **state)
{
	enum { STORES = 300 };
	static uint8_t ivs[2 * STORES + 2][NVSTORE_IV_SIZE];
	static uint8_t before[NVSTORE_SLOT_COUNT * SLOT_SIZE];
	struct medium *m = medium_new(16);
	uint8_t payload[32] = "state";
	unsigned count = 0, i, j, k;
	struct nvstore s;

	(void)state;
	for (k = 0; k < 2; k++) { /* two instances: two salts */
		assert_int_equal(nvstore_init(&s, &m->backend, key_a,
					      host_entropy, NULL),
				 NVSTORE_OK);
		for (i = 0; i < STORES; i++) {
			assert_int_equal(nvstore_store(&s, payload,
						       sizeof(payload)),
					 NVSTORE_OK);
			memcpy(ivs[count++], newest_header(m).iv,
			       NVSTORE_IV_SIZE);
		}
		nvstore_fini(&s);
	}
	/* A write that failed used an IV; the retry must not reuse it. */
	assert_int_equal(nvstore_init(&s, &m->backend, key_a, host_entropy,
				      NULL),
			 NVSTORE_OK);
	m->budget = 3; /* the header never lands */
	assert_int_equal(nvstore_store(&s, payload, sizeof(payload)),
			 NVSTORE_IO_ERROR);
	medium_repair(m);
	assert_int_equal(nvstore_store(&s, payload, sizeof(payload)),
			 NVSTORE_OK);
	memcpy(ivs[count++], newest_header(m).iv, NVSTORE_IV_SIZE);
	assert_memory_not_equal(ivs[count - 1] + 8, zeros, 4);
	nvstore_fini(&s);
	for (i = 0; i < count; i++) {
		for (j = i + 1; j < count; j++) {
			assert_memory_not_equal(ivs[i], ivs[j],
						NVSTORE_IV_SIZE);
		}
	}

	/* Without entropy nothing is sealed and the medium is untouched. */
	assert_int_equal(nvstore_init(&s, &m->backend, key_a, failing_entropy,
				      NULL),
			 NVSTORE_OK);
	memcpy(before, m->mem, sizeof(before));
	assert_int_equal(nvstore_store(&s, "x", 1), NVSTORE_ENTROPY_ERROR);
	assert_memory_equal(before, m->mem, sizeof(before));
	nvstore_fini(&s);
	free(m);
}

static void nvstore_unreadable_slot_is_ignored(void **state)
{
	struct medium *m = medium_new(16);
	uint8_t a[200], b[200], buf[SLOT_SIZE];
	struct nvstore_report r;
	size_t len;

	(void)state;
	fill_payload(a, sizeof(a), 9);
	fill_payload(b, sizeof(b), 10);
	store_ok(m, key_a, a, sizeof(a));
	store_ok(m, key_a, b, sizeof(b));
	m->fail_read_slot = 1;
	assert_int_equal(load_fresh(m, key_a, buf, sizeof(buf), &len, &r),
			 NVSTORE_OK);
	assert_int_equal(r.slot[1], NVSTORE_SLOT_READ_ERROR);
	assert_int_equal(r.newest, 0);
	assert_memory_equal(buf, a, sizeof(a));
	m->fail_read_slot = 0;
	memset(slot_mem(m, 1), 0, SLOT_SIZE);
	assert_int_equal(load_fresh(m, key_a, buf, sizeof(buf), &len, &r),
			 NVSTORE_IO_ERROR);
	free(m);
}

static void nvstore_ram_backend_checks_bounds(void **state)
{
	uint8_t mem[2 * 64], buf[8] = { 0 };
	struct nvstore_ram ram;
	struct nv_backend b;

	(void)state;
	nvstore_ram_init(&ram, &b, mem, 64);
	assert_int_equal(b.slot_size, 64);
	assert_int_equal(b.write(b.ctx, 1, 56, buf, 8), 0);
	assert_int_not_equal(b.write(b.ctx, 1, 57, buf, 8), 0);
	assert_int_not_equal(b.write(b.ctx, 2, 0, buf, 1), 0);
	assert_int_not_equal(b.read(b.ctx, 0, SIZE_MAX, buf, 2), 0);
	assert_int_not_equal(b.flush(b.ctx, 2), 0);
	assert_int_equal(b.flush(b.ctx, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nvstore_round_trip),
		cmocka_unit_test(nvstore_alternates_slots),
		cmocka_unit_test(nvstore_crash_at_every_block_leaves_old_or_new),
		cmocka_unit_test(nvstore_bit_flips_make_slot_ignored),
		cmocka_unit_test(nvstore_both_slots_corrupt_is_no_valid_state),
		cmocka_unit_test(nvstore_wrong_key_is_no_valid_state),
		cmocka_unit_test(nvstore_rejects_oversized_payload),
		cmocka_unit_test(nvstore_sequence_wraps),
		cmocka_unit_test(nvstore_never_repeats_an_iv),
		cmocka_unit_test(nvstore_unreadable_slot_is_ignored),
		cmocka_unit_test(nvstore_ram_backend_checks_bounds),
	};

	return cmocka_run_group_tests_name("tpm_nvstore", tests, NULL, NULL);
}
