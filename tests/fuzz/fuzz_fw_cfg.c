/*
 * libFuzzer harness for the fw_cfg file directory (drivers/fw_cfg/fw_cfg.c):
 * the driver runs against a fake fw_cfg device whose items are the fuzzer's
 * bytes, through its own transport hooks (struct fw_cfg), and what it
 * returns is compared with what the device holds.
 *
 * Input: one lookup byte, then the device's contents.
 *   data[1..5)   item 0, the signature
 *   data[5..)    item 0x19, the file directory (be32 count, 64-byte entries)
 * Every other item reads as a pattern of its selector, and every item reads
 * as zeros past its end (as QEMU's does).  The name looked up:
 *   lookup & 1 == 0  one of names[] (the vTPM's secret, the empty name, the
 *                    longest name that fits, one a byte too long)
 *   lookup & 1 == 1  the name in directory entry lookup >> 1, up to its
 *                    first NUL (56 bytes when it has none)
 * Checked: the result is the first entry with exactly that (terminated)
 * name, with its size and selector, or the error the header promises; the
 * directory is not read past the count it gave; a found file is read whole
 * from its own selector, and only into a buffer of exactly its size.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <drivers/fw_cfg.h>
#include <hillock/mmu.h>

#define SIGNATURE_OFF 1
#define DIR_OFF 5
#define FILE_READ_MAX 65536 /* larger files are only checked for -EMSGSIZE */

static const char *const names[] = {
	"opt/hillock/tpm-seal-key", /* TPM_NV_SECRET_FILE (tpm/nv_platform.h) */
	"",
	"opt/a-name-of-fifty-five-bytes-the-longest-that-fits-..",
	"opt/a-name-of-fifty-six-bytes-one-more-than-fits-in-one!",
};
_Static_assert(sizeof("opt/a-name-of-fifty-five-bytes-the-longest-that-fits-..") == FW_CFG_NAME_SIZE,
	       "the longest name that fits");
_Static_assert(sizeof("opt/a-name-of-fifty-six-bytes-one-more-than-fits-in-one!") ==
		       FW_CFG_NAME_SIZE + 1,
	       "a name a byte too long");

/* The fake device: the input, the selected item and how far it was read. */
static struct {
	const uint8_t *data;
	size_t size;
	uint16_t key;
	size_t pos;
	unsigned selects;
	size_t bytes_read;
	size_t dir_read; /* bytes of the directory item read */
} dev;

static void must(int cond)
{
	if (!cond) {
		abort();
	}
}

/* Bytes [off, off + len) of item key, as the device holds them. */
static void item_read(uint16_t key, size_t off, uint8_t *out, size_t len)
{
	const uint8_t *item = NULL;
	size_t item_size = 0, n = 0;

	if (key == FW_CFG_SIGNATURE && dev.size > SIGNATURE_OFF) {
		item = dev.data + SIGNATURE_OFF;
		item_size = dev.size < DIR_OFF ? dev.size - SIGNATURE_OFF : DIR_OFF - SIGNATURE_OFF;
	} else if (key == FW_CFG_FILE_DIR && dev.size > DIR_OFF) {
		item = dev.data + DIR_OFF;
		item_size = dev.size - DIR_OFF;
	} else if (key != FW_CFG_SIGNATURE && key != FW_CFG_FILE_DIR) {
		for (size_t i = 0; i < len; i++) {
			size_t j = off + i;

			out[i] = (uint8_t)(key * 31 + j * 7 + (j >> 8) + 1);
		}
		return;
	}
	if (off < item_size) {
		n = item_size - off < len ? item_size - off : len;
		memcpy(out, item + off, n);
	}
	memset(out + n, 0, len - n);
}

static void fake_select(const struct fw_cfg *fw, uint16_t key)
{
	(void)fw;
	dev.key = key;
	dev.pos = 0;
	dev.selects++;
}

static void fake_read(const struct fw_cfg *fw, void *buf, size_t len)
{
	(void)fw;
	item_read(dev.key, dev.pos, buf, len);
	if (dev.key == FW_CFG_FILE_DIR) {
		dev.dir_read += len;
	}
	dev.pos += len;
	dev.bytes_read += len;
}

