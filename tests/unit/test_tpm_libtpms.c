/*
 * libtpms running real TPM 2.0 command sequences, on the build host.
 *
 * This one source builds two programs:
 *  - test_tpm_libtpms (cmocka): Debian's libtpms.a on the OpenSSL-API adapter
 *    and mbedtls, no libcrypto;
 *  - tpm_seq_reference (TPM_SEQ_REFERENCE defined): Debian's libtpms.so on
 *    the real OpenSSL, which prints the same transcript.
 * The transcript holds every deterministic result of the sequence (PCR
 * values, key derivations from the primary seeds, RSASSA signatures, raw RSA,
 * HMAC, symmetric ciphertexts and IVs, NV contents).  The primary seeds live
 * in the TPM's permanent state, so one implementation manufactures a TPM and
 * the other runs on a copy of that state; the transcripts must be equal.
 *
 * Commands are marshalled by tpm_host.h from TPM 2.0 Library Part 3
 * (command layouts) and Part 2 (structures).
 */
#define _GNU_SOURCE /* memmem */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libtpms/tpm_error.h>
#include <libtpms/tpm_library.h>
#include <libtpms/tpm_nvfilename.h>

#include "tpm_host.h"

#define NV_TEST_INDEX 0x01500010
#define PCR_TEST 10

/* ---- results: a failed check records a message and stops the run ---- */

struct seq_failure {
	char message[256];
	int failed;
};

static struct seq_failure seq_fail;

static void seq_check(int cond, const char *fmt, ...)
{
	va_list ap;

	if (cond || seq_fail.failed) {
		return;
	}
	seq_fail.failed = 1;
	va_start(ap, fmt);
	vsnprintf(seq_fail.message, sizeof(seq_fail.message), fmt, ap);
	va_end(ap);
	fprintf(stderr, "tpm sequence: %s\n", seq_fail.message);
}

/* Runs c and checks the response code. */
static int tpm_expect(const struct buf *c, struct rsp *r, uint32_t rc,
		      const char *what)
{
	tpm_run(c, r);
	seq_check(r->rc == rc, "%s: rc 0x%x, expected 0x%x", what, r->rc, rc);
	return r->rc == rc;
}

/* ---- the transcript of deterministic results ---- */

struct transcript {
	char *text;
	size_t len, cap;
};

static void note(struct transcript *t, const char *key, const uint8_t *data,
		 size_t len)
{
	size_t need = strlen(key) + 2 * len + 3, i;

	if (t->len + need + 1 > t->cap) {
		size_t cap = (t->cap + need + 1) * 2;
		char *p = realloc(t->text, cap);

		if (p == NULL) {
			return;
		}
		t->text = p;
		t->cap = cap;
	}
	t->len += (size_t)sprintf(t->text + t->len, "%s=", key);
	for (i = 0; i < len; i++) {
		t->len += (size_t)sprintf(t->text + t->len, "%02x", data[i]);
	}
	t->len += (size_t)sprintf(t->text + t->len, "\n");
}

/* ---- commands ---- */

static void startup(uint16_t type, struct rsp *r)
{
	struct buf c;

	cmd_begin(&c, ST_NO_SESSIONS, CC_Startup);
	put16(&c, type);
	cmd_end(&c);
	tpm_expect(&c, r, 0, "Startup");
}

static void get_capability(struct transcript *t, const char *key,
			   uint32_t cap, uint32_t property, uint32_t count)
{
	struct buf c;
	struct rsp r;

	cmd_begin(&c, ST_NO_SESSIONS, CC_GetCapability);
	put32(&c, cap);
	put32(&c, property);
	put32(&c, count);
	cmd_end(&c);
	if (tpm_expect(&c, &r, 0, key)) {
		note(t, key, r.b + 10, r.len - 10);
	}
}

static void flush(uint32_t handle)
{
	struct buf c;
	struct rsp r;

	cmd_begin(&c, ST_NO_SESSIONS, CC_FlushContext);
	put32(&c, handle);
	cmd_end(&c);
	tpm_expect(&c, &r, 0, "FlushContext");
}

