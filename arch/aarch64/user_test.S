/* The user test programs of tests/image/test_user.c (its header says what
 * each does).  Position-independent code between user_test_start and
 * user_test_end, which the test copies into a page of its own and enters
 * at EL0 with the program number in x0 and its parameter in x1.  A call
 * is SVC #0 with the number in x8, the arguments in x0-x3, the result in
 * x0.  Kept in read-only data: Hillock never runs it in place. */

	.section .rodata.user_test, "a"
	.balign 4
	.globl user_test_start, user_test_end
user_test_start:
	cmp x0, #0
	b.eq ut_calls
	cmp x0, #1
	b.eq ut_load
	cmp x0, #2
	b.eq ut_store
	cmp x0, #3
	b.eq ut_spin
	cmp x0, #5
	b.eq ut_clobber
	cmp x0, #6
	b.eq ut_stack
	cmp x0, #7
	b.eq ut_tls
	udf #0				/* 4, undefined, and any unknown number */

	/* r = call(0x100, p, p + 1, p + 2, p + 3); call(0x101, r); then
	 * call(0x102) forever. */
ut_calls:
	mov x0, x1
	add x2, x1, #2
	add x3, x1, #3
	add x1, x1, #1
	mov x8, #0x100
	svc #0
	mov x8, #0x101
	svc #0
1:	mov x8, #0x102
	svc #0
	b 1b

	/* call(0x103, *(uint64_t *)p) */
ut_load:
	ldr x0, [x1]
	mov x8, #0x103
	svc #0
	b ut_done

	/* *(uint64_t *)p = p; call(0x103, 0) */
ut_store:
	str x1, [x1]
	mov x0, #0
	mov x8, #0x103
	svc #0
	b ut_done

ut_spin:
	b ut_spin

	/* Every general register but sp and every FP/SIMD register from p
	 * (v<n> = p in both halves, x<n> = p + n; FPCR's rounding mode, FZ
	 * and DN, and FPSR's cumulative flags, from p's bits too), then
	 * call(0x104, p). */
ut_clobber:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	dup v\n\().2d, x1
	.endr
	and x2, x1, #(0xf << 22)
	msr fpcr, x2
	and x2, x1, #0x1f
	msr fpsr, x2
	.irp n, 2,3,4,5,6,7,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	add x\n, x1, #\n
	.endr
	mov x0, x1
	add x1, x1, #1
	mov x8, #0x104
	svc #0
	b ut_done

	/* call(0x105, sp) */
ut_stack:
	mov x0, sp
	mov x8, #0x105
	svc #0
	b ut_done

	/* call(0x106, the 8 bytes at the thread pointer) */
ut_tls:
	mrs x9, tpidr_el0
	ldr x0, [x9]
	mov x8, #0x106
	svc #0

	/* Resumed after its last call: a program stops on an undefined
	 * instruction. */
ut_done:
	udf #1
user_test_end:
