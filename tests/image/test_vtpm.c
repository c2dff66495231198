/* The vTPM through its gate (kernel/tpm_gate.c): the command sequence the
 * host test runs on libtpms (tests/unit/test_tpm_libtpms.c), here in the
 * image, with known answers where the result is deterministic; the gate's
 * refusal of malformed commands; a power cycle through the sealed state
 * store; and the latency of four commands.
 *
 * Each test starts from a power cycle and Startup(CLEAR) (vtpm_fresh()),
 * so none depends on another's order or outcome; the permanent state (the
 * NV index) carries over.  Commands are marshalled by tests/unit/tpm_cmd.h,
 * shared with the host tests. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <hillock/arch.h>
#include <hillock/fault.h>
#include <hillock/heap.h>
#include <hillock/mmu.h>
#include <hillock/page.h>
#include <hillock/selftest.h>
#include <hillock/tpm.h>
#include <hillock/tpm2_spec.h>

#include "tests/unit/tpm_cmd.h"
#include "tpm/compartment/compartment.h"

#define VTPM_PCR 10
#define VTPM_NV_INDEX 0x01500010

/* Static, not on the stack: tests run on the 32 KiB boot stack. */
static struct buf vtpm_cmd, vtpm_aux;
static struct rsp vtpm_rsp;

/* The RSA primary of the test that uses it. */
static uint32_t vtpm_rsa_primary;

/* Runs c through the gate; r->rc is the response code, or 0xffffffff when
 * the gate refused or no response came. */
static uint32_t vtpm_run(const struct buf *c, struct rsp *r)
{
	size_t len = 0;
	int rc = tpm_execute(c->b, c->len, r->b, sizeof(r->b), &len);

	r->off = 0;
	r->len = 0;
	r->rc = 0xffffffff;
	if (rc == 0 && len >= sizeof(struct tpm2_header)) {
		r->len = len;
		r->off = offsetof(struct tpm2_header, code);
		r->rc = get32(r);
	}
	return r->rc;
}

static int vtpm_expect_rc(const char *file, int line, const struct buf *c, struct rsp *r,
			  uint32_t want)
{
	uint32_t code = (uint32_t)c->b[6] << 24 | (uint32_t)c->b[7] << 16 | c->b[8] << 8 | c->b[9];
	char what[96];

	if (vtpm_run(c, r) == want) {
		return 0;
	}
	snprintf(what, sizeof(what), "command 0x%x to answer 0x%x, not 0x%x", code, want, r->rc);
	return selftest_fail(file, line, what);
}

/* Runs the command and expects response code want. */
#define EXPECT_RC(c, r, want) vtpm_expect_rc(__FILE__, __LINE__, (c), (r), (want))

static void vtpm_startup(struct buf *c, uint16_t type)
{
	cmd_begin(c, ST_NO_SESSIONS, CC_Startup);
	put16(c, type);
	cmd_end(c);
}

/* A power cycle, then Startup(CLEAR): PCRs reset, no objects loaded, the
 * permanent state as last stored. */
static int vtpm_fresh(void)
{
	int rc = EXPECT(tpm_restart() == 0);

	vtpm_startup(&vtpm_cmd, SU_CLEAR);
	return rc | EXPECT_RC(&vtpm_cmd, &vtpm_rsp, 0);
}

/* TPML_PCR_SELECTION of PCR VTPM_PCR in the SHA-256 and SHA-1 banks. */
static void vtpm_pcr_read(struct buf *c)
{
	static const uint16_t banks[2] = {ALG_SHA256, ALG_SHA1};

	cmd_begin(c, ST_NO_SESSIONS, CC_PCR_Read);
	put32(c, 2);
	for (int i = 0; i < 2; i++) {
		put16(c, banks[i]);
		put8(c, 3); /* sizeofSelect */
		put8(c, 0);
		put8(c, 1 << (VTPM_PCR - 8));
		put8(c, 0);
	}
	cmd_end(c);
}

/* The two extends of the host sequence, then both banks of PCR 10:
 *   sha256: H(H(0^32 ‖ ext1) ‖ ext2), sha1: the same over 20-byte prefixes
 * (computed with Python's hashlib). */
static const uint8_t vtpm_ext[2][32] = {"first measurement for PCR 10...",
					"second measurement for PCR 10.."};
static const uint8_t vtpm_pcr_sha256[32] = {
	0x7b, 0xa1, 0xc6, 0x8a, 0x2f, 0xc1, 0xe4, 0x42, 0xd5, 0xd1, 0xfd, 0x6a, 0x8c, 0xfb, 0x0e, 0xc7,
	0xcc, 0xa4, 0xe2, 0xfc, 0xf5, 0x04, 0x0d, 0xd4, 0x5b, 0x85, 0x4f, 0x6b, 0xc5, 0xfe, 0x90, 0xee,
};
static const uint8_t vtpm_pcr_sha1[20] = {
	0x4c, 0x23, 0x29, 0xde, 0xb2, 0x0b, 0xd6, 0x4c, 0x1f, 0xd5,
	0x26, 0x8b, 0x19, 0x4b, 0xed, 0x1a, 0x36, 0xbd, 0x46, 0x2e,
};

static void vtpm_pcr_extend(struct buf *c, const uint8_t ext[32])
{
	cmd_begin(c, ST_SESSIONS, CC_PCR_Extend);
	put32(c, VTPM_PCR);
	put_pw_auth(c);
	put32(c, 2); /* TPML_DIGEST_VALUES.count */
	put16(c, ALG_SHA1);
	putn(c, ext, 20);
	put16(c, ALG_SHA256);
	putn(c, ext, 32);
	cmd_end(c);
}

/* Reads PCR 10 and checks both banks against the known values.  The
 * response: pcrUpdateCounter, TPML_PCR_SELECTION (4 + 2 × 6 bytes), then
 * TPML_DIGEST: count, and each TPM2B_DIGEST in selection order. */
static int vtpm_check_pcr(void)
{
	const uint8_t *d;
	size_t len;
	int rc = 0;

	vtpm_pcr_read(&vtpm_cmd);
	rc |= EXPECT_RC(&vtpm_cmd, &vtpm_rsp, 0);
	vtpm_rsp.off = 10 + 4 + 4 + 2 * 6;
	rc |= EXPECT(get32(&vtpm_rsp) == 2);
	d = get2b(&vtpm_rsp, &len);
	rc |= EXPECT(len == 32) || EXPECT_BYTES(d, vtpm_pcr_sha256, 32);
	d = get2b(&vtpm_rsp, &len);
	rc |= EXPECT(len == 20) || EXPECT_BYTES(d, vtpm_pcr_sha1, 20);
	return rc;
}

static const uint8_t vtpm_nv_data[32] = "NV index contents, 32 bytes....";

