/*
 * The OpenSSL-API operations the differential adapter test runs.
 *
 * test_tpm_adapter_ops.c implements them once, against the OpenSSL API; it is
 * compiled twice: with tpm/openssl/ headers and linked to the adapter (names
 * prefixed tpm_ad_), and with the system's OpenSSL headers and linked to
 * libcrypto (prefixed tpm_os_).  Both sets are declared here.
 */
#ifndef HILLOCK_TEST_TPM_OPS_H
#define HILLOCK_TEST_TPM_OPS_H

#include <stddef.h>
#include <stdint.h>

#define TPM_OPS_MAX 600

struct tpm_ops_bytes {
	uint8_t b[TPM_OPS_MAX];
	size_t len;
	int negative; /* BIGNUM results only */
};

enum tpm_ops_digest { OPS_SHA1, OPS_SHA256, OPS_SHA384, OPS_SHA512 };

/* Index into the cipher table, the same on both sides. */
enum {
	OPS_CIPHER_COUNT = 35,
};

enum tpm_ops_bn {
	OPS_BN_ADD,
	OPS_BN_SUB,
	OPS_BN_MUL,
	OPS_BN_DIV_QUOT, /* (a - b) / m, truncated */
	OPS_BN_DIV_REM,
	OPS_BN_MOD_ADD,
	OPS_BN_MOD_MUL,
	OPS_BN_MOD_EXP,
	OPS_BN_MOD_INV,
	OPS_BN_LSHIFT,
	OPS_BN_RSHIFT,
	OPS_BN_MASK_BITS,
	OPS_BN_ADD_WORD,
	OPS_BN_CMP,
	OPS_BN_OP_COUNT,
};

enum tpm_ops_curve { OPS_P256, OPS_P384, OPS_BN_P256, OPS_CURVE_COUNT };

/* RSA key components, big-endian. */
struct tpm_ops_rsa_key {
	struct tpm_ops_bytes n, e, d, p, q;
};

enum tpm_ops_rsa_pad { OPS_PAD_PKCS1 = 1, OPS_PAD_NONE = 3, OPS_PAD_OAEP = 4, OPS_PAD_PSS = 6 };

#define TPM_OPS_DECLARE(p)                                                     \
	int p##_digest(enum tpm_ops_digest alg, const uint8_t *in,             \
		       size_t len, size_t chunk, struct tpm_ops_bytes *out);   \
	const char *p##_cipher_name(int index);                                \
	int p##_cipher(int index, int encrypt, const uint8_t *key,             \
		       const uint8_t *iv, const uint8_t *in, size_t len,       \
		       size_t split, struct tpm_ops_bytes *out,                \
		       struct tpm_ops_bytes *iv_out);                          \
	int p##_aes_low(int bits, const uint8_t *key, const uint8_t *iv,      \
			const uint8_t *in, size_t len,                         \
			struct tpm_ops_bytes *out);                            \
	int p##_camellia_low(int bits, const uint8_t *key, const uint8_t *in, \
			     struct tpm_ops_bytes *out);                       \
	int p##_tdes_low(const uint8_t key[24], int encrypt,                  \
			 const uint8_t in[8], struct tpm_ops_bytes *out);      \
	int p##_bn(enum tpm_ops_bn op, const struct tpm_ops_bytes *a,         \
		   const struct tpm_ops_bytes *b,                              \
		   const struct tpm_ops_bytes *m, int n,                       \
		   struct tpm_ops_bytes *out);                                 \
	int p##_ec_mul(enum tpm_ops_curve curve,                              \
		       const struct tpm_ops_bytes *k,                          \
		       const struct tpm_ops_bytes *qx,                         \
		       const struct tpm_ops_bytes *qy,                         \
		       const struct tpm_ops_bytes *m, int use_points_mul,      \
		       struct tpm_ops_bytes *rx, struct tpm_ops_bytes *ry);    \
	int p##_ec_add(enum tpm_ops_curve curve,                              \
		       const struct tpm_ops_bytes *k1,                         \
		       const struct tpm_ops_bytes *k2,                         \
		       struct tpm_ops_bytes *rx, struct tpm_ops_bytes *ry);    \
	int p##_ec_set_point(enum tpm_ops_curve curve,                        \
			     const struct tpm_ops_bytes *x,                    \
			     const struct tpm_ops_bytes *y);                   \
	int p##_ecdsa_sign(enum tpm_ops_curve curve,                          \
			   const struct tpm_ops_bytes *d, const uint8_t *dgst, \
			   size_t dlen, struct tpm_ops_bytes *r,               \
			   struct tpm_ops_bytes *s);                           \
	int p##_ecdsa_verify(enum tpm_ops_curve curve,                        \
			     const struct tpm_ops_bytes *qx,                   \
			     const struct tpm_ops_bytes *qy,                   \
			     const uint8_t *dgst, size_t dlen,                 \
			     const struct tpm_ops_bytes *r,                    \
			     const struct tpm_ops_bytes *s);                   \
	int p##_ec_generate(enum tpm_ops_curve curve,                         \
			    struct tpm_ops_bytes *d);                          \
	int p##_rsa_generate(int bits, struct tpm_ops_rsa_key *key);          \
	int p##_rsa_encrypt(const struct tpm_ops_rsa_key *key, int pad,       \
			    const char *md, const uint8_t *label,              \
			    size_t label_len, const uint8_t *in, size_t len,   \
			    struct tpm_ops_bytes *out);                        \
	int p##_rsa_decrypt(const struct tpm_ops_rsa_key *key, int pad,       \
			    const char *md, const uint8_t *label,              \
			    size_t label_len, const uint8_t *in, size_t len,   \
			    struct tpm_ops_bytes *out);                        \
	int p##_rsa_sign(const struct tpm_ops_rsa_key *key, int pad,          \
			 const char *md, const uint8_t *dgst, size_t dlen,     \
			 struct tpm_ops_bytes *sig);                           \
	int p##_rsa_verify(const struct tpm_ops_rsa_key *key, int pad,        \
			   const char *md, const uint8_t *dgst, size_t dlen,   \
			   const struct tpm_ops_bytes *sig);                   \
	int p##_rsa_sign_legacy(const struct tpm_ops_rsa_key *key,            \
				const uint8_t dgst[20],                        \
				struct tpm_ops_bytes *sig);                    \
	int p##_rsa_verify_legacy(const struct tpm_ops_rsa_key *key,          \
				  const uint8_t dgst[20],                      \
				  const struct tpm_ops_bytes *sig);            \
	int p##_base64_decode(const char *text, struct tpm_ops_bytes *out);

TPM_OPS_DECLARE(tpm_ad)
TPM_OPS_DECLARE(tpm_os)

#endif