static void pcr_read(struct rsp *r)
{
	struct buf c;

	cmd_begin(&c, ST_NO_SESSIONS, CC_PCR_Read);
	put32(&c, 2); /* TPML_PCR_SELECTION.count */
	put16(&c, ALG_SHA256);
	put8(&c, 3); /* sizeofSelect */
	put8(&c, 0);
	put8(&c, 1 << (PCR_TEST - 8));
	put8(&c, 0);
	put16(&c, ALG_SHA1);
	put8(&c, 3);
	put8(&c, 0);
	put8(&c, 1 << (PCR_TEST - 8));
	put8(&c, 0);
	cmd_end(&c);
	tpm_expect(&c, r, 0, "PCR_Read");
}

static void nv_read(struct rsp *r, const uint8_t **data, size_t *len)
{
	struct buf c;

	cmd_begin(&c, ST_SESSIONS, CC_NV_Read);
	put32(&c, RH_OWNER);
	put32(&c, NV_TEST_INDEX);
	put_pw_auth(&c);
	put16(&c, 32); /* size */
	put16(&c, 0);  /* offset */
	cmd_end(&c);
	*len = 0;
	*data = r->b;
	if (tpm_expect(&c, r, 0, "NV_Read")) {
		get32(r); /* parameterSize */
		*data = get2b(r, len);
	}
}


/* TPM2B_SENSITIVE_CREATE with an empty userAuth and the given data. */
static void put_sensitive_create(struct buf *c, const uint8_t *data,
				 size_t len)
{
	put16(c, (uint16_t)(4 + len));
	put16(c, 0);
	put2b(c, data, len);
}

/* CreatePrimary under the owner hierarchy; notes outPublic and name. */
static uint32_t create_primary(struct transcript *t, const char *key,
			       const struct buf *pub)
{
	struct buf c;
	struct rsp r;
	const uint8_t *p;
	size_t len;
	uint32_t handle;

	cmd_begin(&c, ST_SESSIONS, CC_CreatePrimary);
	put32(&c, RH_OWNER);
	put_pw_auth(&c);
	put_sensitive_create(&c, NULL, 0);
	put2b(&c, pub->b, pub->len);
	put16(&c, 0); /* outsideInfo */
	put32(&c, 0); /* creationPCR */
	cmd_end(&c);
	if (!tpm_expect(&c, &r, 0, key)) {
		return 0;
	}
	handle = get32(&r);
	get32(&r); /* parameterSize */
	p = get2b(&r, &len);
	note(t, key, p, len);
	get2b(&r, &len); /* creationData */
	get2b(&r, &len); /* creationHash */
	get16(&r);       /* creationTicket */
	get32(&r);
	get2b(&r, &len);
	p = get2b(&r, &len);
	note(t, "name", p, len);
	return handle;
}

/* Create + Load under parent; returns the loaded handle. */
static uint32_t create_and_load(uint32_t parent, const struct buf *pub,
				const uint8_t *secret, size_t secret_len,
				const char *what)
{
	struct buf c;
	struct rsp r;
	uint8_t priv[1024], outpub[1024];
	const uint8_t *p;
	size_t priv_len, pub_len;

	cmd_begin(&c, ST_SESSIONS, CC_Create);
	put32(&c, parent);
	put_pw_auth(&c);
	put_sensitive_create(&c, secret, secret_len);
	put2b(&c, pub->b, pub->len);
	put16(&c, 0);
	put32(&c, 0);
	cmd_end(&c);
	if (!tpm_expect(&c, &r, 0, what)) {
		return 0;
	}
	get32(&r);
	p = get2b(&r, &priv_len);
	memcpy(priv, p, priv_len);
	p = get2b(&r, &pub_len);
	memcpy(outpub, p, pub_len);

	cmd_begin(&c, ST_SESSIONS, CC_Load);
	put32(&c, parent);
	put_pw_auth(&c);
	put2b(&c, priv, priv_len);
	put2b(&c, outpub, pub_len);
	cmd_end(&c);
	if (!tpm_expect(&c, &r, 0, "Load")) {
		return 0;
	}
	return get32(&r);
}

/* Sign a digest; the TPMT_SIGNATURE is copied to sig. */
static int sign(uint32_t key, uint16_t scheme, const uint8_t digest[32],
		struct buf *sig, const char *what)
{
	struct buf c;
	struct rsp r;

	cmd_begin(&c, ST_SESSIONS, CC_Sign);
	put32(&c, key);
	put_pw_auth(&c);
	put2b(&c, digest, 32);
	put16(&c, scheme);
	put16(&c, ALG_SHA256);
	put16(&c, ST_HASHCHECK); /* validation: a NULL ticket */
	put32(&c, RH_NULL);
	put16(&c, 0);
	cmd_end(&c);
	sig->len = 0;
	if (!tpm_expect(&c, &r, 0, what)) {
		return 0;
	}
	get32(&r);
	/* TPMT_SIGNATURE runs to the start of the response auth area. */
	putn(sig, r.b + r.off, r.len - r.off - 5);
	return 1;
}

