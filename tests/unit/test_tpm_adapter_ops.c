/*
 * OpenSSL-API operations for the differential adapter test (see
 * test_tpm_ops.h).  This file is compiled twice, with OPS_PREFIX set to
 * tpm_ad (tpm/openssl/ headers, the adapter) or tpm_os (system OpenSSL), and
 * calls the API the way libtpms does: curves built from explicit
 * parameters, RSA keys assembled from (n, e) then d, RSA schemes through
 * EVP_PKEY_CTX, ciphers through EVP_CIPHER_CTX with padding off.
 */
#define OPENSSL_SUPPRESS_DEPRECATED

#include <stdlib.h>
#include <string.h>

#include <openssl/aes.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/camellia.h>
#include <openssl/des.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>

#include "test_tpm_ops.h"

#define OPS_CAT2(a, b) a##_##b
#define OPS_CAT(a, b) OPS_CAT2(a, b)
#define OPS(name) OPS_CAT(OPS_PREFIX, name)

static void bytes_from_bn(const BIGNUM *bn, struct tpm_ops_bytes *out)
{
	out->len = (size_t)BN_bn2bin(bn, out->b);
}

static BIGNUM *bn_from_bytes(const struct tpm_ops_bytes *in)
{
	return BN_bin2bn(in->b, (int)in->len, NULL);
}

