/* The user programs of the in-image suite "user" (tests/image/test_user.c,
 * whose header describes each): position-independent ring 3 code between
 * user_test_start and user_test_end, which the test copies to a page of
 * its own.  Entered with the program number in rdi and its parameter p in
 * rsi.  Calls are user_call() of arch/user.h: INT 0xf8, the number in rax,
 * arguments in rdi, rsi, rdx, r10, the result in rax.  A program that has
 * nothing left to do runs UD2. */

#include <arch/user.h>

	.macro call_hillock nr
	mov $\nr, %eax
	int $USER_CALL_VECTOR
	.endm

	.text
	.globl user_test_start, user_test_end
	.balign 16
user_test_start:
	cmp $0, %rdi
	je calls
	cmp $1, %rdi
	je load
	cmp $2, %rdi
	je store
	cmp $3, %rdi
	je spin
	cmp $4, %rdi
	je undefined
	cmp $5, %rdi
	je clobber
	cmp $6, %rdi
	je stack
	cmp $7, %rdi
	je tls
	ud2

	/* 0: r = call(0x100, p, p + 1, p + 2, p + 3); call(0x101, r); then
	 * call(0x102) forever. */
calls:
	mov %rsi, %rdi
	lea 1(%rdi), %rsi
	lea 2(%rdi), %rdx
	lea 3(%rdi), %r10
	call_hillock 0x100
	mov %rax, %rdi
	call_hillock 0x101
1:	call_hillock 0x102
	jmp 1b

	/* 1: call(0x103, *(uint64_t *)p). */
load:
	mov (%rsi), %rdi
	call_hillock 0x103
	ud2

	/* 2: *(uint64_t *)p = p; call(0x103, 0). */
store:
	mov %rsi, (%rsi)
	xor %edi, %edi
	call_hillock 0x103
	ud2

	/* 3: loop forever, calling nothing. */
spin:
	jmp spin

	/* 4: an undefined instruction. */
undefined:
	ud2

	/* 5: every register from p, then call(0x104, p).  The FP controls
	 * take p's low bits as rounding mode and unmask the precision
	 * exception: Hillock, left with them, would trap on its next inexact
	 * result.  FILD of a 64-bit integer is exact, so loading the eight x87
	 * registers raises nothing. */
clobber:
	mov %esi, %ecx
	and $3, %ecx
	shl $13, %ecx
	or $0x0f80, %ecx		/* MXCSR: masks but PM, RC from p */
	push %rcx
	ldmxcsr (%rsp)
	mov %esi, %ecx
	and $3, %ecx
	shl $10, %ecx
	or $0x035f, %ecx		/* FCW: masks but PM, extended, RC from p */
	mov %ecx, (%rsp)
	fldcw (%rsp)
	mov %rsi, (%rsp)
	.rept 8
	fildq (%rsp)
	.endr
	pop %rcx
	movq %rsi, %xmm0
	punpcklqdq %xmm0, %xmm0
	.irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	movdqa %xmm0, %xmm\n
	.endr
	.irp reg, rbx,rcx,rdx,rbp,r8,r9,r10,r11,r12,r13,r14,r15,rdi
	mov %rsi, %\reg
	.endr
	call_hillock 0x104
	ud2

	/* 6: call(0x105, the stack pointer). */
stack:
	mov %rsp, %rdi
	call_hillock 0x105
	ud2

	/* 7: call(0x106, the 8 bytes at the thread pointer). */
tls:
	mov %fs:0, %rdi
	call_hillock 0x106
	ud2
user_test_end:

	.section .note.GNU-stack, "", @progbits