static void vtpm_nv_read(struct buf *c)
{
	cmd_begin(c, ST_SESSIONS, CC_NV_Read);
	put32(c, RH_OWNER);
	put32(c, VTPM_NV_INDEX);
	put_pw_auth(c);
	put16(c, 32); /* size */
	put16(c, 0);  /* offset */
	cmd_end(c);
}

static int vtpm_check_nv(void)
{
	const uint8_t *d;
	size_t len;
	int rc = 0;

	vtpm_nv_read(&vtpm_cmd);
	rc |= EXPECT_RC(&vtpm_cmd, &vtpm_rsp, 0);
	get32(&vtpm_rsp); /* parameterSize */
	d = get2b(&vtpm_rsp, &len);
	rc |= EXPECT(len == sizeof(vtpm_nv_data)) || EXPECT_BYTES(d, vtpm_nv_data, len);
	return rc;
}

static void vtpm_flush(uint32_t handle)
{
	cmd_begin(&vtpm_aux, ST_NO_SESSIONS, CC_FlushContext);
	put32(&vtpm_aux, handle);
	cmd_end(&vtpm_aux);
	vtpm_run(&vtpm_aux, &vtpm_rsp);
}


/* TPM2B_SENSITIVE_CREATE: an empty userAuth and the given data. */
static void vtpm_put_sensitive(struct buf *c, const uint8_t *data, size_t len)
{
	put16(c, (uint16_t)(4 + len));
	put16(c, 0);
	put2b(c, data, len);
}

/* CreatePrimary under the owner hierarchy; returns the handle or 0. */
static uint32_t vtpm_create_primary(const struct buf *pub)
{
	cmd_begin(&vtpm_cmd, ST_SESSIONS, CC_CreatePrimary);
	put32(&vtpm_cmd, RH_OWNER);
	put_pw_auth(&vtpm_cmd);
	vtpm_put_sensitive(&vtpm_cmd, NULL, 0);
	put2b(&vtpm_cmd, pub->b, pub->len);
	put16(&vtpm_cmd, 0); /* outsideInfo */
	put32(&vtpm_cmd, 0); /* creationPCR */
	cmd_end(&vtpm_cmd);
	if (vtpm_run(&vtpm_cmd, &vtpm_rsp) != 0) {
		return 0;
	}
	return get32(&vtpm_rsp);
}

/* Create + Load under parent; returns the loaded handle or 0. */
static uint32_t vtpm_create_load(uint32_t parent, const struct buf *pub, const uint8_t *secret,
				 size_t secret_len)
{
	static uint8_t priv[1024], outpub[1024];
	const uint8_t *p;
	size_t priv_len, pub_len;

	cmd_begin(&vtpm_cmd, ST_SESSIONS, CC_Create);
	put32(&vtpm_cmd, parent);
	put_pw_auth(&vtpm_cmd);
	vtpm_put_sensitive(&vtpm_cmd, secret, secret_len);
	put2b(&vtpm_cmd, pub->b, pub->len);
	put16(&vtpm_cmd, 0);
	put32(&vtpm_cmd, 0);
	cmd_end(&vtpm_cmd);
	if (vtpm_run(&vtpm_cmd, &vtpm_rsp) != 0) {
		return 0;
	}
	get32(&vtpm_rsp); /* parameterSize */
	p = get2b(&vtpm_rsp, &priv_len);
	memcpy(priv, p, priv_len < sizeof(priv) ? priv_len : sizeof(priv));
	p = get2b(&vtpm_rsp, &pub_len);
	memcpy(outpub, p, pub_len < sizeof(outpub) ? pub_len : sizeof(outpub));

	cmd_begin(&vtpm_cmd, ST_SESSIONS, CC_Load);
	put32(&vtpm_cmd, parent);
	put_pw_auth(&vtpm_cmd);
	put2b(&vtpm_cmd, priv, priv_len);
	put2b(&vtpm_cmd, outpub, pub_len);
	cmd_end(&vtpm_cmd);
	if (vtpm_run(&vtpm_cmd, &vtpm_rsp) != 0) {
		return 0;
	}
	return get32(&vtpm_rsp);
}

static const uint8_t vtpm_digest[32] = "hillock vtpm digest to be signd";

/* Signs vtpm_digest; the TPMT_SIGNATURE goes to sig.  Returns the rc. */
static uint32_t vtpm_sign(uint32_t key, uint16_t scheme, struct buf *sig)
{
	cmd_begin(&vtpm_cmd, ST_SESSIONS, CC_Sign);
	put32(&vtpm_cmd, key);
	put_pw_auth(&vtpm_cmd);
	put2b(&vtpm_cmd, vtpm_digest, 32);
	put16(&vtpm_cmd, scheme);
	put16(&vtpm_cmd, ALG_SHA256);
	put16(&vtpm_cmd, ST_HASHCHECK); /* validation: a NULL ticket */
	put32(&vtpm_cmd, RH_NULL);
	put16(&vtpm_cmd, 0);
	cmd_end(&vtpm_cmd);
	sig->len = 0;
	if (vtpm_run(&vtpm_cmd, &vtpm_rsp) == 0 && vtpm_rsp.len > 10 + 4 + 5) {
		get32(&vtpm_rsp);
		/* TPMT_SIGNATURE runs to the response's 5-byte auth area. */
		putn(sig, vtpm_rsp.b + vtpm_rsp.off, vtpm_rsp.len - vtpm_rsp.off - 5);
	}
	return vtpm_rsp.rc;
}

static uint32_t vtpm_verify(uint32_t key, const struct buf *sig)
{
	cmd_begin(&vtpm_cmd, ST_NO_SESSIONS, CC_VerifySignature);
	put32(&vtpm_cmd, key);
	put2b(&vtpm_cmd, vtpm_digest, 32);
	putn(&vtpm_cmd, sig->b, sig->len);
	cmd_end(&vtpm_cmd);
	return vtpm_run(&vtpm_cmd, &vtpm_rsp);
}

/* Sign, verify, and a signature with its last byte flipped must not. */
static int vtpm_sign_verify(uint32_t key, uint16_t scheme)
{
	static struct buf sig;
	int rc = 0;

	rc |= EXPECT(vtpm_sign(key, scheme, &sig) == 0 && sig.len > 0);
	rc |= EXPECT(vtpm_verify(key, &sig) == 0);
	sig.b[sig.len - 1] ^= 0x01;
	rc |= EXPECT(vtpm_verify(key, &sig) != 0);
	return rc;
}

/* ---- the sequence ---- */