static int hex_digit(char c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

static BIGNUM *bn_from_hex(const char *hex)
{
	struct tpm_ops_bytes b;
	size_t i;

	b.len = strlen(hex) / 2;
	for (i = 0; i < b.len; i++) {
		b.b[i] = (uint8_t)(hex_digit(hex[2 * i]) << 4 |
				   hex_digit(hex[2 * i + 1]));
	}
	return bn_from_bytes(&b);
}

/* ---- digests ---- */

int OPS(digest)(enum tpm_ops_digest alg, const uint8_t *in, size_t len,
		size_t chunk, struct tpm_ops_bytes *out)
{
	SHA_CTX c1;
	SHA256_CTX c256;
	SHA512_CTX c512;
	size_t off, n;

	switch (alg) {
	case OPS_SHA1:
		SHA1_Init(&c1);
		break;
	case OPS_SHA256:
		SHA256_Init(&c256);
		break;
	case OPS_SHA384:
		SHA384_Init(&c512);
		break;
	case OPS_SHA512:
		SHA512_Init(&c512);
		break;
	}
	for (off = 0; off < len; off += n) {
		n = len - off < chunk ? len - off : chunk;
		switch (alg) {
		case OPS_SHA1:
			SHA1_Update(&c1, in + off, n);
			break;
		case OPS_SHA256:
			SHA256_Update(&c256, in + off, n);
			break;
		case OPS_SHA384:
			SHA384_Update(&c512, in + off, n);
			break;
		case OPS_SHA512:
			SHA512_Update(&c512, in + off, n);
			break;
		}
	}
	switch (alg) {
	case OPS_SHA1:
		out->len = 20;
		return SHA1_Final(out->b, &c1);
	case OPS_SHA256:
		out->len = 32;
		return SHA256_Final(out->b, &c256);
	case OPS_SHA384:
		out->len = 48;
		return SHA384_Final(out->b, &c512);
	case OPS_SHA512:
		out->len = 64;
		return SHA512_Final(out->b, &c512);
	}
	return 0;
}

/* ---- ciphers: every EVP cipher libtpms references ---- */

typedef const EVP_CIPHER *(*cipher_fn)(void);

static const struct {
	cipher_fn fn;
	const char *name;
} ciphers[OPS_CIPHER_COUNT] = {
	{ EVP_aes_128_ecb, "aes-128-ecb" },
	{ EVP_aes_192_ecb, "aes-192-ecb" },
	{ EVP_aes_256_ecb, "aes-256-ecb" },
	{ EVP_aes_128_cbc, "aes-128-cbc" },
	{ EVP_aes_192_cbc, "aes-192-cbc" },
	{ EVP_aes_256_cbc, "aes-256-cbc" },
	{ EVP_aes_128_cfb128, "aes-128-cfb" },
	{ EVP_aes_192_cfb128, "aes-192-cfb" },
	{ EVP_aes_256_cfb128, "aes-256-cfb" },
	{ EVP_aes_128_ofb, "aes-128-ofb" },
	{ EVP_aes_192_ofb, "aes-192-ofb" },
	{ EVP_aes_256_ofb, "aes-256-ofb" },
	{ EVP_aes_128_ctr, "aes-128-ctr" },
	{ EVP_aes_192_ctr, "aes-192-ctr" },
	{ EVP_aes_256_ctr, "aes-256-ctr" },
	{ EVP_camellia_128_ecb, "camellia-128-ecb" },
	{ EVP_camellia_192_ecb, "camellia-192-ecb" },
	{ EVP_camellia_256_ecb, "camellia-256-ecb" },
	{ EVP_camellia_128_cbc, "camellia-128-cbc" },
	{ EVP_camellia_192_cbc, "camellia-192-cbc" },
	{ EVP_camellia_256_cbc, "camellia-256-cbc" },
	{ EVP_camellia_128_cfb128, "camellia-128-cfb" },
	{ EVP_camellia_192_cfb128, "camellia-192-cfb" },
	{ EVP_camellia_256_cfb128, "camellia-256-cfb" },
	{ EVP_camellia_128_ofb, "camellia-128-ofb" },
	{ EVP_camellia_192_ofb, "camellia-192-ofb" },
	{ EVP_camellia_256_ofb, "camellia-256-ofb" },
	{ EVP_camellia_128_ctr, "camellia-128-ctr" },
	{ EVP_camellia_192_ctr, "camellia-192-ctr" },
	{ EVP_camellia_256_ctr, "camellia-256-ctr" },
	{ EVP_des_ede3, "des-ede3" },
	{ EVP_des_ede3_ecb, "des-ede3-ecb" },
	{ EVP_des_ede3_cbc, "des-ede3-cbc" },
	{ EVP_des_ede3_cfb64, "des-ede3-cfb64" },
	{ EVP_des_ede3_ofb, "des-ede3-ofb" },
};

const char *OPS(cipher_name)(int index)
{
	return ciphers[index].name;
}

/*
 * Update in two pieces (split bytes, then the rest), Final, then the
 * running IV as libtpms reads it.  Returns 1, or 0 if any call failed.
 */
int OPS(cipher)(int index, int encrypt, const uint8_t *key, const uint8_t *iv,
		const uint8_t *in, size_t len, size_t split,
		struct tpm_ops_bytes *out, struct tpm_ops_bytes *iv_out)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	const EVP_CIPHER *cipher = ciphers[index].fn();
	int n1 = 0, n2 = 0, n3 = 0, ok;

	ok = ctx != NULL &&
	     (encrypt ? EVP_EncryptInit_ex(ctx, cipher, NULL, key, iv)
		      : EVP_DecryptInit_ex(ctx, cipher, NULL, key, iv)) == 1 &&
	     EVP_CIPHER_CTX_set_padding(ctx, 0) == 1;
	if (ok && encrypt) {
		ok = EVP_EncryptUpdate(ctx, out->b, &n1, in, (int)split) == 1 &&
		     EVP_EncryptUpdate(ctx, out->b + n1, &n2, in + split,
				       (int)(len - split)) == 1 &&
		     EVP_EncryptFinal_ex(ctx, out->b + n1 + n2, &n3) == 1;
	} else if (ok) {
		ok = EVP_DecryptUpdate(ctx, out->b, &n1, in, (int)split) == 1 &&
		     EVP_DecryptUpdate(ctx, out->b + n1, &n2, in + split,
				       (int)(len - split)) == 1 &&
		     EVP_DecryptFinal(ctx, out->b + n1 + n2, &n3) == 1;
	}
	out->len = (size_t)(n1 + n2 + n3);
	iv_out->len = 0;
	if (ok) {
		iv_out->len = (size_t)EVP_CIPHER_CTX_get_iv_length(ctx);
		memcpy(iv_out->b, EVP_CIPHER_CTX_iv(ctx), iv_out->len);
	}
	EVP_CIPHER_CTX_free(ctx);
	return ok;
}

