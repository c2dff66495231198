/*
 * Block ciphers: the low-level AES_*, Camellia_* and DES_* calls on the key
 * layouts libtpms allocates, and EVP_CIPHER_CTX with the five modes libtpms
 * asks for.  mbedtls supplies the block functions; the modes are written here
 * once for all three ciphers (SP 800-38A), keeping OpenSSL's running-IV
 * semantics: CBC/OFB keep the last ciphertext / keystream block, CFB keeps
 * its feedback register updated byte by byte, CTR keeps the next counter.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/aes.h>
#include <mbedtls/camellia.h>
#include <mbedtls/des.h>
#include <mbedtls/platform_util.h>

#include "../openssl/aes.h"
#include "../openssl/camellia.h"
#include "../openssl/des.h"
#include "../openssl/evp.h"
#include "../openssl/rand.h"
#include "adapter_internal.h"

_Static_assert(sizeof(AES_KEY) == 244, "AES_KEY must keep OpenSSL's size");
_Static_assert(sizeof(CAMELLIA_KEY) == 280, "CAMELLIA_KEY: OpenSSL's size");
_Static_assert(sizeof(mbedtls_camellia_context) <= sizeof(CAMELLIA_KEY),
	       "the mbedtls Camellia context must fit in CAMELLIA_KEY");
_Static_assert(_Alignof(mbedtls_camellia_context) <= _Alignof(CAMELLIA_KEY),
	       "CAMELLIA_KEY must be aligned for the mbedtls context");
_Static_assert(sizeof(DES_key_schedule) == 32 * sizeof(uint32_t),
	       "DES_key_schedule holds the 32 DES subkey words");

/* ---- AES_KEY: mbedtls round keys stored in OpenSSL's rd_key array ---- */

static int aes_key_store(AES_KEY *key, const mbedtls_aes_context *m)
{
	size_t words = 4 * (size_t)(m->nr + 1);

	if (words > sizeof(key->rd_key) / sizeof(key->rd_key[0])) {
		return -2;
	}
	memcpy(key->rd_key, m->rk, words * sizeof(uint32_t));
	key->rounds = m->nr;
	return 0;
}

/* A usable mbedtls context around a copy of the stored round keys. */
static void aes_key_load(mbedtls_aes_context *m, const AES_KEY *key)
{
	mbedtls_aes_init(m);
	m->nr = key->rounds;
	m->rk = m->buf;
	memcpy(m->buf, key->rd_key, 4 * (size_t)(key->rounds + 1) * 4);
}

static int aes_set_key(const unsigned char *user_key, int bits, AES_KEY *key,
		       int decrypt)
{
	mbedtls_aes_context m;
	int ret;

	if (user_key == NULL || key == NULL) {
		return -1;
	}
	if (bits != 128 && bits != 192 && bits != 256) {
		return -2;
	}
	mbedtls_aes_init(&m);
	ret = decrypt ? mbedtls_aes_setkey_dec(&m, user_key, (unsigned)bits)
		      : mbedtls_aes_setkey_enc(&m, user_key, (unsigned)bits);
	ret = ret == 0 ? aes_key_store(key, &m) : -2;
	mbedtls_aes_free(&m);
	return ret;
}

int AES_set_encrypt_key(const unsigned char *userKey, const int bits,
			AES_KEY *key)
{
	return aes_set_key(userKey, bits, key, 0);
}

int AES_set_decrypt_key(const unsigned char *userKey, const int bits,
			AES_KEY *key)
{
	return aes_set_key(userKey, bits, key, 1);
}

static void aes_block(const AES_KEY *key, int mode, const unsigned char *in,
		      unsigned char *out)
{
	mbedtls_aes_context m;

	if (key->rounds != 10 && key->rounds != 12 && key->rounds != 14) {
		adapter_log("tpm adapter: AES_KEY without a key schedule");
		memset(out, 0, AES_BLOCK_SIZE);
		return;
	}
	aes_key_load(&m, key);
	mbedtls_aes_crypt_ecb(&m, mode, in, out);
	mbedtls_platform_zeroize(&m, sizeof(m));
}

