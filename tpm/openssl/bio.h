/* OpenSSL-compatible BIO subset: a memory source under a base64 filter. */
#ifndef HILLOCK_TPM_OPENSSL_BIO_H
#define HILLOCK_TPM_OPENSSL_BIO_H

#include "types.h"

#define BIO_FLAGS_BASE64_NO_NL 0x100

const BIO_METHOD *BIO_f_base64(void);
BIO *BIO_new(const BIO_METHOD *type);
/* len < 0 means buf is a NUL-terminated string; buf is not copied. */
BIO *BIO_new_mem_buf(const void *buf, int len);
BIO *BIO_push(BIO *b, BIO *append);
void BIO_set_flags(BIO *b, int flags);
int BIO_read(BIO *b, void *data, int dlen);
int BIO_free(BIO *a);
void BIO_free_all(BIO *a);

#endif