/* Low-level AES as libtpms's DRBG, CMAC and TPM 1.2 code use it. */
int OPS(aes_low)(int bits, const uint8_t *key, const uint8_t *iv,
		 const uint8_t *in, size_t len, struct tpm_ops_bytes *out)
{
	AES_KEY enc, dec;
	uint8_t ivec[16], block[16];
	int num = 0;

	if (AES_set_encrypt_key(key, bits, &enc) != 0 ||
	    AES_set_decrypt_key(key, bits, &dec) != 0) {
		return 0;
	}
	AES_encrypt(in, out->b, &enc);                  /* 16: ECB block */
	memcpy(ivec, iv, 16);
	AES_cbc_encrypt(in, out->b + 16, len, &enc, ivec, AES_ENCRYPT);
	memcpy(ivec, iv, 16);
	AES_cbc_encrypt(out->b + 16, out->b + 16 + len, len, &dec, ivec,
			AES_DECRYPT);
	memcpy(ivec, iv, 16);
	AES_ofb128_encrypt(in, out->b + 16 + 2 * len, len, &enc, ivec, &num);
	memcpy(block, out->b, 16);
	out->len = 16 + 3 * len;
	return memcmp(block, out->b, 16) == 0;
}

int OPS(camellia_low)(int bits, const uint8_t *key, const uint8_t *in,
		      struct tpm_ops_bytes *out)
{
	CAMELLIA_KEY k;

	if (Camellia_set_key(key, bits, &k) != 0) {
		return 0;
	}
	Camellia_encrypt(in, out->b, &k);
	out->len = 16;
	return 1;
}

/* Three-key TDES the way libtpms's TDES_encrypt/decrypt drive it. */
int OPS(tdes_low)(const uint8_t key[24], int encrypt, const uint8_t in[8],
		  struct tpm_ops_bytes *out)
{
	DES_key_schedule ks[3];
	DES_cblock k;
	int i;

	for (i = 0; i < 3; i++) {
		memcpy(k, key + 8 * i, 8);
		DES_set_key_unchecked(&k, &ks[i]);
	}
	memcpy(k, in, 8);
	DES_ecb3_encrypt(&k, (DES_cblock *)out->b, &ks[0], &ks[1], &ks[2],
			 encrypt ? DES_ENCRYPT : DES_DECRYPT);
	out->len = 8;
	return 1;
}

/* ---- BIGNUM ---- */