void AES_encrypt(const unsigned char *in, unsigned char *out,
		 const AES_KEY *key)
{
	aes_block(key, MBEDTLS_AES_ENCRYPT, in, out);
}

/*
 * CBC over whole blocks; a trailing partial block is handled as OpenSSL does
 * (encryption zero-extends it and writes a full block, decryption writes only
 * the partial bytes).
 */
void AES_cbc_encrypt(const unsigned char *in, unsigned char *out,
		     size_t length, const AES_KEY *key, unsigned char *ivec,
		     const int enc)
{
	unsigned char block[AES_BLOCK_SIZE], next_iv[AES_BLOCK_SIZE];
	size_t i, n;

	while (length > 0) {
		n = length < AES_BLOCK_SIZE ? length : AES_BLOCK_SIZE;
		if (enc == AES_ENCRYPT) {
			for (i = 0; i < AES_BLOCK_SIZE; i++) {
				block[i] = ivec[i] ^ (i < n ? in[i] : 0);
			}
			aes_block(key, MBEDTLS_AES_ENCRYPT, block, out);
			memcpy(ivec, out, AES_BLOCK_SIZE);
		} else {
			memcpy(next_iv, in, AES_BLOCK_SIZE);
			aes_block(key, MBEDTLS_AES_DECRYPT, in, block);
			for (i = 0; i < n; i++) {
				out[i] = block[i] ^ ivec[i];
			}
			memcpy(ivec, next_iv, AES_BLOCK_SIZE);
		}
		in += n;
		out += n;
		length -= n;
	}
	mbedtls_platform_zeroize(block, sizeof(block));
}

void AES_ofb128_encrypt(const unsigned char *in, unsigned char *out,
			size_t length, const AES_KEY *key,
			unsigned char *ivec, int *num)
{
	unsigned int n = (unsigned int)*num % AES_BLOCK_SIZE;
	size_t i;

	for (i = 0; i < length; i++) {
		if (n == 0) {
			aes_block(key, MBEDTLS_AES_ENCRYPT, ivec, ivec);
		}
		out[i] = in[i] ^ ivec[n];
		n = (n + 1) % AES_BLOCK_SIZE;
	}
	*num = (int)n;
}

/* ---- CAMELLIA_KEY: an mbedtls context stored in OpenSSL's space ---- */

int Camellia_set_key(const unsigned char *userKey, const int bits,
		     CAMELLIA_KEY *key)
{
	mbedtls_camellia_context *m = (mbedtls_camellia_context *)key;

	if (userKey == NULL || key == NULL) {
		return -1;
	}
	if (bits != 128 && bits != 192 && bits != 256) {
		return -2;
	}
	memset(key, 0, sizeof(*key));
	mbedtls_camellia_init(m);
	return mbedtls_camellia_setkey_enc(m, userKey, (unsigned)bits) == 0
		       ? 0
		       : -2;
}

void Camellia_encrypt(const unsigned char *in, unsigned char *out,
		      const CAMELLIA_KEY *key)
{
	/* mbedtls takes a non-const context but does not modify it here. */
	mbedtls_camellia_crypt_ecb((mbedtls_camellia_context *)(uintptr_t)key,
				   MBEDTLS_CAMELLIA_ENCRYPT, in, out);
}

/* ---- DES_key_schedule: the 32 encryption subkey words ---- */

void DES_set_key_unchecked(const_DES_cblock *key, DES_key_schedule *schedule)
{
	mbedtls_des_setkey((uint32_t *)(void *)schedule, *key);
}

/*
 * A single-DES context running one schedule in either direction: decryption
 * uses the 16 round subkeys (two words each) in reverse order.
 */
