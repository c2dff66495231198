/*
 * OpenSSL-compatible SHA-1/SHA-2 contexts.  The layouts are OpenSSL's public
 * ones, field for field, because libtpms both allocates them and marshals
 * their fields into saved TPM state (hash sequence objects); the adapter keeps
 * the same meaning in each field (chaining values, bit count split in Nl/Nh,
 * the partial block in data, its byte count in num).
 */
#ifndef HILLOCK_TPM_OPENSSL_SHA_H
#define HILLOCK_TPM_OPENSSL_SHA_H

#include <stddef.h>

#define SHA_LBLOCK 16
#define SHA_DIGEST_LENGTH 20
#define SHA256_DIGEST_LENGTH 32
#define SHA384_DIGEST_LENGTH 48
#define SHA512_DIGEST_LENGTH 64
#define SHA512_CBLOCK 128

typedef unsigned int SHA_LONG;
typedef unsigned long long SHA_LONG64;

typedef struct SHAstate_st {
	SHA_LONG h0, h1, h2, h3, h4;
	SHA_LONG Nl, Nh;
	SHA_LONG data[SHA_LBLOCK];
	unsigned int num;
} SHA_CTX;

typedef struct SHA256state_st {
	SHA_LONG h[8];
	SHA_LONG Nl, Nh;
	SHA_LONG data[SHA_LBLOCK];
	unsigned int num, md_len;
} SHA256_CTX;

typedef struct SHA512state_st {
	SHA_LONG64 h[8];
	SHA_LONG64 Nl, Nh;
	union {
		SHA_LONG64 d[SHA_LBLOCK];
		unsigned char p[SHA512_CBLOCK];
	} u;
	unsigned int num, md_len;
} SHA512_CTX;

int SHA1_Init(SHA_CTX *c);
int SHA1_Update(SHA_CTX *c, const void *data, size_t len);
int SHA1_Final(unsigned char *md, SHA_CTX *c);
int SHA256_Init(SHA256_CTX *c);
int SHA256_Update(SHA256_CTX *c, const void *data, size_t len);
int SHA256_Final(unsigned char *md, SHA256_CTX *c);
int SHA384_Init(SHA512_CTX *c);
int SHA384_Update(SHA512_CTX *c, const void *data, size_t len);
int SHA384_Final(unsigned char *md, SHA512_CTX *c);
int SHA512_Init(SHA512_CTX *c);
int SHA512_Update(SHA512_CTX *c, const void *data, size_t len);
int SHA512_Final(unsigned char *md, SHA512_CTX *c);

#endif