int OPS(bn)(enum tpm_ops_bn op, const struct tpm_ops_bytes *a_in,
	    const struct tpm_ops_bytes *b_in, const struct tpm_ops_bytes *m_in,
	    int n, struct tpm_ops_bytes *out)
{
	BN_CTX *ctx = BN_CTX_new();
	BIGNUM *a, *b, *m, *r, *s, *t;
	int ok = 1;

	BN_CTX_start(ctx);
	a = BN_bin2bn(a_in->b, (int)a_in->len, BN_CTX_get(ctx));
	b = BN_bin2bn(b_in->b, (int)b_in->len, BN_CTX_get(ctx));
	m = BN_bin2bn(m_in->b, (int)m_in->len, BN_CTX_get(ctx));
	r = BN_CTX_get(ctx);
	s = BN_CTX_get(ctx);
	t = BN_CTX_get(ctx);
	out->negative = 0;
	switch (op) {
	case OPS_BN_ADD:
		ok = BN_add(r, a, b);
		break;
	case OPS_BN_SUB:
		ok = BN_sub(r, a, b);
		break;
	case OPS_BN_MUL:
		ok = BN_mul(r, a, b, ctx);
		break;
	case OPS_BN_DIV_QUOT:
	case OPS_BN_DIV_REM:
		/* a - b may be negative: exercises the sign conventions. */
		ok = BN_sub(s, a, b) &&
		     BN_div(op == OPS_BN_DIV_QUOT ? r : t,
			    op == OPS_BN_DIV_QUOT ? t : r, s, m, ctx);
		break;
	case OPS_BN_MOD_ADD:
		ok = BN_mod_add(r, a, b, m, ctx);
		break;
	case OPS_BN_MOD_MUL:
		ok = BN_mod_mul(r, a, b, m, ctx);
		break;
	case OPS_BN_MOD_EXP:
		ok = BN_mod_exp(r, a, b, m, ctx);
		break;
	case OPS_BN_MOD_INV:
		ok = BN_mod_inverse(r, a, m, ctx) != NULL;
		break;
	case OPS_BN_LSHIFT:
		ok = BN_lshift(r, a, n);
		break;
	case OPS_BN_RSHIFT:
		ok = BN_rshift(r, a, n);
		break;
	case OPS_BN_MASK_BITS:
		ok = BN_copy(r, a) != NULL && BN_mask_bits(r, n);
		break;
	case OPS_BN_ADD_WORD:
		ok = BN_copy(r, a) != NULL &&
		     BN_add_word(r, (BN_ULONG)b_in->len * 0x9e3779b97f4a7c15UL) &&
		     BN_sub(r, r, BN_value_one());
		break;
	case OPS_BN_CMP:
		ok = BN_sub(s, a, b) && BN_set_word(r, (BN_ULONG)(BN_cmp(s, m) + 1)) &&
		     BN_lshift(r, r, BN_num_bits(s)) &&
		     BN_add_word(r, (BN_ULONG)(BN_is_zero(s) * 2 + BN_is_one(a)));
		break;
	default:
		ok = 0;
		break;
	}
	if (ok) {
		bytes_from_bn(r, out);
		/* The sign, read through the API: r < 0 iff r < 0 - 0. */
		BN_set_word(t, 0);
		out->negative = BN_cmp(r, t) < 0;
	}
	BN_CTX_end(ctx);
	BN_CTX_free(ctx);
	return ok;
}

/* ---- elliptic curves, built from parameters as libtpms does ---- */

static const struct {
	const char *p, *a, *b, *gx, *gy, *n;
} curves[OPS_CURVE_COUNT] = {
	[OPS_P256] = {
		"ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
		"ffffffff00000001000000000000000000000000fffffffffffffffffffffffc",
		"5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b",
		"6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
		"4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
		"ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
	},
	[OPS_P384] = {
		"fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe"
		"ffffffff0000000000000000ffffffff",
		"fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe"
		"ffffffff0000000000000000fffffffc",
		"b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875a"
		"c656398d8a2ed19d2a85c8edd3ec2aef",
		"aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a38"
		"5502f25dbf55296c3a545e3872760ab7",
		"3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c0"
		"0a60b1ce1d7e819d7a431d7c90ea0e5f",
		"ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf"
		"581a0db248b0a77aecec196accc52973",
	},
	/* Barreto-Naehrig P256 (TPM_ECC_BN_P256): a = 0, b = 3, G = (1, 2). */
	[OPS_BN_P256] = {
		"fffffffffffcf0cd46e5f25eee71a49f0cdc65fb12980a82d3292ddbaed33013",
		"00",
		"03",
		"01",
		"02",
		"fffffffffffcf0cd46e5f25eee71a49e0cdc65fb1299921af62d536cd10b500d",
	},
};

static EC_GROUP *curve_group(enum tpm_ops_curve c)
{
	BIGNUM *p = bn_from_hex(curves[c].p), *a = bn_from_hex(curves[c].a);
	BIGNUM *b = bn_from_hex(curves[c].b), *gx = bn_from_hex(curves[c].gx);
	BIGNUM *gy = bn_from_hex(curves[c].gy), *n = bn_from_hex(curves[c].n);
	EC_GROUP *g = EC_GROUP_new_curve_GFp(p, a, b, NULL);
	EC_POINT *gen = g != NULL ? EC_POINT_new(g) : NULL;

	if (gen == NULL ||
	    EC_POINT_set_affine_coordinates(g, gen, gx, gy, NULL) != 1 ||
	    EC_GROUP_set_generator(g, gen, n, BN_value_one()) != 1) {
		EC_GROUP_free(g);
		g = NULL;
	}
	EC_POINT_free(gen);
	BN_free(p);
	BN_free(a);
	BN_free(b);
	BN_free(gx);
	BN_free(gy);
	BN_free(n);
	return g;
}