static void des_context_from(mbedtls_des_context *m,
			     const DES_key_schedule *ks, int encrypt)
{
	const uint32_t *sk = (const uint32_t *)(const void *)ks;
	int round;

	mbedtls_des_init(m);
	for (round = 0; round < 16; round++) {
		int from = encrypt ? round : 15 - round;

		m->sk[2 * round] = sk[2 * from];
		m->sk[2 * round + 1] = sk[2 * from + 1];
	}
}

static void des_step(const DES_key_schedule *ks, int encrypt,
		     unsigned char block[8])
{
	mbedtls_des_context m;

	des_context_from(&m, ks, encrypt);
	mbedtls_des_crypt_ecb(&m, block, block);
	mbedtls_des_free(&m);
}

/* EDE: E(k1) D(k2) E(k3) to encrypt, D(k3) E(k2) D(k1) to decrypt. */
void DES_ecb3_encrypt(const_DES_cblock *input, DES_cblock *output,
		      DES_key_schedule *ks1, DES_key_schedule *ks2,
		      DES_key_schedule *ks3, int enc)
{
	unsigned char block[8];

	memcpy(block, *input, sizeof(block));
	if (enc == DES_ENCRYPT) {
		des_step(ks1, 1, block);
		des_step(ks2, 0, block);
		des_step(ks3, 1, block);
	} else {
		des_step(ks3, 0, block);
		des_step(ks2, 1, block);
		des_step(ks1, 0, block);
	}
	memcpy(*output, block, sizeof(block));
	mbedtls_platform_zeroize(block, sizeof(block));
}

int DES_random_key(DES_cblock *ret)
{
	do {
		if (RAND_bytes(*ret, sizeof(*ret)) != 1) {
			return 0;
		}
		mbedtls_des_key_set_parity(*ret);
	} while (mbedtls_des_key_check_weak(*ret) != 0);
	return 1;
}

/* ---- EVP_CIPHER ---- */

enum cipher_alg { CIPHER_AES, CIPHER_CAMELLIA, CIPHER_TDES };
enum cipher_mode { MODE_ECB, MODE_CBC, MODE_CFB, MODE_OFB, MODE_CTR };

struct evp_cipher_st {
	enum cipher_alg alg;
	enum cipher_mode mode;
	unsigned key_len;
	unsigned block_size;
};

struct evp_cipher_ctx_st {
	const EVP_CIPHER *cipher;
	int encrypt;
	int padding;
	union {
		mbedtls_aes_context aes;
		mbedtls_camellia_context camellia;
		mbedtls_des3_context tdes;
	} key;
	int key_decrypts; /* the schedule runs the block cipher backwards */
	unsigned char iv[EVP_MAX_IV_LENGTH];
	unsigned char keystream[EVP_MAX_IV_LENGTH]; /* CTR */
	unsigned num; /* stream modes: bytes used of the current block */
	unsigned char buf[EVP_MAX_IV_LENGTH]; /* ECB/CBC: pending input */
	unsigned buf_len;
};

#define DEFINE_CIPHER(fn, a, m, klen, bsize)                               \
	const EVP_CIPHER *fn(void)                                         \
	{                                                                  \
		static const EVP_CIPHER c = { a, m, klen, bsize };         \
		return &c;                                                 \
	}

