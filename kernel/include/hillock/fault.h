/* Expected faults, for tests: run code that must fault and get control back
 * with what happened, instead of a crash report.
 *
 *     struct fault_info fi;
 *
 *     if (fault_catch(&fi) == 0) {
 *             *(volatile int *)text_page = 1;   // must fault
 *             fault_catch_end();
 *             return EXPECT(!"no fault");
 *     }
 *     EXPECT(fi.kind == FAULT_WRITE && fi.addr == (uintptr_t)text_page);
 *
 * fault_catch() returns 0 when armed and 1 when a fault came back; only
 * the CPU that armed it is covered, and any exception taken while armed is
 * delivered (including to an unexpected address: the test checks). */
#ifndef HILLOCK_FAULT_H
#define HILLOCK_FAULT_H

#include <setjmp.h>
#include <stdint.h>

enum fault_kind {
	FAULT_READ = 1,	 /* data read from an unmapped or unreadable page */
	FAULT_WRITE,	 /* data write to an unmapped or read-only page */
	FAULT_EXEC,	 /* instruction fetch from a non-executable page */
	FAULT_UNDEFINED, /* undefined instruction */
	FAULT_OTHER,
};

struct fault_info {
	enum fault_kind kind;
	uint64_t addr; /* faulting data address, or the pc for EXEC/UNDEFINED */
	uint64_t pc;
	uint64_t syndrome; /* arch: x86 vector << 32 | error code; arm ESR */
};

struct fault_catcher {
	jmp_buf env;
	struct fault_info *out;
	int irq_enabled;
};

#define fault_catch(fi)                                                         \
	(fault_catch_arm(&fault_catcher_storage, (fi)),                         \
	 setjmp(fault_catcher_storage.env))

extern __thread struct fault_catcher fault_catcher_storage;

void fault_catch_arm(struct fault_catcher *c, struct fault_info *out);
void fault_catch_end(void);

/* Called by the architecture's exception handler before reporting: when a
 * catcher is armed on this CPU, records *fi, disarms and jumps back into
 * fault_catch() (does not return); otherwise returns. */
void fault_deliver(const struct fault_info *fi);

/* "read", "write", "execute", "undefined instruction", "other". */
const char *fault_kind_name(enum fault_kind kind);

#endif