static uint32_t verify(uint32_t key, const uint8_t digest[32],
		       const struct buf *sig)
{
	struct buf c;
	struct rsp r;

	cmd_begin(&c, ST_NO_SESSIONS, CC_VerifySignature);
	put32(&c, key);
	put2b(&c, digest, 32);
	putn(&c, sig->b, sig->len);
	cmd_end(&c);
	return tpm_run(&c, &r);
}

static void sign_and_verify(struct transcript *t, uint32_t key,
			    uint16_t scheme, const char *what)
{
	static const uint8_t digest[32] = "hillock vtpm digest to be signd";
	struct buf sig;

	if (!sign(key, scheme, digest, &sig, what)) {
		return;
	}
	/* RSASSA (PKCS#1 v1.5) is deterministic: record it. */
	if (t != NULL) {
		note(t, what, sig.b, sig.len);
	}
	seq_check(verify(key, digest, &sig) == 0, "%s: VerifySignature", what);
	sig.b[sig.len - 1] ^= 0x01;
	seq_check(verify(key, digest, &sig) != 0,
		  "%s: tampered signature verified", what);
}

static int rsa_encrypt(uint32_t key, uint16_t scheme, const uint8_t *msg,
		       size_t len, const uint8_t *label, size_t label_len,
		       struct buf *out)
{
	struct buf c;
	struct rsp r;
	const uint8_t *p;
	size_t n;

	cmd_begin(&c, ST_NO_SESSIONS, CC_RSA_Encrypt);
	put32(&c, key);
	put2b(&c, msg, len);
	put16(&c, scheme);
	if (scheme == ALG_OAEP) {
		put16(&c, ALG_SHA256);
	}
	put2b(&c, label, label_len);
	cmd_end(&c);
	out->len = 0;
	if (!tpm_expect(&c, &r, 0, "RSA_Encrypt")) {
		return 0;
	}
	p = get2b(&r, &n);
	putn(out, p, n);
	return 1;
}

static int rsa_decrypt(uint32_t key, uint16_t scheme, const struct buf *ct,
		       const uint8_t *label, size_t label_len, struct buf *out)
{
	struct buf c;
	struct rsp r;
	const uint8_t *p;
	size_t n;

	cmd_begin(&c, ST_SESSIONS, CC_RSA_Decrypt);
	put32(&c, key);
	put_pw_auth(&c);
	put2b(&c, ct->b, ct->len);
	put16(&c, scheme);
	if (scheme == ALG_OAEP) {
		put16(&c, ALG_SHA256);
	}
	put2b(&c, label, label_len);
	cmd_end(&c);
	out->len = 0;
	if (!tpm_expect(&c, &r, 0, "RSA_Decrypt")) {
		return 0;
	}
	get32(&r);
	p = get2b(&r, &n);
	putn(out, p, n);
	return 1;
}

static void rsa_sequence(struct transcript *t)
{
	static const uint8_t msg[32] = "a message for the RSA primary..";
	static const uint8_t label[] = "hillock"; /* ends in its NUL */
	struct buf pub, ct, pt;
	uint32_t key;

	tpm_template_rsa_sign_decrypt(&pub);
	key = create_primary(t, "rsa2048_primary", &pub);
	if (key == 0) {
		return;
	}
	sign_and_verify(t, key, ALG_RSASSA, "rsassa_sha256");
	sign_and_verify(NULL, key, ALG_RSAPSS, "rsapss_sha256");

	/* Raw RSA (scheme NULL) is deterministic; the TPM left-pads. */
	if (rsa_encrypt(key, ALG_NULL, msg, sizeof(msg), NULL, 0, &ct)) {
		note(t, "rsa_raw_ciphertext", ct.b, ct.len);
		if (rsa_decrypt(key, ALG_NULL, &ct, NULL, 0, &pt)) {
			note(t, "rsa_raw_plaintext", pt.b, pt.len);
			seq_check(pt.len >= sizeof(msg) &&
					  memcmp(pt.b + pt.len - sizeof(msg),
						 msg, sizeof(msg)) == 0,
				  "raw RSA round trip");
		}
	}
	if (rsa_encrypt(key, ALG_OAEP, msg, sizeof(msg), label, sizeof(label),
			&ct) &&
	    rsa_decrypt(key, ALG_OAEP, &ct, label, sizeof(label), &pt)) {
		seq_check(pt.len == sizeof(msg) &&
				  memcmp(pt.b, msg, sizeof(msg)) == 0,
			  "OAEP round trip");
		ct.b[10] ^= 0x40;
		{
			struct buf c;
			struct rsp r;

			cmd_begin(&c, ST_SESSIONS, CC_RSA_Decrypt);
			put32(&c, key);
			put_pw_auth(&c);
			put2b(&c, ct.b, ct.len);
			put16(&c, ALG_OAEP);
			put16(&c, ALG_SHA256);
			put2b(&c, label, sizeof(label));
			cmd_end(&c);
			seq_check(tpm_run(&c, &r) != 0,
				  "OAEP accepted a corrupted ciphertext");
		}
	}
	flush(key);
}