TEST(vtpm, startup_and_selftest)
{
	int rc = EXPECT(tpm_restart() == 0);

	vtpm_startup(&vtpm_cmd, SU_CLEAR);
	rc |= EXPECT_RC(&vtpm_cmd, &vtpm_rsp, TPM2_RC_SUCCESS);
	/* A second Startup is refused: the first one really reached the TPM. */
	rc |= EXPECT_RC(&vtpm_cmd, &vtpm_rsp, TPM2_RC_INITIALIZE);
	cmd_begin(&vtpm_cmd, ST_NO_SESSIONS, CC_SelfTest);
	put8(&vtpm_cmd, 1); /* fullTest */
	cmd_end(&vtpm_cmd);
	rc |= EXPECT_RC(&vtpm_cmd, &vtpm_rsp, 0);
	return rc;
}

TEST(vtpm, get_capability)
{
	int rc = vtpm_fresh(), rsa = 0, ecc = 0, aes = 0, sha256 = 0, p256 = 0;
	uint32_t count;

	/* TPM_PT_FAMILY_INDICATOR is "2.0\0". */
	cmd_begin(&vtpm_cmd, ST_NO_SESSIONS, CC_GetCapability);
	put32(&vtpm_cmd, CAP_TPM_PROPERTIES);
	put32(&vtpm_cmd, PT_FAMILY_INDICATOR);
	put32(&vtpm_cmd, 1);
	cmd_end(&vtpm_cmd);
	rc |= EXPECT_RC(&vtpm_cmd, &vtpm_rsp, 0);
	vtpm_rsp.off = 10 + 1 + 4; /* moreData, capability */
	rc |= EXPECT(get32(&vtpm_rsp) == 1);
	rc |= EXPECT(get32(&vtpm_rsp) == PT_FAMILY_INDICATOR);
	rc |= EXPECT(get32(&vtpm_rsp) == 0x322e3000);

	/* TPML_ALG_PROPERTY: alg (2), algProperties (4). */
	cmd_begin(&vtpm_cmd, ST_NO_SESSIONS, CC_GetCapability);
	put32(&vtpm_cmd, CAP_ALGS);
	put32(&vtpm_cmd, 0);
	put32(&vtpm_cmd, 64);
	cmd_end(&vtpm_cmd);
	rc |= EXPECT_RC(&vtpm_cmd, &vtpm_rsp, 0);
	vtpm_rsp.off = 10 + 1 + 4;
	count = get32(&vtpm_rsp);
	for (uint32_t i = 0; i < count; i++) {
		uint16_t alg = get16(&vtpm_rsp);

		get32(&vtpm_rsp);
		rsa |= alg == ALG_RSA;
		ecc |= alg == ALG_ECC;
		aes |= alg == ALG_AES;
		sha256 |= alg == ALG_SHA256;
	}
	rc |= EXPECT(rsa && ecc && aes && sha256);

	/* TPML_ECC_CURVE. */
	cmd_begin(&vtpm_cmd, ST_NO_SESSIONS, CC_GetCapability);
	put32(&vtpm_cmd, CAP_ECC_CURVES);
	put32(&vtpm_cmd, 0);
	put32(&vtpm_cmd, 16);
	cmd_end(&vtpm_cmd);
	rc |= EXPECT_RC(&vtpm_cmd, &vtpm_rsp, 0);
	vtpm_rsp.off = 10 + 1 + 4;
	count = get32(&vtpm_rsp);
	for (uint32_t i = 0; i < count; i++) {
		p256 |= get16(&vtpm_rsp) == ECC_NIST_P256;
	}
	rc |= EXPECT(p256);
	return rc;
}

TEST(vtpm, get_random)
{
	static const uint8_t zero[32];
	uint8_t first[32];
	size_t len;
	int rc = vtpm_fresh();

	for (int i = 0; i < 2; i++) {
		cmd_begin(&vtpm_cmd, ST_NO_SESSIONS, CC_GetRandom);
		put16(&vtpm_cmd, 32);
		cmd_end(&vtpm_cmd);
		rc |= EXPECT_RC(&vtpm_cmd, &vtpm_rsp, 0);
		const uint8_t *p = get2b(&vtpm_rsp, &len);

		rc |= EXPECT(len == 32);
		rc |= EXPECT(len != 32 || memcmp(p, zero, 32) != 0);
		if (i == 0) {
			memcpy(first, p, sizeof(first));
		} else {
			rc |= EXPECT(memcmp(first, p, sizeof(first)) != 0);
		}
	}
	return rc;
}

static int vtpm_extend_both(void)
{
	int rc = 0;

	for (int i = 0; i < 2; i++) {
		vtpm_pcr_extend(&vtpm_cmd, vtpm_ext[i]);
		rc |= EXPECT_RC(&vtpm_cmd, &vtpm_rsp, 0);
	}
	return rc;
}

TEST(vtpm, pcr_extend_read_known_value)
{
	int rc = vtpm_fresh();

	rc |= vtpm_extend_both();
	return rc | vtpm_check_pcr();
}

/* Defines the test's NV index afresh and writes vtpm_nv_data into it. */
static int vtpm_nv_define_write(void)
{
	int rc = 0;

	cmd_begin(&vtpm_cmd, ST_SESSIONS, CC_NV_UndefineSpace);
	put32(&vtpm_cmd, RH_OWNER);
	put32(&vtpm_cmd, VTPM_NV_INDEX);
	put_pw_auth(&vtpm_cmd);
	cmd_end(&vtpm_cmd);
	vtpm_run(&vtpm_cmd, &vtpm_rsp); /* fails when it is not defined yet */

	cmd_begin(&vtpm_cmd, ST_SESSIONS, CC_NV_DefineSpace);
	put32(&vtpm_cmd, RH_OWNER);
	put_pw_auth(&vtpm_cmd);
	put16(&vtpm_cmd, 0);  /* auth */
	put16(&vtpm_cmd, 14); /* TPM2B_NV_PUBLIC */
	put32(&vtpm_cmd, VTPM_NV_INDEX);
	put16(&vtpm_cmd, ALG_SHA256);
	put32(&vtpm_cmd, NV_OWNERWRITE | NV_OWNERREAD | NV_NO_DA);
	put16(&vtpm_cmd, 0);  /* authPolicy */
	put16(&vtpm_cmd, 32); /* dataSize */
	cmd_end(&vtpm_cmd);
	rc |= EXPECT_RC(&vtpm_cmd, &vtpm_rsp, 0);

	cmd_begin(&vtpm_cmd, ST_SESSIONS, CC_NV_Write);
	put32(&vtpm_cmd, RH_OWNER);
	put32(&vtpm_cmd, VTPM_NV_INDEX);
	put_pw_auth(&vtpm_cmd);
	put2b(&vtpm_cmd, vtpm_nv_data, sizeof(vtpm_nv_data));
	put16(&vtpm_cmd, 0);
	cmd_end(&vtpm_cmd);
	return rc | EXPECT_RC(&vtpm_cmd, &vtpm_rsp, 0);
}

