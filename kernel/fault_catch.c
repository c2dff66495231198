/* Expected faults for tests; see hillock/fault.h. */
#include <setjmp.h>
#include <stddef.h>

#include <hillock/fault.h>
#include <hillock/irq.h>

__thread struct fault_catcher fault_catcher_storage;
static __thread struct fault_catcher *fault_armed;

void fault_catch_arm(struct fault_catcher *c, struct fault_info *out)
{
	c->out = out;
	c->irq_enabled = (int)arch_irq_save();
	arch_irq_restore((unsigned long)c->irq_enabled);
	fault_armed = c;
}

void fault_catch_end(void)
{
	fault_armed = NULL;
}

void fault_deliver(const struct fault_info *fi)
{
	struct fault_catcher *c = fault_armed;

	if (!c) {
		return;
	}
	fault_armed = NULL;
	*c->out = *fi;
	/* The exception masked interrupts; put back what the test had. */
	arch_irq_restore((unsigned long)c->irq_enabled);
	longjmp(c->env, 1);
}

const char *fault_kind_name(enum fault_kind kind)
{
	switch (kind) {
	case FAULT_READ: return "read";
	case FAULT_WRITE: return "write";
	case FAULT_EXEC: return "execute";
	case FAULT_UNDEFINED: return "undefined instruction";
	default: return "other";
	}
}