/* HMAC-SHA256 of RFC 4231 test case 2 ("Jefe"), computed by the TPM. */
static const uint8_t hmac_key[4] = "Jefe";
static const uint8_t hmac_data[28] = "what do ya want for nothing?";
static const uint8_t hmac_expected[32] = {
	0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e, 0x6a, 0x04, 0x24,
	0x26, 0x08, 0x95, 0x75, 0xc7, 0x5a, 0x00, 0x3f, 0x08, 0x9d, 0x27,
	0x39, 0x83, 0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec, 0x38, 0x43,
};

static void hmac_sequence(struct transcript *t, uint32_t parent)
{
	struct buf c, pub;
	struct rsp r;
	const uint8_t *p;
	size_t len;
	uint32_t key;

	tpm_template_hmac_key(&pub);
	key = create_and_load(parent, &pub, hmac_key, sizeof(hmac_key),
			      "Create(HMAC key)");
	if (key == 0) {
		return;
	}
	cmd_begin(&c, ST_SESSIONS, CC_HMAC);
	put32(&c, key);
	put_pw_auth(&c);
	put2b(&c, hmac_data, sizeof(hmac_data));
	put16(&c, ALG_SHA256);
	cmd_end(&c);
	if (tpm_expect(&c, &r, 0, "HMAC")) {
		get32(&r);
		p = get2b(&r, &len);
		note(t, "hmac_sha256", p, len);
		seq_check(len == 32 && memcmp(p, hmac_expected, 32) == 0,
			  "HMAC differs from RFC 4231 test case 2");
	}
	flush(key);
}

static int encrypt_decrypt(uint32_t key, int decrypt, uint16_t mode,
			   const uint8_t iv[16], const uint8_t *in, size_t len,
			   struct buf *out, struct buf *iv_out)
{
	struct buf c;
	struct rsp r;
	const uint8_t *p;
	size_t n;

	cmd_begin(&c, ST_SESSIONS, CC_EncryptDecrypt);
	put32(&c, key);
	put_pw_auth(&c);
	put8(&c, (uint8_t)decrypt);
	put16(&c, mode);
	put2b(&c, iv, mode == ALG_ECB ? 0 : 16); /* ECB takes no IV */
	put2b(&c, in, len);
	cmd_end(&c);
	out->len = 0;
	iv_out->len = 0;
	if (!tpm_expect(&c, &r, 0, "EncryptDecrypt")) {
		return 0;
	}
	get32(&r);
	p = get2b(&r, &n);
	putn(out, p, n);
	p = get2b(&r, &n);
	putn(iv_out, p, n);
	return 1;
}

static void aes_sequence(struct transcript *t, uint32_t parent)
{
	static const uint8_t key_bytes[16] = "AES-128 test key";
	static const uint8_t iv[16] = "initial vector!";
	static const uint8_t plain[64] =
		"sixty-four bytes of plaintext for the TPM's EncryptDecrypt...";
	static const struct {
		uint16_t mode;
		const char *name;
		size_t len; /* stream modes also take a partial block */
	} modes[] = {
		{ ALG_CFB, "aes_cfb", 61 }, { ALG_CBC, "aes_cbc", 64 },
		{ ALG_OFB, "aes_ofb", 50 }, { ALG_CTR, "aes_ctr", 37 },
		{ ALG_ECB, "aes_ecb", 48 },
	};
	struct buf pub, ct, ct_iv, pt, pt_iv;
	char name[32];
	size_t i;
	uint32_t key;

	tpm_template_aes_key(&pub);
	key = create_and_load(parent, &pub, key_bytes, sizeof(key_bytes),
			      "Create(AES key)");
	if (key == 0) {
		return;
	}
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (!encrypt_decrypt(key, 0, modes[i].mode, iv, plain,
				     modes[i].len, &ct, &ct_iv) ||
		    !encrypt_decrypt(key, 1, modes[i].mode, iv, ct.b, ct.len,
				     &pt, &pt_iv)) {
			break;
		}
		note(t, modes[i].name, ct.b, ct.len);
		snprintf(name, sizeof(name), "%s_iv_out", modes[i].name);
		note(t, name, ct_iv.b, ct_iv.len);
		seq_check(pt.len == modes[i].len &&
				  memcmp(pt.b, plain, pt.len) == 0,
			  "%s round trip", modes[i].name);
	}
	flush(key);
}