TEST(vtpm, nv_define_write_read)
{
	int rc = vtpm_fresh();

	rc |= vtpm_nv_define_write();
	return rc | vtpm_check_nv();
}

static uint32_t vtpm_rsa_crypt(uint16_t code, uint16_t scheme, const uint8_t *in, size_t len,
			       struct buf *out)
{
	static const uint8_t label[] = "hillock"; /* ends in its NUL */
	size_t n;

	cmd_begin(&vtpm_cmd, code == CC_RSA_Decrypt ? ST_SESSIONS : ST_NO_SESSIONS, code);
	put32(&vtpm_cmd, vtpm_rsa_primary);
	if (code == CC_RSA_Decrypt) {
		put_pw_auth(&vtpm_cmd);
	}
	put2b(&vtpm_cmd, in, len);
	put16(&vtpm_cmd, scheme);
	if (scheme == ALG_OAEP) {
		put16(&vtpm_cmd, ALG_SHA256);
	}
	put2b(&vtpm_cmd, label, scheme == ALG_OAEP ? sizeof(label) : 0);
	cmd_end(&vtpm_cmd);
	out->len = 0;
	if (vtpm_run(&vtpm_cmd, &vtpm_rsp) == 0) {
		if (code == CC_RSA_Decrypt) {
			get32(&vtpm_rsp);
		}
		const uint8_t *p = get2b(&vtpm_rsp, &n);

		putn(out, p, n);
	}
	return vtpm_rsp.rc;
}

TEST(vtpm, rsa2048_primary_sign_encrypt)
{
	static const uint8_t msg[32] = "a message for the RSA primary..";
	static struct buf pub, ct, pt;
	int rc = vtpm_fresh();

	tpm_template_rsa_sign_decrypt(&pub);
	vtpm_rsa_primary = vtpm_create_primary(&pub);
	if (EXPECT(vtpm_rsa_primary != 0)) {
		return -1;
	}
	rc |= vtpm_sign_verify(vtpm_rsa_primary, ALG_RSASSA);
	rc |= vtpm_sign_verify(vtpm_rsa_primary, ALG_RSAPSS);

	/* Raw RSA round trip: the TPM left-pads the plaintext. */
	rc |= EXPECT(vtpm_rsa_crypt(CC_RSA_Encrypt, ALG_NULL, msg, sizeof(msg), &ct) == 0);
	rc |= EXPECT(ct.len == 256);
	rc |= EXPECT(vtpm_rsa_crypt(CC_RSA_Decrypt, ALG_NULL, ct.b, ct.len, &pt) == 0);
	rc |= EXPECT(pt.len >= sizeof(msg) &&
		     memcmp(pt.b + pt.len - sizeof(msg), msg, sizeof(msg)) == 0);

	/* OAEP with a label; a corrupted ciphertext is refused. */
	rc |= EXPECT(vtpm_rsa_crypt(CC_RSA_Encrypt, ALG_OAEP, msg, sizeof(msg), &ct) == 0);
	rc |= EXPECT(vtpm_rsa_crypt(CC_RSA_Decrypt, ALG_OAEP, ct.b, ct.len, &pt) == 0);
	rc |= EXPECT(pt.len == sizeof(msg) && memcmp(pt.b, msg, sizeof(msg)) == 0);
	ct.b[10] ^= 0x40;
	rc |= EXPECT(vtpm_rsa_crypt(CC_RSA_Decrypt, ALG_OAEP, ct.b, ct.len, &pt) != 0);
	vtpm_flush(vtpm_rsa_primary);
	return rc;
}

/* CreatePrimary of the ECC P-256 storage key the other keys live under. */
static uint32_t vtpm_ecc_primary(void)
{
	static struct buf pub;

	tpm_template_ecc_storage(&pub);
	return vtpm_create_primary(&pub);
}

TEST(vtpm, ecc_p256_primary_create_load_sign)
{
	static struct buf pub;
	uint32_t parent, key;
	int rc = vtpm_fresh();

	parent = vtpm_ecc_primary();
	if (EXPECT(parent != 0)) {
		return -1;
	}
	tpm_template_ecc_signer(&pub);
	key = vtpm_create_load(parent, &pub, NULL, 0);
	rc |= EXPECT(key != 0) || vtpm_sign_verify(key, ALG_ECDSA);
	vtpm_flush(key);
	vtpm_flush(parent);
	return rc;
}

/* HMAC-SHA256 of RFC 4231 test case 2 ("Jefe"), by the TPM. */
TEST(vtpm, hmac_rfc4231_case2)
{
	static const uint8_t key[4] = "Jefe";
	static const uint8_t data[28] = "what do ya want for nothing?";
	static const uint8_t expected[32] = {
		0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e, 0x6a, 0x04, 0x24,
		0x26, 0x08, 0x95, 0x75, 0xc7, 0x5a, 0x00, 0x3f, 0x08, 0x9d, 0x27,
		0x39, 0x83, 0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec, 0x38, 0x43,
	};
	static struct buf pub;
	const uint8_t *p;
	uint32_t parent, handle;
	size_t len;
	int rc = vtpm_fresh();

	parent = vtpm_ecc_primary();
	tpm_template_hmac_key(&pub);
	handle = vtpm_create_load(parent, &pub, key, sizeof(key));
	if (EXPECT(parent != 0 && handle != 0)) {
		return -1;
	}
	cmd_begin(&vtpm_cmd, ST_SESSIONS, CC_HMAC);
	put32(&vtpm_cmd, handle);
	put_pw_auth(&vtpm_cmd);
	put2b(&vtpm_cmd, data, sizeof(data));
	put16(&vtpm_cmd, ALG_SHA256);
	cmd_end(&vtpm_cmd);
	rc |= EXPECT_RC(&vtpm_cmd, &vtpm_rsp, 0);
	get32(&vtpm_rsp);
	p = get2b(&vtpm_rsp, &len);
	rc |= EXPECT(len == 32) || EXPECT_BYTES(p, expected, 32);
	vtpm_flush(handle);
	vtpm_flush(parent);
	return rc;
}

static uint32_t vtpm_encrypt_decrypt(uint32_t key, int decrypt, uint16_t mode,
				     const uint8_t iv[16], const uint8_t *in, size_t len,
				     struct buf *out)
{
	size_t n;

	cmd_begin(&vtpm_cmd, ST_SESSIONS, CC_EncryptDecrypt);
	put32(&vtpm_cmd, key);
	put_pw_auth(&vtpm_cmd);
	put8(&vtpm_cmd, (uint8_t)decrypt);
	put16(&vtpm_cmd, mode);
	put2b(&vtpm_cmd, iv, 16);
	put2b(&vtpm_cmd, in, len);
	cmd_end(&vtpm_cmd);
	out->len = 0;
	if (vtpm_run(&vtpm_cmd, &vtpm_rsp) == 0) {
		get32(&vtpm_rsp);
		const uint8_t *p = get2b(&vtpm_rsp, &n);

		putn(out, p, n);
	}
	return vtpm_rsp.rc;
}

