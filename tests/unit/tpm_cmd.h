/*
 * TPM 2.0 commands marshalled by hand, with constants from TPM 2.0 Library
 * Part 2 (structures) and the byte layouts of Part 3 (commands), all
 * integers big-endian.  Standard C only (stddef.h, stdint.h), so the
 * host tests (tpm_host.h) and the in-image vTPM tests
 * (tests/image/test_vtpm.c) share it; each program includes it once.
 */
#ifndef HILLOCK_TESTS_TPM_CMD_H
#define HILLOCK_TESTS_TPM_CMD_H

#include <stddef.h>
#include <stdint.h>

/* ---- constants (Part 2) ---- */
#define ST_NO_SESSIONS 0x8001
#define ST_SESSIONS 0x8002
#define ST_HASHCHECK 0x8024
#define RS_PW 0x40000009
#define RH_OWNER 0x40000001
#define RH_NULL 0x40000007
#define ALG_RSA 0x0001
#define ALG_SHA1 0x0004
#define ALG_HMAC 0x0005
#define ALG_AES 0x0006
#define ALG_KEYEDHASH 0x0008
#define ALG_SHA256 0x000B
#define ALG_NULL 0x0010
#define ALG_RSASSA 0x0014
#define ALG_RSAPSS 0x0016
#define ALG_OAEP 0x0017
#define ALG_ECDSA 0x0018
#define ALG_ECC 0x0023
#define ALG_SYMCIPHER 0x0025
#define ALG_CTR 0x0040
#define ALG_OFB 0x0041
#define ALG_CBC 0x0042
#define ALG_CFB 0x0043
#define ALG_ECB 0x0044
#define ECC_NIST_P256 0x0003
#define CC_NV_UndefineSpace 0x122
#define CC_NV_DefineSpace 0x12A
#define CC_CreatePrimary 0x131
#define CC_NV_Write 0x137
#define CC_SelfTest 0x143
#define CC_Startup 0x144
#define CC_Shutdown 0x145
#define CC_NV_Read 0x14E
#define CC_Create 0x153
#define CC_HMAC 0x155
#define CC_Load 0x157
#define CC_RSA_Decrypt 0x159
#define CC_Sign 0x15D
#define CC_EncryptDecrypt 0x164
#define CC_LoadExternal 0x167
#define CC_FlushContext 0x165
#define CC_RSA_Encrypt 0x174
#define CC_VerifySignature 0x177
#define CC_GetCapability 0x17A
#define CC_GetRandom 0x17B
#define CC_PCR_Read 0x17E
#define CC_PCR_Extend 0x182
#define SU_CLEAR 0
#define SU_STATE 1
#define CAP_ALGS 0
#define CAP_TPM_PROPERTIES 6
#define CAP_ECC_CURVES 8
#define PT_FAMILY_INDICATOR 0x100
/* TPMA_OBJECT bits */
#define OA_FIXED_TPM (1u << 1)
#define OA_FIXED_PARENT (1u << 4)
#define OA_SENSITIVE_ORIGIN (1u << 5)
#define OA_USER_WITH_AUTH (1u << 6)
#define OA_NO_DA (1u << 10)
#define OA_RESTRICTED (1u << 16)
#define OA_DECRYPT (1u << 17)
#define OA_SIGN (1u << 18)
/* TPMA_NV bits */
#define NV_OWNERWRITE (1u << 1)
#define NV_OWNERREAD (1u << 17)
#define NV_NO_DA (1u << 25)


/* ---- marshalling ---- */

struct buf {
	uint8_t b[4096];
	size_t len;
};

static inline void put8(struct buf *c, uint8_t v)
{
	if (c->len < sizeof(c->b)) {
		c->b[c->len++] = v;
	}
}

static inline void put16(struct buf *c, uint16_t v)
{
	put8(c, (uint8_t)(v >> 8));
	put8(c, (uint8_t)v);
}

static inline void put32(struct buf *c, uint32_t v)
{
	put16(c, (uint16_t)(v >> 16));
	put16(c, (uint16_t)v);
}

static inline void putn(struct buf *c, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t i;

	for (i = 0; i < len; i++) {
		put8(c, p[i]);
	}
}

/* TPM2B: a 16-bit size, then the bytes. */
static inline void put2b(struct buf *c, const void *data, size_t len)
{
	put16(c, (uint16_t)len);
	putn(c, data, len);
}

/* Header: tag, commandSize (patched by cmd_end), commandCode. */
static inline void cmd_begin(struct buf *c, uint16_t tag, uint32_t cc)
{
	c->len = 0;
	put16(c, tag);
	put32(c, 0);
	put32(c, cc);
}

static inline void cmd_end(struct buf *c)
{
	c->b[2] = (uint8_t)(c->len >> 24);
	c->b[3] = (uint8_t)(c->len >> 16);
	c->b[4] = (uint8_t)(c->len >> 8);
	c->b[5] = (uint8_t)c->len;
}

