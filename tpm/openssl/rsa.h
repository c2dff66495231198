/* OpenSSL-compatible RSA subset (see tpm/openssl/types.h). */
#ifndef HILLOCK_TPM_OPENSSL_RSA_H
#define HILLOCK_TPM_OPENSSL_RSA_H

#include "bn.h"

#define RSA_PKCS1_PADDING 1
#define RSA_NO_PADDING 3
#define RSA_PKCS1_OAEP_PADDING 4
#define RSA_PKCS1_PSS_PADDING 6
#define RSA_PSS_SALTLEN_DIGEST -1
#define RSA_PSS_SALTLEN_AUTO -2
#define RSA_PSS_SALTLEN_MAX -3
#define RSA_FLAG_NO_BLINDING 0x0080

RSA *RSA_new(void);
void RSA_free(RSA *r);
int RSA_size(const RSA *rsa);
void RSA_set_flags(RSA *r, int flags);
/* The set0 calls take ownership of every non-NULL argument. */
int RSA_set0_key(RSA *r, BIGNUM *n, BIGNUM *e, BIGNUM *d);
int RSA_set0_crt_params(RSA *r, BIGNUM *dmp1, BIGNUM *dmq1, BIGNUM *iqmp);
void RSA_get0_key(const RSA *r, const BIGNUM **n, const BIGNUM **e,
		  const BIGNUM **d);
void RSA_get0_factors(const RSA *r, const BIGNUM **p, const BIGNUM **q);
int RSA_generate_key_ex(RSA *rsa, int bits, BIGNUM *e, BN_GENCB *cb);
int RSA_sign(int type, const unsigned char *m, unsigned int m_length,
	     unsigned char *sigret, unsigned int *siglen, RSA *rsa);
int RSA_verify(int type, const unsigned char *m, unsigned int m_length,
	       const unsigned char *sigbuf, unsigned int siglen, RSA *rsa);
int RSA_private_encrypt(int flen, const unsigned char *from,
			unsigned char *to, RSA *rsa, int padding);
int RSA_padding_add_PKCS1_type_1(unsigned char *to, int tlen,
				 const unsigned char *f, int fl);

#endif
