/*
 * SHA-1/SHA-2 on OpenSSL's public context layouts (tpm/openssl/sha.h), with
 * mbedtls doing the block compression.  Buffering, bit counting and padding
 * follow FIPS 180-4 §5.1: append 0x80, zeros, then the message length in
 * bits as a big-endian 64-bit (SHA-1/256) or 128-bit (SHA-384/512) number.
 */
#include <string.h>

#include <mbedtls/platform_util.h>
#include <mbedtls/sha1.h>
#include <mbedtls/sha256.h>
#include <mbedtls/sha512.h>

#include "../openssl/evp.h"
#include "../openssl/sha.h"
#include "adapter_internal.h"

/* Initial hash values, FIPS 180-4 §5.3. */
static const SHA_LONG sha1_iv[5] = { 0x67452301, 0xefcdab89, 0x98badcfe,
				     0x10325476, 0xc3d2e1f0 };
static const SHA_LONG sha256_iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372,
				       0xa54ff53a, 0x510e527f, 0x9b05688c,
				       0x1f83d9ab, 0x5be0cd19 };
static const SHA_LONG64 sha384_iv[8] = {
	0xcbbb9d5dc1059ed8ULL, 0x629a292a367cd507ULL, 0x9159015a3070dd17ULL,
	0x152fecd8f70e5939ULL, 0x67332667ffc00b31ULL, 0x8eb44a8768581511ULL,
	0xdb0c2e0d64f98fa7ULL, 0x47b5481dbefa4fa4ULL
};
static const SHA_LONG64 sha512_iv[8] = {
	0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL,
	0xa54ff53a5f1d36f1ULL, 0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL,
	0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL
};

