/*
 * The vTPM's state in two AES-256-GCM-sealed slots (see nvstore.h and
 * docs/vtpm.md, "NV state").
 *
 * Payloads stream through a small buffer on the stack in both directions, so
 * neither path allocates and the state is never held twice.
 */
#include "nvstore.h"

#include <string.h>

#include <mbedtls/platform_util.h>

/* The streaming unit; GCM wants multiples of its 16-byte block. */
#define NVSTORE_CHUNK 256

_Static_assert(NVSTORE_CHUNK % 16 == 0, "GCM updates in whole blocks");

size_t nvstore_max_payload(const struct nv_backend *backend)
{
	size_t room;

	if (backend->slot_size < sizeof(struct nvstore_header)) {
		return 0;
	}
	room = backend->slot_size - sizeof(struct nvstore_header);
	return room > UINT32_MAX ? UINT32_MAX : room;
}

enum nvstore_status nvstore_init(struct nvstore *s,
				 const struct nv_backend *backend,
				 const uint8_t key[NVSTORE_KEY_SIZE],
				 nvstore_entropy_fn entropy, void *entropy_arg)
{
	memset(s, 0, sizeof(*s));
	mbedtls_gcm_init(&s->gcm);
	if (backend == NULL || backend->read == NULL ||
	    backend->write == NULL || backend->flush == NULL ||
	    backend->slot_size < sizeof(struct nvstore_header) ||
	    key == NULL || entropy == NULL) {
		return NVSTORE_BAD_ARGUMENT;
	}
	if (mbedtls_gcm_setkey(&s->gcm, MBEDTLS_CIPHER_ID_AES, key,
			       NVSTORE_KEY_SIZE * 8) != 0) {
		mbedtls_gcm_free(&s->gcm);
		return NVSTORE_CRYPTO_ERROR;
	}
	s->backend = backend;
	s->entropy = entropy;
	s->entropy_arg = entropy_arg;
	s->newest_slot = -1;
	return NVSTORE_OK;
}

void nvstore_fini(struct nvstore *s)
{
	mbedtls_gcm_free(&s->gcm);
	mbedtls_platform_zeroize(s, sizeof(*s));
}

/* Both targets' erased states: flash reads 0xFF, fresh RAM and disks 0. */
static int header_is_erased(const struct nvstore_header *h)
{
	const uint8_t *p = (const uint8_t *)h;
	size_t i;

	for (i = 1; i < sizeof(*h); i++) {
		if (p[i] != p[0]) {
			return 0;
		}
	}
	return p[0] == 0x00 || p[0] == 0xff;
}

/*
 * Reads a slot's header and checks what can be checked before the tag:
 * magic, version, flags and that the ciphertext fits in the slot.  Passing
 * says nothing about authenticity; slot_verify decides that.
 */
static enum nvstore_slot_state slot_read_header(struct nvstore *s,
						unsigned slot,
						struct nvstore_header *h)
{
	const struct nv_backend *b = s->backend;

	if (b->read(b->ctx, slot, 0, h, sizeof(*h)) != 0) {
		return NVSTORE_SLOT_READ_ERROR;
	}
	if (header_is_erased(h)) {
		return NVSTORE_SLOT_ERASED;
	}
	if (h->magic != NVSTORE_MAGIC || h->version != NVSTORE_VERSION ||
	    h->flags != 0 || h->payload_len > nvstore_max_payload(b)) {
		return NVSTORE_SLOT_BAD_HEADER;
	}
	return NVSTORE_SLOT_VALID;
}

/* Compares two tags without a data-dependent early exit. */
static int tag_equal(const uint8_t *a, const uint8_t *b)
{
	uint8_t diff = 0;
	size_t i;

	for (i = 0; i < NVSTORE_TAG_SIZE; i++) {
		diff |= (uint8_t)(a[i] ^ b[i]);
	}
	return diff == 0;
}

/*
 * Decrypts and authenticates the record behind a plausible header h.  The
 * plaintext goes to out (payload_len bytes), or is discarded chunk by chunk
 * when out is NULL.  *state becomes VALID, BAD_TAG or READ_ERROR; out is
 * wiped unless VALID.  Returns NVSTORE_CRYPTO_ERROR if mbedtls refuses.
 */
static enum nvstore_status slot_verify(struct nvstore *s, unsigned slot,
				       const struct nvstore_header *h,
				       uint8_t *out,
				       enum nvstore_slot_state *state)
{
	const struct nv_backend *b = s->backend;
	uint8_t chunk[NVSTORE_CHUNK], tag[NVSTORE_TAG_SIZE];
	enum nvstore_status rc = NVSTORE_OK;
	size_t off, n;