/* AES-128 in CFB and CBC over 64 bytes; the ciphertexts were computed with
 * `openssl enc -aes-128-{cfb,cbc} -nopad` on the same key, IV and text. */
TEST(vtpm, encrypt_decrypt_aes_known_answer)
{
	static const uint8_t key[16] = "AES-128 test key";
	static const uint8_t iv[16] = "initial vector!";
	static const uint8_t plain[64] =
		"sixty-four bytes of plaintext for the TPM's EncryptDecrypt...";
	static const char *const expected_hex[2] = {
		"8227baa88087b7e91a4f25ef33f0c40e1a222570be421bd3cb6fc775c89e7fcb"
		"118e67ab33a5310afe6ead9f90321988ec0f1f2382414b47efdf198881597f0c",
		"fd0d46df0c65104bec4c994e2fa041d1bc7c380aa8297b0366133e73f3770455"
		"314710a33fa49cfd06d8fe5d6a7f28dd94fc358f1c556d1b8f112a2eb3576d9f",
	};
	static const uint16_t modes[2] = {ALG_CFB, ALG_CBC};
	static struct buf pub, ct, pt;
	uint8_t expected[64];
	uint32_t parent, handle;
	int rc = vtpm_fresh();

	parent = vtpm_ecc_primary();
	tpm_template_aes_key(&pub);
	handle = vtpm_create_load(parent, &pub, key, sizeof(key));
	if (EXPECT(parent != 0 && handle != 0)) {
		return -1;
	}
	for (int i = 0; i < 2; i++) {
		rc |= EXPECT(selftest_unhex(expected_hex[i], expected, sizeof(expected)) == 64);
		rc |= EXPECT(vtpm_encrypt_decrypt(handle, 0, modes[i], iv, plain, 64, &ct) == 0);
		rc |= EXPECT(ct.len == 64) || EXPECT_BYTES(ct.b, expected, 64);
		rc |= EXPECT(vtpm_encrypt_decrypt(handle, 1, modes[i], iv, ct.b, ct.len, &pt) == 0);
		rc |= EXPECT(pt.len == 64 && memcmp(pt.b, plain, 64) == 0);
	}
	vtpm_flush(handle);
	vtpm_flush(parent);
	return rc;
}

/* Each malformed command gets -EINVAL from the gate without reaching the
 * TPM, a response that does not fit gets -ENOSPC; the TPM keeps working. */
TEST(vtpm, gate_refuses_malformed_commands)
{
	static uint8_t big[TPM_COMMAND_MAX + 1];
	uint8_t small[16];
	size_t len = 99;
	int rc = vtpm_fresh();

	cmd_begin(&vtpm_cmd, ST_NO_SESSIONS, CC_GetRandom);
	put16(&vtpm_cmd, 32);
	cmd_end(&vtpm_cmd);

	/* The size field says more than there is, then less. */
	vtpm_cmd.b[5]++;
	rc |= EXPECT(tpm_execute(vtpm_cmd.b, vtpm_cmd.len, vtpm_rsp.b, sizeof(vtpm_rsp.b), &len) ==
		     -EINVAL);
	rc |= EXPECT(len == 0);
	vtpm_cmd.b[5] -= 2;
	rc |= EXPECT(tpm_execute(vtpm_cmd.b, vtpm_cmd.len, vtpm_rsp.b, sizeof(vtpm_rsp.b), &len) ==
		     -EINVAL);
	vtpm_cmd.b[5]++;
	/* A truncated header, and no header at all. */
	rc |= EXPECT(tpm_execute(vtpm_cmd.b, 6, vtpm_rsp.b, sizeof(vtpm_rsp.b), &len) == -EINVAL);
	rc |= EXPECT(tpm_execute(vtpm_cmd.b, 0, vtpm_rsp.b, sizeof(vtpm_rsp.b), &len) == -EINVAL);
	/* Larger than the shared page, its size field consistent. */
	memcpy(big, vtpm_cmd.b, 10);
	big[2] = (uint8_t)(sizeof(big) >> 24);
	big[3] = (uint8_t)(sizeof(big) >> 16);
	big[4] = (uint8_t)(sizeof(big) >> 8);
	big[5] = (uint8_t)sizeof(big);
	rc |= EXPECT(tpm_execute(big, sizeof(big), vtpm_rsp.b, sizeof(vtpm_rsp.b), &len) ==
		     -EINVAL);
	/* A response longer than the caller's buffer: its length is reported. */
	rc |= EXPECT(tpm_execute(vtpm_cmd.b, vtpm_cmd.len, small, sizeof(small), &len) == -ENOSPC);
	rc |= EXPECT(len == 10 + 2 + 32);
	/* The TPM answers the well-formed command. */
	rc |= EXPECT_RC(&vtpm_cmd, &vtpm_rsp, 0);
	return rc;
}

/* Shutdown(STATE), a power cycle through the sealed state store, then
 * Startup(STATE): PCR 10 and the NV index are back. */
TEST(vtpm, state_survives_power_cycle)
{
	struct tpm_stats before, after;
	int rc = vtpm_fresh();

	rc |= vtpm_extend_both();
	rc |= vtpm_nv_define_write();
	cmd_begin(&vtpm_cmd, ST_NO_SESSIONS, CC_Shutdown);
	put16(&vtpm_cmd, SU_STATE);
	cmd_end(&vtpm_cmd);
	rc |= EXPECT_RC(&vtpm_cmd, &vtpm_rsp, 0);
	tpm_stats_get(&before);
	rc |= EXPECT(before.state_stores > 0);
	rc |= EXPECT(tpm_restart() == 0);
	tpm_stats_get(&after);
	rc |= EXPECT(after.state_loads > before.state_loads);
	vtpm_startup(&vtpm_cmd, SU_STATE);
	rc |= EXPECT_RC(&vtpm_cmd, &vtpm_rsp, 0);
	rc |= vtpm_check_pcr();
	rc |= vtpm_check_nv();
	printf("  vtpm: permanent state %zu bytes, sealed %u times, loaded %u times\n",
	       after.state_bytes, after.state_stores, after.state_loads);
	return rc;
}

/* ---- latency ---- */

static uint64_t vtpm_time_us(const struct buf *c, unsigned count, int *rc)
{
	static struct buf saved;
	uint64_t t0 = arch_time_ns();

	saved = *c;
	for (unsigned i = 0; i < count; i++) {
		*rc |= EXPECT_RC(&saved, &vtpm_rsp, 0);
	}
	return (arch_time_ns() - t0) / 1000 / count;
}