static void put_be32(unsigned char *p, SHA_LONG v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void put_be64(unsigned char *p, SHA_LONG64 v)
{
	put_be32(p, (SHA_LONG)(v >> 32));
	put_be32(p + 4, (SHA_LONG)v);
}

/* One 64-byte block into a 5- or 8-word chaining value. */
static void sha1_block(SHA_CTX *c, const unsigned char *block)
{
	mbedtls_sha1_context m;

	memset(&m, 0, sizeof(m));
	m.state[0] = c->h0;
	m.state[1] = c->h1;
	m.state[2] = c->h2;
	m.state[3] = c->h3;
	m.state[4] = c->h4;
	mbedtls_internal_sha1_process(&m, block);
	c->h0 = m.state[0];
	c->h1 = m.state[1];
	c->h2 = m.state[2];
	c->h3 = m.state[3];
	c->h4 = m.state[4];
	mbedtls_platform_zeroize(&m, sizeof(m));
}

static void sha256_block(SHA256_CTX *c, const unsigned char *block)
{
	mbedtls_sha256_context m;

	memset(&m, 0, sizeof(m));
	memcpy(m.state, c->h, sizeof(c->h));
	mbedtls_internal_sha256_process(&m, block);
	memcpy(c->h, m.state, sizeof(c->h));
	mbedtls_platform_zeroize(&m, sizeof(m));
}

static void sha512_block(SHA512_CTX *c, const unsigned char *block)
{
	mbedtls_sha512_context m;

	memset(&m, 0, sizeof(m));
	memcpy(m.state, c->h, sizeof(c->h));
	mbedtls_internal_sha512_process(&m, block);
	memcpy(c->h, m.state, sizeof(c->h));
	mbedtls_platform_zeroize(&m, sizeof(m));
}

/* Shared 64-byte-block buffering for SHA-1 and SHA-256. */
typedef void (*block32_fn)(void *ctx, const unsigned char *block);

static void sha32_update(void *ctx, SHA_LONG *nl, SHA_LONG *nh,
			 unsigned char *buf, unsigned int *num,
			 block32_fn block, const unsigned char *in, size_t len)
{
	SHA_LONG low = *nl + (SHA_LONG)(len << 3);

	if (low < *nl) {
		(*nh)++;
	}
	*nh += (SHA_LONG)((unsigned long long)len >> 29);
	*nl = low;
	if (*num != 0) {
		size_t take = 64 - *num < len ? 64 - *num : len;

		memcpy(buf + *num, in, take);
		*num += (unsigned int)take;
		in += take;
		len -= take;
		if (*num < 64) {
			return;
		}
		block(ctx, buf);
		*num = 0;
	}
	for (; len >= 64; in += 64, len -= 64) {
		block(ctx, in);
	}
	memcpy(buf, in, len);
	*num = (unsigned int)len;
}

static void sha32_pad(void *ctx, SHA_LONG nl, SHA_LONG nh, unsigned char *buf,
		      unsigned int *num, block32_fn block)
{
	unsigned int n = *num;

	buf[n++] = 0x80;
	if (n > 56) {
		memset(buf + n, 0, 64 - n);
		block(ctx, buf);
		n = 0;
	}
	memset(buf + n, 0, 56 - n);
	put_be32(buf + 56, nh);
	put_be32(buf + 60, nl);
	block(ctx, buf);
	*num = 0;
	memset(buf, 0, 64);
}

static void sha1_block_any(void *ctx, const unsigned char *block)
{
	sha1_block(ctx, block);
}

static void sha256_block_any(void *ctx, const unsigned char *block)
{
	sha256_block(ctx, block);
}

int SHA1_Init(SHA_CTX *c)
{
	memset(c, 0, sizeof(*c));
	c->h0 = sha1_iv[0];
	c->h1 = sha1_iv[1];
	c->h2 = sha1_iv[2];
	c->h3 = sha1_iv[3];
	c->h4 = sha1_iv[4];
	return 1;
}

int SHA1_Update(SHA_CTX *c, const void *data, size_t len)
{
	sha32_update(c, &c->Nl, &c->Nh, (unsigned char *)c->data, &c->num,
		     sha1_block_any, data, len);
	return 1;
}

int SHA1_Final(unsigned char *md, SHA_CTX *c)
{
	sha32_pad(c, c->Nl, c->Nh, (unsigned char *)c->data, &c->num,
		  sha1_block_any);
	put_be32(md, c->h0);
	put_be32(md + 4, c->h1);
	put_be32(md + 8, c->h2);
	put_be32(md + 12, c->h3);
	put_be32(md + 16, c->h4);
	return 1;
}

int SHA256_Init(SHA256_CTX *c)
{
	memset(c, 0, sizeof(*c));
	memcpy(c->h, sha256_iv, sizeof(c->h));
	c->md_len = SHA256_DIGEST_LENGTH;
	return 1;
}

int SHA256_Update(SHA256_CTX *c, const void *data, size_t len)
{
	sha32_update(c, &c->Nl, &c->Nh, (unsigned char *)c->data, &c->num,
		     sha256_block_any, data, len);
	return 1;
}

int SHA256_Final(unsigned char *md, SHA256_CTX *c)
{
	unsigned int i;

	sha32_pad(c, c->Nl, c->Nh, (unsigned char *)c->data, &c->num,
		  sha256_block_any);
	for (i = 0; i < c->md_len / 4; i++) {
		put_be32(md + 4 * i, c->h[i]);
	}
	return 1;
}

static int sha512_init_with(SHA512_CTX *c, const SHA_LONG64 *iv,
			    unsigned int md_len)
{
	memset(c, 0, sizeof(*c));
	memcpy(c->h, iv, sizeof(c->h));
	c->md_len = md_len;
	return 1;
}

int SHA384_Init(SHA512_CTX *c)
{
	return sha512_init_with(c, sha384_iv, SHA384_DIGEST_LENGTH);
}

int SHA512_Init(SHA512_CTX *c)
{
	return sha512_init_with(c, sha512_iv, SHA512_DIGEST_LENGTH);
}

int SHA512_Update(SHA512_CTX *c, const void *data, size_t len)
{
	const unsigned char *in = data;
	SHA_LONG64 low = c->Nl + ((SHA_LONG64)len << 3);

	if (low < c->Nl) {
		c->Nh++;
	}
	c->Nh += (SHA_LONG64)len >> 61;
	c->Nl = low;
	if (c->num != 0) {
		size_t take = SHA512_CBLOCK - c->num < len
				      ? SHA512_CBLOCK - c->num
				      : len;

		memcpy(c->u.p + c->num, in, take);
		c->num += (unsigned int)take;
		in += take;
		len -= take;
		if (c->num < SHA512_CBLOCK) {
			return 1;
		}
		sha512_block(c, c->u.p);
		c->num = 0;
	}
	for (; len >= SHA512_CBLOCK; in += SHA512_CBLOCK, len -= SHA512_CBLOCK) {
		sha512_block(c, in);
	}
	memcpy(c->u.p, in, len);
	c->num = (unsigned int)len;
	return 1;
}

int SHA384_Update(SHA512_CTX *c, const void *data, size_t len)
{
	return SHA512_Update(c, data, len);
}

int SHA512_Final(unsigned char *md, SHA512_CTX *c)
{
	unsigned int n = c->num, i;

	c->u.p[n++] = 0x80;
	if (n > SHA512_CBLOCK - 16) {
		memset(c->u.p + n, 0, SHA512_CBLOCK - n);
		sha512_block(c, c->u.p);
		n = 0;
	}
	memset(c->u.p + n, 0, SHA512_CBLOCK - 16 - n);
	put_be64(c->u.p + SHA512_CBLOCK - 16, c->Nh);
	put_be64(c->u.p + SHA512_CBLOCK - 8, c->Nl);
	sha512_block(c, c->u.p);
	c->num = 0;
	memset(c->u.p, 0, sizeof(c->u.p));
	for (i = 0; i < c->md_len / 8; i++) {
		put_be64(md + 8 * i, c->h[i]);
	}
	return 1;
}

int SHA384_Final(unsigned char *md, SHA512_CTX *c)
{
	return SHA512_Final(md, c);
}

/* The digests libtpms names with EVP_get_digestbyname (RSA schemes). */
static const EVP_MD digests[] = {
	{ "sha1", NID_sha1, MBEDTLS_MD_SHA1, SHA_DIGEST_LENGTH },
	{ "sha256", NID_sha256, MBEDTLS_MD_SHA256, SHA256_DIGEST_LENGTH },
	{ "sha384", NID_sha384, MBEDTLS_MD_SHA384, SHA384_DIGEST_LENGTH },
	{ "sha512", NID_sha512, MBEDTLS_MD_SHA512, SHA512_DIGEST_LENGTH },
};

static int name_equal_nocase(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++) {
		char ca = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
		char cb = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;

		if (ca != cb) {
			return 0;
		}
	}
	return *a == *b;
}

const EVP_MD *EVP_get_digestbyname(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < sizeof(digests) / sizeof(digests[0]);
	     i++) {
		if (name_equal_nocase(name, digests[i].name)) {
			return &digests[i];
		}
	}
	adapter_unsupported("EVP_get_digestbyname: unknown digest");
	return NULL;
}

const EVP_MD *adapter_md_by_nid(int nid)
{
	size_t i;

	for (i = 0; i < sizeof(digests) / sizeof(digests[0]); i++) {
		if (digests[i].nid == nid) {
			return &digests[i];
		}
	}
	return NULL;
}

int EVP_MD_get_size(const EVP_MD *md)
{
	return md != NULL ? md->size : -1;
}

mbedtls_md_type_t adapter_md_type(const EVP_MD *md)
{
	return md != NULL ? md->md_type : MBEDTLS_MD_NONE;
}
