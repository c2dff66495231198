/*
 * Crash-safe, authenticated and encrypted storage for the vTPM's state.
 *
 * One state blob (libtpms's permanent state, later with its volatile state)
 * is kept as an AES-256-GCM-sealed record in one of two equal slots of a
 * storage backend.  A store writes the slot that does not hold the newest
 * valid record, so a crash at any point leaves the previous record intact;
 * a load verifies both slots and returns the valid record with the higher
 * sequence number.  A slot that is erased, torn, corrupted, tampered with or
 * sealed under another key is reported and never used.
 *
 * The record format and the reasoning behind it are in docs/vtpm.md
 * ("NV state").  Standard C and mbedtls only; no allocation after
 * nvstore_init().  Not thread-safe: one writer per backend.
 */
#ifndef HILLOCK_TPM_NVSTORE_H
#define HILLOCK_TPM_NVSTORE_H

#include <stddef.h>
#include <stdint.h>

#include <mbedtls/gcm.h>

/* ---- the record on the medium (all integers little-endian) ---- */

#define NVSTORE_MAGIC 0x564e4c48u /* "HLNV" as bytes on the medium */
#define NVSTORE_VERSION 1
#define NVSTORE_KEY_SIZE 32 /* AES-256 */
#define NVSTORE_IV_SALT_SIZE 8
#define NVSTORE_IV_SIZE 12
#define NVSTORE_TAG_SIZE 16

/*
 * Every slot starts with this header; the ciphertext of payload_len bytes
 * follows it directly.  Bytes [0, offsetof(tag)) are GCM's additional
 * authenticated data, so magic, version, flags, sequence, length and IV are
 * covered by the tag together with the ciphertext.  Bytes after the
 * ciphertext are ignored.
 *
 *   off size field
 *     0    4 magic         NVSTORE_MAGIC
 *     4    2 version       NVSTORE_VERSION
 *     6    2 flags         0 (no flags are defined; others are refused)
 *     8    8 sequence      the record's sequence number (wraps)
 *    16    4 payload_len   at most the slot size minus this header
 *    20   12 iv            salt (8 bytes) || per-instance counter (4, BE)
 *    32   16 tag           GCM tag over header[0..32) and the ciphertext
 */
struct nvstore_header {
	uint32_t magic;
	uint16_t version;
	uint16_t flags;
	uint64_t sequence;
	uint32_t payload_len;
	uint8_t iv[NVSTORE_IV_SIZE];
	uint8_t tag[NVSTORE_TAG_SIZE];
} __attribute__((packed));

_Static_assert(sizeof(struct nvstore_header) == 48, "nvstore header size");
_Static_assert(offsetof(struct nvstore_header, sequence) == 8,
	       "nvstore sequence offset");
_Static_assert(offsetof(struct nvstore_header, iv) == 20, "nvstore iv offset");
_Static_assert(offsetof(struct nvstore_header, tag) == 32,
	       "nvstore tag offset");
/* The header is used in place; both targets are little-endian. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "nvstore assumes a little-endian host");

#define NVSTORE_AAD_SIZE offsetof(struct nvstore_header, tag)

/* ---- the storage backend ---- */

/*
 * Two slots of slot_size bytes each, byte-addressed.  read and write return
 * 0 on success and non-zero on failure; a write may have reached the medium
 * partially when it fails or when power is lost (any prefix, with a torn last
 * block).  flush returns once everything written to the slot is durable.
 * nvstore's crash safety does not depend on the write granularity or order
 * within a slot: the tag covers every byte of a record.
 */
struct nv_backend {
	size_t slot_size;
	int (*read)(void *ctx, unsigned slot, size_t off, void *buf,
		    size_t len);
	int (*write)(void *ctx, unsigned slot, size_t off, const void *buf,
		     size_t len);
	int (*flush)(void *ctx, unsigned slot);
	void *ctx;
};

#define NVSTORE_SLOT_COUNT 2

/* ---- results ---- */

enum nvstore_status {
	NVSTORE_OK = 0,
	/* Both slots are erased: nothing was ever stored (manufacture). */
	NVSTORE_EMPTY,
	/* Neither slot holds a valid record, and not both are erased. */
	NVSTORE_NO_VALID_STATE,
	/* The newest valid record is larger than the caller's buffer. */
	NVSTORE_BUFFER_TOO_SMALL,
	/* The payload does not fit in a slot. */
	NVSTORE_TOO_LARGE,
	/* Invalid arguments or backend geometry. */
	NVSTORE_BAD_ARGUMENT,
	/* The backend failed to read, write or flush. */
	NVSTORE_IO_ERROR,
	/* The entropy source failed (no IV salt). */
	NVSTORE_ENTROPY_ERROR,
	/* mbedtls refused the key or an operation. */
	NVSTORE_CRYPTO_ERROR,
};

