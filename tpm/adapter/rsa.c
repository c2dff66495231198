/*
 * RSA and EVP_PKEY (RSA only) on mbedtls_rsa.
 *
 * An RSA object keeps OpenSSL's component BIGNUMs.  Public operations load
 * them into a fresh mbedtls context each time (cheap).  libtpms gives private
 * keys as (n, e, d) plus CRT exponents but without the primes, and
 * mbedtls_rsa_complete() would have to recover p and q from (n, e, d) (the
 * method of SP 800-56B Appendix C), which costs several full-size modular
 * exponentiations.  So private operations use a completed context that is
 *  - kept per RSA object (r->priv), built on first use and dropped when a
 *    component changes or the object is freed; and
 *  - copied from a small process-wide cache keyed by (n, e, d), because
 *    libtpms builds a new RSA object for every private operation of the
 *    same loaded key (InitOpenSSLRSAPrivateKey).  libtpms keeps a similar
 *    cache of its own for d (ExpDCache).
 * The cached contexts never run an operation, so they hold no blinding
 * values: each object's copy draws fresh ones from adapter_rng on its first
 * private operation and mbedtls updates them on later ones.  Evicted entries
 * are zeroised by mbedtls_rsa_free.  Like the rest of the adapter (and
 * libtpms), the cache assumes one caller at a time.
 *
 * Reference counts follow OpenSSL: EVP_PKEY_get1_RSA and EVP_PKEY_CTX_new
 * take references that their callers release.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/platform_util.h>

#include "../openssl/evp.h"
#include "../openssl/objects.h"
#include "../openssl/rsa.h"
#include "adapter_internal.h"

RSA *RSA_new(void)
{
	RSA *r = calloc(1, sizeof(*r));

	if (r != NULL) {
		r->refs = 1;
	}
	return r;
}

/* Drops the object's completed private context (its components changed). */
static void rsa_drop_private(RSA *r)
{
	if (r->priv != NULL) {
		mbedtls_rsa_free(r->priv);
		free(r->priv);
		r->priv = NULL;
	}
}

void RSA_free(RSA *r)
{
	if (r == NULL || --r->refs != 0) {
		return;
	}
	rsa_drop_private(r);
	BN_free(r->n);
	BN_free(r->e);
	BN_clear_free(r->d);
	BN_clear_free(r->p);
	BN_clear_free(r->q);
	BN_clear_free(r->dmp1);
	BN_clear_free(r->dmq1);
	BN_clear_free(r->iqmp);
	free(r);
}

int RSA_size(const RSA *rsa)
{
	return rsa->n != NULL ? BN_num_bytes(rsa->n) : 0;
}

void RSA_set_flags(RSA *r, int flags)
{
	r->flags |= flags;
}

static void rsa_replace(BIGNUM **slot, BIGNUM *value)
{
	if (value != NULL) {
		BN_clear_free(*slot);
		*slot = value;
	}
}

int RSA_set0_key(RSA *r, BIGNUM *n, BIGNUM *e, BIGNUM *d)
{
	if ((r->n == NULL && n == NULL) || (r->e == NULL && e == NULL)) {
		return 0;
	}
	rsa_drop_private(r);
	rsa_replace(&r->n, n);
	rsa_replace(&r->e, e);
	rsa_replace(&r->d, d);
	return 1;
}

int RSA_set0_crt_params(RSA *r, BIGNUM *dmp1, BIGNUM *dmq1, BIGNUM *iqmp)
{
	if ((r->dmp1 == NULL && dmp1 == NULL) ||
	    (r->dmq1 == NULL && dmq1 == NULL) ||
	    (r->iqmp == NULL && iqmp == NULL)) {
		return 0;
	}
	rsa_drop_private(r);
	rsa_replace(&r->dmp1, dmp1);
	rsa_replace(&r->dmq1, dmq1);
	rsa_replace(&r->iqmp, iqmp);
	return 1;
}

void RSA_get0_key(const RSA *r, const BIGNUM **n, const BIGNUM **e,
		  const BIGNUM **d)
{
	if (n != NULL) {
		*n = r->n;
	}
	if (e != NULL) {
		*e = r->e;
	}
	if (d != NULL) {
		*d = r->d;
	}
}