	*state = NVSTORE_SLOT_BAD_TAG;
	if (mbedtls_gcm_starts(&s->gcm, MBEDTLS_GCM_DECRYPT, h->iv,
			       sizeof(h->iv), (const uint8_t *)h,
			       NVSTORE_AAD_SIZE) != 0) {
		return NVSTORE_CRYPTO_ERROR;
	}
	for (off = 0; off < h->payload_len; off += n) {
		n = h->payload_len - off;
		if (n > sizeof(chunk)) {
			n = sizeof(chunk);
		}
		if (b->read(b->ctx, slot, sizeof(*h) + off, chunk, n) != 0) {
			*state = NVSTORE_SLOT_READ_ERROR;
			goto out;
		}
		if (mbedtls_gcm_update(&s->gcm, n, chunk,
				       out != NULL ? out + off : chunk) != 0) {
			rc = NVSTORE_CRYPTO_ERROR;
			goto out;
		}
	}
	if (mbedtls_gcm_finish(&s->gcm, tag, sizeof(tag)) != 0) {
		rc = NVSTORE_CRYPTO_ERROR;
		goto out;
	}
	if (tag_equal(tag, h->tag)) {
		*state = NVSTORE_SLOT_VALID;
	}
out:
	mbedtls_platform_zeroize(chunk, sizeof(chunk));
	if (out != NULL && *state != NVSTORE_SLOT_VALID) {
		mbedtls_platform_zeroize(out, h->payload_len);
	}
	return rc;
}

/*
 * Verifies both slots, newest-looking first, and records the newest valid
 * one in s.  Its plaintext goes to out when it fits in cap bytes.
 */
static enum nvstore_status nvstore_scan(struct nvstore *s, uint8_t *out,
					size_t cap, size_t *len,
					struct nvstore_report *report)
{
	struct nvstore_header h[NVSTORE_SLOT_COUNT];
	enum nvstore_slot_state state[NVSTORE_SLOT_COUNT];
	enum nvstore_status rc;
	unsigned slot, first, i;
	int winner = -1;

	for (slot = 0; slot < NVSTORE_SLOT_COUNT; slot++) {
		state[slot] = slot_read_header(s, slot, &h[slot]);
	}
	first = state[1] == NVSTORE_SLOT_VALID &&
		(state[0] != NVSTORE_SLOT_VALID ||
		 nvstore_seq_newer(h[1].sequence, h[0].sequence));
	for (i = 0; i < NVSTORE_SLOT_COUNT; i++) {
		uint8_t *dest = NULL;

		slot = i == 0 ? first : 1 - first;
		if (state[slot] != NVSTORE_SLOT_VALID) {
			continue;
		}
		/*
		 * The first valid slot decrypts into out (if it fits); the
		 * other is verified too, so that the report is complete.
		 */
		if (winner < 0 && out != NULL && h[slot].payload_len <= cap) {
			dest = out;
		}
		rc = slot_verify(s, slot, &h[slot], dest, &state[slot]);
		if (rc != NVSTORE_OK) {
			return rc;
		}
		if (state[slot] == NVSTORE_SLOT_VALID && winner < 0) {
			winner = (int)slot;
		}
	}

	s->scanned = 1;
	s->newest_slot = winner;
	s->newest_seq = winner >= 0 ? h[winner].sequence : 0;
	if (report != NULL) {
		for (slot = 0; slot < NVSTORE_SLOT_COUNT; slot++) {
			report->slot[slot] = state[slot];
			report->sequence[slot] = 0;
			if (state[slot] == NVSTORE_SLOT_VALID) {
				report->sequence[slot] = h[slot].sequence;
			}
		}
		report->newest = winner;
	}

	if (winner >= 0) {
		*len = h[winner].payload_len;
		return *len <= cap ? NVSTORE_OK : NVSTORE_BUFFER_TOO_SMALL;
	}
	*len = 0;
	if (state[0] == NVSTORE_SLOT_READ_ERROR ||
	    state[1] == NVSTORE_SLOT_READ_ERROR) {
		return NVSTORE_IO_ERROR;
	}
	if (state[0] == NVSTORE_SLOT_ERASED &&
	    state[1] == NVSTORE_SLOT_ERASED) {
		return NVSTORE_EMPTY;
	}
	return NVSTORE_NO_VALID_STATE;
}

enum nvstore_status nvstore_load(struct nvstore *s, void *buf, size_t cap,
				 size_t *len, struct nvstore_report *report)
{
	if (buf == NULL && cap != 0) {
		return NVSTORE_BAD_ARGUMENT;
	}
	return nvstore_scan(s, buf, cap, len, report);
}

/*
 * The next IV: an 8-byte salt drawn from the entropy source for this
 * instance, then a 4-byte counter that every sealing attempt advances.  The
 * counter makes IVs distinct within an instance; the salt makes them
 * distinct across instances (reboots, compartment restarts, a medium the
 * host rolled back) with overwhelming probability.  The persisted sequence
 * number is not used: the host can roll the medium back, and a failed write
 * would reuse it.
 */