static void ecc_sequence(struct transcript *t)
{
	struct buf pub;
	uint32_t parent, key;

	tpm_template_ecc_storage(&pub);
	parent = create_primary(t, "ecc_p256_primary", &pub);
	if (parent == 0) {
		return;
	}
	tpm_template_ecc_signer(&pub);
	key = create_and_load(parent, &pub, NULL, 0, "Create(ECDSA key)");
	if (key != 0) {
		sign_and_verify(NULL, key, ALG_ECDSA, "ecdsa_p256");
		flush(key);
	}
	tpm_template_rsa_child_signer(&pub);
	key = create_and_load(parent, &pub, NULL, 0, "Create(RSA key)");
	if (key != 0) {
		sign_and_verify(NULL, key, ALG_RSASSA, "rsassa_child");
		flush(key);
	}
	hmac_sequence(t, parent);
	aes_sequence(t, parent);
	flush(parent);
}

static void pcr_sequence(struct transcript *t, struct rsp *pcrs)
{
	static const uint8_t ext1[32] = "first measurement for PCR 10...";
	static const uint8_t ext2[32] = "second measurement for PCR 10..";
	const uint8_t *exts[2] = { ext1, ext2 };
	struct buf c;
	struct rsp r;
	int i;

	for (i = 0; i < 2; i++) {
		cmd_begin(&c, ST_SESSIONS, CC_PCR_Extend);
		put32(&c, PCR_TEST);
		put_pw_auth(&c);
		put32(&c, 2); /* TPML_DIGEST_VALUES.count */
		put16(&c, ALG_SHA1);
		putn(&c, exts[i], 20);
		put16(&c, ALG_SHA256);
		putn(&c, exts[i], 32);
		cmd_end(&c);
		tpm_expect(&c, &r, 0, "PCR_Extend");
	}
	pcr_read(pcrs);
	note(t, "pcr_read", pcrs->b + 10, pcrs->len - 10);
}

static const uint8_t nv_test_data[32] = "NV index contents, 32 bytes....";

static void nv_sequence(struct transcript *t)
{
	const uint8_t *data = nv_test_data;
	struct buf c;
	struct rsp r;
	const uint8_t *p;
	size_t len;

	cmd_begin(&c, ST_SESSIONS, CC_NV_DefineSpace);
	put32(&c, RH_OWNER);
	put_pw_auth(&c);
	put16(&c, 0); /* auth */
	put16(&c, 14);
	put32(&c, NV_TEST_INDEX);
	put16(&c, ALG_SHA256);
	put32(&c, NV_OWNERWRITE | NV_OWNERREAD | NV_NO_DA);
	put16(&c, 0);  /* authPolicy */
	put16(&c, 32); /* dataSize */
	cmd_end(&c);
	tpm_expect(&c, &r, 0, "NV_DefineSpace");

	cmd_begin(&c, ST_SESSIONS, CC_NV_Write);
	put32(&c, RH_OWNER);
	put32(&c, NV_TEST_INDEX);
	put_pw_auth(&c);
	put2b(&c, data, sizeof(nv_test_data));
	put16(&c, 0);
	cmd_end(&c);
	tpm_expect(&c, &r, 0, "NV_Write");

	nv_read(&r, &p, &len);
	note(t, "nv_read", p, len);
	seq_check(len == sizeof(nv_test_data) && memcmp(p, data, len) == 0,
		  "NV read-back");
}

/*
 * The whole sequence.  state_in (may be NULL) is a permanent-state blob to
 * start from; otherwise the TPM is manufactured and *state_out receives its
 * state as it was right after manufacturing.
 */