void RSA_get0_factors(const RSA *r, const BIGNUM **p, const BIGNUM **q)
{
	if (p != NULL) {
		*p = r->p;
	}
	if (q != NULL) {
		*q = r->q;
	}
}

int adapter_rsa_load(const RSA *r, mbedtls_rsa_context *ctx, int need_private)
{
	int have_primes = r->p != NULL && r->q != NULL;

	mbedtls_rsa_init(ctx, MBEDTLS_RSA_PKCS_V15, MBEDTLS_MD_NONE);
	if (r->n == NULL || r->e == NULL || (need_private && r->d == NULL)) {
		return 0;
	}
	if (mbedtls_rsa_import(ctx, &r->n->mpi,
			       need_private && have_primes ? &r->p->mpi : NULL,
			       need_private && have_primes ? &r->q->mpi : NULL,
			       need_private ? &r->d->mpi : NULL,
			       &r->e->mpi) != 0) {
		return 0;
	}
	return mbedtls_rsa_complete(ctx) == 0;
}

/* ---- completed private contexts ---- */

#define RSA_CACHE_SLOTS 4

/* Completed contexts of recently used keys that came without primes. */
static struct {
	mbedtls_rsa_context ctx;
	unsigned long last_use; /* 0: slot empty */
} rsa_cache[RSA_CACHE_SLOTS];

static unsigned long rsa_cache_clock;

static mbedtls_mpi_uint mpi_limb(const mbedtls_mpi *x, size_t i)
{
	return i < x->n ? x->p[i] : 0;
}

/* a == b without a branch or early exit on the limbs' values (d is secret). */
static int mpi_equal_ct(const mbedtls_mpi *a, const mbedtls_mpi *b)
{
	size_t limbs = a->n > b->n ? a->n : b->n, i;
	mbedtls_mpi_uint diff = 0;

	for (i = 0; i < limbs; i++) {
		diff |= mpi_limb(a, i) ^ mpi_limb(b, i);
	}
	diff |= (mbedtls_mpi_uint)(a->s ^ b->s);
	return diff == 0;
}

static int rsa_cache_match(const mbedtls_rsa_context *c, const RSA *r)
{
	/* n and e are public; d is compared only once they match. */
	return mbedtls_mpi_cmp_mpi(&c->N, &r->n->mpi) == 0 &&
	       mbedtls_mpi_cmp_mpi(&c->E, &r->e->mpi) == 0 &&
	       mpi_equal_ct(&c->D, &r->d->mpi);
}

/* Copies src into dst without blinding values, so that dst draws its own. */
static int rsa_copy_unblinded(mbedtls_rsa_context *dst,
			      const mbedtls_rsa_context *src)
{
	if (mbedtls_rsa_copy(dst, src) != 0) {
		return 0;
	}
	mbedtls_mpi_free(&dst->Vi);
	mbedtls_mpi_free(&dst->Vf);
	return 1;
}

/* Fills ctx (initialised) from the cache; 1 on a hit. */
static int rsa_cache_get(const RSA *r, mbedtls_rsa_context *ctx)
{
	size_t i;

	for (i = 0; i < RSA_CACHE_SLOTS; i++) {
		if (rsa_cache[i].last_use != 0 &&
		    rsa_cache_match(&rsa_cache[i].ctx, r)) {
			rsa_cache[i].last_use = ++rsa_cache_clock;
			return rsa_copy_unblinded(ctx, &rsa_cache[i].ctx);
		}
	}
	return 0;
}

/* Stores a copy of the completed, not yet used ctx in the LRU slot. */
static void rsa_cache_put(const mbedtls_rsa_context *ctx)
{
	size_t i, victim = 0;

	for (i = 1; i < RSA_CACHE_SLOTS; i++) {
		if (rsa_cache[i].last_use < rsa_cache[victim].last_use) {
			victim = i;
		}
	}
	if (rsa_cache[victim].last_use != 0) {
		mbedtls_rsa_free(&rsa_cache[victim].ctx);
		rsa_cache[victim].last_use = 0;
	}
	mbedtls_rsa_init(&rsa_cache[victim].ctx, MBEDTLS_RSA_PKCS_V15,
			 MBEDTLS_MD_NONE);
	if (rsa_copy_unblinded(&rsa_cache[victim].ctx, ctx)) {
		rsa_cache[victim].last_use = ++rsa_cache_clock;
	} else {
		mbedtls_rsa_free(&rsa_cache[victim].ctx);
	}
}

