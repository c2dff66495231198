/*
 * BIO: exactly the chain libtpms builds to decode a base64 state blob,
 * BIO_push(BIO_new(BIO_f_base64()), BIO_new_mem_buf(text, len)), read through
 * BIO_read.  The base64 filter decodes its whole source on the first read
 * (line breaks and blanks skipped) and then hands out the bytes.
 */
#include <stdlib.h>
#include <string.h>

#include <mbedtls/base64.h>

#include "../openssl/bio.h"
#include "adapter_internal.h"

enum bio_kind {
	BIO_KIND_BASE64,
	BIO_KIND_MEM,
};

struct bio_method_st {
	enum bio_kind kind;
};

struct bio_st {
	enum bio_kind kind;
	int flags;
	BIO *next;
	const unsigned char *src; /* mem: the caller's buffer */
	size_t src_len;
	unsigned char *decoded; /* base64: the decoded bytes */
	size_t decoded_len, read_pos;
	int decode_done, decode_failed;
};

static const BIO_METHOD base64_method = { BIO_KIND_BASE64 };
static const BIO_METHOD mem_method = { BIO_KIND_MEM };

const BIO_METHOD *BIO_f_base64(void)
{
	return &base64_method;
}

BIO *BIO_new(const BIO_METHOD *type)
{
	BIO *b;

	if (type == NULL) {
		return NULL;
	}
	b = calloc(1, sizeof(*b));
	if (b != NULL) {
		b->kind = type->kind;
	}
	return b;
}

BIO *BIO_new_mem_buf(const void *buf, int len)
{
	BIO *b = BIO_new(&mem_method);

	if (b == NULL || buf == NULL) {
		free(b);
		return NULL;
	}
	b->src = buf;
	b->src_len = len < 0 ? strlen(buf) : (size_t)len;
	return b;
}

BIO *BIO_push(BIO *b, BIO *append)
{
	BIO *last = b;

	if (b == NULL) {
		return append;
	}
	while (last->next != NULL) {
		last = last->next;
	}
	last->next = append;
	return b;
}

void BIO_set_flags(BIO *b, int flags)
{
	b->flags |= flags;
}

static int bio_read_mem(BIO *b, unsigned char *out, size_t len)
{
	size_t n = b->src_len < len ? b->src_len : len;

	memcpy(out, b->src, n);
	b->src += n;
	b->src_len -= n;
	return (int)n;
}

/* Decodes the whole source once; base64 text carries no bytes below ' '. */
static void bio_decode_source(BIO *b)
{
	BIO *src = b->next;
	unsigned char *text;
	size_t text_len = 0, i, out_len = 0, cap;

	b->decode_done = 1;
	if (src == NULL || src->kind != BIO_KIND_MEM) {
		b->decode_failed = 1;
		return;
	}
	cap = src->src_len / 4 * 3 + 3;
	text = malloc(src->src_len + 1);
	b->decoded = malloc(cap);
	if (text == NULL || b->decoded == NULL) {
		free(text);
		b->decode_failed = 1;
		return;
	}
	for (i = 0; i < src->src_len; i++) {
		unsigned char c = src->src[i];

		if (c != '\n' && c != '\r' && c != ' ' && c != '\t') {
			text[text_len++] = c;
		}
	}
	src->src += src->src_len;
	src->src_len = 0;
	if (mbedtls_base64_decode(b->decoded, cap, &out_len, text, text_len) != 0) {
		b->decode_failed = 1;
	}
	b->decoded_len = out_len;
	free(text);
}

int BIO_read(BIO *b, void *data, int dlen)
{
	size_t n;

	if (b == NULL || data == NULL || dlen <= 0) {
		return 0;
	}
	if (b->kind == BIO_KIND_MEM) {
		return bio_read_mem(b, data, (size_t)dlen);
	}
	if (!b->decode_done) {
		bio_decode_source(b);
	}
	if (b->decode_failed) {
		return -1;
	}
	n = b->decoded_len - b->read_pos;
	if (n > (size_t)dlen) {
		n = (size_t)dlen;
	}
	memcpy(data, b->decoded + b->read_pos, n);
	b->read_pos += n;
	return (int)n;
}

int BIO_free(BIO *a)
{
	if (a == NULL) {
		return 0;
	}
	free(a->decoded);
	free(a);
	return 1;
}

void BIO_free_all(BIO *a)
{
	while (a != NULL) {
		BIO *next = a->next;

		BIO_free(a);
		a = next;
	}
}