DEFINE_CIPHER(EVP_aes_128_ecb, CIPHER_AES, MODE_ECB, 16, 16)
DEFINE_CIPHER(EVP_aes_192_ecb, CIPHER_AES, MODE_ECB, 24, 16)
DEFINE_CIPHER(EVP_aes_256_ecb, CIPHER_AES, MODE_ECB, 32, 16)
DEFINE_CIPHER(EVP_aes_128_cbc, CIPHER_AES, MODE_CBC, 16, 16)
DEFINE_CIPHER(EVP_aes_192_cbc, CIPHER_AES, MODE_CBC, 24, 16)
DEFINE_CIPHER(EVP_aes_256_cbc, CIPHER_AES, MODE_CBC, 32, 16)
DEFINE_CIPHER(EVP_aes_128_cfb128, CIPHER_AES, MODE_CFB, 16, 16)
DEFINE_CIPHER(EVP_aes_192_cfb128, CIPHER_AES, MODE_CFB, 24, 16)
DEFINE_CIPHER(EVP_aes_256_cfb128, CIPHER_AES, MODE_CFB, 32, 16)
DEFINE_CIPHER(EVP_aes_128_ofb, CIPHER_AES, MODE_OFB, 16, 16)
DEFINE_CIPHER(EVP_aes_192_ofb, CIPHER_AES, MODE_OFB, 24, 16)
DEFINE_CIPHER(EVP_aes_256_ofb, CIPHER_AES, MODE_OFB, 32, 16)
DEFINE_CIPHER(EVP_aes_128_ctr, CIPHER_AES, MODE_CTR, 16, 16)
DEFINE_CIPHER(EVP_aes_192_ctr, CIPHER_AES, MODE_CTR, 24, 16)
DEFINE_CIPHER(EVP_aes_256_ctr, CIPHER_AES, MODE_CTR, 32, 16)
DEFINE_CIPHER(EVP_camellia_128_ecb, CIPHER_CAMELLIA, MODE_ECB, 16, 16)
DEFINE_CIPHER(EVP_camellia_192_ecb, CIPHER_CAMELLIA, MODE_ECB, 24, 16)
DEFINE_CIPHER(EVP_camellia_256_ecb, CIPHER_CAMELLIA, MODE_ECB, 32, 16)
DEFINE_CIPHER(EVP_camellia_128_cbc, CIPHER_CAMELLIA, MODE_CBC, 16, 16)
DEFINE_CIPHER(EVP_camellia_192_cbc, CIPHER_CAMELLIA, MODE_CBC, 24, 16)
DEFINE_CIPHER(EVP_camellia_256_cbc, CIPHER_CAMELLIA, MODE_CBC, 32, 16)
DEFINE_CIPHER(EVP_camellia_128_cfb128, CIPHER_CAMELLIA, MODE_CFB, 16, 16)
DEFINE_CIPHER(EVP_camellia_192_cfb128, CIPHER_CAMELLIA, MODE_CFB, 24, 16)
DEFINE_CIPHER(EVP_camellia_256_cfb128, CIPHER_CAMELLIA, MODE_CFB, 32, 16)
DEFINE_CIPHER(EVP_camellia_128_ofb, CIPHER_CAMELLIA, MODE_OFB, 16, 16)
DEFINE_CIPHER(EVP_camellia_192_ofb, CIPHER_CAMELLIA, MODE_OFB, 24, 16)
DEFINE_CIPHER(EVP_camellia_256_ofb, CIPHER_CAMELLIA, MODE_OFB, 32, 16)
DEFINE_CIPHER(EVP_camellia_128_ctr, CIPHER_CAMELLIA, MODE_CTR, 16, 16)
DEFINE_CIPHER(EVP_camellia_192_ctr, CIPHER_CAMELLIA, MODE_CTR, 24, 16)
DEFINE_CIPHER(EVP_camellia_256_ctr, CIPHER_CAMELLIA, MODE_CTR, 32, 16)
DEFINE_CIPHER(EVP_des_ede3, CIPHER_TDES, MODE_ECB, 24, 8)
DEFINE_CIPHER(EVP_des_ede3_ecb, CIPHER_TDES, MODE_ECB, 24, 8)
DEFINE_CIPHER(EVP_des_ede3_cbc, CIPHER_TDES, MODE_CBC, 24, 8)
DEFINE_CIPHER(EVP_des_ede3_cfb64, CIPHER_TDES, MODE_CFB, 24, 8)
DEFINE_CIPHER(EVP_des_ede3_ofb, CIPHER_TDES, MODE_OFB, 24, 8)

