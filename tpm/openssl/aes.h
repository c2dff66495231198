/*
 * OpenSSL-compatible low-level AES.  AES_KEY keeps OpenSSL's public layout
 * (244 bytes: 60 round-key words and the round count) because libtpms
 * allocates it inside its own structures; the adapter stores mbedtls's
 * expanded round keys in rd_key.
 */
#ifndef HILLOCK_TPM_OPENSSL_AES_H
#define HILLOCK_TPM_OPENSSL_AES_H

#include <stddef.h>

#define AES_ENCRYPT 1
#define AES_DECRYPT 0
#define AES_MAXNR 14
#define AES_BLOCK_SIZE 16

typedef struct aes_key_st {
	unsigned int rd_key[4 * (AES_MAXNR + 1)];
	int rounds;
} AES_KEY;

/* 0 on success, -1 for a NULL argument, -2 for a bad key size. */
int AES_set_encrypt_key(const unsigned char *userKey, const int bits,
			AES_KEY *key);
int AES_set_decrypt_key(const unsigned char *userKey, const int bits,
			AES_KEY *key);
void AES_encrypt(const unsigned char *in, unsigned char *out,
		 const AES_KEY *key);
void AES_cbc_encrypt(const unsigned char *in, unsigned char *out,
		     size_t length, const AES_KEY *key, unsigned char *ivec,
		     const int enc);
void AES_ofb128_encrypt(const unsigned char *in, unsigned char *out,
			size_t length, const AES_KEY *key,
			unsigned char *ivec, int *num);

#endif
