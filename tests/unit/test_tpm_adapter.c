/*
 * Differential tests of the OpenSSL-API adapter (tpm/) against the real
 * OpenSSL.  The same operations (test_tpm_adapter_ops.c) run once on the
 * adapter (tpm_ad_*) and once on libcrypto (tpm_os_*) with the same inputs;
 * outputs must be equal, and signatures made by one side must verify on the
 * other.  Inputs come from a fixed-seed generator so failures reproduce.
 *
 * The adapter exports OpenSSL's names, so its objects are linked in with
 * every OpenSSL-named symbol renamed to hlk_<name> (see tests/unit/tpm.mk).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <cmocka.h>

#include "test_tpm_ops.h"
#include "tpm_adapter.h"

/* Adapter functions called directly, under their renamed symbols. */
int hlk_RAND_bytes(unsigned char *buf, int num);
const void *hlk_EVP_get_digestbyname(const char *name);

/* xorshift64*: reproducible test inputs. */
static uint64_t rng_state = 0x243f6a8885a308d3ULL;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static void rnd_fill(uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		p[i] = (uint8_t)rnd();
	}
}

static void rnd_bytes(struct tpm_ops_bytes *b, size_t len)
{
	memset(b, 0, sizeof(*b));
	rnd_fill(b->b, len);
	b->len = len;
}

static void assert_bytes_equal(const struct tpm_ops_bytes *a,
			       const struct tpm_ops_bytes *b, const char *what)
{
	if (a->len != b->len || memcmp(a->b, b->b, a->len) != 0) {
		fail_msg("%s: adapter and OpenSSL differ (lengths %zu/%zu)",
			 what, a->len, b->len);
	}
}

static int host_entropy(void *arg, unsigned char *buf, size_t len)
{
	(void)arg;
	return getrandom(buf, len, 0) == (ssize_t)len ? 0 : -1;
}

/* A deterministic "entropy" stream, only for comparing DRBG outputs. */
static int counter_entropy(void *arg, unsigned char *buf, size_t len)
{
	unsigned *counter = arg;
	size_t i;

	for (i = 0; i < len; i++) {
		buf[i] = (unsigned char)(*counter)++;
	}
	return 0;
}

static struct tpm_ops_rsa_key rsa_key; /* made by OpenSSL in setup */

static int setup(void **state)
{
	(void)state;
	if (tpm_adapter_set_entropy(host_entropy, NULL) != 0) {
		return -1;
	}
	return tpm_os_rsa_generate(2048, &rsa_key) == 1 ? 0 : -1;
}

static void adapter_digests_match_openssl(void **state)
{
	static uint8_t data[1200];
	struct tpm_ops_bytes ad, os;
	int i, alg;

	(void)state;
	rnd_fill(data, sizeof(data));
	for (i = 0; i < 150; i++) {
		size_t len = (size_t)(rnd() % sizeof(data));
		size_t chunk = 1 + (size_t)(rnd() % 200);

		for (alg = OPS_SHA1; alg <= OPS_SHA512; alg++) {
			assert_int_equal(tpm_ad_digest(alg, data, len, chunk, &ad), 1);
			assert_int_equal(tpm_os_digest(alg, data, len, chunk, &os), 1);
			assert_bytes_equal(&ad, &os, "digest");
		}
	}
}