static int point_out(const EC_GROUP *g, const EC_POINT *pt,
		     struct tpm_ops_bytes *x, struct tpm_ops_bytes *y)
{
	BIGNUM *bx = BN_new(), *by = BN_new();
	int ok = EC_POINT_get_affine_coordinates(g, pt, bx, by, NULL) == 1;

	if (ok) {
		bytes_from_bn(bx, x);
		bytes_from_bn(by, y);
	}
	BN_free(bx);
	BN_free(by);
	return ok;
}

static EC_POINT *point_in(const EC_GROUP *g, const struct tpm_ops_bytes *x,
			  const struct tpm_ops_bytes *y)
{
	BIGNUM *bx = bn_from_bytes(x), *by = bn_from_bytes(y);
	EC_POINT *pt = EC_POINT_new(g);

	if (EC_POINT_set_affine_coordinates(g, pt, bx, by, NULL) != 1) {
		EC_POINT_free(pt);
		pt = NULL;
	}
	BN_free(bx);
	BN_free(by);
	return pt;
}

/* r = k*G + m*Q (Q, m optional), by EC_POINT_mul or EC_POINTs_mul. */
int OPS(ec_mul)(enum tpm_ops_curve curve, const struct tpm_ops_bytes *k,
		const struct tpm_ops_bytes *qx, const struct tpm_ops_bytes *qy,
		const struct tpm_ops_bytes *m, int use_points_mul,
		struct tpm_ops_bytes *rx, struct tpm_ops_bytes *ry)
{
	EC_GROUP *g = curve_group(curve);
	EC_POINT *q = NULL, *r = g != NULL ? EC_POINT_new(g) : NULL;
	BIGNUM *bk = k != NULL ? bn_from_bytes(k) : NULL;
	BIGNUM *bm = m != NULL ? bn_from_bytes(m) : NULL;
	int ok = r != NULL;

	if (ok && qx != NULL) {
		q = point_in(g, qx, qy);
		ok = q != NULL;
	}
	if (ok && use_points_mul) {
		const EC_POINT *points[1] = { q };
		const BIGNUM *scalars[1] = { bm };

		ok = EC_POINTs_mul(g, r, bk, q != NULL ? 1 : 0, points,
				   scalars, NULL) == 1;
	} else if (ok) {
		ok = EC_POINT_mul(g, r, bk, q, bm, NULL) == 1;
	}
	ok = ok && point_out(g, r, rx, ry);
	BN_free(bk);
	BN_free(bm);
	EC_POINT_free(q);
	EC_POINT_free(r);
	EC_GROUP_free(g);
	return ok;
}

/* k1*G + k2*G by EC_POINT_add. */
int OPS(ec_add)(enum tpm_ops_curve curve, const struct tpm_ops_bytes *k1,
		const struct tpm_ops_bytes *k2, struct tpm_ops_bytes *rx,
		struct tpm_ops_bytes *ry)
{
	EC_GROUP *g = curve_group(curve);
	EC_POINT *a = EC_POINT_new(g), *b = EC_POINT_new(g);
	EC_POINT *r = EC_POINT_new(g);
	BIGNUM *b1 = bn_from_bytes(k1), *b2 = bn_from_bytes(k2);
	int ok = EC_POINT_mul(g, a, b1, NULL, NULL, NULL) == 1 &&
		 EC_POINT_mul(g, b, b2, NULL, NULL, NULL) == 1 &&
		 EC_POINT_add(g, r, a, b, NULL) == 1 && point_out(g, r, rx, ry);

	BN_free(b1);
	BN_free(b2);
	EC_POINT_free(a);
	EC_POINT_free(b);
	EC_POINT_clear_free(r);
	EC_GROUP_free(g);
	return ok;
}

int OPS(ec_set_point)(enum tpm_ops_curve curve, const struct tpm_ops_bytes *x,
		      const struct tpm_ops_bytes *y)
{
	EC_GROUP *g = curve_group(curve);
	EC_POINT *pt = point_in(g, x, y);
	int ok = pt != NULL;

	EC_POINT_free(pt);
	EC_GROUP_free(g);
	return ok;
}