/*
 * The object's completed private context, built on first use; NULL if the
 * key is incomplete or invalid.  Callers set the padding they need.
 */
static mbedtls_rsa_context *rsa_private_ctx(RSA *r)
{
	mbedtls_rsa_context *ctx;
	int have_primes = r->p != NULL && r->q != NULL;

	if (r->priv != NULL) {
		return r->priv;
	}
	if (r->n == NULL || r->e == NULL || r->d == NULL) {
		return NULL;
	}
	ctx = malloc(sizeof(*ctx));
	if (ctx == NULL) {
		return NULL;
	}
	mbedtls_rsa_init(ctx, MBEDTLS_RSA_PKCS_V15, MBEDTLS_MD_NONE);
	if (have_primes || !rsa_cache_get(r, ctx)) {
		mbedtls_rsa_free(ctx);
		if (!adapter_rsa_load(r, ctx, 1)) {
			mbedtls_rsa_free(ctx);
			free(ctx);
			return NULL;
		}
		if (!have_primes) {
			rsa_cache_put(ctx);
		}
	}
	r->priv = ctx;
	return ctx;
}

static BIGNUM *bn_from_mpi(const mbedtls_mpi *m)
{
	BIGNUM *b = BN_new();

	if (b != NULL && mbedtls_mpi_copy(&b->mpi, m) != 0) {
		BN_free(b);
		b = NULL;
	}
	return b;
}

int RSA_generate_key_ex(RSA *rsa, int bits, BIGNUM *e, BN_GENCB *cb)
{
	mbedtls_rsa_context ctx;
	mbedtls_mpi_uint exponent;
	BIGNUM *parts[8];
	size_t i;
	int ok;

	(void)cb;
	if (bits <= 0 || e == NULL || mbedtls_mpi_bitlen(&e->mpi) > 31) {
		return adapter_unsupported("RSA_generate_key_ex: exponent");
	}
	exponent = e->mpi.n > 0 ? e->mpi.p[0] : 0;
	mbedtls_rsa_init(&ctx, MBEDTLS_RSA_PKCS_V15, MBEDTLS_MD_NONE);
	ok = mbedtls_rsa_gen_key(&ctx, adapter_rng, NULL, (unsigned)bits,
				 (int)exponent) == 0;
	parts[0] = bn_from_mpi(&ctx.N);
	parts[1] = bn_from_mpi(&ctx.E);
	parts[2] = bn_from_mpi(&ctx.D);
	parts[3] = bn_from_mpi(&ctx.P);
	parts[4] = bn_from_mpi(&ctx.Q);
	parts[5] = bn_from_mpi(&ctx.DP);
	parts[6] = bn_from_mpi(&ctx.DQ);
	parts[7] = bn_from_mpi(&ctx.QP);
	mbedtls_rsa_free(&ctx);
	for (i = 0; i < 8; i++) {
		ok = ok && parts[i] != NULL;
	}
	if (!ok) {
		for (i = 0; i < 8; i++) {
			BN_clear_free(parts[i]);
		}
		return 0;
	}
	rsa_drop_private(rsa);
	rsa_replace(&rsa->n, parts[0]);
	rsa_replace(&rsa->e, parts[1]);
	rsa_replace(&rsa->d, parts[2]);
	rsa_replace(&rsa->p, parts[3]);
	rsa_replace(&rsa->q, parts[4]);
	rsa_replace(&rsa->dmp1, parts[5]);
	rsa_replace(&rsa->dmq1, parts[6]);
	rsa_replace(&rsa->iqmp, parts[7]);
	return 1;
}

