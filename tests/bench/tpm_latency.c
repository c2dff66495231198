/*
 * TPM command latency: libtpms on Hillock's OpenSSL-API adapter and mbedtls
 * against Debian's libtpms on the real OpenSSL.
 *
 * This one source builds two programs (tests/bench/bench_tpm.mk):
 *  - tpm_latency_adapter: libtpms.a + tpm/adapter + libmbedcrypto.a;
 *  - tpm_latency_reference (TPM_BENCH_REFERENCE): libtpms.so + libcrypto.
 * Each manufactures a TPM (NV in memory, tests/unit/tpm_host.h), creates an
 * ECDSA P-256 and an RSA-2048 (RSASSA) signing key as primaries, then times
 * whole TPMLIB_Process calls:
 *
 *   pcr_extend   PCR_Extend of PCR 16 with one SHA-256 digest
 *   get_random   GetRandom of 32 bytes
 *   ecdsa_sign   Sign of a SHA-256 digest with the loaded P-256 key
 *   rsa_sign     Sign of a SHA-256 digest with the loaded RSA-2048 key
 *
 *   usage: tpm_latency [ITERATIONS [RSA_ITERATIONS]]   (default 200, 30)
 *
 * One line per command: "<name> <iterations> <median us> <min us>".  Each
 * command runs once untimed first and must succeed every time; afterwards
 * PCR 16 must hold a non-zero SHA-256 value, so an extend that did nothing
 * (no SHA-256 bank) cannot pass for a fast one.  tests/bench/tpm_latency.sh
 * runs both programs and prints the table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "tpm_host.h"

#ifndef TPM_BENCH_REFERENCE
#include "tpm_adapter.h"
#endif

#define PCR_BENCH 16 /* the debug PCR: resettable, in no policy */

static void die(const char *what, uint32_t rc)
{
	fprintf(stderr, "tpm_latency: %s failed (rc 0x%x)\n", what, rc);
	exit(1);
}

/* ---- the keys ---- */

/* An unrestricted signing key with a fixed scheme (SHA-256). */
static void public_signer(struct buf *p, uint16_t type, uint16_t scheme)
{
	p->len = 0;
	put16(p, type);
	put16(p, ALG_SHA256);
	put32(p, OA_FIXED_TPM | OA_FIXED_PARENT | OA_SENSITIVE_ORIGIN |
			 OA_USER_WITH_AUTH | OA_NO_DA | OA_SIGN);
	put16(p, 0);        /* authPolicy */
	put16(p, ALG_NULL); /* symmetric */
	put16(p, scheme);
	put16(p, ALG_SHA256);
	if (type == ALG_RSA) {
		put16(p, 2048); /* keyBits */
		put32(p, 0);    /* exponent: 65537 */
		put16(p, 0);    /* unique */
	} else {
		put16(p, ECC_NIST_P256);
		put16(p, ALG_NULL); /* kdf */
		put16(p, 0);        /* unique.x */
		put16(p, 0);        /* unique.y */
	}
}

static uint32_t create_primary(const struct buf *pub, const char *what)
{
	struct buf c;
	struct rsp r;

	cmd_begin(&c, ST_SESSIONS, CC_CreatePrimary);
	put32(&c, RH_OWNER);
	put_pw_auth(&c);
	put16(&c, 4); /* inSensitive: empty userAuth and data */
	put16(&c, 0);
	put16(&c, 0);
	put2b(&c, pub->b, pub->len);
	put16(&c, 0); /* outsideInfo */
	put32(&c, 0); /* creationPCR */
	cmd_end(&c);
	if (tpm_run(&c, &r) != 0) {
		die(what, r.rc);
	}
	return get32(&r);
}

static void sign_command(struct buf *c, uint32_t key, uint16_t scheme)
{
	static const uint8_t digest[32] = "a SHA-256 digest to be signed..";

	cmd_begin(c, ST_SESSIONS, CC_Sign);
	put32(c, key);
	put_pw_auth(c);
	put2b(c, digest, sizeof(digest));
	put16(c, scheme);
	put16(c, ALG_SHA256);
	put16(c, ST_HASHCHECK); /* validation: a NULL ticket */
	put32(c, RH_NULL);
	put16(c, 0);
	cmd_end(c);
}

