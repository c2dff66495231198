/*
 * Layouts of the opaque OpenSSL objects as the adapter implements them, and
 * the helpers the adapter's files share.  Nothing outside tpm/adapter/
 * includes this header.
 */
#ifndef HILLOCK_TPM_ADAPTER_INTERNAL_H
#define HILLOCK_TPM_ADAPTER_INTERNAL_H

#include <mbedtls/bignum.h>
#include <mbedtls/ecp.h>
#include <mbedtls/rsa.h>

#include "../openssl/types.h"

struct bignum_st {
	mbedtls_mpi mpi;
	int flags; /* BN_FLG_*; recorded, mbedtls decides its own timing */
};

struct ec_group_st {
	/*
	 * The group mbedtls computes with: &own, or for a curve mbedtls knows
	 * one adapter-owned group per curve shared by every EC_GROUP built
	 * with its parameters, so mbedtls's base-point table (grp->T) outlives
	 * the command (ec.c).  Never freed or written through this pointer;
	 * only mbedtls's lazy fill of T writes to a shared group.
	 */
	mbedtls_ecp_group *grp;
	mbedtls_ecp_group own; /* the parameters as libtpms set them */
	unsigned refs; /* EC_KEYs share their group instead of copying it */
	int has_generator;
};

/* A point is affine (Z = 1) or the point at infinity (Z = 0). */
struct ec_point_st {
	mbedtls_ecp_point pt;
};

struct ec_key_st {
	EC_GROUP *group;
	BIGNUM *priv;
	EC_POINT *pub;
};

struct ECDSA_SIG_st {
	BIGNUM *r;
	BIGNUM *s;
};

struct rsa_st {
	unsigned refs;
	int flags;
	BIGNUM *n, *e, *d, *p, *q, *dmp1, *dmq1, *iqmp;
	/* The completed private context, built on first private use and
	 * dropped whenever a component changes (rsa.c). */
	mbedtls_rsa_context *priv;
};

struct evp_md_st {
	const char *name;
	int nid;
	mbedtls_md_type_t md_type;
	int size;
};

struct evp_pkey_st {
	unsigned refs;
	RSA *rsa;
};

/* The EVP_PKEY_CTX operation chosen by the last *_init call. */
enum adapter_pkey_op {
	ADAPTER_PKEY_OP_NONE,
	ADAPTER_PKEY_OP_SIGN,
	ADAPTER_PKEY_OP_VERIFY,
	ADAPTER_PKEY_OP_ENCRYPT,
	ADAPTER_PKEY_OP_DECRYPT,
};

struct evp_pkey_ctx_st {
	EVP_PKEY *pkey;
	enum adapter_pkey_op op;
	int padding;
	int pss_saltlen;
	const EVP_MD *md;      /* signature digest */
	const EVP_MD *oaep_md; /* OAEP and MGF1 digest */
	unsigned char *label;
	size_t label_len;
};

/* mbedtls-style RNG callback over RAND_bytes (p_rng is unused). */
int adapter_rng(void *p_rng, unsigned char *out, size_t len);

/* Records and logs a call the adapter does not implement; returns 0. */
int adapter_unsupported(const char *what);
void adapter_log(const char *message);

/* mbedtls_mpi view of a digest type; MBEDTLS_MD_NONE when md is NULL. */
mbedtls_md_type_t adapter_md_type(const EVP_MD *md);
const EVP_MD *adapter_md_by_nid(int nid);

/* Loads r into an mbedtls RSA context (private parts if present). */
int adapter_rsa_load(const RSA *r, mbedtls_rsa_context *ctx, int need_private);

#endif