int OPS(ecdsa_sign)(enum tpm_ops_curve curve, const struct tpm_ops_bytes *d,
		    const uint8_t *dgst, size_t dlen, struct tpm_ops_bytes *r,
		    struct tpm_ops_bytes *s)
{
	EC_GROUP *g = curve_group(curve);
	EC_KEY *key = EC_KEY_new();
	BIGNUM *bd = bn_from_bytes(d);
	ECDSA_SIG *sig = NULL;
	const BIGNUM *br, *bs;
	int ok = EC_KEY_set_group(key, g) == 1 &&
		 EC_KEY_set_private_key(key, bd) == 1;

	if (ok) {
		sig = ECDSA_do_sign(dgst, (int)dlen, key);
		ok = sig != NULL;
	}
	if (ok) {
		ECDSA_SIG_get0(sig, &br, &bs);
		bytes_from_bn(br, r);
		bytes_from_bn(bs, s);
	}
	ECDSA_SIG_free(sig);
	BN_clear_free(bd);
	EC_KEY_free(key);
	EC_GROUP_free(g);
	return ok;
}

/* 1 valid, 0 invalid, -1 error (ECDSA_do_verify's convention). */
int OPS(ecdsa_verify)(enum tpm_ops_curve curve, const struct tpm_ops_bytes *qx,
		      const struct tpm_ops_bytes *qy, const uint8_t *dgst,
		      size_t dlen, const struct tpm_ops_bytes *r,
		      const struct tpm_ops_bytes *s)
{
	EC_GROUP *g = curve_group(curve);
	EC_KEY *key = EC_KEY_new();
	EC_POINT *q = point_in(g, qx, qy);
	ECDSA_SIG *sig = ECDSA_SIG_new();
	int ret = -1;

	if (q != NULL && EC_KEY_set_group(key, g) == 1 &&
	    EC_KEY_set_public_key(key, q) == 1 &&
	    ECDSA_SIG_set0(sig, bn_from_bytes(r), bn_from_bytes(s)) == 1) {
		ret = ECDSA_do_verify(dgst, (int)dlen, sig, key);
	}
	ECDSA_SIG_free(sig);
	EC_POINT_free(q);
	EC_KEY_free(key);
	EC_GROUP_free(g);
	return ret;
}

int OPS(ec_generate)(enum tpm_ops_curve curve, struct tpm_ops_bytes *d)
{
	EC_GROUP *g = curve_group(curve);
	EC_KEY *key = EC_KEY_new();
	int ok = EC_KEY_set_group(key, g) == 1 && EC_KEY_generate_key(key) == 1;

	if (ok) {
		bytes_from_bn(EC_KEY_get0_private_key(key), d);
	}
	EC_KEY_free(key);
	EC_GROUP_free(g);
	return ok;
}

/* ---- RSA, with keys assembled the way libtpms's Helpers.c does ---- */

static EVP_PKEY *rsa_pkey(const struct tpm_ops_rsa_key *k, int with_private)
{
	EVP_PKEY *pkey = EVP_PKEY_new();
	RSA *rsa = RSA_new(), *ref;
	int ok = pkey != NULL && rsa != NULL &&
		 RSA_set0_key(rsa, bn_from_bytes(&k->n), bn_from_bytes(&k->e),
			      NULL) == 1 &&
		 EVP_PKEY_assign(pkey, EVP_PKEY_RSA, rsa) == 1;

	if (!ok) {
		RSA_free(rsa);
		EVP_PKEY_free(pkey);
		return NULL;
	}
	if (with_private) {
		ref = EVP_PKEY_get1_RSA(pkey);
		ok = ref != NULL &&
		     RSA_set0_key(ref, NULL, NULL, bn_from_bytes(&k->d)) == 1;
		RSA_free(ref);
	}
	if (!ok) {
		EVP_PKEY_free(pkey);
		pkey = NULL;
	}
	return pkey;
}