static uint64_t vtpm_time_sign_us(uint32_t key, uint16_t scheme, unsigned count, int *rc)
{
	static struct buf sig;
	uint64_t t0 = arch_time_ns();

	for (unsigned i = 0; i < count; i++) {
		*rc |= EXPECT(vtpm_sign(key, scheme, &sig) == 0);
	}
	return (arch_time_ns() - t0) / 1000 / count;
}

/* An RSA-2048 key made with `openssl genrsa` for these tests (public
 * exponent 65537): its modulus, its first prime, and its RSASSA-SHA256
 * signature of vtpm_digest from `openssl pkeyutl -sign -pkeyopt
 * digest:sha256`.  Loading it (LoadExternal) costs no key generation, and
 * PKCS#1 v1.5 signatures are deterministic, so the TPM's must be this one. */
static const char vtpm_rsa_n_hex[] =
		"b3dd79c8ef47279febb89dfc196ae8ed0210b94950e0d34b1b3d4ceafb54cb5f"
		"4da5bc062ee2050685b4fe8cd9e3496edbefd8113467cd0570db983c2ec6a1b6"
		"9b06a97e409451695903534cd109f517a7a8600f43b897bc4fda66d148404447"
		"792d92f8208360e7243b8e21bea6d24594e331f50077afdf69bdff57c3fd7a26"
		"b31955432626b674a5423af02625a5adc399ffa43b0c8964d6a1f6c6ec91b6e1"
		"a12e03ae681ece500afdb84dddced93570e35eb2e921f1308eb6ef3152cdd84c"
		"58a257d62ae11ea3e0684555bbc3625e54d8459997185888c15d77fd1c115fc4"
		"1c238e0eb8bea9e23b524c7a61ea1c6613b6b3aad487098b6d733dd3f3b51e89";
static const char vtpm_rsa_p_hex[] =
		"e3241da30fb8577fcaad1b5b5e11bd144a3fe24d99e29eca6b4ed510cb844add"
		"a7fc842285553ec0210550d7c4f9c589752e716c224e57118202b7596188e71a"
		"b816116243dc044f5877bbd1bdc9d37e680e7083226cd7c56d939ce5c1a39117"
		"b1974f2af8a14094f17e62142743a4842e7d6597ec077961d173214ca426dcf9";
static const char vtpm_rsa_sig_hex[] =
		"40dc0ca558e02f941520d6d1795aa479ba8b8adba37c879c532cc9c79fc183e4"
		"18c0886c864991d1f631b009e0724b406964317014edaccb45bb0205a6e86cc5"
		"15e4d78719cd811702ac8ba156ec75cc9cb83fdeb532310f4d1431c174a6b946"
		"b3de859c3d31069b7028aecd55625445c21cd8deeaabd7762e074ec9536e611a"
		"db932895d6d2c328fb07f0d21c1ba57b9d8497a564f8cc44a575e0a99be9f094"
		"37d2640397e714b1f9c0c980ff3cb2418206317a47122cedd933f668416f1148"
		"40385ce00e225ee8a28d4842313b6e10e20eb11a3c62d2902a99d2e21495a585"
		"54e89c5f9639055ba3b129e95a267d2b12249d52eb2b1ea374190dbbd11f1501";

/* LoadExternal of the key above into the null hierarchy, for signing
 * (fixedTPM and fixedParent must be clear on an external key). */
static uint32_t vtpm_load_rsa_external(void)
{
	static uint8_t n[256], p[128];
	struct buf *c = &vtpm_cmd;

	if (selftest_unhex(vtpm_rsa_n_hex, n, sizeof(n)) != sizeof(n) ||
	    selftest_unhex(vtpm_rsa_p_hex, p, sizeof(p)) != sizeof(p)) {
		return 0;
	}
	cmd_begin(c, ST_NO_SESSIONS, CC_LoadExternal);
	put16(c, 2 + 2 + 2 + 2 + sizeof(p)); /* TPM2B_SENSITIVE */
	put16(c, ALG_RSA);		      /* sensitiveType */
	put16(c, 0);			      /* authValue */
	put16(c, 0);			      /* seedValue */
	put2b(c, p, sizeof(p));		      /* the prime */
	put16(c, 2 + 2 + 4 + 2 + 2 + 2 + 2 + 2 + 4 + 2 + sizeof(n)); /* TPM2B_PUBLIC */
	put16(c, ALG_RSA);
	put16(c, ALG_SHA256);
	put32(c, OA_USER_WITH_AUTH | OA_NO_DA | OA_SIGN);
	put16(c, 0);        /* authPolicy */
	put16(c, ALG_NULL); /* symmetric */
	put16(c, ALG_RSASSA);
	put16(c, ALG_SHA256);
	put16(c, 2048);
	put32(c, 0); /* exponent: 65537 */
	put2b(c, n, sizeof(n));
	put32(c, RH_NULL);
	cmd_end(c);
	if (vtpm_run(c, &vtpm_rsp) != 0) {
		return 0;
	}
	return get32(&vtpm_rsp);
}

/* Mean latency through the gate, and the heap the TPM holds with a primary
 * and two keys loaded (beyond what it holds after power-on). */