static void adapter_ciphers_match_openssl_in_every_mode(void **state)
{
	uint8_t key[32], iv[16], in[200];
	struct tpm_ops_bytes ad, os, ad_iv, os_iv;
	int c, i, enc;

	(void)state;
	for (c = 0; c < OPS_CIPHER_COUNT; c++) {
		const char *name = tpm_os_cipher_name(c);
		size_t block = strstr(name, "des") ? 8 : 16;
		int whole_blocks = strstr(name, "ecb") || strstr(name, "cbc") ||
				   strcmp(name, "des-ede3") == 0;

		assert_string_equal(name, tpm_ad_cipher_name(c));
		for (i = 0; i < 12; i++) {
			size_t len = 1 + (size_t)(rnd() % sizeof(in));
			size_t split;

			if (whole_blocks) {
				len = block * (1 + len % (sizeof(in) / block));
			}
			split = (size_t)(rnd() % (len + 1));
			rnd_fill(key, sizeof(key));
			rnd_fill(iv, sizeof(iv));
			rnd_fill(in, sizeof(in));
			for (enc = 1; enc >= 0; enc--) {
				assert_int_equal(tpm_ad_cipher(c, enc, key, iv, in, len,
							       split, &ad, &ad_iv), 1);
				assert_int_equal(tpm_os_cipher(c, enc, key, iv, in, len,
							       split, &os, &os_iv), 1);
				assert_bytes_equal(&ad, &os, name);
				assert_bytes_equal(&ad_iv, &os_iv, name);
			}
		}
	}
}

static void adapter_low_level_ciphers_match_openssl(void **state)
{
	uint8_t key[32], iv[16], in[100];
	struct tpm_ops_bytes ad, os;
	int bits, i;

	(void)state;
	for (i = 0; i < 20; i++) {
		size_t len = 1 + (size_t)(rnd() % 64);

		rnd_fill(key, sizeof(key));
		rnd_fill(iv, sizeof(iv));
		rnd_fill(in, sizeof(in));
		for (bits = 128; bits <= 256; bits += 64) {
			/* AES_cbc_encrypt on a partial block writes a whole one. */
			size_t cbc_len = (len + 15) / 16 * 16;

			assert_int_equal(tpm_ad_aes_low(bits, key, iv, in, cbc_len, &ad), 1);
			assert_int_equal(tpm_os_aes_low(bits, key, iv, in, cbc_len, &os), 1);
			assert_bytes_equal(&ad, &os, "AES low level");
			assert_int_equal(tpm_ad_camellia_low(bits, key, in, &ad), 1);
			assert_int_equal(tpm_os_camellia_low(bits, key, in, &os), 1);
			assert_bytes_equal(&ad, &os, "Camellia_encrypt");
		}
		assert_int_equal(tpm_ad_tdes_low(key, i & 1, in, &ad), 1);
		assert_int_equal(tpm_os_tdes_low(key, i & 1, in, &os), 1);
		assert_bytes_equal(&ad, &os, "DES_ecb3_encrypt");
	}
}

static void adapter_bn_arithmetic_matches_openssl(void **state)
{
	static const char *const names[OPS_BN_OP_COUNT] = {
		"add", "sub", "mul", "div quotient", "div remainder",
		"mod_add", "mod_mul", "mod_exp", "mod_inverse", "lshift",
		"rshift", "mask_bits", "add_word", "cmp",
	};
	struct tpm_ops_bytes a, b, m, ad, os;
	int op, i, n, ok_ad, ok_os;

	(void)state;
	for (op = 0; op < OPS_BN_OP_COUNT; op++) {
		int iterations = op == OPS_BN_MOD_EXP ? 60 : 300;

		for (i = 0; i < iterations; i++) {
			size_t max = op == OPS_BN_MOD_EXP ? 128 : 80;

			rnd_bytes(&a, (size_t)(rnd() % max));
			rnd_bytes(&b, (size_t)(rnd() % max));
			rnd_bytes(&m, 1 + (size_t)(rnd() % max));
			if (i % 7 == 0) {
				m.b[m.len - 1] |= 1; /* odd moduli, as RSA uses */
			}
			if (i % 11 == 0) {
				b = a; /* equal operands: zero results */
			}
			n = (int)(rnd() % 700);
			ok_ad = tpm_ad_bn(op, &a, &b, &m, n, &ad);
			ok_os = tpm_os_bn(op, &a, &b, &m, n, &os);
			if (ok_ad != ok_os) {
				fail_msg("BN %s: adapter %d, OpenSSL %d (iteration %d)",
					 names[op], ok_ad, ok_os, i);
			}
			if (ok_os) {
				assert_bytes_equal(&ad, &os, names[op]);
				assert_int_equal(ad.negative, os.negative);
			}
		}
	}
}