static int rsa_ctx_setup(EVP_PKEY_CTX *ctx, int pad, const char *md,
			 const uint8_t *label, size_t label_len)
{
	const EVP_MD *evp_md = md != NULL ? EVP_get_digestbyname(md) : NULL;
	void *copy;

	if (EVP_PKEY_CTX_set_rsa_padding(ctx, pad) <= 0) {
		return 0;
	}
	if (pad == OPS_PAD_OAEP) {
		if (EVP_PKEY_CTX_set_rsa_oaep_md(ctx, evp_md) <= 0) {
			return 0;
		}
		if (label_len > 0) {
			copy = malloc(label_len);
			memcpy(copy, label, label_len);
			if (EVP_PKEY_CTX_set0_rsa_oaep_label(ctx, copy,
							     (int)label_len) <= 0) {
				free(copy);
				return 0;
			}
		}
	}
	return 1;
}

int OPS(rsa_encrypt)(const struct tpm_ops_rsa_key *key, int pad,
		     const char *md, const uint8_t *label, size_t label_len,
		     const uint8_t *in, size_t len, struct tpm_ops_bytes *out)
{
	EVP_PKEY *pkey = rsa_pkey(key, 0);
	EVP_PKEY_CTX *ctx = pkey != NULL ? EVP_PKEY_CTX_new(pkey, NULL) : NULL;
	size_t outlen = sizeof(out->b);
	int ok = ctx != NULL && EVP_PKEY_encrypt_init(ctx) > 0 &&
		 rsa_ctx_setup(ctx, pad, md, label, label_len) &&
		 EVP_PKEY_encrypt(ctx, out->b, &outlen, in, len) > 0;

	out->len = ok ? outlen : 0;
	EVP_PKEY_free(pkey);
	EVP_PKEY_CTX_free(ctx);
	return ok;
}

int OPS(rsa_decrypt)(const struct tpm_ops_rsa_key *key, int pad,
		     const char *md, const uint8_t *label, size_t label_len,
		     const uint8_t *in, size_t len, struct tpm_ops_bytes *out)
{
	EVP_PKEY *pkey = rsa_pkey(key, 1);
	EVP_PKEY_CTX *ctx = pkey != NULL ? EVP_PKEY_CTX_new(pkey, NULL) : NULL;
	size_t outlen = sizeof(out->b);
	int ok = ctx != NULL && EVP_PKEY_decrypt_init(ctx) > 0 &&
		 rsa_ctx_setup(ctx, pad, md, label, label_len) &&
		 EVP_PKEY_decrypt(ctx, out->b, &outlen, in, len) > 0;

	out->len = ok ? outlen : 0;
	EVP_PKEY_free(pkey);
	EVP_PKEY_CTX_free(ctx);
	return ok;
}

int OPS(rsa_sign)(const struct tpm_ops_rsa_key *key, int pad, const char *md,
		  const uint8_t *dgst, size_t dlen, struct tpm_ops_bytes *sig)
{
	EVP_PKEY *pkey = rsa_pkey(key, 1);
	EVP_PKEY_CTX *ctx = pkey != NULL ? EVP_PKEY_CTX_new(pkey, NULL) : NULL;
	const EVP_MD *evp_md = EVP_get_digestbyname(md);
	size_t siglen = sizeof(sig->b);
	int ok = ctx != NULL && EVP_PKEY_sign_init(ctx) > 0 &&
		 EVP_PKEY_CTX_set_rsa_padding(ctx, pad) > 0 &&
		 EVP_PKEY_CTX_set_signature_md(ctx, evp_md) > 0;

	/* libtpms's rule: salt = digest size when it fits. */
	if (ok && pad == OPS_PAD_PSS) {
		ok = EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, -1) > 0;
	}
	ok = ok && EVP_PKEY_sign(ctx, sig->b, &siglen, dgst, dlen) > 0;
	sig->len = ok ? siglen : 0;
	EVP_PKEY_free(pkey);
	EVP_PKEY_CTX_free(ctx);
	return ok;
}