/* ---- timing ---- */

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Runs c once untimed, then n times timed; prints the median and min. */
static void bench(const char *name, const struct buf *c, unsigned n)
{
	double *t = calloc(n, sizeof(*t)), median;
	struct rsp r;
	unsigned i;

	if (t == NULL) {
		die("calloc", 0);
	}
	if (tpm_run(c, &r) != 0) {
		die(name, r.rc);
	}
	for (i = 0; i < n; i++) {
		double t0 = now_us();

		tpm_run(c, &r);
		t[i] = now_us() - t0;
		if (r.rc != 0) {
			die(name, r.rc);
		}
	}
	qsort(t, n, sizeof(*t), compare_double);
	median = n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
	printf("%s %u %.2f %.2f\n", name, n, median, t[0]);
	free(t);
}

/* PCR_Read of PCR 16 in the SHA-256 bank: exactly one non-zero digest. */
static void check_pcr_extended(void)
{
	static const uint8_t zero[32];
	struct buf c;
	struct rsp r;
	const uint8_t *digest;
	size_t len;

	cmd_begin(&c, ST_NO_SESSIONS, CC_PCR_Read);
	put32(&c, 1); /* TPML_PCR_SELECTION.count */
	put16(&c, ALG_SHA256);
	put8(&c, 3); /* sizeofSelect */
	put8(&c, 0);
	put8(&c, 0);
	put8(&c, 1 << (PCR_BENCH - 16));
	cmd_end(&c);
	if (tpm_run(&c, &r) != 0) {
		die("PCR_Read", r.rc);
	}
	r.off += 4 + 4 + 2 + 1 + 3; /* pcrUpdateCounter, the selection */
	if (get32(&r) != 1) {
		die("PCR_Read: PCR 16 has no SHA-256 value", 0);
	}
	digest = get2b(&r, &len);
	if (len != sizeof(zero) || memcmp(digest, zero, len) == 0) {
		die("PCR_Read: PCR 16 was not extended", 0);
	}
}

#ifndef TPM_BENCH_REFERENCE
static int host_entropy(void *arg, unsigned char *buf, size_t len)
{
	(void)arg;
	return getrandom(buf, len, 0) == (ssize_t)len ? 0 : -1;
}
#endif

int main(int argc, char **argv)
{
	static const uint8_t measurement[32] =
		"a measurement, 32 bytes long...";
	unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 200;
	unsigned n_rsa = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 30;
	uint32_t ecc_key, rsa_key;
	struct buf c, pub;
	struct rsp r;

	if (n == 0 || n_rsa == 0) {
		fprintf(stderr, "usage: %s [ITERATIONS [RSA_ITERATIONS]]\n",
			argv[0]);
		return 2;
	}
#ifndef TPM_BENCH_REFERENCE
	if (tpm_adapter_set_entropy(host_entropy, NULL) != 0) {
		die("tpm_adapter_set_entropy", 0);
	}
#endif
	if (!tpm_power_on()) {
		die("TPMLIB_MainInit", 0);
	}
	cmd_begin(&c, ST_NO_SESSIONS, CC_Startup);
	put16(&c, SU_CLEAR);
	cmd_end(&c);
	if (tpm_run(&c, &r) != 0) {
		die("Startup", r.rc);
	}
	public_signer(&pub, ALG_ECC, ALG_ECDSA);
	ecc_key = create_primary(&pub, "CreatePrimary(ECDSA P-256)");
	public_signer(&pub, ALG_RSA, ALG_RSASSA);
	rsa_key = create_primary(&pub, "CreatePrimary(RSA-2048)");

	cmd_begin(&c, ST_SESSIONS, CC_PCR_Extend);
	put32(&c, PCR_BENCH);
	put_pw_auth(&c);
	put32(&c, 1); /* TPML_DIGEST_VALUES.count */
	put16(&c, ALG_SHA256);
	putn(&c, measurement, sizeof(measurement));
	cmd_end(&c);
	bench("pcr_extend", &c, n);
	check_pcr_extended();

	cmd_begin(&c, ST_NO_SESSIONS, CC_GetRandom);
	put16(&c, 32);
	cmd_end(&c);
	bench("get_random", &c, n);

	sign_command(&c, ecc_key, ALG_ECDSA);
	bench("ecdsa_sign", &c, n);

	sign_command(&c, rsa_key, ALG_RSASSA);
	bench("rsa_sign", &c, n_rsa);

	TPMLIB_Terminate();
	nv_clear();
	return 0;
}