/* An authorization area with one empty password session (Part 1 §19.8.4). */
static inline void put_pw_auth(struct buf *c)
{
	put32(c, 9);
	put32(c, RS_PW);
	put16(c, 0); /* nonceCaller */
	put8(c, 0);  /* sessionAttributes */
	put16(c, 0); /* hmac: the empty password */
}

struct rsp {
	uint8_t b[4096];
	size_t len, off;
	uint32_t rc;
};

static inline uint8_t get8(struct rsp *r)
{
	return r->off < r->len ? r->b[r->off++] : 0;
}

static inline uint16_t get16(struct rsp *r)
{
	uint16_t hi = get8(r);

	return (uint16_t)(hi << 8 | get8(r));
}

static inline uint32_t get32(struct rsp *r)
{
	uint32_t hi = get16(r);

	return hi << 16 | get16(r);
}

/* A TPM2B: returns a pointer into the response and its size. */
static inline const uint8_t *get2b(struct rsp *r, size_t *len)
{
	const uint8_t *p;

	*len = get16(r);
	if (r->off + *len > r->len) {
		*len = 0;
		return r->b;
	}
	p = r->b + r->off;
	r->off += *len;
	return p;
}

/* TPMT_PUBLIC for the keys the sequence uses. */
static inline void tpm_template_rsa_sign_decrypt(struct buf *p)
{
	p->len = 0;
	put16(p, ALG_RSA);
	put16(p, ALG_SHA256);
	put32(p, OA_FIXED_TPM | OA_FIXED_PARENT | OA_SENSITIVE_ORIGIN |
			 OA_USER_WITH_AUTH | OA_NO_DA | OA_DECRYPT | OA_SIGN);
	put16(p, 0);        /* authPolicy */
	put16(p, ALG_NULL); /* symmetric */
	put16(p, ALG_NULL); /* scheme */
	put16(p, 2048);     /* keyBits */
	put32(p, 0);        /* exponent: default 65537 */
	put16(p, 0);        /* unique */
}

static inline void tpm_template_rsa_child_signer(struct buf *p)
{
	p->len = 0;
	put16(p, ALG_RSA);
	put16(p, ALG_SHA256);
	put32(p, OA_FIXED_TPM | OA_FIXED_PARENT | OA_SENSITIVE_ORIGIN |
			 OA_USER_WITH_AUTH | OA_NO_DA | OA_SIGN);
	put16(p, 0);
	put16(p, ALG_NULL);
	put16(p, ALG_RSASSA);
	put16(p, ALG_SHA256);
	put16(p, 2048);
	put32(p, 0);
	put16(p, 0);
}

static inline void tpm_template_ecc_storage(struct buf *p)
{
	p->len = 0;
	put16(p, ALG_ECC);
	put16(p, ALG_SHA256);
	put32(p, OA_FIXED_TPM | OA_FIXED_PARENT | OA_SENSITIVE_ORIGIN |
			 OA_USER_WITH_AUTH | OA_NO_DA | OA_RESTRICTED |
			 OA_DECRYPT);
	put16(p, 0);
	put16(p, ALG_AES); /* symmetric: AES-128-CFB */
	put16(p, 128);
	put16(p, ALG_CFB);
	put16(p, ALG_NULL); /* scheme */
	put16(p, ECC_NIST_P256);
	put16(p, ALG_NULL); /* kdf */
	put16(p, 0);        /* unique.x */
	put16(p, 0);        /* unique.y */
}

static inline void tpm_template_ecc_signer(struct buf *p)
{
	p->len = 0;
	put16(p, ALG_ECC);
	put16(p, ALG_SHA256);
	put32(p, OA_FIXED_TPM | OA_FIXED_PARENT | OA_SENSITIVE_ORIGIN |
			 OA_USER_WITH_AUTH | OA_NO_DA | OA_SIGN);
	put16(p, 0);
	put16(p, ALG_NULL);
	put16(p, ALG_ECDSA);
	put16(p, ALG_SHA256);
	put16(p, ECC_NIST_P256);
	put16(p, ALG_NULL);
	put16(p, 0);
	put16(p, 0);
}

/* Keys whose secret the caller supplies (sensitiveDataOrigin clear). */
static inline void tpm_template_hmac_key(struct buf *p)
{
	p->len = 0;
	put16(p, ALG_KEYEDHASH);
	put16(p, ALG_SHA256);
	put32(p, OA_FIXED_TPM | OA_FIXED_PARENT | OA_USER_WITH_AUTH |
			 OA_NO_DA | OA_SIGN);
	put16(p, 0);
	put16(p, ALG_HMAC);
	put16(p, ALG_SHA256);
	put16(p, 0);
}

static inline void tpm_template_aes_key(struct buf *p)
{
	p->len = 0;
	put16(p, ALG_SYMCIPHER);
	put16(p, ALG_SHA256);
	put32(p, OA_FIXED_TPM | OA_FIXED_PARENT | OA_USER_WITH_AUTH |
			 OA_NO_DA | OA_DECRYPT | OA_SIGN);
	put16(p, 0);
	put16(p, ALG_AES);
	put16(p, 128);
	put16(p, ALG_NULL); /* mode chosen per EncryptDecrypt call */
	put16(p, 0);
}

#endif
