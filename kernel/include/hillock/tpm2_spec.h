/* TPM 2.0 wire formats Hillock itself reads (TPM 2.0 Library, Part 1
 * §18 "Command/Response Structure" and Part 2).  All integers are
 * big-endian on the wire. */
#ifndef HILLOCK_TPM2_SPEC_H
#define HILLOCK_TPM2_SPEC_H

#include <stddef.h>
#include <stdint.h>

/* Every command and response starts with this header:
 *   command:  tag (TPM_ST_*), commandSize, commandCode
 *   response: tag,            responseSize, responseCode
 * The size counts the whole command or response, header included. */
struct tpm2_header {
	uint16_t tag;
	uint32_t size;
	uint32_t code;
} __attribute__((packed));

_Static_assert(sizeof(struct tpm2_header) == 10, "TPM 2.0 header size");
_Static_assert(offsetof(struct tpm2_header, size) == 2, "TPM 2.0 header size offset");
_Static_assert(offsetof(struct tpm2_header, code) == 6, "TPM 2.0 header code offset");

#define TPM2_ST_NO_SESSIONS 0x8001
#define TPM2_ST_SESSIONS 0x8002

#define TPM2_RC_SUCCESS 0x000
#define TPM2_RC_INITIALIZE 0x100 /* Startup sent twice, or a command before it */

#endif
