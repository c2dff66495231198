/*
 * OpenSSL-compatible low-level Camellia.  CAMELLIA_KEY keeps OpenSSL's size
 * (280 bytes, 8-byte aligned) because libtpms allocates it; the adapter
 * keeps an mbedtls_camellia_context (276 bytes) inside it.
 */
#ifndef HILLOCK_TPM_OPENSSL_CAMELLIA_H
#define HILLOCK_TPM_OPENSSL_CAMELLIA_H

#define CAMELLIA_BLOCK_SIZE 16
#define CAMELLIA_TABLE_WORD_LEN 68

typedef struct camellia_key_st {
	union {
		double d;
		unsigned int rd_key[CAMELLIA_TABLE_WORD_LEN];
	} u;
	int grand_rounds;
} CAMELLIA_KEY;

/* 0 on success, -1 for a NULL argument, -2 for a bad key size. */
int Camellia_set_key(const unsigned char *userKey, const int bits,
		     CAMELLIA_KEY *key);
void Camellia_encrypt(const unsigned char *in, unsigned char *out,
		      const CAMELLIA_KEY *key);

#endif