EVP_CIPHER_CTX *EVP_CIPHER_CTX_new(void)
{
	EVP_CIPHER_CTX *ctx = calloc(1, sizeof(*ctx));

	if (ctx != NULL) {
		ctx->padding = 1;
	}
	return ctx;
}

static void cipher_ctx_clear_key(EVP_CIPHER_CTX *ctx)
{
	if (ctx->cipher != NULL) {
		switch (ctx->cipher->alg) {
		case CIPHER_AES:
			mbedtls_aes_free(&ctx->key.aes);
			break;
		case CIPHER_CAMELLIA:
			mbedtls_camellia_free(&ctx->key.camellia);
			break;
		case CIPHER_TDES:
			mbedtls_des3_free(&ctx->key.tdes);
			break;
		}
	}
	mbedtls_platform_zeroize(ctx, sizeof(*ctx));
}

void EVP_CIPHER_CTX_free(EVP_CIPHER_CTX *ctx)
{
	if (ctx != NULL) {
		cipher_ctx_clear_key(ctx);
		free(ctx);
	}
}

int EVP_CIPHER_CTX_set_padding(EVP_CIPHER_CTX *ctx, int pad)
{
	ctx->padding = pad != 0;
	return 1;
}

int EVP_CIPHER_CTX_get_iv_length(const EVP_CIPHER_CTX *ctx)
{
	if (ctx->cipher == NULL || ctx->cipher->mode == MODE_ECB) {
		return 0;
	}
	return (int)ctx->cipher->block_size;
}

const unsigned char *EVP_CIPHER_CTX_iv(const EVP_CIPHER_CTX *ctx)
{
	return ctx->iv;
}

/*
 * Only ECB and CBC decryption run the block cipher backwards; the other
 * modes use the forward direction both ways.
 */
static int cipher_set_key(EVP_CIPHER_CTX *ctx, const unsigned char *key,
			  int backwards)
{
	unsigned bits = 8 * ctx->cipher->key_len;

	ctx->key_decrypts = backwards;
	switch (ctx->cipher->alg) {
	case CIPHER_AES:
		mbedtls_aes_init(&ctx->key.aes);
		return (backwards ? mbedtls_aes_setkey_dec(&ctx->key.aes, key,
							   bits)
				  : mbedtls_aes_setkey_enc(&ctx->key.aes, key,
							   bits)) == 0;
	case CIPHER_CAMELLIA:
		mbedtls_camellia_init(&ctx->key.camellia);
		return (backwards ? mbedtls_camellia_setkey_dec(
					    &ctx->key.camellia, key, bits)
				  : mbedtls_camellia_setkey_enc(
					    &ctx->key.camellia, key, bits)) == 0;
	case CIPHER_TDES:
		mbedtls_des3_init(&ctx->key.tdes);
		return (backwards ? mbedtls_des3_set3key_dec(&ctx->key.tdes, key)
				  : mbedtls_des3_set3key_enc(&ctx->key.tdes,
							     key)) == 0;
	}
	return 0;
}

static void cipher_block(EVP_CIPHER_CTX *ctx, const unsigned char *in,
			 unsigned char *out)
{
	switch (ctx->cipher->alg) {
	case CIPHER_AES:
		mbedtls_aes_crypt_ecb(&ctx->key.aes,
				      ctx->key_decrypts ? MBEDTLS_AES_DECRYPT
							: MBEDTLS_AES_ENCRYPT,
				      in, out);
		break;
	case CIPHER_CAMELLIA:
		mbedtls_camellia_crypt_ecb(&ctx->key.camellia,
					   ctx->key_decrypts
						   ? MBEDTLS_CAMELLIA_DECRYPT
						   : MBEDTLS_CAMELLIA_ENCRYPT,
					   in, out);
		break;
	case CIPHER_TDES:
		mbedtls_des3_crypt_ecb(&ctx->key.tdes, in, out);
		break;
	}
}

