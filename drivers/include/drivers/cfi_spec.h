/* Common Flash Interface (JEDEC JESD68) query table and the Intel/Sharp
 * command set (CFI primary command set 0x0001/0x0003), as QEMU's
 * pflash_cfi01 implements them.
 *
 * A bank is bank_width bytes wide and made of `chips` identical chips side
 * by side, each width = bank_width / chips bytes.  Every command is written
 * as one bus word holding the command byte in the low byte of each chip's
 * lane; status and query data come back the same way, one lane per chip.
 *
 * The query table: after CFI_CMD_QUERY, table byte i is the low byte of
 * each chip's lane in the bus word at byte offset i * bank_width.  Offsets
 * below are table indices; multi-byte fields are little-endian.
 */
#ifndef DRIVERS_CFI_SPEC_H
#define DRIVERS_CFI_SPEC_H

/* Where the query command is written: word 0x55 (any address works on
 * Intel parts and on QEMU; 0x55 is what AMD parts need). */
#define CFI_QUERY_ADDR 0x55

enum cfi_query_offset {
	CFI_QRY = 0x10,		     /* "QRY" */
	CFI_PRIMARY_CMDSET = 0x13,   /* 16 bits: 0x0001 Intel/Sharp extended, 0x0003 Intel standard */
	CFI_WORD_PROGRAM_TYP = 0x1f, /* typical single-word program time: 2^n us (0: not given) */
	CFI_BUFFER_PROGRAM_TYP = 0x20, /* typical buffered program time: 2^n us (0: not given) */
	CFI_BLOCK_ERASE_TYP = 0x21,  /* typical block erase time: 2^n ms */
	CFI_WORD_PROGRAM_MAX = 0x23, /* maximum single-word program time: 2^n times typical */
	CFI_BUFFER_PROGRAM_MAX = 0x24, /* maximum buffered program time: 2^n times typical */
	CFI_BLOCK_ERASE_MAX = 0x25,  /* maximum block erase time: 2^n times typical */
	CFI_DEVICE_SIZE = 0x27,	     /* one chip's size: 2^n bytes */
	CFI_WRITE_BUFFER = 0x2a,     /* 16 bits: one chip's write buffer, 2^n bytes (0: none) */
	CFI_ERASE_REGIONS = 0x2c,    /* number of erase block regions */
	CFI_REGION1_BLOCKS = 0x2d,   /* 16 bits: blocks in region 1, minus one */
	CFI_REGION1_BLOCK_SIZE = 0x2f, /* 16 bits: region 1's block size / 256 (0: 128 bytes) */
	CFI_QUERY_END = 0x31,	       /* the last index the driver reads, plus one */
};

#define CFI_CMDSET_INTEL_EXTENDED 0x0001
#define CFI_CMDSET_INTEL_STANDARD 0x0003

/* Commands (one byte per chip). */
#define CFI_CMD_READ_ARRAY 0xff
#define CFI_CMD_QUERY 0x98
#define CFI_CMD_CLEAR_STATUS 0x50
#define CFI_CMD_WORD_PROGRAM 0x40
/* 0xe8 at the buffer's first word, wait for READY, the word count minus one
 * (per chip), the words (all within one aligned write buffer), 0xd0. */
#define CFI_CMD_BUFFERED_PROGRAM 0xe8
#define CFI_CMD_BLOCK_ERASE 0x20
#define CFI_CMD_CONFIRM 0xd0

/* The status register (one byte per chip), read after a program or erase
 * command until READY is set. */
#define CFI_STATUS_READY 0x80	    /* the write state machine is idle */
#define CFI_STATUS_ERASE_ERROR 0x20 /* with PROGRAM_ERROR: a bad command sequence */
#define CFI_STATUS_PROGRAM_ERROR 0x10
#define CFI_STATUS_VPP_LOW 0x08
#define CFI_STATUS_LOCKED 0x02 /* the block is locked (QEMU: read-only drive) */
#define CFI_STATUS_ERRORS                                                                  \
	(CFI_STATUS_ERASE_ERROR | CFI_STATUS_PROGRAM_ERROR | CFI_STATUS_VPP_LOW |          \
	 CFI_STATUS_LOCKED)

#endif
