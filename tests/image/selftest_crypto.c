/* Known-answer tests for Debian's mbedtls (libmbedcrypto) as linked into
 * the image: SHA-256 and SHA-384 (FIPS 180-4 "abc" examples) and
 * AES-256-GCM (test case 16 of the GCM specification: 256-bit key, 96-bit
 * IV, additional data, a 60-byte message). */
#include <string.h>

#include <mbedtls/gcm.h>
#include <mbedtls/sha256.h>
#include <mbedtls/sha512.h>

#include <hillock/selftest.h>

TEST(selftest, sha256)
{
	unsigned char want[32], got[32];

	selftest_unhex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", want,
		       sizeof(want));
	EXPECT(mbedtls_sha256_ret((const unsigned char *)"abc", 3, got, 0) == 0);
	return EXPECT_BYTES(got, want, sizeof(want));
}

TEST(selftest, sha384)
{
	/* mbedtls writes SHA-384 into a 64-byte SHA-512 sized buffer. */
	unsigned char want[48], got[64];

	selftest_unhex("cb00753f45a35e8bb5a03d699ac65007272c32ab0eded163"
		       "1a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
		       want, sizeof(want));
	EXPECT(mbedtls_sha512_ret((const unsigned char *)"abc", 3, got, 1) == 0);
	return EXPECT_BYTES(got, want, sizeof(want));
}

TEST(selftest, aes256_gcm)
{
	unsigned char key[32], iv[12], aad[20], pt[60], want_ct[60], want_tag[16];
	unsigned char ct[60], tag[16], back[60];
	mbedtls_gcm_context gcm;
	int rc = 0;

	selftest_unhex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", key,
		       sizeof(key));
	selftest_unhex("cafebabefacedbaddecaf888", iv, sizeof(iv));
	selftest_unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2", aad, sizeof(aad));
	selftest_unhex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
		       "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
		       pt, sizeof(pt));
	selftest_unhex("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
		       "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
		       want_ct, sizeof(want_ct));
	selftest_unhex("76fc6ece0f4e1768cddf8853bb2d551b", want_tag, sizeof(want_tag));

	mbedtls_gcm_init(&gcm);
	rc |= EXPECT(mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, 256) == 0);
	rc |= EXPECT(mbedtls_gcm_crypt_and_tag(&gcm, MBEDTLS_GCM_ENCRYPT, sizeof(pt), iv, sizeof(iv),
					       aad, sizeof(aad), pt, ct, sizeof(tag), tag) == 0);
	rc |= EXPECT_BYTES(ct, want_ct, sizeof(ct));
	rc |= EXPECT_BYTES(tag, want_tag, sizeof(tag));
	/* Decryption restores the message; a changed tag is refused. */
	rc |= EXPECT(mbedtls_gcm_auth_decrypt(&gcm, sizeof(ct), iv, sizeof(iv), aad, sizeof(aad),
					      tag, sizeof(tag), ct, back) == 0);
	rc |= EXPECT(memcmp(back, pt, sizeof(pt)) == 0);
	tag[15] ^= 1;
	rc |= EXPECT(mbedtls_gcm_auth_decrypt(&gcm, sizeof(ct), iv, sizeof(iv), aad, sizeof(aad),
					      tag, sizeof(tag), ct, back) ==
		     MBEDTLS_ERR_GCM_AUTH_FAILED);
	mbedtls_gcm_free(&gcm);
	return rc;
}