int OPS(rsa_verify)(const struct tpm_ops_rsa_key *key, int pad,
		    const char *md, const uint8_t *dgst, size_t dlen,
		    const struct tpm_ops_bytes *sig)
{
	EVP_PKEY *pkey = rsa_pkey(key, 0);
	EVP_PKEY_CTX *ctx = pkey != NULL ? EVP_PKEY_CTX_new(pkey, NULL) : NULL;
	int ret = 0;

	if (ctx != NULL && EVP_PKEY_verify_init(ctx) > 0 &&
	    EVP_PKEY_CTX_set_rsa_padding(ctx, pad) > 0 &&
	    EVP_PKEY_CTX_set_signature_md(ctx, EVP_get_digestbyname(md)) > 0) {
		ret = EVP_PKEY_verify(ctx, sig->b, sig->len, dgst, dlen);
	}
	EVP_PKEY_free(pkey);
	EVP_PKEY_CTX_free(ctx);
	return ret == 1;
}

int OPS(rsa_generate)(int bits, struct tpm_ops_rsa_key *key)
{
	RSA *rsa = RSA_new();
	BIGNUM *e = BN_new();
	const BIGNUM *n, *pe, *d, *p, *q;
	int ok = BN_set_word(e, 65537) &&
		 RSA_generate_key_ex(rsa, bits, e, NULL) == 1;

	if (ok) {
		RSA_get0_key(rsa, &n, &pe, &d);
		RSA_get0_factors(rsa, &p, &q);
		bytes_from_bn(n, &key->n);
		bytes_from_bn(pe, &key->e);
		bytes_from_bn(d, &key->d);
		bytes_from_bn(p, &key->p);
		bytes_from_bn(q, &key->q);
	}
	BN_free(e);
	RSA_free(rsa);
	return ok;
}

/* The TPM 1.2 calls: RSA_sign/RSA_verify and RSA_private_encrypt. */
static RSA *rsa_legacy(const struct tpm_ops_rsa_key *k)
{
	RSA *rsa = RSA_new();

	if (RSA_set0_key(rsa, bn_from_bytes(&k->n), bn_from_bytes(&k->e),
			 bn_from_bytes(&k->d)) != 1) {
		RSA_free(rsa);
		return NULL;
	}
	return rsa;
}

int OPS(rsa_sign_legacy)(const struct tpm_ops_rsa_key *key,
			 const uint8_t dgst[20], struct tpm_ops_bytes *sig)
{
	RSA *rsa = rsa_legacy(key);
	unsigned siglen = 0;
	uint8_t block[512];
	int ok = rsa != NULL &&
		 RSA_sign(NID_sha1, dgst, 20, sig->b, &siglen, rsa) == 1;

	sig->len = siglen;
	/* The same bytes through the raw padding + private-encrypt path. */
	if (ok) {
		int k = RSA_size(rsa);

		ok = RSA_padding_add_PKCS1_type_1(block, k, dgst, 20) == 1 &&
		     RSA_private_encrypt(20, dgst, sig->b + siglen, rsa,
					 RSA_PKCS1_PADDING) == k;
		sig->len += (size_t)k;
	}
	RSA_free(rsa);
	return ok;
}

int OPS(rsa_verify_legacy)(const struct tpm_ops_rsa_key *key,
			   const uint8_t dgst[20],
			   const struct tpm_ops_bytes *sig)
{
	RSA *rsa = rsa_legacy(key);
	int ok = rsa != NULL &&
		 RSA_verify(NID_sha1, dgst, 20, sig->b, (unsigned)sig->len,
			    rsa) == 1;

	RSA_free(rsa);
	return ok;
}

/* ---- BIO base64, as TPMLIB_SetState decodes a state blob ---- */

int OPS(base64_decode)(const char *text, struct tpm_ops_bytes *out)
{
	BIO *b64 = BIO_new(BIO_f_base64());
	BIO *mem = BIO_new_mem_buf(text, -1);
	int n;

	BIO_push(b64, mem);
	n = BIO_read(b64, out->b, (int)sizeof(out->b));
	BIO_free_all(b64);
	out->len = n > 0 ? (size_t)n : 0;
	return n > 0;
}