static void random_scalar(struct tpm_ops_bytes *k, enum tpm_ops_curve c)
{
	rnd_bytes(k, c == OPS_P384 ? 48 : 32);
	k->b[0] &= 0x7f; /* below the order */
}

static void adapter_ec_point_ops_match_openssl(void **state)
{
	struct tpm_ops_bytes k, m, j, qx, qy, ax, ay, ox, oy;
	int c, i, mode;

	(void)state;
	for (c = 0; c < OPS_CURVE_COUNT; c++) {
		for (i = 0; i < 12; i++) {
			random_scalar(&k, c);
			random_scalar(&m, c);
			random_scalar(&j, c);
			/* Q = j*G, then k*G, m*Q and k*G + m*Q both ways. */
			assert_int_equal(tpm_os_ec_mul(c, &j, NULL, NULL, NULL, 0, &qx, &qy), 1);
			assert_int_equal(tpm_ad_ec_mul(c, &k, NULL, NULL, NULL, 0, &ax, &ay), 1);
			assert_int_equal(tpm_os_ec_mul(c, &k, NULL, NULL, NULL, 0, &ox, &oy), 1);
			assert_bytes_equal(&ax, &ox, "k*G");
			assert_bytes_equal(&ay, &oy, "k*G");
			for (mode = 0; mode < 2; mode++) {
				assert_int_equal(tpm_ad_ec_mul(c, NULL, &qx, &qy, &m, mode, &ax, &ay), 1);
				assert_int_equal(tpm_os_ec_mul(c, NULL, &qx, &qy, &m, mode, &ox, &oy), 1);
				assert_bytes_equal(&ax, &ox, "m*Q");
				assert_int_equal(tpm_ad_ec_mul(c, &k, &qx, &qy, &m, mode, &ax, &ay), 1);
				assert_int_equal(tpm_os_ec_mul(c, &k, &qx, &qy, &m, mode, &ox, &oy), 1);
				assert_bytes_equal(&ax, &ox, "k*G + m*Q");
				assert_bytes_equal(&ay, &oy, "k*G + m*Q");
			}
			assert_int_equal(tpm_ad_ec_add(c, &k, &j, &ax, &ay), 1);
			assert_int_equal(tpm_os_ec_add(c, &k, &j, &ox, &oy), 1);
			assert_bytes_equal(&ax, &ox, "EC_POINT_add");
			/* P + P doubles. */
			assert_int_equal(tpm_ad_ec_add(c, &k, &k, &ax, &ay), 1);
			assert_int_equal(tpm_os_ec_add(c, &k, &k, &ox, &oy), 1);
			assert_bytes_equal(&ay, &oy, "EC_POINT_add doubling");
			/* Off-curve coordinates are refused by both. */
			qy.b[qy.len - 1] ^= 1;
			assert_int_equal(tpm_ad_ec_set_point(c, &qx, &qy), 0);
			assert_int_equal(tpm_os_ec_set_point(c, &qx, &qy), 0);
		}
		/* 0*G is the point at infinity: no affine coordinates. */
		rnd_bytes(&k, 0);
		assert_int_equal(tpm_ad_ec_mul(c, &k, NULL, NULL, NULL, 0, &ax, &ay), 0);
		assert_int_equal(tpm_os_ec_mul(c, &k, NULL, NULL, NULL, 0, &ox, &oy), 0);
	}
}