/* PKCS#1 v1.5 signature with a DigestInfo for the digest named by `type`. */
int RSA_sign(int type, const unsigned char *m, unsigned int m_length,
	     unsigned char *sigret, unsigned int *siglen, RSA *rsa)
{
	const EVP_MD *md = adapter_md_by_nid(type);
	mbedtls_rsa_context *ctx;

	if (md == NULL) {
		return adapter_unsupported("RSA_sign: digest type");
	}
	if (m_length != (unsigned)md->size) {
		return 0;
	}
	ctx = rsa_private_ctx(rsa);
	if (ctx == NULL) {
		return 0;
	}
	mbedtls_rsa_set_padding(ctx, MBEDTLS_RSA_PKCS_V15, MBEDTLS_MD_NONE);
	if (mbedtls_rsa_rsassa_pkcs1_v15_sign(ctx, adapter_rng, NULL,
					      MBEDTLS_RSA_PRIVATE, md->md_type,
					      m_length, m, sigret) != 0) {
		return 0;
	}
	*siglen = (unsigned)mbedtls_rsa_get_len(ctx);
	return 1;
}

int RSA_verify(int type, const unsigned char *m, unsigned int m_length,
	       const unsigned char *sigbuf, unsigned int siglen, RSA *rsa)
{
	const EVP_MD *md = adapter_md_by_nid(type);
	mbedtls_rsa_context ctx;
	int ok;

	if (md == NULL) {
		return adapter_unsupported("RSA_verify: digest type");
	}
	ok = adapter_rsa_load(rsa, &ctx, 0) &&
	     siglen == mbedtls_rsa_get_len(&ctx) &&
	     m_length == (unsigned)md->size &&
	     mbedtls_rsa_rsassa_pkcs1_v15_verify(&ctx, NULL, NULL,
						 MBEDTLS_RSA_PUBLIC, md->md_type,
						 m_length, m, sigbuf) == 0;
	mbedtls_rsa_free(&ctx);
	return ok;
}

/* EMSA-PKCS1-v1_5 type 1 block: 00 01 FF..FF 00 || f (RFC 8017 §9.2). */
int RSA_padding_add_PKCS1_type_1(unsigned char *to, int tlen,
				 const unsigned char *f, int fl)
{
	int pad;

	if (fl < 0 || tlen < 0 || fl > tlen - 11) {
		return 0;
	}
	pad = tlen - 3 - fl;
	to[0] = 0x00;
	to[1] = 0x01;
	memset(to + 2, 0xff, (size_t)pad);
	to[2 + pad] = 0x00;
	memcpy(to + 3 + pad, f, (size_t)fl);
	return 1;
}

/* The raw private operation on a k-byte block; returns k or -1. */
static int rsa_private_raw(RSA *rsa, const unsigned char *in,
			   unsigned char *out)
{
	mbedtls_rsa_context *ctx = rsa_private_ctx(rsa);

	if (ctx == NULL ||
	    mbedtls_rsa_private(ctx, adapter_rng, NULL, in, out) != 0) {
		return -1;
	}
	return (int)mbedtls_rsa_get_len(ctx);
}

int RSA_private_encrypt(int flen, const unsigned char *from,
			unsigned char *to, RSA *rsa, int padding)
{
	int k = RSA_size(rsa), ret;
	unsigned char *block;

	if (flen < 0 || k <= 0) {
		return -1;
	}
	block = malloc((size_t)k);
	if (block == NULL) {
		return -1;
	}
	if (padding == RSA_PKCS1_PADDING) {
		ret = RSA_padding_add_PKCS1_type_1(block, k, from, flen) ? 0 : -1;
	} else if (padding == RSA_NO_PADDING && flen == k) {
		memcpy(block, from, (size_t)k);
		ret = 0;
	} else {
		adapter_unsupported("RSA_private_encrypt: padding");
		ret = -1;
	}
	if (ret == 0) {
		ret = rsa_private_raw(rsa, block, to);
	}
	mbedtls_platform_zeroize(block, (size_t)k);
	free(block);
	return ret;
}

/* ---- EVP_PKEY ---- */

EVP_PKEY *EVP_PKEY_new(void)
{
	EVP_PKEY *pkey = calloc(1, sizeof(*pkey));

	if (pkey != NULL) {
		pkey->refs = 1;
	}
	return pkey;
}

void EVP_PKEY_free(EVP_PKEY *pkey)
{
	if (pkey != NULL && --pkey->refs == 0) {
		RSA_free(pkey->rsa);
		free(pkey);
	}
}

int EVP_PKEY_assign(EVP_PKEY *pkey, int type, void *key)
{
	if (pkey == NULL || key == NULL) {
		return 0;
	}
	if (type != EVP_PKEY_RSA) {
		return adapter_unsupported("EVP_PKEY_assign: key type");
	}
	RSA_free(pkey->rsa);
	pkey->rsa = key;
	return 1;
}