static int run_sequence(const unsigned char *state_in, uint32_t state_in_len,
			struct transcript *t, unsigned char **state_out,
			uint32_t *state_out_len)
{
	struct buf c;
	struct rsp r, pcrs, pcrs_after;
	const uint8_t *p;
	size_t len;
	uint8_t before_nv[32];
	int i;

	memset(&seq_fail, 0, sizeof(seq_fail));
	nv_clear();
	if (state_in != NULL) {
		nv_put(TPM_PERMANENT_ALL_NAME, state_in, state_in_len);
	}
	if (!tpm_power_on()) {
		seq_check(0, "TPMLIB_MainInit failed");
		return 0;
	}
	i = nv_find(TPM_PERMANENT_ALL_NAME);
	if (state_out != NULL && i >= 0) {
		*state_out = malloc(nv_store[i].len);
		memcpy(*state_out, nv_store[i].data, nv_store[i].len);
		*state_out_len = nv_store[i].len;
	}

	startup(SU_CLEAR, &r);
	cmd_begin(&c, ST_NO_SESSIONS, CC_SelfTest);
	put8(&c, 1);
	cmd_end(&c);
	tpm_expect(&c, &r, 0, "SelfTest");
	get_capability(t, "cap_fixed_properties", CAP_TPM_PROPERTIES,
		       PT_FAMILY_INDICATOR, 8);
	get_capability(t, "cap_algorithms", CAP_ALGS, 0, 64);
	get_capability(t, "cap_ecc_curves", CAP_ECC_CURVES, 0, 16);
	{
		uint8_t first[32];

		for (i = 0; i < 2; i++) {
			cmd_begin(&c, ST_NO_SESSIONS, CC_GetRandom);
			put16(&c, 32);
			cmd_end(&c);
			if (!tpm_expect(&c, &r, 0, "GetRandom")) {
				break;
			}
			p = get2b(&r, &len);
			seq_check(len == 32, "GetRandom size %zu", len);
			if (i == 0) {
				memcpy(first, p, sizeof(first));
			} else {
				seq_check(memcmp(first, p, 32) != 0,
					  "GetRandom repeated itself");
			}
		}
	}
	pcr_sequence(t, &pcrs);
	nv_sequence(t);
	rsa_sequence(t);
	ecc_sequence(t);

	/* Orderly shutdown, power cycle, resume: the state comes back. */
	nv_read(&r, &p, &len);
	memcpy(before_nv, p, len < 32 ? len : 32);
	cmd_begin(&c, ST_NO_SESSIONS, CC_Shutdown);
	put16(&c, SU_STATE);
	cmd_end(&c);
	tpm_expect(&c, &r, 0, "Shutdown(STATE)");
	TPMLIB_Terminate();
	seq_check(tpm_power_on(), "TPMLIB_MainInit after power cycle");
	startup(SU_STATE, &r);
	pcr_read(&pcrs_after);
	/* Skip the header and pcrUpdateCounter, which Startup advances. */
	seq_check(pcrs.len > 14 && pcrs_after.len == pcrs.len &&
			  memcmp(pcrs_after.b + 14, pcrs.b + 14,
				 pcrs.len - 14) == 0,
		  "PCR 10 not restored by Startup(STATE)");
	nv_read(&r, &p, &len);
	seq_check(len == 32 && memcmp(p, before_nv, 32) == 0,
		  "NV index not restored");
	note(t, "nv_after_resume", p, len);
	TPMLIB_Terminate();
	nv_clear();
	return !seq_fail.failed;
}

#ifdef TPM_SEQ_REFERENCE

/*
 * tpm_seq_reference STATE_FILE: if STATE_FILE exists, run on that permanent
 * state; otherwise manufacture and write the fresh state there.  The
 * transcript goes to stdout.
 */
