/*
 * BIGNUM on mbedtls_mpi.  OpenSSL conventions kept: 1 is success and 0
 * failure; results may alias operands; zero is never negative; division
 * truncates toward zero with the remainder taking the dividend's sign;
 * BN_mod_* results lie in [0, m).
 */
#include <stdlib.h>
#include <string.h>

#include "../openssl/bn.h"
#include "adapter_internal.h"

/* BN_CTX: a stack of BIGNUMs with frame marks from BN_CTX_start. */
struct bignum_ctx {
	BIGNUM **nums;
	size_t num_count, num_cap;
	size_t *frames;
	size_t frame_count, frame_cap;
};

static void bn_normalize(BIGNUM *a)
{
	if (mbedtls_mpi_cmp_int(&a->mpi, 0) == 0) {
		a->mpi.s = 1;
	}
}

/* An mbedtls_mpi view of one machine word, for the *_word calls. */
static mbedtls_mpi bn_word_view(mbedtls_mpi_uint *limb, BN_ULONG w)
{
	mbedtls_mpi view;

	*limb = (mbedtls_mpi_uint)w;
	view.s = 1;
	view.n = 1;
	view.p = limb;
	return view;
}

BIGNUM *BN_new(void)
{
	BIGNUM *a = calloc(1, sizeof(*a));

	if (a != NULL) {
		mbedtls_mpi_init(&a->mpi);
	}
	return a;
}

void BN_free(BIGNUM *a)
{
	if (a != NULL) {
		mbedtls_mpi_free(&a->mpi); /* zeroizes the limbs */
		free(a);
	}
}

void BN_clear_free(BIGNUM *a)
{
	BN_free(a);
}

BIGNUM *BN_copy(BIGNUM *a, const BIGNUM *b)
{
	if (a == b) {
		return a;
	}
	if (mbedtls_mpi_copy(&a->mpi, &b->mpi) != 0) {
		return NULL;
	}
	a->flags = b->flags;
	return a;
}

BIGNUM *BN_dup(const BIGNUM *a)
{
	BIGNUM *r;

	if (a == NULL) {
		return NULL;
	}
	r = BN_new();
	if (r != NULL && BN_copy(r, a) == NULL) {
		BN_free(r);
		r = NULL;
	}
	return r;
}

void BN_set_flags(BIGNUM *b, int n)
{
	b->flags |= n;
}

const BIGNUM *BN_value_one(void)
{
	static mbedtls_mpi_uint one_limb = 1;
	static const BIGNUM one = { .mpi = { .s = 1, .n = 1, .p = &one_limb } };

	return &one;
}

BIGNUM *BN_bin2bn(const unsigned char *s, int len, BIGNUM *ret)
{
	BIGNUM *r = ret;

	if (len < 0) {
		return NULL;
	}
	if (r == NULL) {
		r = BN_new();
		if (r == NULL) {
			return NULL;
		}
	}
	if (mbedtls_mpi_read_binary(&r->mpi, s, (size_t)len) != 0) {
		if (ret == NULL) {
			BN_free(r);
		}
		return NULL;
	}
	return r;
}

int BN_bn2bin(const BIGNUM *a, unsigned char *to)
{
	size_t len = mbedtls_mpi_size(&a->mpi);

	if (mbedtls_mpi_write_binary(&a->mpi, to, len) != 0) {
		return 0;
	}
	return (int)len;
}

int BN_num_bits(const BIGNUM *a)
{
	return (int)mbedtls_mpi_bitlen(&a->mpi);
}

int BN_is_zero(const BIGNUM *a)
{
	return mbedtls_mpi_cmp_int(&a->mpi, 0) == 0;
}

int BN_is_one(const BIGNUM *a)
{
	return mbedtls_mpi_cmp_int(&a->mpi, 1) == 0;
}

/* As in OpenSSL, NULL compares greater than any number. */
int BN_cmp(const BIGNUM *a, const BIGNUM *b)
{
	if (a == NULL || b == NULL) {
		return a != NULL ? -1 : b != NULL ? 1 : 0;
	}
	return mbedtls_mpi_cmp_mpi(&a->mpi, &b->mpi);
}

int BN_set_word(BIGNUM *a, BN_ULONG w)
{
	mbedtls_mpi_uint limb;
	mbedtls_mpi view = bn_word_view(&limb, w);

	return mbedtls_mpi_copy(&a->mpi, &view) == 0;
}

int BN_add_word(BIGNUM *a, BN_ULONG w)
{
	mbedtls_mpi_uint limb;
	mbedtls_mpi view = bn_word_view(&limb, w);

	if (mbedtls_mpi_add_mpi(&a->mpi, &a->mpi, &view) != 0) {
		return 0;
	}
	bn_normalize(a);
	return 1;
}