static void adapter_ecdsa_signatures_verify_both_ways(void **state)
{
	static const size_t digest_lengths[] = { 20, 32, 48, 64 };
	struct tpm_ops_bytes d, qx, qy, r, s;
	uint8_t dgst[64];
	int c, i;

	(void)state;
	for (c = 0; c < OPS_CURVE_COUNT; c++) {
		for (i = 0; i < 8; i++) {
			size_t dlen = digest_lengths[i % 4];

			random_scalar(&d, c);
			rnd_fill(dgst, sizeof(dgst));
			assert_int_equal(tpm_os_ec_mul(c, &d, NULL, NULL, NULL, 0, &qx, &qy), 1);

			assert_int_equal(tpm_ad_ecdsa_sign(c, &d, dgst, dlen, &r, &s), 1);
			assert_int_equal(tpm_os_ecdsa_verify(c, &qx, &qy, dgst, dlen, &r, &s), 1);
			assert_int_equal(tpm_ad_ecdsa_verify(c, &qx, &qy, dgst, dlen, &r, &s), 1);

			assert_int_equal(tpm_os_ecdsa_sign(c, &d, dgst, dlen, &r, &s), 1);
			assert_int_equal(tpm_ad_ecdsa_verify(c, &qx, &qy, dgst, dlen, &r, &s), 1);

			dgst[0] ^= 0x80;
			assert_int_equal(tpm_ad_ecdsa_verify(c, &qx, &qy, dgst, dlen, &r, &s), 0);
			assert_int_equal(tpm_os_ecdsa_verify(c, &qx, &qy, dgst, dlen, &r, &s), 0);
		}
		/* An adapter-generated key pair works with OpenSSL. */
		assert_int_equal(tpm_ad_ec_generate(c, &d), 1);
		assert_int_equal(tpm_os_ec_mul(c, &d, NULL, NULL, NULL, 0, &qx, &qy), 1);
		assert_int_equal(tpm_ad_ecdsa_sign(c, &d, dgst, 32, &r, &s), 1);
		assert_int_equal(tpm_os_ecdsa_verify(c, &qx, &qy, dgst, 32, &r, &s), 1);
	}
}

static void adapter_rsa_raw_operations_match_openssl(void **state)
{
	struct tpm_ops_bytes ad, os;
	uint8_t in[256];
	int i;

	(void)state;
	for (i = 0; i < 6; i++) {
		rnd_fill(in, sizeof(in));
		in[0] &= 0x3f; /* below the modulus */
		assert_int_equal(tpm_ad_rsa_encrypt(&rsa_key, OPS_PAD_NONE, NULL, NULL, 0, in, 256, &ad), 1);
		assert_int_equal(tpm_os_rsa_encrypt(&rsa_key, OPS_PAD_NONE, NULL, NULL, 0, in, 256, &os), 1);
		assert_bytes_equal(&ad, &os, "RSA public operation");
		assert_int_equal(tpm_ad_rsa_decrypt(&rsa_key, OPS_PAD_NONE, NULL, NULL, 0, in, 256, &ad), 1);
		assert_int_equal(tpm_os_rsa_decrypt(&rsa_key, OPS_PAD_NONE, NULL, NULL, 0, in, 256, &os), 1);
		assert_bytes_equal(&ad, &os, "RSA private operation");
	}
}