int main(int argc, char **argv)
{
	struct transcript t = { 0 };
	unsigned char *state = NULL, *fresh = NULL;
	uint32_t state_len = 0, fresh_len = 0;
	FILE *f;
	long size;
	int ok;

	if (argc != 2) {
		fprintf(stderr, "usage: %s STATE_FILE\n", argv[0]);
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (f != NULL) {
		fseek(f, 0, SEEK_END);
		size = ftell(f);
		fseek(f, 0, SEEK_SET);
		state = malloc(size > 0 ? (size_t)size : 1);
		state_len = (uint32_t)fread(state, 1, (size_t)size, f);
		fclose(f);
	}
	ok = run_sequence(state, state_len, &t, state ? NULL : &fresh,
			  &fresh_len);
	if (fresh != NULL) {
		f = fopen(argv[1], "wb");
		if (f == NULL || fwrite(fresh, 1, fresh_len, f) != fresh_len) {
			return 1;
		}
		fclose(f);
	}
	fwrite(t.text, 1, t.len, stdout);
	free(state);
	free(fresh);
	free(t.text);
	return ok ? 0 : 1;
}

#else /* the cmocka test on the adapter */

#include <cmocka.h>
#include <sys/random.h>
#include <unistd.h>

#include "nvstore.h"
#include "tpm_adapter.h"

static int host_entropy(void *arg, unsigned char *buf, size_t len)
{
	(void)arg;
	while (len > 0) {
		ssize_t n = getrandom(buf, len, 0);

		if (n <= 0) {
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int setup(void **state)
{
	(void)state;
	return tpm_adapter_set_entropy(host_entropy, NULL);
}

/* The reference program sits next to this test binary. */
static void reference_path(char *path, size_t cap, const char *state_file,
			   char *cmd, size_t cmd_cap)
{
	ssize_t n = readlink("/proc/self/exe", path, cap - 1);
	char *slash;

	assert_true(n > 0);
	path[n] = '\0';
	slash = strrchr(path, '/');
	assert_non_null(slash);
	snprintf(slash + 1, cap - (size_t)(slash + 1 - path),
		 "tpm_seq_reference");
	snprintf(cmd, cmd_cap, "'%s' '%s'", path, state_file);
}

/* Runs the reference program; returns its transcript (caller frees). */
static char *run_reference(const char *state_file)
{
	char path[4096], cmd[8300];
	struct transcript t = { 0 };
	char chunk[4096];
	size_t n;
	FILE *p;

	reference_path(path, sizeof(path), state_file, cmd, sizeof(cmd));
	p = popen(cmd, "r");
	assert_non_null(p);
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0) {
		t.text = realloc(t.text, t.len + n + 1);
		memcpy(t.text + t.len, chunk, n);
		t.len += n;
	}
	assert_int_equal(pclose(p), 0);
	assert_non_null(t.text);
	t.text[t.len] = '\0';
	return t.text;
}

static void assert_same_transcript(const char *ours, const char *theirs)
{
	const char *a = ours, *b = theirs;

	while (*a != '\0' || *b != '\0') {
		const char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');
		size_t la = ea ? (size_t)(ea - a) : strlen(a);
		size_t lb = eb ? (size_t)(eb - b) : strlen(b);

		if (la != lb || memcmp(a, b, la) != 0) {
			fail_msg("transcripts differ:\n adapter:   %.*s\n openssl: "
				 "  %.*s",
				 (int)la, a, (int)lb, b);
		}
		a += la + (ea != NULL);
		b += lb + (eb != NULL);
	}
}

static void write_file(const char *path, const unsigned char *data,
		       uint32_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void temp_state_path(char *path, size_t cap)
{
	int fd;

	snprintf(path, cap, "/tmp/hillock-tpm-state-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
}

static void libtpms_sequence_runs_on_adapter(void **state)
{
	struct transcript t = { 0 };
	unsigned before = tpm_adapter_unsupported_count();

	(void)state;
	if (!run_sequence(NULL, 0, &t, NULL, NULL)) {
		fail_msg("%s", seq_fail.message);
	}
	assert_int_equal(tpm_adapter_unsupported_count(), before);
	free(t.text);
}

/* OpenSSL's libtpms manufactures; the adapter runs on that state. */
static void libtpms_adapter_matches_openssl_on_openssl_state(void **state)
{
	struct transcript t = { 0 };
	char path[64];
	char *theirs;
	unsigned char *blob;
	long size;
	FILE *f;

	(void)state;
	temp_state_path(path, sizeof(path));
	unlink(path);
	theirs = run_reference(path);
	f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	blob = malloc((size_t)size);
	assert_int_equal(fread(blob, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	unlink(path);
	if (!run_sequence(blob, (uint32_t)size, &t, NULL, NULL)) {
		fail_msg("%s", seq_fail.message);
	}
	assert_same_transcript(t.text, theirs);
	free(blob);
	free(theirs);
	free(t.text);
}

/* The adapter manufactures; OpenSSL's libtpms runs on that state. */
static void libtpms_openssl_matches_adapter_on_adapter_state(void **state)
{
	struct transcript t = { 0 };
	unsigned char *fresh = NULL;
	uint32_t fresh_len = 0;
	char path[64];
	char *theirs;

	(void)state;
	if (!run_sequence(NULL, 0, &t, &fresh, &fresh_len)) {
		fail_msg("%s", seq_fail.message);
	}
	assert_non_null(fresh);
	temp_state_path(path, sizeof(path));
	write_file(path, fresh, fresh_len);
	theirs = run_reference(path);
	unlink(path);
	assert_same_transcript(t.text, theirs);
	free(fresh);
	free(theirs);
	free(t.text);
}

/*
 * libtpms's permanent state (which holds the NV indices) sealed by nvstore
 * into the RAM backend, then restored from there into a fresh TPM instance:
 * the index written before is readable after, and the medium never held it
 * in the clear.
 */
#define STATE_SLOT_SIZE (256 * 1024)

static void libtpms_state_survives_nvstore(void **state)
{
	static const uint8_t key[NVSTORE_KEY_SIZE] =
		"nvstore key for the libtpms test";
	static uint8_t slots[NVSTORE_SLOT_COUNT * STATE_SLOT_SIZE];
	struct transcript t = { 0 };
	struct nvstore_ram ram;
	struct nv_backend backend;
	struct nvstore nv;
	unsigned char *blob = NULL;
	uint32_t blob_len = 0;
	uint8_t *loaded = malloc(STATE_SLOT_SIZE);
	size_t loaded_len = 0, len;
	const uint8_t *p;
	struct rsp r;

	(void)state;
	assert_non_null(loaded);
	memset(&seq_fail, 0, sizeof(seq_fail));
	nv_clear();
	assert_true(tpm_power_on());
	startup(SU_CLEAR, &r);
	nv_sequence(&t);
	assert_int_equal(TPMLIB_GetState(TPMLIB_STATE_PERMANENT, &blob,
					 &blob_len),
			 TPM_SUCCESS);
	TPMLIB_Terminate();
	nv_clear();
	assert_non_null(memmem(blob, blob_len, nv_test_data,
			       sizeof(nv_test_data)));

	nvstore_ram_init(&ram, &backend, slots, STATE_SLOT_SIZE);
	assert_int_equal(nvstore_init(&nv, &backend, key, host_entropy, NULL),
			 NVSTORE_OK);
	assert_int_equal(nvstore_store(&nv, blob, blob_len), NVSTORE_OK);
	nvstore_fini(&nv);
	assert_null(memmem(slots, sizeof(slots), nv_test_data,
			   sizeof(nv_test_data)));

	/* A new instance, with nothing but the sealed slots. */
	assert_int_equal(nvstore_init(&nv, &backend, key, host_entropy, NULL),
			 NVSTORE_OK);
	assert_int_equal(nvstore_load(&nv, loaded, STATE_SLOT_SIZE,
				      &loaded_len, NULL),
			 NVSTORE_OK);
	nvstore_fini(&nv);
	assert_int_equal(loaded_len, blob_len);
	assert_int_equal(TPMLIB_ChooseTPMVersion(TPMLIB_TPM_VERSION_2),
			 TPM_SUCCESS);
	assert_int_equal(TPMLIB_SetState(TPMLIB_STATE_PERMANENT, loaded,
					 (uint32_t)loaded_len),
			 TPM_SUCCESS);
	assert_int_equal(TPMLIB_RegisterCallbacks(&nv_callbacks), TPM_SUCCESS);
	assert_int_equal(TPMLIB_MainInit(), TPM_SUCCESS);
	startup(SU_CLEAR, &r);
	nv_read(&r, &p, &len);
	seq_check(len == sizeof(nv_test_data) &&
			  memcmp(p, nv_test_data, len) == 0,
		  "NV index not restored from nvstore");
	TPMLIB_Terminate();
	nv_clear();
	free(blob);
	free(loaded);
	free(t.text);
	if (seq_fail.failed) {
		fail_msg("%s", seq_fail.message);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(libtpms_sequence_runs_on_adapter),
		cmocka_unit_test(libtpms_adapter_matches_openssl_on_openssl_state),
		cmocka_unit_test(libtpms_openssl_matches_adapter_on_adapter_state),
		cmocka_unit_test(libtpms_state_survives_nvstore),
	};

	return cmocka_run_group_tests_name("tpm_libtpms", tests, setup, NULL);
}

#endif