int BN_add(BIGNUM *r, const BIGNUM *a, const BIGNUM *b)
{
	if (mbedtls_mpi_add_mpi(&r->mpi, &a->mpi, &b->mpi) != 0) {
		return 0;
	}
	bn_normalize(r);
	return 1;
}

int BN_sub(BIGNUM *r, const BIGNUM *a, const BIGNUM *b)
{
	if (mbedtls_mpi_sub_mpi(&r->mpi, &a->mpi, &b->mpi) != 0) {
		return 0;
	}
	bn_normalize(r);
	return 1;
}

int BN_mul(BIGNUM *r, const BIGNUM *a, const BIGNUM *b, BN_CTX *ctx)
{
	(void)ctx;
	if (mbedtls_mpi_mul_mpi(&r->mpi, &a->mpi, &b->mpi) != 0) {
		return 0;
	}
	bn_normalize(r);
	return 1;
}

int BN_div(BIGNUM *dv, BIGNUM *rem, const BIGNUM *m, const BIGNUM *d,
	   BN_CTX *ctx)
{
	(void)ctx;
	if (BN_is_zero(d)) {
		return 0;
	}
	if (mbedtls_mpi_div_mpi(dv != NULL ? &dv->mpi : NULL,
				rem != NULL ? &rem->mpi : NULL, &m->mpi,
				&d->mpi) != 0) {
		return 0;
	}
	if (dv != NULL) {
		bn_normalize(dv);
	}
	if (rem != NULL) {
		bn_normalize(rem);
	}
	return 1;
}

int BN_lshift(BIGNUM *r, const BIGNUM *a, int n)
{
	if (n < 0 || BN_copy(r, a) == NULL) {
		return 0;
	}
	return mbedtls_mpi_shift_l(&r->mpi, (size_t)n) == 0;
}

int BN_rshift(BIGNUM *r, const BIGNUM *a, int n)
{
	if (n < 0 || BN_copy(r, a) == NULL) {
		return 0;
	}
	if (mbedtls_mpi_shift_r(&r->mpi, (size_t)n) != 0) {
		return 0;
	}
	bn_normalize(r);
	return 1;
}

/*
 * Keeps the low n bits of |a|.  Like OpenSSL, fails (and leaves a alone)
 * when a has no limb at or above limb n / 64.
 */
int BN_mask_bits(BIGNUM *a, int n)
{
	const size_t limb_bits = 8 * sizeof(mbedtls_mpi_uint);
	size_t word, bit, used, i;

	if (n < 0) {
		return 0;
	}
	word = (size_t)n / limb_bits;
	bit = (size_t)n % limb_bits;
	used = (mbedtls_mpi_bitlen(&a->mpi) + limb_bits - 1) / limb_bits;
	if (word >= used) {
		return 0;
	}
	for (i = word + (bit != 0); i < a->mpi.n; i++) {
		a->mpi.p[i] = 0;
	}
	if (bit != 0) {
		a->mpi.p[word] &= ((mbedtls_mpi_uint)1 << bit) - 1;
	}
	bn_normalize(a);
	return 1;
}

/* r = a mod m in [0, m) for m > 0. */
static int bn_nnmod(mbedtls_mpi *r, const mbedtls_mpi *a, const mbedtls_mpi *m)
{
	return mbedtls_mpi_mod_mpi(r, a, m) == 0;
}

int BN_mod_add(BIGNUM *r, const BIGNUM *a, const BIGNUM *b, const BIGNUM *m,
	       BN_CTX *ctx)
{
	mbedtls_mpi t;
	int ok;

	(void)ctx;
	if (mbedtls_mpi_cmp_int(&m->mpi, 0) <= 0) {
		return 0;
	}
	mbedtls_mpi_init(&t);
	ok = mbedtls_mpi_add_mpi(&t, &a->mpi, &b->mpi) == 0 &&
	     bn_nnmod(&r->mpi, &t, &m->mpi);
	mbedtls_mpi_free(&t);
	return ok;
}

int BN_mod_mul(BIGNUM *r, const BIGNUM *a, const BIGNUM *b, const BIGNUM *m,
	       BN_CTX *ctx)
{
	mbedtls_mpi t;
	int ok;

	(void)ctx;
	if (mbedtls_mpi_cmp_int(&m->mpi, 0) <= 0) {
		return 0;
	}
	mbedtls_mpi_init(&t);
	ok = mbedtls_mpi_mul_mpi(&t, &a->mpi, &b->mpi) == 0 &&
	     bn_nnmod(&r->mpi, &t, &m->mpi);
	mbedtls_mpi_free(&t);
	return ok;
}