static int cipher_init(EVP_CIPHER_CTX *ctx, const EVP_CIPHER *cipher,
		       const unsigned char *key, const unsigned char *iv,
		       int encrypt)
{
	int padding = ctx->padding;

	if (cipher == NULL || key == NULL) {
		/* libtpms always passes cipher and key in one call. */
		return adapter_unsupported("EVP_CipherInit without cipher/key");
	}
	cipher_ctx_clear_key(ctx);
	ctx->cipher = cipher;
	ctx->encrypt = encrypt;
	ctx->padding = padding;
	if (iv != NULL && cipher->mode != MODE_ECB) {
		memcpy(ctx->iv, iv, cipher->block_size);
	}
	return cipher_set_key(ctx, key,
			      !encrypt && (cipher->mode == MODE_ECB ||
					   cipher->mode == MODE_CBC));
}

int EVP_EncryptInit_ex(EVP_CIPHER_CTX *ctx, const EVP_CIPHER *cipher,
		       ENGINE *impl, const unsigned char *key,
		       const unsigned char *iv)
{
	(void)impl;
	return cipher_init(ctx, cipher, key, iv, 1);
}

int EVP_DecryptInit_ex(EVP_CIPHER_CTX *ctx, const EVP_CIPHER *cipher,
		       ENGINE *impl, const unsigned char *key,
		       const unsigned char *iv)
{
	(void)impl;
	return cipher_init(ctx, cipher, key, iv, 0);
}

/* One whole block of ECB or CBC in the context's direction. */
static void cipher_block_mode(EVP_CIPHER_CTX *ctx, const unsigned char *in,
			      unsigned char *out)
{
	unsigned bs = ctx->cipher->block_size, i;
	unsigned char tmp[EVP_MAX_IV_LENGTH];

	if (ctx->cipher->mode == MODE_ECB) {
		cipher_block(ctx, in, out);
	} else if (ctx->encrypt) {
		for (i = 0; i < bs; i++) {
			tmp[i] = in[i] ^ ctx->iv[i];
		}
		cipher_block(ctx, tmp, out);
		memcpy(ctx->iv, out, bs);
	} else {
		unsigned char next_iv[EVP_MAX_IV_LENGTH];

		memcpy(next_iv, in, bs);
		cipher_block(ctx, in, tmp);
		for (i = 0; i < bs; i++) {
			out[i] = tmp[i] ^ ctx->iv[i];
		}
		memcpy(ctx->iv, next_iv, bs);
	}
	mbedtls_platform_zeroize(tmp, sizeof(tmp));
}

/* CFB, OFB and CTR turn the cipher into a byte stream. */
static void cipher_stream(EVP_CIPHER_CTX *ctx, const unsigned char *in,
			  unsigned char *out, size_t len)
{
	unsigned bs = ctx->cipher->block_size;
	size_t i;
	int j;

	for (i = 0; i < len; i++) {
		unsigned char c = in[i];

		switch (ctx->cipher->mode) {
		case MODE_CFB:
			if (ctx->num == 0) {
				cipher_block(ctx, ctx->iv, ctx->iv);
			}
			out[i] = c ^ ctx->iv[ctx->num];
			ctx->iv[ctx->num] = ctx->encrypt ? out[i] : c;
			break;
		case MODE_OFB:
			if (ctx->num == 0) {
				cipher_block(ctx, ctx->iv, ctx->iv);
			}
			out[i] = c ^ ctx->iv[ctx->num];
			break;
		default: /* MODE_CTR: big-endian counter over the block */
			if (ctx->num == 0) {
				cipher_block(ctx, ctx->iv, ctx->keystream);
				for (j = (int)bs - 1; j >= 0; j--) {
					if (++ctx->iv[j] != 0) {
						break;
					}
				}
			}
			out[i] = c ^ ctx->keystream[ctx->num];
			break;
		}
		ctx->num = (ctx->num + 1) % bs;
	}
}