RSA *EVP_PKEY_get1_RSA(EVP_PKEY *pkey)
{
	if (pkey == NULL || pkey->rsa == NULL) {
		return NULL;
	}
	pkey->rsa->refs++;
	return pkey->rsa;
}

EVP_PKEY_CTX *EVP_PKEY_CTX_new(EVP_PKEY *pkey, ENGINE *e)
{
	EVP_PKEY_CTX *ctx;

	(void)e;
	if (pkey == NULL || pkey->rsa == NULL) {
		return NULL;
	}
	ctx = calloc(1, sizeof(*ctx));
	if (ctx != NULL) {
		pkey->refs++;
		ctx->pkey = pkey;
		ctx->padding = RSA_PKCS1_PADDING;
		ctx->pss_saltlen = RSA_PSS_SALTLEN_AUTO;
	}
	return ctx;
}

void EVP_PKEY_CTX_free(EVP_PKEY_CTX *ctx)
{
	if (ctx != NULL) {
		EVP_PKEY_free(ctx->pkey);
		free(ctx->label);
		free(ctx);
	}
}

static int pkey_init(EVP_PKEY_CTX *ctx, enum adapter_pkey_op op)
{
	ctx->op = op;
	ctx->padding = RSA_PKCS1_PADDING;
	ctx->pss_saltlen = RSA_PSS_SALTLEN_AUTO;
	ctx->md = NULL;
	ctx->oaep_md = NULL;
	return 1;
}

int EVP_PKEY_sign_init(EVP_PKEY_CTX *ctx)
{
	return pkey_init(ctx, ADAPTER_PKEY_OP_SIGN);
}

int EVP_PKEY_verify_init(EVP_PKEY_CTX *ctx)
{
	return pkey_init(ctx, ADAPTER_PKEY_OP_VERIFY);
}

int EVP_PKEY_encrypt_init(EVP_PKEY_CTX *ctx)
{
	return pkey_init(ctx, ADAPTER_PKEY_OP_ENCRYPT);
}

int EVP_PKEY_decrypt_init(EVP_PKEY_CTX *ctx)
{
	return pkey_init(ctx, ADAPTER_PKEY_OP_DECRYPT);
}

int EVP_PKEY_CTX_set_rsa_padding(EVP_PKEY_CTX *ctx, int pad_mode)
{
	int crypt = ctx->op == ADAPTER_PKEY_OP_ENCRYPT ||
		    ctx->op == ADAPTER_PKEY_OP_DECRYPT;

	switch (pad_mode) {
	case RSA_PKCS1_PADDING:
	case RSA_NO_PADDING:
		break;
	case RSA_PKCS1_OAEP_PADDING:
		if (!crypt) {
			return -2;
		}
		break;
	case RSA_PKCS1_PSS_PADDING:
		if (crypt) {
			return -2;
		}
		break;
	default:
		adapter_unsupported("EVP_PKEY_CTX_set_rsa_padding: mode");
		return -2;
	}
	ctx->padding = pad_mode;
	return 1;
}

int EVP_PKEY_CTX_set_rsa_pss_saltlen(EVP_PKEY_CTX *ctx, int saltlen)
{
	if (ctx->padding != RSA_PKCS1_PSS_PADDING || saltlen < -3) {
		return -2;
	}
	ctx->pss_saltlen = saltlen;
	return 1;
}

int EVP_PKEY_CTX_set_rsa_oaep_md(EVP_PKEY_CTX *ctx, const EVP_MD *md)
{
	if (ctx->padding != RSA_PKCS1_OAEP_PADDING || md == NULL) {
		return -2;
	}
	ctx->oaep_md = md;
	return 1;
}

int EVP_PKEY_CTX_set0_rsa_oaep_label(EVP_PKEY_CTX *ctx, void *label, int llen)
{
	if (ctx->padding != RSA_PKCS1_OAEP_PADDING || llen < 0) {
		return -2;
	}
	free(ctx->label);
	ctx->label = label;
	ctx->label_len = label != NULL ? (size_t)llen : 0;
	return 1;
}

int EVP_PKEY_CTX_set_signature_md(EVP_PKEY_CTX *ctx, const EVP_MD *md)
{
	ctx->md = md;
	return 1;
}

