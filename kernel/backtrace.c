/* Frame-pointer backtraces; see hillock/backtrace.h. */
#include <stdint.h>
#include <stdio.h>

#include <hillock/backtrace.h>
#include <hillock/image.h>
#include <hillock/symbols.h>

#define BACKTRACE_FRAMES_MAX 32
/* Frame records are looked for this far above sp: more than any of
 * Hillock's stacks (32 KiB), so that a walk cannot wander far off a
 * broken chain. */
#define BACKTRACE_STACK_SPAN (64u << 10)

void backtrace_print(uint64_t fp, uint64_t sp)
{
	uint64_t base = (uint64_t)(uintptr_t)__image_start;
	uint64_t limit = sp + BACKTRACE_STACK_SPAN;

	for (int depth = 0; depth < BACKTRACE_FRAMES_MAX; depth++) {
		if (fp < sp || fp + 16 > limit || (fp & 7)) {
			break;
		}
		const uint64_t *frame = (const uint64_t *)(uintptr_t)fp;
		uint64_t ret = frame[1], offset;
		/* A return address follows the call; the call itself (one byte
		 * back) names the caller even when the call ends its function. */
		const char *name = symbol_lookup(ret - 1, &offset);

		if (!name) {
			break;
		}
		printf("  #%d image+%#llx %s+%#llx\n", depth, (unsigned long long)(ret - base), name,
		       (unsigned long long)(offset + 1));
		if (frame[0] <= fp) {
			break;
		}
		fp = frame[0];
	}
}