TEST(vtpm, latency_and_footprint)
{
	static struct buf pub, sig;
	static uint8_t expected[256];
	uint64_t extend_us, random_us, ecdsa_us, rsa_us;
	size_t tpm_heap = 0, tpm_heap_peak = 0;
	struct heap_stats heap;
	struct tpm_stats stats;
	uint32_t rsa, ecc, ecdsa;
	size_t heap_before;
	int rc = vtpm_fresh();

	heap_stats(&heap);
	heap_before = heap.used;
	rsa = vtpm_load_rsa_external();
	ecc = vtpm_ecc_primary();
	tpm_template_ecc_signer(&pub);
	ecdsa = vtpm_create_load(ecc, &pub, NULL, 0);
	if (EXPECT(rsa != 0 && ecc != 0 && ecdsa != 0)) {
		return -1;
	}
	/* TPMT_SIGNATURE: sigAlg, hash, then the TPM2B signature. */
	rc |= EXPECT(vtpm_sign(rsa, ALG_RSASSA, &sig) == 0 && sig.len == 2 + 2 + 2 + 256);
	rc |= EXPECT(selftest_unhex(vtpm_rsa_sig_hex, expected, sizeof(expected)) == 256);
	rc |= EXPECT_BYTES(sig.b + 6, expected, 256);

	vtpm_pcr_extend(&vtpm_cmd, vtpm_ext[0]);
	extend_us = vtpm_time_us(&vtpm_cmd, 20, &rc);
	cmd_begin(&vtpm_cmd, ST_NO_SESSIONS, CC_GetRandom);
	put16(&vtpm_cmd, 32);
	cmd_end(&vtpm_cmd);
	random_us = vtpm_time_us(&vtpm_cmd, 20, &rc);
	ecdsa_us = vtpm_time_sign_us(ecdsa, ALG_ECDSA, 10, &rc);
	rsa_us = vtpm_time_sign_us(rsa, ALG_RSASSA, 3, &rc);
	heap_stats(&heap);
	tpm_stats_get(&stats);
	rc |= EXPECT(tpm_test_heap_stats(&tpm_heap, &tpm_heap_peak) == 0);
	printf("  vtpm latency (us, mean): PCR_Extend %llu, GetRandom(32) %llu, "
	       "ECDSA P-256 sign %llu, RSA-2048 sign %llu\n",
	       (unsigned long long)extend_us, (unsigned long long)random_us,
	       (unsigned long long)ecdsa_us, (unsigned long long)rsa_us);
	printf("  vtpm memory: start %llu us; compartment %zu KiB of pages, its heap %zu KiB in "
	       "use with 3 objects loaded (peak %zu KiB); program %zu KiB in the image; "
	       "Hillock's heap %+lld KiB\n",
	       stats.start_us, stats.compartment_bytes / 1024, tpm_heap / 1024,
	       tpm_heap_peak / 1024, stats.image_bytes / 1024,
	       ((long long)heap.used - (long long)heap_before) / 1024);
	vtpm_flush(ecdsa);
	vtpm_flush(ecc);
	vtpm_flush(rsa);
	return rc;
}

/* ---- isolation and fault containment ----
 *
 * Each case makes the compartment misbehave (tpm_test_misbehave()), checks
 * how the gate killed it, and that the restarted TPM still has its
 * permanent state: the NV index written before comes back after
 * Startup. */

static volatile uint64_t vtpm_hillock_secret = 0x4b1d4b1d4b1d4b1dull;

/* Misbehave as asked; on success the TPM runs again with its NV index. */
static int vtpm_misbehave(unsigned int what, uint64_t addr, struct tpm_kill *kill)
{
	struct tpm_stats before, after;
	int rc;

	tpm_stats_get(&before);
	memset(kill, 0, sizeof(*kill));
	rc = EXPECT(tpm_test_misbehave(what, addr, kill) == 0);
	tpm_stats_get(&after);
	rc |= EXPECT(after.kills == before.kills + 1 && after.running);
	vtpm_startup(&vtpm_cmd, SU_CLEAR);
	rc |= EXPECT_RC(&vtpm_cmd, &vtpm_rsp, 0);
	return rc | vtpm_check_nv();
}

TEST(vtpm, compartment_reading_hillock_memory_is_killed)
{
	uint64_t addr = (uint64_t)(uintptr_t)&vtpm_hillock_secret;
	struct tpm_kill kill;
	int rc = vtpm_fresh();

	rc |= vtpm_nv_define_write();
	rc |= vtpm_misbehave(TPM_TEST_READ, addr, &kill);
	rc |= EXPECT(kill.end == TPM_END_FAULT && kill.fault.kind == FAULT_READ &&
		     kill.fault.addr == addr);
	rc |= EXPECT(kill.fault.pc >= TPM_IMAGE_VA && kill.fault.pc < TPM_IMAGE_VA + TPM_IMAGE_MAX);
	return rc;
}

TEST(vtpm, compartment_writing_hillock_memory_is_killed)
{
	uint64_t addr = (uint64_t)(uintptr_t)&vtpm_hillock_secret;
	struct tpm_kill kill;
	int rc = vtpm_fresh();

	rc |= vtpm_nv_define_write();
	rc |= vtpm_misbehave(TPM_TEST_WRITE, addr, &kill);
	rc |= EXPECT(kill.end == TPM_END_FAULT && kill.fault.kind == FAULT_WRITE &&
		     kill.fault.addr == addr);
	rc |= EXPECT(vtpm_hillock_secret == 0x4b1d4b1d4b1d4b1dull);
	/* Its own code is not writable either. */
	rc |= vtpm_misbehave(TPM_TEST_WRITE, TPM_IMAGE_VA, &kill);
	rc |= EXPECT(kill.end == TPM_END_FAULT && kill.fault.kind == FAULT_WRITE &&
		     kill.fault.addr == TPM_IMAGE_VA);
	return rc;
}

/* An ordinary kernel read of a page the compartment writes faults: the
 * page is not in Hillock's tables.  Hillock carries on. */
TEST(vtpm, hillock_cannot_read_compartment_memory)
{
	struct fault_info fi;
	uint64_t page;
	int rc = vtpm_fresh();

	page = tpm_test_compartment_page();
	rc |= EXPECT(page != 0);
	if (page == 0) {
		return rc;
	}
	rc |= EXPECT(mmu_query(page) < 0 && mmu_query(TPM_HEAP_VA) < 0);
	memset(&fi, 0, sizeof(fi));
	if (fault_catch(&fi) == 0) {
		(void)*(volatile uint64_t *)(uintptr_t)page;
		fault_catch_end();
	}
	rc |= EXPECT(fi.kind == FAULT_READ && fi.addr == page);
	/* The TPM is unaffected. */
	cmd_begin(&vtpm_cmd, ST_NO_SESSIONS, CC_GetRandom);
	put16(&vtpm_cmd, 16);
	cmd_end(&vtpm_cmd);
	return rc | EXPECT_RC(&vtpm_cmd, &vtpm_rsp, 0);
}

TEST(vtpm, bad_calls_are_killed)
{
	struct tpm_kill kill;
	int rc = vtpm_fresh();

	rc |= vtpm_nv_define_write();
	rc |= vtpm_misbehave(TPM_TEST_BAD_CALL, 0, &kill);
	rc |= EXPECT(kill.end == TPM_END_BAD_CALL && kill.call == 0x7fff);
	rc |= vtpm_misbehave(TPM_TEST_BAD_ARGUMENT, 0, &kill);
	rc |= EXPECT(kill.end == TPM_END_BAD_CALL && kill.call == TPM_CALL_LOG);
	return rc;
}

TEST(vtpm, faults_inside_the_compartment_are_killed)
{
	struct tpm_kill kill;
	int rc = vtpm_fresh();

	rc |= vtpm_nv_define_write();
	rc |= vtpm_misbehave(TPM_TEST_UNDEFINED, 0, &kill);
	rc |= EXPECT(kill.end == TPM_END_FAULT &&
		     (kill.fault.kind == FAULT_UNDEFINED || kill.fault.kind == FAULT_OTHER));
	/* Running off its stack hits the unmapped page below it. */
	rc |= vtpm_misbehave(TPM_TEST_STACK_OVERFLOW, 0, &kill);
	rc |= EXPECT(kill.end == TPM_END_FAULT && kill.fault.kind == FAULT_WRITE &&
		     kill.fault.addr < TPM_STACK_VA && kill.fault.addr >= TPM_STACK_VA - 2 * PAGE_SIZE);
	rc |= vtpm_misbehave(TPM_TEST_ABORT, 0, &kill);
	rc |= EXPECT(kill.end == TPM_END_EXIT);
	return rc;
}