/* Largest PSS salt for this key and digest (RFC 8017 §9.1.1). */
static int pss_salt_len(const mbedtls_rsa_context *rsa, int saltlen,
			int hash_len)
{
	size_t em_bits = mbedtls_mpi_bitlen(&rsa->N) - 1;
	int em_len = (int)((em_bits + 7) / 8);

	if (saltlen == RSA_PSS_SALTLEN_DIGEST) {
		return hash_len;
	}
	if (saltlen >= 0) {
		return saltlen;
	}
	return em_len - hash_len - 2;
}

int EVP_PKEY_sign(EVP_PKEY_CTX *ctx, unsigned char *sig, size_t *siglen,
		  const unsigned char *tbs, size_t tbslen)
{
	mbedtls_rsa_context *rsa;
	mbedtls_md_type_t md = adapter_md_type(ctx->md);
	int ok;

	if (ctx->op != ADAPTER_PKEY_OP_SIGN) {
		return -2;
	}
	if (sig == NULL) {
		*siglen = (size_t)RSA_size(ctx->pkey->rsa);
		return 1;
	}
	if (*siglen < (size_t)RSA_size(ctx->pkey->rsa) || tbslen > UINT_MAX ||
	    (ctx->md != NULL && tbslen != (size_t)ctx->md->size)) {
		return 0;
	}
	rsa = rsa_private_ctx(ctx->pkey->rsa);
	if (rsa == NULL) {
		return 0;
	}
	switch (ctx->padding) {
	case RSA_PKCS1_PADDING:
		mbedtls_rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V15,
					MBEDTLS_MD_NONE);
		ok = mbedtls_rsa_rsassa_pkcs1_v15_sign(
			     rsa, adapter_rng, NULL, MBEDTLS_RSA_PRIVATE, md,
			     (unsigned)tbslen, tbs, sig) == 0;
		break;
	case RSA_PKCS1_PSS_PADDING:
		mbedtls_rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V21, md);
		ok = ctx->md != NULL &&
		     mbedtls_rsa_rsassa_pss_sign_ext(
			     rsa, adapter_rng, NULL, md, (unsigned)tbslen, tbs,
			     pss_salt_len(rsa, ctx->pss_saltlen, ctx->md->size),
			     sig) == 0;
		break;
	default:
		ok = adapter_unsupported("EVP_PKEY_sign: padding");
		break;
	}
	if (ok) {
		*siglen = mbedtls_rsa_get_len(rsa);
	}
	return ok;
}

int EVP_PKEY_verify(EVP_PKEY_CTX *ctx, const unsigned char *sig, size_t siglen,
		    const unsigned char *tbs, size_t tbslen)
{
	mbedtls_rsa_context rsa;
	mbedtls_md_type_t md = adapter_md_type(ctx->md);
	int ret;

	if (ctx->op != ADAPTER_PKEY_OP_VERIFY) {
		return -2;
	}
	if (!adapter_rsa_load(ctx->pkey->rsa, &rsa, 0)) {
		mbedtls_rsa_free(&rsa);
		return -1;
	}
	if (siglen != mbedtls_rsa_get_len(&rsa) || tbslen > UINT_MAX ||
	    (ctx->md != NULL && tbslen != (size_t)ctx->md->size)) {
		mbedtls_rsa_free(&rsa);
		return 0;
	}
	switch (ctx->padding) {
	case RSA_PKCS1_PADDING:
		ret = mbedtls_rsa_rsassa_pkcs1_v15_verify(
			      &rsa, NULL, NULL, MBEDTLS_RSA_PUBLIC, md,
			      (unsigned)tbslen, tbs, sig) == 0;
		break;
	case RSA_PKCS1_PSS_PADDING: {
		/* OpenSSL's verify default accepts any salt length. */
		int salt = ctx->pss_saltlen == RSA_PSS_SALTLEN_DIGEST
				   ? (int)tbslen
				   : ctx->pss_saltlen >= 0
					     ? ctx->pss_saltlen
					     : MBEDTLS_RSA_SALT_LEN_ANY;

		ret = ctx->md != NULL &&
		      mbedtls_rsa_rsassa_pss_verify_ext(
			      &rsa, NULL, NULL, MBEDTLS_RSA_PUBLIC, md,
			      (unsigned)tbslen, tbs, md, salt, sig) == 0;
		break;
	}
	default:
		ret = adapter_unsupported("EVP_PKEY_verify: padding");
		break;
	}
	mbedtls_rsa_free(&rsa);
	return ret;
}

