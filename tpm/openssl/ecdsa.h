/* OpenSSL-compatible ECDSA subset (see tpm/openssl/types.h). */
#ifndef HILLOCK_TPM_OPENSSL_ECDSA_H
#define HILLOCK_TPM_OPENSSL_ECDSA_H

#include "ec.h"

ECDSA_SIG *ECDSA_SIG_new(void);
void ECDSA_SIG_free(ECDSA_SIG *sig);
void ECDSA_SIG_get0(const ECDSA_SIG *sig, const BIGNUM **pr,
		    const BIGNUM **ps);
/* Takes ownership of r and s. */
int ECDSA_SIG_set0(ECDSA_SIG *sig, BIGNUM *r, BIGNUM *s);
ECDSA_SIG *ECDSA_do_sign(const unsigned char *dgst, int dgst_len,
			 EC_KEY *eckey);
/* 1: valid, 0: invalid, -1: error. */
int ECDSA_do_verify(const unsigned char *dgst, int dgst_len,
		    const ECDSA_SIG *sig, EC_KEY *eckey);

#endif