static int cipher_update(EVP_CIPHER_CTX *ctx, unsigned char *out, int *outl,
			 const unsigned char *in, int inl)
{
	unsigned bs;
	size_t len, done = 0, produced = 0;
	/* Decryption with padding holds back the last block for Final. */
	int hold_back;

	*outl = 0;
	if (ctx->cipher == NULL || inl < 0) {
		return 0;
	}
	bs = ctx->cipher->block_size;
	len = (size_t)inl;
	if (ctx->cipher->mode != MODE_ECB && ctx->cipher->mode != MODE_CBC) {
		cipher_stream(ctx, in, out, len);
		*outl = inl;
		return 1;
	}
	hold_back = !ctx->encrypt && ctx->padding;
	while (done < len) {
		size_t take = bs - ctx->buf_len;

		if (take > len - done) {
			take = len - done;
		}
		memcpy(ctx->buf + ctx->buf_len, in + done, take);
		ctx->buf_len += (unsigned)take;
		done += take;
		if (ctx->buf_len == bs && (!hold_back || done < len)) {
			cipher_block_mode(ctx, ctx->buf, out + produced);
			produced += bs;
			ctx->buf_len = 0;
		}
	}
	if (produced > INT_MAX) {
		return 0;
	}
	*outl = (int)produced;
	return 1;
}

int EVP_EncryptUpdate(EVP_CIPHER_CTX *ctx, unsigned char *out, int *outl,
		      const unsigned char *in, int inl)
{
	return cipher_update(ctx, out, outl, in, inl);
}

int EVP_DecryptUpdate(EVP_CIPHER_CTX *ctx, unsigned char *out, int *outl,
		      const unsigned char *in, int inl)
{
	return cipher_update(ctx, out, outl, in, inl);
}

/* PKCS#7 padding when enabled; without it, leftover input is an error. */
int EVP_EncryptFinal_ex(EVP_CIPHER_CTX *ctx, unsigned char *out, int *outl)
{
	unsigned bs;

	*outl = 0;
	if (ctx->cipher == NULL) {
		return 0;
	}
	bs = ctx->cipher->block_size;
	if (ctx->cipher->mode != MODE_ECB && ctx->cipher->mode != MODE_CBC) {
		return 1;
	}
	if (!ctx->padding) {
		return ctx->buf_len == 0;
	}
	memset(ctx->buf + ctx->buf_len, (int)(bs - ctx->buf_len),
	       bs - ctx->buf_len);
	cipher_block_mode(ctx, ctx->buf, out);
	ctx->buf_len = 0;
	*outl = (int)bs;
	return 1;
}

int EVP_DecryptFinal(EVP_CIPHER_CTX *ctx, unsigned char *outm, int *outl)
{
	unsigned char block[EVP_MAX_IV_LENGTH];
	unsigned bs, pad, i;

	*outl = 0;
	if (ctx->cipher == NULL) {
		return 0;
	}
	bs = ctx->cipher->block_size;
	if (ctx->cipher->mode != MODE_ECB && ctx->cipher->mode != MODE_CBC) {
		return 1;
	}
	if (!ctx->padding) {
		return ctx->buf_len == 0;
	}
	if (ctx->buf_len != bs) {
		return 0;
	}
	cipher_block_mode(ctx, ctx->buf, block);
	ctx->buf_len = 0;
	pad = block[bs - 1];
	if (pad == 0 || pad > bs) {
		return 0;
	}
	for (i = bs - pad; i < bs; i++) {
		if (block[i] != pad) {
			return 0;
		}
	}
	memcpy(outm, block, bs - pad);
	*outl = (int)(bs - pad);
	mbedtls_platform_zeroize(block, sizeof(block));
	return 1;
}
