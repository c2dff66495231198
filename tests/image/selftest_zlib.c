/* Known-answer and round-trip tests for Debian's zlib as linked into the
 * image: CRC-32 of "123456789" (the standard check value 0xcbf43926) and a
 * deflate/inflate round trip through the kernel heap. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <hillock/selftest.h>

#define ZTEST_SIZE (64 * 1024)

TEST(selftest, crc32)
{
	uLong crc = crc32(0L, Z_NULL, 0);

	crc = crc32(crc, (const Bytef *)"123456789", 9);
	return EXPECT(crc == 0xcbf43926ul);
}

TEST(selftest, deflate_roundtrip)
{
	unsigned char *in = malloc(ZTEST_SIZE);
	uLongf packed_len = compressBound(ZTEST_SIZE);
	unsigned char *packed = malloc(packed_len);
	unsigned char *out = malloc(ZTEST_SIZE);
	uLongf out_len = ZTEST_SIZE;
	uint32_t x = 12345;
	int rc = 0;

	if (EXPECT(in && packed && out) != 0) {
		free(in);
		free(packed);
		free(out);
		return -1;
	}
	/* Text-like input: words from a small alphabet, so it compresses. */
	for (size_t i = 0; i < ZTEST_SIZE; i++) {
		x = x * 1103515245u + 12345u;
		in[i] = (x >> 16) % 9 == 0 ? ' ' : (unsigned char)('a' + (x >> 16) % 7);
	}
	rc |= EXPECT(compress2(packed, &packed_len, in, ZTEST_SIZE, Z_BEST_COMPRESSION) == Z_OK);
	rc |= EXPECT(packed_len < ZTEST_SIZE / 2);
	rc |= EXPECT(uncompress(out, &out_len, packed, packed_len) == Z_OK);
	rc |= EXPECT(out_len == ZTEST_SIZE);
	rc |= EXPECT(memcmp(in, out, ZTEST_SIZE) == 0);
	/* A corrupted stream is an error, not a crash. */
	packed[packed_len / 2] ^= 0xff;
	out_len = ZTEST_SIZE;
	rc |= EXPECT(uncompress(out, &out_len, packed, packed_len) != Z_OK ||
		     memcmp(in, out, ZTEST_SIZE) != 0);
	free(in);
	free(packed);
	free(out);
	return rc;
}