static void adapter_rsa_signatures_verify_both_ways(void **state)
{
	static const char *const mds[] = { "sha1", "sha256", "sha384", "sha512" };
	static const size_t sizes[] = { 20, 32, 48, 64 };
	struct tpm_ops_bytes ad, os;
	uint8_t dgst[64];
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++) {
		rnd_fill(dgst, sizeof(dgst));
		/* PKCS#1 v1.5 is deterministic: identical bytes. */
		assert_int_equal(tpm_ad_rsa_sign(&rsa_key, OPS_PAD_PKCS1, mds[i], dgst, sizes[i], &ad), 1);
		assert_int_equal(tpm_os_rsa_sign(&rsa_key, OPS_PAD_PKCS1, mds[i], dgst, sizes[i], &os), 1);
		assert_bytes_equal(&ad, &os, "RSASSA-PKCS1-v1_5");
		assert_int_equal(tpm_ad_rsa_verify(&rsa_key, OPS_PAD_PKCS1, mds[i], dgst, sizes[i], &os), 1);
		/* PSS is randomized: cross-verify. */
		assert_int_equal(tpm_ad_rsa_sign(&rsa_key, OPS_PAD_PSS, mds[i], dgst, sizes[i], &ad), 1);
		assert_int_equal(tpm_os_rsa_verify(&rsa_key, OPS_PAD_PSS, mds[i], dgst, sizes[i], &ad), 1);
		assert_int_equal(tpm_os_rsa_sign(&rsa_key, OPS_PAD_PSS, mds[i], dgst, sizes[i], &os), 1);
		assert_int_equal(tpm_ad_rsa_verify(&rsa_key, OPS_PAD_PSS, mds[i], dgst, sizes[i], &os), 1);
		os.b[7] ^= 1;
		assert_int_equal(tpm_ad_rsa_verify(&rsa_key, OPS_PAD_PSS, mds[i], dgst, sizes[i], &os), 0);
		assert_int_equal(tpm_os_rsa_verify(&rsa_key, OPS_PAD_PSS, mds[i], dgst, sizes[i], &os), 0);
	}
	/* The TPM 1.2 calls. */
	assert_int_equal(tpm_ad_rsa_sign_legacy(&rsa_key, dgst, &ad), 1);
	assert_int_equal(tpm_os_rsa_sign_legacy(&rsa_key, dgst, &os), 1);
	assert_bytes_equal(&ad, &os, "RSA_sign / RSA_private_encrypt");
	ad.len = 256;
	assert_int_equal(tpm_os_rsa_verify_legacy(&rsa_key, dgst, &ad), 1);
	assert_int_equal(tpm_ad_rsa_verify_legacy(&rsa_key, dgst, &ad), 1);
}

static void adapter_rsa_encryption_decrypts_both_ways(void **state)
{
	static const uint8_t label[] = "label";
	struct tpm_ops_bytes ct, pt;
	uint8_t msg[100];
	int i;

	(void)state;
	for (i = 0; i < 4; i++) {
		int pad = i < 3 ? OPS_PAD_OAEP : OPS_PAD_PKCS1;
		const char *md = i == 0 ? "sha1" : i == 1 ? "sha256" : "sha384";
		size_t llen = i == 1 ? sizeof(label) : 0;
		size_t len = 1 + (size_t)(rnd() % 60);

		rnd_fill(msg, sizeof(msg));
		assert_int_equal(tpm_ad_rsa_encrypt(&rsa_key, pad, md, label, llen, msg, len, &ct), 1);
		assert_int_equal(tpm_os_rsa_decrypt(&rsa_key, pad, md, label, llen, ct.b, ct.len, &pt), 1);
		assert_int_equal(pt.len, len);
		assert_memory_equal(pt.b, msg, len);
		assert_int_equal(tpm_os_rsa_encrypt(&rsa_key, pad, md, label, llen, msg, len, &ct), 1);
		assert_int_equal(tpm_ad_rsa_decrypt(&rsa_key, pad, md, label, llen, ct.b, ct.len, &pt), 1);
		assert_int_equal(pt.len, len);
		assert_memory_equal(pt.b, msg, len);
		ct.b[40] ^= 4;
		assert_int_equal(tpm_ad_rsa_decrypt(&rsa_key, pad, md, label, llen, ct.b, ct.len, &pt), 0);
	}
}

