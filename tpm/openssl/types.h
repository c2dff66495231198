/*
 * OpenSSL-compatible type declarations for the vTPM adapter.
 *
 * libtpms.a was compiled against OpenSSL 3.0 headers; these declarations
 * reproduce only the ABI that it (and the adapter tests) rely on.  Types that
 * OpenSSL 3 makes opaque stay opaque here; their layout is the adapter's own
 * (tpm/adapter/adapter_internal.h).  Types whose layout is public in OpenSSL
 * and that libtpms allocates itself (AES_KEY, CAMELLIA_KEY,
 * DES_key_schedule, SHA*_CTX) are declared in their own headers with
 * OpenSSL's exact size.
 */
#ifndef HILLOCK_TPM_OPENSSL_TYPES_H
#define HILLOCK_TPM_OPENSSL_TYPES_H

#include <stddef.h>
#include <stdint.h>

/* OpenSSL's BN_ULONG on LP64 targets (x86_64, aarch64): 64-bit limbs. */
typedef unsigned long BN_ULONG;

typedef struct bignum_st BIGNUM;
typedef struct bignum_ctx BN_CTX;
typedef struct bn_gencb_st BN_GENCB;
typedef struct ec_group_st EC_GROUP;
typedef struct ec_point_st EC_POINT;
typedef struct ec_key_st EC_KEY;
typedef struct ECDSA_SIG_st ECDSA_SIG;
typedef struct rsa_st RSA;
typedef struct evp_pkey_st EVP_PKEY;
typedef struct evp_pkey_ctx_st EVP_PKEY_CTX;
typedef struct evp_md_st EVP_MD;
typedef struct evp_cipher_st EVP_CIPHER;
typedef struct evp_cipher_ctx_st EVP_CIPHER_CTX;
typedef struct engine_st ENGINE;
typedef struct bio_st BIO;
typedef struct bio_method_st BIO_METHOD;

#endif
