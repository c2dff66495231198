/*
 * OpenSSL-compatible low-level DES.  DES_key_schedule keeps OpenSSL's size
 * (128 bytes) because libtpms allocates it; the adapter stores the 32
 * encryption subkey words that mbedtls_des_setkey() produces.
 */
#ifndef HILLOCK_TPM_OPENSSL_DES_H
#define HILLOCK_TPM_OPENSSL_DES_H

#define DES_ENCRYPT 1
#define DES_DECRYPT 0

typedef unsigned int DES_LONG;
typedef unsigned char DES_cblock[8];
typedef unsigned char const_DES_cblock[8];

typedef struct DES_ks {
	union {
		DES_cblock cblock;
		DES_LONG deslong[2];
	} ks[16];
} DES_key_schedule;

void DES_set_key_unchecked(const_DES_cblock *key, DES_key_schedule *schedule);
void DES_ecb3_encrypt(const_DES_cblock *input, DES_cblock *output,
		      DES_key_schedule *ks1, DES_key_schedule *ks2,
		      DES_key_schedule *ks3, int enc);
/* A random odd-parity key that is not weak; 1 on success. */
int DES_random_key(DES_cblock *ret);

#endif