static void adapter_rsa_generated_key_works_with_openssl(void **state)
{
	struct tpm_ops_rsa_key key;
	struct tpm_ops_bytes sig;
	uint8_t dgst[32];

	(void)state;
	assert_int_equal(tpm_ad_rsa_generate(2048, &key), 1);
	assert_int_equal(key.n.len, 256);
	rnd_fill(dgst, sizeof(dgst));
	assert_int_equal(tpm_ad_rsa_sign(&key, OPS_PAD_PKCS1, "sha256", dgst, 32, &sig), 1);
	assert_int_equal(tpm_os_rsa_verify(&key, OPS_PAD_PKCS1, "sha256", dgst, 32, &sig), 1);
	assert_int_equal(tpm_os_rsa_sign(&key, OPS_PAD_PSS, "sha256", dgst, 32, &sig), 1);
	assert_int_equal(tpm_ad_rsa_verify(&key, OPS_PAD_PSS, "sha256", dgst, 32, &sig), 1);
}

static void adapter_base64_bio_matches_openssl(void **state)
{
	static const char text[] =
		"SGlsbG9jaydzIHZUUE0gc3RhdGUgYmxvYnMgYXJlIGJhc2U2NCB3aGVuIGdp\n"
		"dmVuIGFzIHRleHQuIFRoaXMgbGluZSBpcyB0aGUgc2Vjb25kIG9uZS4=\n";
	struct tpm_ops_bytes ad, os;

	(void)state;
	assert_int_equal(tpm_ad_base64_decode(text, &ad), 1);
	assert_int_equal(tpm_os_base64_decode(text, &os), 1);
	assert_bytes_equal(&ad, &os, "base64 BIO");
}

static void adapter_rand_uses_the_installed_source(void **state)
{
	unsigned counter;
	uint8_t a[64], b[64];

	(void)state;
	counter = 0;
	assert_int_equal(tpm_adapter_set_entropy(counter_entropy, &counter), 0);
	assert_int_equal(hlk_RAND_bytes(a, sizeof(a)), 1);
	counter = 0;
	assert_int_equal(tpm_adapter_set_entropy(counter_entropy, &counter), 0);
	assert_int_equal(hlk_RAND_bytes(b, sizeof(b)), 1);
	assert_memory_equal(a, b, sizeof(a)); /* same seed, same stream */

	assert_int_equal(tpm_adapter_set_entropy(host_entropy, NULL), 0);
	assert_int_equal(hlk_RAND_bytes(b, sizeof(b)), 1);
	assert_memory_not_equal(a, b, sizeof(a));

	assert_int_not_equal(tpm_adapter_set_entropy(NULL, NULL), 0);
	assert_int_equal(hlk_RAND_bytes(b, sizeof(b)), 0); /* no source: fail */
	assert_int_equal(tpm_adapter_set_entropy(host_entropy, NULL), 0);
}

static void adapter_unsupported_calls_fail_and_are_counted(void **state)
{
	unsigned before = tpm_adapter_unsupported_count();

	(void)state;
	assert_null(hlk_EVP_get_digestbyname("md5"));
	assert_int_equal(tpm_adapter_unsupported_count(), before + 1);
	assert_non_null(strstr(tpm_adapter_unsupported_last(),
			       "EVP_get_digestbyname"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(adapter_digests_match_openssl),
		cmocka_unit_test(adapter_ciphers_match_openssl_in_every_mode),
		cmocka_unit_test(adapter_low_level_ciphers_match_openssl),
		cmocka_unit_test(adapter_bn_arithmetic_matches_openssl),
		cmocka_unit_test(adapter_ec_point_ops_match_openssl),
		cmocka_unit_test(adapter_ecdsa_signatures_verify_both_ways),
		cmocka_unit_test(adapter_rsa_raw_operations_match_openssl),
		cmocka_unit_test(adapter_rsa_signatures_verify_both_ways),
		cmocka_unit_test(adapter_rsa_encryption_decrypts_both_ways),
		cmocka_unit_test(adapter_rsa_generated_key_works_with_openssl),
		cmocka_unit_test(adapter_base64_bio_matches_openssl),
		cmocka_unit_test(adapter_rand_uses_the_installed_source),
		cmocka_unit_test(adapter_unsupported_calls_fail_and_are_counted),
	};

	return cmocka_run_group_tests_name("tpm_adapter", tests, setup, NULL);
}
