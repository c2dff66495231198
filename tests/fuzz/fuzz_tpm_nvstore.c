/*
 * libFuzzer harness for nvstore's load path (tpm/nvstore.c): whatever the
 * host puts in the slots, a load returns one of the records nvstore itself
 * sealed, or no state at all, and a store afterwards still works.
 *
 * Input: one mode byte, then data.
 *   mode & 3 == 0  data is XORed over slot 0 (holding the older record)
 *   mode & 3 == 1  data is XORed over slot 1 (holding the newer record)
 *   mode & 3 == 2  data replaces slot 1 from its start
 *   mode & 3 == 3  data replaces both slots (arbitrary contents)
 * The expected result follows from which record bytes changed: a changed
 * record must never verify.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nvstore.h"

#define SLOT_SIZE 512

static const uint8_t key[NVSTORE_KEY_SIZE] = "nvstore fuzzing key, 32 bytes...";
static uint8_t older[100], newer[150], reference[2 * SLOT_SIZE];
static uint8_t mem[2 * SLOT_SIZE];
static struct nvstore_ram ram;
static struct nv_backend backend;

/* Deterministic, so that every crash reproduces. */
static int counter_entropy(void *arg, unsigned char *buf, size_t len)
{
	static uint8_t next;
	size_t i;

	(void)arg;
	for (i = 0; i < len; i++) {
		buf[i] = next++;
	}
	return 0;
}

static void must(int cond)
{
	if (!cond) {
		abort();
	}
}

static void seal(const uint8_t *payload, size_t len)
{
	struct nvstore s;

	must(nvstore_init(&s, &backend, key, counter_entropy, NULL) ==
	     NVSTORE_OK);
	must(nvstore_store(&s, payload, len) == NVSTORE_OK);
	nvstore_fini(&s);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	size_t i;

	(void)argc;
	(void)argv;
	for (i = 0; i < sizeof(older); i++) {
		older[i] = (uint8_t)(i * 7 + 1);
	}
	for (i = 0; i < sizeof(newer); i++) {
		newer[i] = (uint8_t)(i * 13 + 5);
	}
	nvstore_ram_init(&ram, &backend, mem, SLOT_SIZE);
	seal(older, sizeof(older)); /* slot 0, sequence 1 */
	seal(newer, sizeof(newer)); /* slot 1, sequence 2 */
	memcpy(reference, mem, sizeof(mem));
	return 0;
}

/* Did the bytes of the record that was in slot `slot` change? */
static int record_changed(unsigned slot, size_t payload_len)
{
	size_t off = slot * SLOT_SIZE;
	size_t len = sizeof(struct nvstore_header) + payload_len;

	return memcmp(mem + off, reference + off, len) != 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[SLOT_SIZE];
	static const uint8_t fresh[] = "a state stored after the fuzzed load";
	enum nvstore_status rc;
	struct nvstore_report report;
	struct nvstore s;
	unsigned mode;
	size_t len;

	if (size < 1) {
		return 0;
	}
	mode = data[0] & 3;
	data++;
	size--;
	memcpy(mem, reference, sizeof(mem));
	if (mode < 2) {
		for (size_t i = 0; i < size && i < SLOT_SIZE; i++) {
			mem[mode * SLOT_SIZE + i] ^= data[i];
		}
	} else {
		unsigned slot = mode == 2 ? 1 : 0;

		len = sizeof(mem) - slot * SLOT_SIZE;
		memcpy(mem + slot * SLOT_SIZE, data, size < len ? size : len);
	}

	must(nvstore_init(&s, &backend, key, counter_entropy, NULL) ==
	     NVSTORE_OK);
	rc = nvstore_load(&s, buf, sizeof(buf), &len, &report);
	if (!record_changed(1, sizeof(newer))) {
		must(rc == NVSTORE_OK && report.newest == 1 &&
		     len == sizeof(newer) && memcmp(buf, newer, len) == 0);
	} else if (!record_changed(0, sizeof(older))) {
		must(rc == NVSTORE_OK && report.newest == 0 &&
		     len == sizeof(older) && memcmp(buf, older, len) == 0);
	} else {
		must(rc == NVSTORE_EMPTY || rc == NVSTORE_NO_VALID_STATE);
		must(report.newest == -1);
	}

	/* Whatever the medium held, the next state can be stored. */
	must(nvstore_store(&s, fresh, sizeof(fresh)) == NVSTORE_OK);
	must(nvstore_load(&s, buf, sizeof(buf), &len, NULL) == NVSTORE_OK);
	must(len == sizeof(fresh) && memcmp(buf, fresh, len) == 0);
	nvstore_fini(&s);
	return 0;
}
