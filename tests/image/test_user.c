/* Suite "user": running code at user privilege in an address space of its
 * own (hillock/user.h), with the small test programs of
 * arch/<arch>/user_test.S.  Those are position-independent code between
 * user_test_start and user_test_end; the test copies them into a page of
 * their own, maps it at USER_VA_MIN and enters at its first byte with the
 * program number in the first argument register and its parameter in the
 * second:
 *
 *   0 calls      r = call(0x100, p, p + 1, p + 2, p + 3); call(0x101, r);
 *                then call(0x102) forever
 *   1 load       call(0x103, *(uint64_t *)p)
 *   2 store      *(uint64_t *)p = p; call(0x103, 0)
 *   3 spin       loop forever
 *   4 undefined  an undefined instruction
 *   5 clobber    every general register but the stack pointer and every
 *                FP/SIMD register (and its control) set from p, then
 *                call(0x104, p)
 *   6 stack      call(0x105, the stack pointer)
 *   7 tls        call(0x106, the 8 bytes at the thread pointer)
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <hillock/arch.h>
#include <hillock/fault.h>
#include <hillock/irq.h>
#include <hillock/mmu.h>
#include <hillock/page.h>
#include <hillock/selftest.h>
#include <hillock/timer.h>
#include <hillock/user.h>

extern const char user_test_start[], user_test_end[];

#define UT_CODE_VA USER_VA_MIN
#define UT_DATA_VA (USER_VA_MIN + 0x10000)
#define UT_STACK_VA (USER_VA_MIN + 0x20000) /* one page; its top is the sp */
#define UT_STACK_TOP (UT_STACK_VA + PAGE_SIZE)

/* A guard against a run that never exits: a timer makes sure an interrupt
 * comes back within a second. */
#define UT_BUDGET_NS (1000ull * 1000 * 1000)

enum ut_program {
	UT_CALLS,
	UT_LOAD,
	UT_STORE,
	UT_SPIN,
	UT_UNDEFINED,
	UT_CLOBBER,
	UT_STACK,
	UT_TLS,
};

struct ut_space {
	struct arch_uspace as;
	uint64_t code, data, stack; /* physical pages */
};

static int ut_build(struct ut_space *s)
{
	size_t len = (size_t)(user_test_end - user_test_start);

	memset(s, 0, sizeof(*s));
	if (len == 0 || len > PAGE_SIZE || arch_uspace_init(&s->as) != 0) {
		return -1;
	}
	s->code = page_alloc(1, 1, PAGE_USE_COMPARTMENT);
	s->data = page_alloc(1, 1, PAGE_USE_COMPARTMENT);
	s->stack = page_alloc(1, 1, PAGE_USE_COMPARTMENT);
	if (!s->code || !s->data || !s->stack) {
		return -1;
	}
	memset((void *)(uintptr_t)s->code, 0, PAGE_SIZE);
	memcpy((void *)(uintptr_t)s->code, user_test_start, len);
	memset((void *)(uintptr_t)s->data, 0, PAGE_SIZE);
	memset((void *)(uintptr_t)s->stack, 0, PAGE_SIZE);
	if (arch_uspace_map(&s->as, UT_CODE_VA, s->code, PAGE_SIZE, MMU_READ | MMU_EXEC) != 0 ||
	    arch_uspace_map(&s->as, UT_DATA_VA, s->data, PAGE_SIZE, MMU_READ | MMU_WRITE) != 0 ||
	    arch_uspace_map(&s->as, UT_STACK_VA, s->stack, PAGE_SIZE, MMU_READ | MMU_WRITE) != 0) {
		return -1;
	}
	return 0;
}

static void ut_teardown(struct ut_space *s)
{
	arch_uspace_destroy(&s->as);
	if (s->code) {
		page_free(s->code, 1, PAGE_USE_COMPARTMENT);
	}
	if (s->data) {
		page_free(s->data, 1, PAGE_USE_COMPARTMENT);
	}
	if (s->stack) {
		page_free(s->stack, 1, PAGE_USE_COMPARTMENT);
	}
}

/* The address space of every test; on failure it is reported and nothing
 * stays allocated. */
static int ut_setup(struct ut_space *s)
{
	if (ut_build(s) != 0) {
		ut_teardown(s);
		return EXPECT(!"user address space set up");
	}
	return 0;
}

/* Run until an exit other than an interrupt (interrupts are handed to
 * Hillock and the code resumed), or until deadline_ns passes with only
 * interrupts coming back; returns the count of interrupt exits. */
static unsigned int ut_run(struct ut_space *s, struct arch_user_regs *r, struct user_exit *exit,
			   uint64_t deadline_ns)
{
	unsigned long flags = arch_irq_save();
	unsigned int interrupts = 0;

	for (;;) {
		memset(exit, 0, sizeof(*exit));
		arch_user_run(&s->as, r, exit);
		if (exit->kind != USER_EXIT_INTERRUPT) {
			break;
		}
		interrupts++;
		arch_user_interrupt(exit);
		if (arch_time_ns() > deadline_ns) {
			break;
		}
	}
	arch_irq_restore(flags);
	return interrupts;
}

