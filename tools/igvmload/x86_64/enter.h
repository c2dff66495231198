/* The block the x86_64 trampoline reads, at a fixed low address so that
 * the final register loads need no base register.  trampoline.S uses the
 * offsets below; the asserts keep C and assembly in step. */
#ifndef IGVMLOAD_X86_ENTER_H
#define IGVMLOAD_X86_ENTER_H

#define X86_ENTER_BLOCK 0x8000
#define X86_ENTER_GDT_ENTRIES 8

#define ENTER_GDTR 0x40
#define ENTER_CS 0x50
#define ENTER_DS 0x52
#define ENTER_CR0 0x58
#define ENTER_CR3 0x60
#define ENTER_CR4 0x68
#define ENTER_EFER 0x70
#define ENTER_RAX 0x78
#define ENTER_RCX 0x80
#define ENTER_RDX 0x88
#define ENTER_RBX 0x90
#define ENTER_RSP 0x98
#define ENTER_RBP 0xa0
#define ENTER_RSI 0xa8
#define ENTER_RDI 0xb0
#define ENTER_RIP 0xb8

#ifndef __ASSEMBLY__
#include <stddef.h>
#include <stdint.h>

struct x86_enter_block {
	uint64_t gdt[X86_ENTER_GDT_ENTRIES];
	uint16_t gdtr_limit; /* 64-bit lgdt operand: limit, then base */
	uint64_t gdtr_base;
	uint8_t pad[6];
	uint16_t code_selector;
	uint16_t data_selector;
	uint8_t pad2[4];
	uint64_t cr0, cr3, cr4, efer;
	uint64_t rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi;
	uint64_t rip;
} __attribute__((packed));
_Static_assert(offsetof(struct x86_enter_block, gdtr_limit) == ENTER_GDTR, "gdtr");
_Static_assert(offsetof(struct x86_enter_block, code_selector) == ENTER_CS, "cs");
_Static_assert(offsetof(struct x86_enter_block, data_selector) == ENTER_DS, "ds");
_Static_assert(offsetof(struct x86_enter_block, cr0) == ENTER_CR0, "cr0");
_Static_assert(offsetof(struct x86_enter_block, efer) == ENTER_EFER, "efer");
_Static_assert(offsetof(struct x86_enter_block, rax) == ENTER_RAX, "rax");
_Static_assert(offsetof(struct x86_enter_block, rdi) == ENTER_RDI, "rdi");
_Static_assert(offsetof(struct x86_enter_block, rip) == ENTER_RIP, "rip");
#endif

#endif