/* A loop that makes no call: the budget's timer takes the CPU back. */
TEST(vtpm, runaway_loop_is_stopped_by_the_budget)
{
	struct tpm_kill kill;
	uint64_t t0, ms;
	int rc = vtpm_fresh();

	rc |= vtpm_nv_define_write();
	tpm_test_set_budget_ms(200);
	t0 = arch_time_ns();
	rc |= vtpm_misbehave(TPM_TEST_SPIN, 0, &kill);
	ms = (arch_time_ns() - t0) / 1000000;
	tpm_test_set_budget_ms(0);
	rc |= EXPECT(kill.end == TPM_END_BUDGET);
	rc |= EXPECT(ms >= 200 && ms < 10000);
	printf("  vtpm: a spinning compartment was stopped and restarted in %llu ms\n",
	       (unsigned long long)ms);
	return rc;
}

/* A real command that overruns the budget gets the TPM failure response,
 * and the TPM that comes back still has its NV index. */
TEST(vtpm, killed_command_gets_failure_response)
{
	static struct buf pub;
	int rc = vtpm_fresh();

	rc |= vtpm_nv_define_write();
	tpm_template_rsa_sign_decrypt(&pub);
	cmd_begin(&vtpm_cmd, ST_SESSIONS, CC_CreatePrimary);
	put32(&vtpm_cmd, RH_OWNER);
	put_pw_auth(&vtpm_cmd);
	vtpm_put_sensitive(&vtpm_cmd, NULL, 0);
	put2b(&vtpm_cmd, pub.b, pub.len);
	put16(&vtpm_cmd, 0); /* outsideInfo */
	put32(&vtpm_cmd, 0); /* creationPCR */
	cmd_end(&vtpm_cmd);
	tpm_test_set_budget_ms(1);
	rc |= EXPECT_RC(&vtpm_cmd, &vtpm_rsp, TPM_RC_FAILURE_CODE);
	tpm_test_set_budget_ms(0);
	rc |= EXPECT(vtpm_rsp.len == sizeof(struct tpm2_header));
	vtpm_startup(&vtpm_cmd, SU_CLEAR);
	rc |= EXPECT_RC(&vtpm_cmd, &vtpm_rsp, 0);
	return rc | vtpm_check_nv();
}

/* ---- state across boots ----
 *
 * An NV index holding a counter: read it (or define it at 0), add one,
 * write it back, and print the result.  On a medium that survives a
 * restart (the machine's flash with the host's sealing secret,
 * tools/qemu-run.sh --tpm-nv --tpm-key) each boot prints one more; the boot
 * tests run it twice on one file and check 1, then 2.  In RAM it is 1. */
#define VTPM_BOOT_INDEX 0x01500020

TEST(vtpm, nv_counter_counts_boots)
{
	struct tpm_stats stats;
	uint64_t count = 0;
	uint8_t bytes[8];
	int rc = vtpm_fresh();

	cmd_begin(&vtpm_cmd, ST_SESSIONS, CC_NV_Read);
	put32(&vtpm_cmd, RH_OWNER);
	put32(&vtpm_cmd, VTPM_BOOT_INDEX);
	put_pw_auth(&vtpm_cmd);
	put16(&vtpm_cmd, sizeof(bytes));
	put16(&vtpm_cmd, 0);
	cmd_end(&vtpm_cmd);
	if (vtpm_run(&vtpm_cmd, &vtpm_rsp) == 0) {
		const uint8_t *d;
		size_t len;

		get32(&vtpm_rsp); /* parameterSize */
		d = get2b(&vtpm_rsp, &len);
		rc |= EXPECT(len == sizeof(bytes));
		for (size_t i = 0; i < len && i < sizeof(bytes); i++) {
			count = count << 8 | d[i];
		}
	} else {
		cmd_begin(&vtpm_cmd, ST_SESSIONS, CC_NV_DefineSpace);
		put32(&vtpm_cmd, RH_OWNER);
		put_pw_auth(&vtpm_cmd);
		put16(&vtpm_cmd, 0);  /* auth */
		put16(&vtpm_cmd, 14); /* TPM2B_NV_PUBLIC */
		put32(&vtpm_cmd, VTPM_BOOT_INDEX);
		put16(&vtpm_cmd, ALG_SHA256);
		put32(&vtpm_cmd, NV_OWNERWRITE | NV_OWNERREAD | NV_NO_DA);
		put16(&vtpm_cmd, 0); /* authPolicy */
		put16(&vtpm_cmd, sizeof(bytes));
		cmd_end(&vtpm_cmd);
		rc |= EXPECT_RC(&vtpm_cmd, &vtpm_rsp, 0);
	}
	count++;
	for (size_t i = 0; i < sizeof(bytes); i++) {
		bytes[i] = (uint8_t)(count >> (8 * (sizeof(bytes) - 1 - i)));
	}
	cmd_begin(&vtpm_cmd, ST_SESSIONS, CC_NV_Write);
	put32(&vtpm_cmd, RH_OWNER);
	put32(&vtpm_cmd, VTPM_BOOT_INDEX);
	put_pw_auth(&vtpm_cmd);
	put2b(&vtpm_cmd, bytes, sizeof(bytes));
	put16(&vtpm_cmd, 0);
	cmd_end(&vtpm_cmd);
	rc |= EXPECT_RC(&vtpm_cmd, &vtpm_rsp, 0);
	tpm_stats_get(&stats);
	printf("  vtpm: boot counter %llu (state on %s)\n", (unsigned long long)count,
	       stats.nv_medium ? stats.nv_medium : "?");
	return rc;
}

/* Nothing of a command, its response or the state stays in the shared
 * page between commands: a write to an NV index seals the state, which
 * crosses the page 4 KiB at a time. */
TEST(vtpm, shared_page_is_wiped_after_commands)
{
	const uint8_t *shared;
	size_t nonzero = 0;
	int rc = vtpm_fresh();

	rc |= vtpm_nv_define_write();
	rc |= vtpm_check_nv();
	shared = tpm_test_shared_page();
	rc |= EXPECT(shared != NULL);
	for (size_t i = 0; shared && i < TPM_SHARED_SIZE; i++) {
		nonzero += shared[i] != 0;
	}
	rc |= EXPECT(nonzero == 0);
	return rc;
}