/* fw_cfg_mmio_init() maps its page; the harness never calls it. */
int mmu_map(uint64_t pa, uint64_t size, unsigned int flags)
{
	(void)pa;
	(void)size;
	(void)flags;
	abort();
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t dir_count(void)
{
	uint8_t count[4];

	item_read(FW_CFG_FILE_DIR, 0, count, sizeof(count));
	return be32(count);
}

/* Directory entry i: size (4), select (2), reserved (2), name (56). */
static void dir_entry(uint32_t i, uint8_t entry[64])
{
	item_read(FW_CFG_FILE_DIR, 4 + (size_t)i * 64, entry, 64);
}

/* Entry i's name field, plus a NUL after it. */
static void entry_name(uint32_t i, char name[FW_CFG_NAME_SIZE + 1])
{
	uint8_t entry[64];

	dir_entry(i, entry);
	memcpy(name, entry + 8, FW_CFG_NAME_SIZE);
	name[FW_CFG_NAME_SIZE] = '\0';
}

/* What fw_cfg_find() must return for name, from the device's contents. */
static int expected_find(const char *name, struct fw_cfg_file *want)
{
	uint8_t signature[4];
	uint32_t count = dir_count();

	item_read(FW_CFG_SIGNATURE, 0, signature, sizeof(signature));
	if (memcmp(signature, FW_CFG_SIGNATURE_BYTES, sizeof(signature)) != 0) {
		return -ENODEV;
	}
	if (count > FW_CFG_DIR_MAX) {
		return -EIO;
	}
	for (uint32_t i = 0; i < count; i++) {
		uint8_t entry[64];

		dir_entry(i, entry);
		if (memchr(entry + 8, '\0', FW_CFG_NAME_SIZE) != NULL &&
		    strcmp((const char *)entry + 8, name) == 0) {
			want->size = be32(entry);
			want->select = (uint16_t)(entry[4] << 8 | entry[5]);
			return 0;
		}
	}
	return -ENOENT;
}

static void check_read_file(const struct fw_cfg *fw, const struct fw_cfg_file *file)
{
	uint8_t small[1];
	uint8_t *buf, *want;

	/* The wrong size is refused before any I/O. */
	dev.selects = 0;
	dev.bytes_read = 0;
	must(fw_cfg_read_file(fw, file, small, (size_t)file->size + 1) == -EMSGSIZE);
	if (file->size != 1) {
		must(fw_cfg_read_file(fw, file, small, 1) == -EMSGSIZE);
	}
	must(dev.selects == 0 && dev.bytes_read == 0);
	if (file->size > FILE_READ_MAX) {
		return;
	}
	/* Exactly its size (ASan guards the end), from its own selector. */
	buf = malloc(file->size ? file->size : 1);
	must(buf != NULL);
	must(fw_cfg_read_file(fw, file, buf, file->size) == 0);
	must(dev.selects == 1 && dev.key == file->select && dev.bytes_read == file->size);
	want = malloc(file->size ? file->size : 1);
	must(want != NULL);
	item_read(file->select, 0, want, file->size);
	must(memcmp(buf, want, file->size) == 0);
	free(want);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fw_cfg fw = { .select = fake_select, .read = fake_read };
	char name[FW_CFG_NAME_SIZE + 1];
	struct fw_cfg_file found = { 0, 0 }, want = { 0, 0 };
	uint32_t count;
	int rc, expected;

	if (size < 1) {
		return 0;
	}
	memset(&dev, 0, sizeof(dev));
	dev.data = data;
	dev.size = size;
	if (data[0] & 1) {
		entry_name(data[0] >> 1, name);
	} else {
		strcpy(name, names[(data[0] >> 1) % (sizeof(names) / sizeof(names[0]))]);
	}

	rc = fw_cfg_find(&fw, name, &found);
	expected = expected_find(name, &want);
	must(rc == expected);
	count = dir_count();
	must(dev.dir_read <= 4 + 64 * (size_t)(count > FW_CFG_DIR_MAX ? 0 : count));
	if (rc != 0) {
		return 0;
	}
	must(found.size == want.size && found.select == want.select);
	check_read_file(&fw, &found);
	return 0;
}