/* Runs program p with param from its start, with a budget of UT_BUDGET_NS
 * against a run that never exits. */
static void ut_go(struct ut_space *s, struct arch_user_regs *r, struct user_exit *e,
		  enum ut_program p, uint64_t param)
{
	arch_user_regs_init(r, UT_CODE_VA, UT_STACK_TOP, UT_DATA_VA, p, param);
	ut_run(s, r, e, arch_time_ns() + UT_BUDGET_NS);
}

static void ut_timer_fn(struct timer *t, void *arg)
{
	(void)t;
	(void)arg;
}


TEST(user, calls_pass_arguments_and_results)
{
	struct ut_space s;
	struct arch_user_regs r;
	struct user_exit e;
	struct timer t = {0};
	int rc = 0;

	if (ut_setup(&s) != 0) {
		return -1;
	}
	timer_start(&t, arch_time_ns() + UT_BUDGET_NS, ut_timer_fn, NULL);
	ut_go(&s, &r, &e, UT_CALLS, 0x1234);
	rc |= EXPECT(e.kind == USER_EXIT_CALL && e.call == 0x100);
	rc |= EXPECT(e.args[0] == 0x1234 && e.args[1] == 0x1235 && e.args[2] == 0x1236 &&
		     e.args[3] == 0x1237);
	arch_user_set_result(&r, 0xfeedface12345678ull);
	ut_run(&s, &r, &e, arch_time_ns() + UT_BUDGET_NS);
	rc |= EXPECT(e.kind == USER_EXIT_CALL && e.call == 0x101 &&
		     e.args[0] == 0xfeedface12345678ull);
	for (int i = 0; i < 100 && rc == 0; i++) {
		ut_run(&s, &r, &e, arch_time_ns() + UT_BUDGET_NS);
		rc |= EXPECT(e.kind == USER_EXIT_CALL && e.call == 0x102);
	}
	timer_cancel(&t);
	ut_teardown(&s);
	return rc;
}

/* The user code reads a Hillock variable: its page is not in the user
 * address space, so the read faults, and Hillock carries on. */
static volatile uint64_t ut_kernel_secret = 0x5ec7e7;

TEST(user, reading_hillock_memory_faults)
{
	struct ut_space s;
	struct arch_user_regs r;
	struct user_exit e;
	uint64_t addr = (uint64_t)(uintptr_t)&ut_kernel_secret;
	int rc = 0;

	if (ut_setup(&s) != 0) {
		return -1;
	}
	ut_go(&s, &r, &e, UT_LOAD, addr);
	rc |= EXPECT(e.kind == USER_EXIT_FAULT && e.fault.kind == FAULT_READ && e.fault.addr == addr);
	rc |= EXPECT(e.fault.pc >= UT_CODE_VA && e.fault.pc < UT_CODE_VA + PAGE_SIZE);
	/* Its own data page it may read. */
	*(volatile uint64_t *)(uintptr_t)s.data = 0xabcdef;
	ut_go(&s, &r, &e, UT_LOAD, UT_DATA_VA);
	rc |= EXPECT(e.kind == USER_EXIT_CALL && e.call == 0x103 && e.args[0] == 0xabcdef);
	/* An unmapped user address faults too. */
	ut_go(&s, &r, &e, UT_LOAD, UT_DATA_VA + PAGE_SIZE);
	rc |= EXPECT(e.kind == USER_EXIT_FAULT && e.fault.kind == FAULT_READ &&
		     e.fault.addr == UT_DATA_VA + PAGE_SIZE);
	ut_teardown(&s);
	return rc;
}

TEST(user, writing_code_or_hillock_memory_faults)
{
	struct ut_space s;
	struct arch_user_regs r;
	struct user_exit e;
	int rc = 0;

	if (ut_setup(&s) != 0) {
		return -1;
	}
	ut_go(&s, &r, &e, UT_STORE, UT_CODE_VA);
	rc |= EXPECT(e.kind == USER_EXIT_FAULT && e.fault.kind == FAULT_WRITE &&
		     e.fault.addr == UT_CODE_VA);
	ut_go(&s, &r, &e, UT_STORE, (uint64_t)(uintptr_t)&ut_kernel_secret);
	rc |= EXPECT(e.kind == USER_EXIT_FAULT && e.fault.kind == FAULT_WRITE);
	rc |= EXPECT(ut_kernel_secret == 0x5ec7e7);
	ut_go(&s, &r, &e, UT_STORE, UT_DATA_VA + 8);
	rc |= EXPECT(e.kind == USER_EXIT_CALL && e.call == 0x103);
	rc |= EXPECT(((volatile uint64_t *)(uintptr_t)s.data)[1] == UT_DATA_VA + 8);
	ut_teardown(&s);
	return rc;
}