/* What a scan found in one slot. */
enum nvstore_slot_state {
	NVSTORE_SLOT_VALID = 0,
	NVSTORE_SLOT_ERASED,     /* header all 0x00 or all 0xFF */
	NVSTORE_SLOT_BAD_HEADER, /* magic, version, flags or length wrong */
	NVSTORE_SLOT_BAD_TAG,    /* authentication failed */
	NVSTORE_SLOT_READ_ERROR, /* the backend could not read it */
};

struct nvstore_report {
	enum nvstore_slot_state slot[NVSTORE_SLOT_COUNT];
	uint64_t sequence[NVSTORE_SLOT_COUNT]; /* meaningful when VALID */
	int newest; /* the slot used, or -1 */
};

/* Fills buf with len bytes of entropy; 0 on success (mbedtls's contract). */
typedef int (*nvstore_entropy_fn)(void *arg, unsigned char *buf, size_t len);

/* A store over one backend.  Caller-allocated; fields are private. */
struct nvstore {
	const struct nv_backend *backend;
	mbedtls_gcm_context gcm;
	nvstore_entropy_fn entropy;
	void *entropy_arg;
	uint8_t iv_salt[NVSTORE_IV_SALT_SIZE];
	int iv_salt_drawn;
	uint32_t iv_next; /* the counter half of the next IV */
	int scanned;       /* newest_slot/newest_seq reflect the medium */
	int newest_slot;   /* -1: no valid record */
	uint64_t newest_seq;
};

/* Serial-number order: is sequence a newer than b?  Correct across wrap. */
static inline int nvstore_seq_newer(uint64_t a, uint64_t b)
{
	return (int64_t)(a - b) > 0;
}

/* The largest payload a slot of this backend can hold. */
size_t nvstore_max_payload(const struct nv_backend *backend);

/*
 * Prepares a store over backend with a 32-byte key.  No I/O.  The key is
 * copied into mbedtls's key schedule; entropy supplies each instance's IV
 * salt.  Returns NVSTORE_OK, NVSTORE_BAD_ARGUMENT or NVSTORE_CRYPTO_ERROR.
 */
enum nvstore_status nvstore_init(struct nvstore *s,
				 const struct nv_backend *backend,
				 const uint8_t key[NVSTORE_KEY_SIZE],
				 nvstore_entropy_fn entropy,
				 void *entropy_arg);

/* Wipes the key schedule. */
void nvstore_fini(struct nvstore *s);

/*
 * Verifies both slots and copies the newest valid payload into buf (cap
 * bytes), its length into *len.  report (may be NULL) says what each slot
 * held.  Returns NVSTORE_OK, NVSTORE_EMPTY, NVSTORE_NO_VALID_STATE,
 * NVSTORE_BUFFER_TOO_SMALL (*len is the size needed), NVSTORE_IO_ERROR
 * (no valid record and a slot could not be read) or NVSTORE_CRYPTO_ERROR.
 * On any result other than NVSTORE_OK, buf holds no part of a payload.
 */
enum nvstore_status nvstore_load(struct nvstore *s, void *buf, size_t cap,
				 size_t *len, struct nvstore_report *report);

/*
 * Seals payload into the slot not holding the newest valid record, with that
 * record's sequence number plus one (1 on an empty medium), and flushes it.
 * Scans the medium first unless a load or store already did.  Returns
 * NVSTORE_OK, NVSTORE_TOO_LARGE, NVSTORE_IO_ERROR, NVSTORE_ENTROPY_ERROR or
 * NVSTORE_CRYPTO_ERROR; after an error the newest valid record on the medium
 * is still the one before.
 */
enum nvstore_status nvstore_store(struct nvstore *s, const void *payload,
				  size_t len);

/* A short name for a status or a slot state, for logs. */
const char *nvstore_status_name(enum nvstore_status status);
const char *nvstore_slot_state_name(enum nvstore_slot_state state);

/* ---- the RAM backend (tpm/nvstore_ram.c) ---- */

/* Two slots in caller-provided memory of 2 * slot_size bytes. */
struct nvstore_ram {
	uint8_t *mem;
	size_t slot_size;
};

/* Fills backend to use ram over mem; the memory is not cleared. */
void nvstore_ram_init(struct nvstore_ram *ram, struct nv_backend *backend,
		      void *mem, size_t slot_size);

#endif