static enum nvstore_status iv_next(struct nvstore *s,
				   uint8_t iv[NVSTORE_IV_SIZE])
{
	if (!s->iv_salt_drawn || s->iv_next == UINT32_MAX) {
		if (s->entropy(s->entropy_arg, s->iv_salt,
			       sizeof(s->iv_salt)) != 0) {
			s->iv_salt_drawn = 0;
			return NVSTORE_ENTROPY_ERROR;
		}
		s->iv_salt_drawn = 1;
		s->iv_next = 0;
	}
	memcpy(iv, s->iv_salt, NVSTORE_IV_SALT_SIZE);
	iv[8] = (uint8_t)(s->iv_next >> 24);
	iv[9] = (uint8_t)(s->iv_next >> 16);
	iv[10] = (uint8_t)(s->iv_next >> 8);
	iv[11] = (uint8_t)s->iv_next;
	s->iv_next++;
	return NVSTORE_OK;
}

/*
 * Writes the ciphertext first and the header last, then flushes.  Until the
 * header is written the slot still carries the old header, whose tag no
 * longer matches; either way nothing in the slot verifies until the whole
 * record is there.
 */
enum nvstore_status nvstore_store(struct nvstore *s, const void *payload,
				  size_t len)
{
	const struct nv_backend *b = s->backend;
	const uint8_t *in = payload;
	struct nvstore_header h;
	uint8_t chunk[NVSTORE_CHUNK];
	enum nvstore_status rc;
	unsigned slot;
	size_t off, n, ignored;

	if (payload == NULL && len != 0) {
		return NVSTORE_BAD_ARGUMENT;
	}
	if (len > nvstore_max_payload(b)) {
		return NVSTORE_TOO_LARGE;
	}
	if (!s->scanned) {
		rc = nvstore_scan(s, NULL, 0, &ignored, NULL);
		if (rc == NVSTORE_IO_ERROR || rc == NVSTORE_CRYPTO_ERROR) {
			return rc;
		}
	}

	memset(&h, 0, sizeof(h));
	h.magic = NVSTORE_MAGIC;
	h.version = NVSTORE_VERSION;
	h.sequence = s->newest_slot < 0 ? 1 : s->newest_seq + 1;
	h.payload_len = (uint32_t)len;
	rc = iv_next(s, h.iv);
	if (rc != NVSTORE_OK) {
		return rc;
	}
	slot = s->newest_slot < 0 ? 0 : 1 - (unsigned)s->newest_slot;

	if (mbedtls_gcm_starts(&s->gcm, MBEDTLS_GCM_ENCRYPT, h.iv,
			       sizeof(h.iv), (const uint8_t *)&h,
			       NVSTORE_AAD_SIZE) != 0) {
		return NVSTORE_CRYPTO_ERROR;
	}
	rc = NVSTORE_OK;
	for (off = 0; off < len && rc == NVSTORE_OK; off += n) {
		n = len - off < sizeof(chunk) ? len - off : sizeof(chunk);
		if (mbedtls_gcm_update(&s->gcm, n, in + off, chunk) != 0) {
			rc = NVSTORE_CRYPTO_ERROR;
		} else if (b->write(b->ctx, slot, sizeof(h) + off, chunk,
				    n) != 0) {
			rc = NVSTORE_IO_ERROR;
		}
	}
	if (rc == NVSTORE_OK &&
	    mbedtls_gcm_finish(&s->gcm, h.tag, sizeof(h.tag)) != 0) {
		rc = NVSTORE_CRYPTO_ERROR;
	}
	/* The header commits the record. */
	if (rc == NVSTORE_OK &&
	    (b->write(b->ctx, slot, 0, &h, sizeof(h)) != 0 ||
	     b->flush(b->ctx, slot) != 0)) {
		rc = NVSTORE_IO_ERROR;
	}
	mbedtls_platform_zeroize(chunk, sizeof(chunk));
	if (rc == NVSTORE_OK) {
		s->newest_slot = (int)slot;
		s->newest_seq = h.sequence;
	}
	return rc;
}

const char *nvstore_status_name(enum nvstore_status status)
{
	switch (status) {
	case NVSTORE_OK:
		return "ok";
	case NVSTORE_EMPTY:
		return "empty";
	case NVSTORE_NO_VALID_STATE:
		return "no valid state";
	case NVSTORE_BUFFER_TOO_SMALL:
		return "buffer too small";
	case NVSTORE_TOO_LARGE:
		return "payload too large";
	case NVSTORE_BAD_ARGUMENT:
		return "bad argument";
	case NVSTORE_IO_ERROR:
		return "I/O error";
	case NVSTORE_ENTROPY_ERROR:
		return "entropy error";
	case NVSTORE_CRYPTO_ERROR:
		return "crypto error";
	}
	return "unknown status";
}

const char *nvstore_slot_state_name(enum nvstore_slot_state state)
{
	switch (state) {
	case NVSTORE_SLOT_VALID:
		return "valid";
	case NVSTORE_SLOT_ERASED:
		return "erased";
	case NVSTORE_SLOT_BAD_HEADER:
		return "bad header";
	case NVSTORE_SLOT_BAD_TAG:
		return "authentication failed";
	case NVSTORE_SLOT_READ_ERROR:
		return "read error";
	}
	return "unknown slot state";
}