TEST(user, undefined_instruction_faults)
{
	struct ut_space s;
	struct arch_user_regs r;
	struct user_exit e;
	int rc = 0;

	if (ut_setup(&s) != 0) {
		return -1;
	}
	ut_go(&s, &r, &e, UT_UNDEFINED, 0);
	rc |= EXPECT(e.kind == USER_EXIT_FAULT && e.fault.kind == FAULT_UNDEFINED);
	rc |= EXPECT(e.fault.pc >= UT_CODE_VA && e.fault.pc < UT_CODE_VA + PAGE_SIZE);
	ut_teardown(&s);
	return rc;
}

/* A loop that never calls: the timer's interrupt takes the CPU back to
 * Hillock, which handles it and may resume the loop or stop it. */
TEST(user, interrupts_reach_hillock_while_user_code_spins)
{
	struct ut_space s;
	struct arch_user_regs r;
	struct user_exit e;
	struct timer t = {0};
	uint64_t start, deadline;
	unsigned int n;
	int rc = 0;

	if (ut_setup(&s) != 0) {
		return -1;
	}
	start = arch_time_ns();
	deadline = start + 20ull * 1000 * 1000;
	timer_start(&t, deadline, ut_timer_fn, NULL);
	arch_user_regs_init(&r, UT_CODE_VA, UT_STACK_TOP, UT_DATA_VA, UT_SPIN, 0);
	n = ut_run(&s, &r, &e, deadline);
	timer_cancel(&t);
	rc |= EXPECT(e.kind == USER_EXIT_INTERRUPT && n >= 1);
	rc |= EXPECT(arch_time_ns() >= deadline);
	ut_teardown(&s);
	return rc;
}

/* Many values live across the run, in Hillock's callee-saved registers,
 * while the user code clobbers every register it has. */
static __attribute__((noinline)) uint64_t ut_mix(uint64_t a, double b)
{
	return a * 0x9e3779b97f4a7c15ull + (uint64_t)(b * 1000.0);
}

TEST(user, hillock_registers_survive_user_code)
{
	struct ut_space s;
	struct arch_user_regs r;
	struct user_exit e;
	volatile uint64_t seed = 7;
	uint64_t a = seed, b = seed * 3, c = seed * 5, d = seed * 11, f = seed * 13;
	double x = (double)seed / 3.0, y = (double)seed * 1.5;
	uint64_t before = ut_mix(a ^ b ^ c ^ d ^ f, x + y);
	int rc = 0;

	if (ut_setup(&s) != 0) {
		return -1;
	}
	for (int i = 0; i < 3; i++) {
		ut_go(&s, &r, &e, UT_CLOBBER, 0x0123456789abcdefull + (uint64_t)i);
		rc |= EXPECT(e.kind == USER_EXIT_CALL && e.call == 0x104 &&
			     e.args[0] == 0x0123456789abcdefull + (uint64_t)i);
	}
	rc |= EXPECT(ut_mix(a ^ b ^ c ^ d ^ f, x + y) == before);
	rc |= EXPECT(a == 7 && b == 21 && c == 35 && d == 77 && f == 91);
	ut_teardown(&s);
	return rc;
}

TEST(user, stack_and_thread_pointer_are_the_given_ones)
{
	struct ut_space s;
	struct arch_user_regs r;
	struct user_exit e;
	int rc = 0;

	if (ut_setup(&s) != 0) {
		return -1;
	}
	ut_go(&s, &r, &e, UT_STACK, 0);
	rc |= EXPECT(e.kind == USER_EXIT_CALL && e.call == 0x105 && e.args[0] == UT_STACK_TOP);
	((volatile uint64_t *)(uintptr_t)s.data)[0] = 0x7151715171517151ull;
	ut_go(&s, &r, &e, UT_TLS, 0);
	rc |= EXPECT(e.kind == USER_EXIT_CALL && e.call == 0x106 &&
		     e.args[0] == 0x7151715171517151ull);
	ut_teardown(&s);
	return rc;
}

/* Hillock's own tables do not map the user address range. */
TEST(user, hillock_cannot_reach_user_addresses)
{
	struct fault_info fi;
	int rc = 0;

	rc |= EXPECT(mmu_query(USER_VA_MIN) < 0);
	memset(&fi, 0, sizeof(fi));
	if (fault_catch(&fi) == 0) {
		(void)*(volatile uint64_t *)(uintptr_t)USER_VA_MIN;
		fault_catch_end();
	}
	rc |= EXPECT(fi.kind == FAULT_READ && fi.addr == USER_VA_MIN);
	return rc;
}
