/* The way into ring 3 and back out (arch/x86_64/user.c has the overview).
 *
 * Only what runs, or is read, while CR3 holds a user address space's
 * tables lives in the gate's own pages, which those tables map
 * supervisor-only at the same address as Hillock's do:
 *
 *   .user_gate.text   user_gate_enter: load the user CR3, pop the user
 *                     registers, IRETQ to ring 3;
 *                     user_gate_stubs: one 16-byte stub per vector that
 *                     makes every frame alike (error code or 0, vector);
 *                     user_gate_exit: push the user registers, note CR2,
 *                     load Hillock's CR3 and leave the gate
 *   .user_gate.bss    Hillock's CR3 and the CR2 slot (here); the gate's
 *                     IDT, GDT, TSS and stack (user.c)
 *
 * Everything else (saving Hillock's state, the descriptor tables, FS base,
 * FP state) happens on Hillock's own tables, in .text.  Interrupts are off
 * from arch_user_run() to the IRETQ, and again from the vector to the
 * return to it: every gate is an interrupt gate.
 *
 * The frame on the gate stack is struct x86_regs (arch/regs.h): the
 * registers in the order of gpr_macros.h, the vector, the error code and
 * the CPU's IRETQ frame, ending at the top of the gate stack, which the
 * gate TSS gives as RSP0.  user.c fills it for the way in and reads it
 * after the way out. */

#include <arch/gpr_macros.h>
#include <arch/user.h>
#include <arch/x86.h>

#define FRAME_CS (18 * 8)		/* offsetof(struct x86_regs, cs) */
#define STUB_COUNT 256

	/* --- Hillock's side of the way in, on Hillock's tables -------------- */

/* void x86_user_enter(struct x86_fxsave_area *fx, uint64_t fs_base,
 *		       uint64_t pml4, struct x86_regs *frame)
 *
 * Runs the user code whose registers user.c put in *frame (at the top of
 * the gate stack), with FP state *fx and thread pointer fs_base, in the
 * address space pml4.  Returns at its first exit, with Hillock's state
 * back, the exit's frame in the same place and the user FP state saved
 * in *fx.  Called with interrupts disabled. */
	.text
	.globl x86_user_enter
	.type x86_user_enter, @function
x86_user_enter:
	push %rbp
	mov %rsp, %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	push %rdi			/* fx, for the way out */
	sub $16, %rsp			/* Hillock's x87 control word and MXCSR */
	fnstcw (%rsp)
	stmxcsr 4(%rsp)
	mov %rsp, hillock_rsp(%rip)
	mov %rsi, %r12			/* the user's FS base */
	mov %rdx, %r13			/* the user's CR3 */
	mov %rcx, %r14			/* the frame */

	/* What the way out restores. */
	mov %cr3, %rax
	mov %rax, user_gate_hillock_cr3(%rip)
	mov $MSR_FS_BASE, %ecx
	rdmsr
	mov %eax, hillock_fs_base(%rip)
	mov %edx, hillock_fs_base + 4(%rip)
	sgdt hillock_gdtr(%rip)
	sidt hillock_idtr(%rip)
	str hillock_tr(%rip)
	mov %ds, hillock_ds(%rip)
	mov %es, hillock_es(%rip)
	mov %fs, hillock_fs(%rip)
	mov %gs, hillock_gs(%rip)
	mov %ss, hillock_ss(%rip)

	/* The user's FP state: from here Hillock does integer work only. */
	fxrstor64 (%rdi)

	/* The gate's tables (user.c cleared its TSS's busy bit). */
	lgdt user_gate_gdtr(%rip)
	mov $GATE_GDT_TSS, %eax
	ltr %ax
	lidt user_gate_idtr(%rip)

	/* Null data selectors (IRETQ would null a DPL 0 one anyway), then
	 * the user's FS base: loading a selector may reset it. */
	xor %eax, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %fs
	mov %eax, %gs
	mov $MSR_FS_BASE, %ecx
	mov %r12d, %eax
	mov %r12, %rdx
	shr $32, %rdx
	wrmsr

	mov %r13, %rax
	mov %r14, %rsp
	jmp user_gate_enter
	.size x86_user_enter, . - x86_user_enter

	/* --- The gate: mapped in every user address space ------------------- */

	.section .user_gate.text, "ax"
	.balign 4096
	/* rax: the user's CR3; rsp: the frame. */
