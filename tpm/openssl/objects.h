/* The OpenSSL object identifiers (NIDs) the adapter understands. */
#ifndef HILLOCK_TPM_OPENSSL_OBJECTS_H
#define HILLOCK_TPM_OPENSSL_OBJECTS_H

#define NID_sha1 64
#define NID_sha256 672
#define NID_sha384 673
#define NID_sha512 674

#endif