int EVP_PKEY_encrypt(EVP_PKEY_CTX *ctx, unsigned char *out, size_t *outlen,
		     const unsigned char *in, size_t inlen)
{
	mbedtls_rsa_context rsa;
	size_t k;
	int ok;

	if (ctx->op != ADAPTER_PKEY_OP_ENCRYPT) {
		return -2;
	}
	if (!adapter_rsa_load(ctx->pkey->rsa, &rsa, 0)) {
		mbedtls_rsa_free(&rsa);
		return 0;
	}
	k = mbedtls_rsa_get_len(&rsa);
	if (out == NULL || *outlen < k) {
		*outlen = k;
		mbedtls_rsa_free(&rsa);
		return out == NULL;
	}
	switch (ctx->padding) {
	case RSA_NO_PADDING:
		ok = inlen == k && mbedtls_rsa_public(&rsa, in, out) == 0;
		break;
	case RSA_PKCS1_PADDING:
		ok = mbedtls_rsa_rsaes_pkcs1_v15_encrypt(
			     &rsa, adapter_rng, NULL, MBEDTLS_RSA_PUBLIC, inlen,
			     in, out) == 0;
		break;
	case RSA_PKCS1_OAEP_PADDING: {
		const EVP_MD *md = ctx->oaep_md != NULL
					   ? ctx->oaep_md
					   : adapter_md_by_nid(NID_sha1);

		mbedtls_rsa_set_padding(&rsa, MBEDTLS_RSA_PKCS_V21,
					md->md_type);
		ok = mbedtls_rsa_rsaes_oaep_encrypt(
			     &rsa, adapter_rng, NULL, MBEDTLS_RSA_PUBLIC,
			     ctx->label, ctx->label_len, inlen, in, out) == 0;
		break;
	}
	default:
		ok = adapter_unsupported("EVP_PKEY_encrypt: padding");
		break;
	}
	if (ok) {
		*outlen = k;
	}
	mbedtls_rsa_free(&rsa);
	return ok;
}

int EVP_PKEY_decrypt(EVP_PKEY_CTX *ctx, unsigned char *out, size_t *outlen,
		     const unsigned char *in, size_t inlen)
{
	mbedtls_rsa_context *rsa;
	size_t k, olen = 0;
	int ok;

	if (ctx->op != ADAPTER_PKEY_OP_DECRYPT) {
		return -2;
	}
	rsa = rsa_private_ctx(ctx->pkey->rsa);
	if (rsa == NULL) {
		return 0;
	}
	k = mbedtls_rsa_get_len(rsa);
	if (out == NULL) {
		*outlen = k;
		return 1;
	}
	if (inlen != k) {
		return 0;
	}
	switch (ctx->padding) {
	case RSA_NO_PADDING:
		ok = *outlen >= k &&
		     mbedtls_rsa_private(rsa, adapter_rng, NULL, in, out) == 0;
		olen = k;
		break;
	case RSA_PKCS1_PADDING:
		mbedtls_rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V15,
					MBEDTLS_MD_NONE);
		ok = mbedtls_rsa_rsaes_pkcs1_v15_decrypt(
			     rsa, adapter_rng, NULL, MBEDTLS_RSA_PRIVATE, &olen,
			     in, out, *outlen) == 0;
		break;
	case RSA_PKCS1_OAEP_PADDING: {
		const EVP_MD *md = ctx->oaep_md != NULL
					   ? ctx->oaep_md
					   : adapter_md_by_nid(NID_sha1);

		mbedtls_rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V21,
					md->md_type);
		ok = mbedtls_rsa_rsaes_oaep_decrypt(
			     rsa, adapter_rng, NULL, MBEDTLS_RSA_PRIVATE,
			     ctx->label, ctx->label_len, &olen, in, out,
			     *outlen) == 0;
		break;
	}
	default:
		ok = adapter_unsupported("EVP_PKEY_decrypt: padding");
		break;
	}
	if (ok) {
		*outlen = olen;
	}
	return ok;
}
