/* OpenSSL-compatible EC subset over prime fields (see tpm/openssl/types.h). */
#ifndef HILLOCK_TPM_OPENSSL_EC_H
#define HILLOCK_TPM_OPENSSL_EC_H

#include "bn.h"

EC_GROUP *EC_GROUP_new_curve_GFp(const BIGNUM *p, const BIGNUM *a,
				 const BIGNUM *b, BN_CTX *ctx);
int EC_GROUP_set_generator(EC_GROUP *group, const EC_POINT *generator,
			   const BIGNUM *order, const BIGNUM *cofactor);
void EC_GROUP_free(EC_GROUP *group);

EC_POINT *EC_POINT_new(const EC_GROUP *group);
void EC_POINT_free(EC_POINT *point);
void EC_POINT_clear_free(EC_POINT *point);
int EC_POINT_set_affine_coordinates(const EC_GROUP *group, EC_POINT *p,
				    const BIGNUM *x, const BIGNUM *y,
				    BN_CTX *ctx);
int EC_POINT_get_affine_coordinates(const EC_GROUP *group, const EC_POINT *p,
				    BIGNUM *x, BIGNUM *y, BN_CTX *ctx);
int EC_POINT_add(const EC_GROUP *group, EC_POINT *r, const EC_POINT *a,
		 const EC_POINT *b, BN_CTX *ctx);
int EC_POINT_mul(const EC_GROUP *group, EC_POINT *r, const BIGNUM *n,
		 const EC_POINT *q, const BIGNUM *m, BN_CTX *ctx);
int EC_POINTs_mul(const EC_GROUP *group, EC_POINT *r, const BIGNUM *n,
		  size_t num, const EC_POINT *p[], const BIGNUM *m[],
		  BN_CTX *ctx);

EC_KEY *EC_KEY_new(void);
void EC_KEY_free(EC_KEY *key);
int EC_KEY_set_group(EC_KEY *key, const EC_GROUP *group);
int EC_KEY_set_private_key(EC_KEY *key, const BIGNUM *prv);
const BIGNUM *EC_KEY_get0_private_key(const EC_KEY *key);
int EC_KEY_set_public_key(EC_KEY *key, const EC_POINT *pub);
int EC_KEY_generate_key(EC_KEY *key);

#endif