user_gate_enter:
	mov %rax, %cr3
	pop_gprs
	add $16, %rsp			/* vector, error code */
	iretq

	/* Vector v's stub at user_gate_stubs + v * 16, for the gate IDT. */
	.macro stub vec, has_error
	.balign USER_GATE_STUB_SIZE
	.if \has_error == 0
	push $0
	.endif
	push $\vec
	jmp user_gate_exit
	.endm

	.balign USER_GATE_STUB_SIZE
	.globl user_gate_stubs
user_gate_stubs:
	.altmacro
	.set vec, 0
	.rept STUB_COUNT
	/* The vectors the CPU pushes an error code for (SDM Vol. 3 §6.15). */
	.set has_error, 0
	.irp e, 8, 10, 11, 12, 13, 14, 17, 21, 29, 30
	.if vec == \e
	.set has_error, 1
	.endif
	.endr
	stub %vec, %has_error
	.set vec, vec + 1
	.endr
	.noaltmacro
	/* Fails ("move .org backwards") if a stub outgrew USER_GATE_STUB_SIZE. */
	.org user_gate_stubs + USER_GATE_STUB_SIZE * STUB_COUNT

	/* Any vector taken at ring 3 (or, by a bug, on the gate at ring 0),
	 * on the gate stack, interrupts disabled. */
user_gate_exit:
	push_gprs
	mov %cr2, %rax			/* before anything else can fault */
	mov %rax, user_gate_cr2(%rip)
	mov user_gate_hillock_cr3(%rip), %rax
	mov %rax, %cr3
	jmp user_exit

	/* --- Hillock's side of the way out, on Hillock's tables ------------- */

	.text
user_exit:
	/* No user AC (it would lift SMAP), DF or TF in Hillock. */
	push $USER_RFLAGS_FIXED
	popfq

	/* Hillock's GDT, its TSS (still marked busy by its own LTR: clear
	 * that first), its IDT. */
	lgdt hillock_gdtr(%rip)
	mov hillock_gdtr + 2(%rip), %rax
	movzwl hillock_tr(%rip), %ecx
	andb $~0x2, 5(%rax, %rcx)	/* X86_DESC_TSS_BUSY: type 0xb -> 0x9 */
	ltr %cx
	lidt hillock_idtr(%rip)

	/* The user's FS base, then Hillock's selectors and FS base, before
	 * any C code (the stack protector reads %fs:0x28). */
	mov $MSR_FS_BASE, %ecx
	rdmsr
	mov %eax, x86_user_fs_base(%rip)
	mov %edx, x86_user_fs_base + 4(%rip)
	mov hillock_ds(%rip), %ds
	mov hillock_es(%rip), %es
	mov hillock_fs(%rip), %fs
	mov hillock_gs(%rip), %gs
	mov hillock_ss(%rip), %ss
	mov hillock_fs_base(%rip), %eax
	mov hillock_fs_base + 4(%rip), %edx
	wrmsr

	testb $3, FRAME_CS(%rsp)
	jz user_gate_fault

	/* Back on Hillock's stack in x86_user_enter: the user's FP state to
	 * *fx; Hillock's x87 (empty register stack, its control word) and
	 * MXCSR, as at the call. */
	mov hillock_rsp(%rip), %rsp
	mov 16(%rsp), %rdi
	fxsave64 (%rdi)
	fninit
	fldcw (%rsp)
	ldmxcsr 4(%rsp)
	add $24, %rsp			/* control words, fx */
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret

	/* An exception on the gate itself, at ring 0: a bug in Hillock.
	 * With Hillock's tables back, report it as any other (it does not
	 * return), on the stack it happened on. */
user_gate_fault:
	mov %rsp, %rdi
	and $-16, %rsp
	call x86_exception
	ud2

	/* --- Data ---------------------------------------------------------- */

	/* Read or written on the user's tables. */
	.section .user_gate.bss, "aw", @nobits
	.balign 8
	.globl user_gate_cr2
user_gate_hillock_cr3:	.skip 8
user_gate_cr2:		.skip 8

	/* Only on Hillock's. */
	.bss
	.balign 8
	.globl x86_user_fs_base
x86_user_fs_base:	.skip 8
hillock_rsp:		.skip 8
hillock_fs_base:	.skip 8
hillock_gdtr:		.skip 10
hillock_idtr:		.skip 10
hillock_tr:		.skip 2
hillock_ds:		.skip 2
hillock_es:		.skip 2
hillock_fs:		.skip 2
hillock_gs:		.skip 2
hillock_ss:		.skip 2

	.section .note.GNU-stack, "", @progbits