/* Square-and-multiply for even moduli, which mbedtls_mpi_exp_mod rejects. */
static int bn_exp_mod_even(mbedtls_mpi *r, const mbedtls_mpi *base,
			   const mbedtls_mpi *p, const mbedtls_mpi *m)
{
	mbedtls_mpi acc, sq, t;
	size_t i, bits = mbedtls_mpi_bitlen(p);
	int ok;

	mbedtls_mpi_init(&acc);
	mbedtls_mpi_init(&sq);
	mbedtls_mpi_init(&t);
	ok = mbedtls_mpi_lset(&acc, 1) == 0 && bn_nnmod(&acc, &acc, m) &&
	     mbedtls_mpi_copy(&sq, base) == 0;
	for (i = 0; ok && i < bits; i++) {
		if (mbedtls_mpi_get_bit(p, i)) {
			ok = mbedtls_mpi_mul_mpi(&t, &acc, &sq) == 0 &&
			     bn_nnmod(&acc, &t, m);
		}
		if (ok && i + 1 < bits) {
			ok = mbedtls_mpi_mul_mpi(&t, &sq, &sq) == 0 &&
			     bn_nnmod(&sq, &t, m);
		}
	}
	ok = ok && mbedtls_mpi_copy(r, &acc) == 0;
	mbedtls_mpi_free(&acc);
	mbedtls_mpi_free(&sq);
	mbedtls_mpi_free(&t);
	return ok;
}

int BN_mod_exp(BIGNUM *r, const BIGNUM *a, const BIGNUM *p, const BIGNUM *m,
	       BN_CTX *ctx)
{
	mbedtls_mpi base;
	int ok;

	(void)ctx;
	if (mbedtls_mpi_cmp_int(&m->mpi, 0) <= 0 ||
	    mbedtls_mpi_cmp_int(&p->mpi, 0) < 0) {
		return 0;
	}
	mbedtls_mpi_init(&base);
	ok = bn_nnmod(&base, &a->mpi, &m->mpi);
	if (ok && mbedtls_mpi_get_bit(&m->mpi, 0) == 1 &&
	    mbedtls_mpi_cmp_int(&m->mpi, 1) > 0) {
		ok = mbedtls_mpi_exp_mod(&r->mpi, &base, &p->mpi, &m->mpi,
					 NULL) == 0;
	} else if (ok) {
		ok = bn_exp_mod_even(&r->mpi, &base, &p->mpi, &m->mpi);
	}
	mbedtls_mpi_free(&base);
	if (ok) {
		bn_normalize(r);
	}
	return ok;
}

BIGNUM *BN_mod_inverse(BIGNUM *ret, const BIGNUM *a, const BIGNUM *n,
		       BN_CTX *ctx)
{
	BIGNUM *r = ret != NULL ? ret : BN_new();

	(void)ctx;
	if (r == NULL) {
		return NULL;
	}
	if (mbedtls_mpi_inv_mod(&r->mpi, &a->mpi, &n->mpi) != 0) {
		if (ret == NULL) {
			BN_free(r);
		}
		return NULL;
	}
	return r;
}

BN_CTX *BN_CTX_new(void)
{
	return calloc(1, sizeof(BN_CTX));
}

static void bn_ctx_release_to(BN_CTX *ctx, size_t count)
{
	while (ctx->num_count > count) {
		BN_clear_free(ctx->nums[--ctx->num_count]);
	}
}

void BN_CTX_free(BN_CTX *ctx)
{
	if (ctx == NULL) {
		return;
	}
	bn_ctx_release_to(ctx, 0);
	free(ctx->nums);
	free(ctx->frames);
	free(ctx);
}

/*
 * OpenSSL makes a failed start poison later BN_CTX_get calls; here an
 * unrecorded frame means BN_CTX_end releases from the previous mark, and a
 * failing BN_CTX_get still returns NULL, which libtpms checks.
 */
void BN_CTX_start(BN_CTX *ctx)
{
	if (ctx->frame_count == ctx->frame_cap) {
		size_t cap = ctx->frame_cap ? 2 * ctx->frame_cap : 8;
		size_t *f = realloc(ctx->frames, cap * sizeof(*f));

		if (f == NULL) {
			adapter_log("BN_CTX_start: out of memory");
			return;
		}
		ctx->frames = f;
		ctx->frame_cap = cap;
	}
	ctx->frames[ctx->frame_count++] = ctx->num_count;
}

BIGNUM *BN_CTX_get(BN_CTX *ctx)
{
	BIGNUM *a;

	if (ctx->num_count == ctx->num_cap) {
		size_t cap = ctx->num_cap ? 2 * ctx->num_cap : 16;
		BIGNUM **n = realloc(ctx->nums, cap * sizeof(*n));

		if (n == NULL) {
			return NULL;
		}
		ctx->nums = n;
		ctx->num_cap = cap;
	}
	a = BN_new();
	if (a != NULL) {
		ctx->nums[ctx->num_count++] = a;
	}
	return a;
}

void BN_CTX_end(BN_CTX *ctx)
{
	if (ctx == NULL || ctx->frame_count == 0) {
		return;
	}
	bn_ctx_release_to(ctx, ctx->frames[--ctx->frame_count]);
}
