/* igvmload, x86_64: entering a NATIVE VP context.
 *
 * igvmload runs in long mode, and so does the context Hillock's generator
 * writes, on page tables the file carries.  The trampoline (trampoline.S)
 * switches GDT, control registers and CR3 (both maps are identity maps of
 * low memory, so it keeps running), then loads every general register from
 * a block at a fixed low address it can reach without one. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <igvm/igvm_defs.h>
#include <tools/igvmload/igvmload.h>
#include <tools/igvmload/x86_64/enter.h>

#define X86_PTE_P 0x1ull
#define X86_PTE_PS 0x80ull
#define X86_PTE_ADDR_MASK 0x000ffffffffff000ull
#define X86_CR0_PG (1ull << 31)
#define X86_CR4_PAE (1ull << 5)
#define X86_EFER_LME (1ull << 8)
#define X86_EFER_LMA (1ull << 10)
#define X86_ATTR_L 0x2000

_Noreturn void igvmload_x86_trampoline(void);

const enum igvm_arch igvmload_igvm_arch = IGVM_ARCH_X86_64;

unsigned int igvmload_arch_busy(struct boot_range *ranges, unsigned int count, unsigned int max)
{
	/* The trampoline block, and the first page (real-mode vectors). */
	if (count < max) {
		ranges[count++] = (struct boot_range){X86_ENTER_BLOCK, 0x1000};
	}
	if (count < max) {
		ranges[count++] = (struct boot_range){0, 0x1000};
	}
	return count;
}

/* Page tables the file carries move with the region: CR3 and every
 * non-leaf entry that points into the page-table region get the delta.
 * Leaf entries stay: Hillock's tables identity-map the whole low 4 GiB,
 * which covers the region wherever it lands. */
uint64_t igvmload_arch_relocate(void *ctx, const struct igvmload_reloc *r)
{
	struct igvm_native_vp_context_x64 c;

	memcpy(&c, ctx, sizeof(c));
	if (r->apply_pc) {
		c.rip += r->delta;
	}
	if (r->pt_size && r->delta) {
		uint64_t *pte = (uint64_t *)(uintptr_t)(r->pt_gpa + r->delta);

		for (uint64_t i = 0; i < r->pt_size / 8; i++) {
			uint64_t target = pte[i] & X86_PTE_ADDR_MASK;

			if ((pte[i] & X86_PTE_P) && !(pte[i] & X86_PTE_PS) && target >= r->pt_gpa &&
			    target - r->pt_gpa < r->pt_size) {
				pte[i] += r->delta;
			}
		}
		if (c.cr3 >= r->pt_gpa && c.cr3 - r->pt_gpa < r->pt_size) {
			c.cr3 += r->delta;
		}
	}
	memcpy(ctx, &c, sizeof(c));
	return c.rip;
}

int igvmload_arch_check_context(const void *ctx, size_t len)
{
	struct igvm_native_vp_context_x64 c;

	if (len < sizeof(c)) {
		printf("igvmload: VP context of %zu bytes is too short\n", len);
		return -1;
	}
	memcpy(&c, ctx, sizeof(c));
	/* The trampoline goes from long mode to long mode. */
	if (!(c.cr0 & X86_CR0_PG) || !(c.cr4 & X86_CR4_PAE) || !(c.efer & X86_EFER_LME) ||
	    !(c.code_attributes & X86_ATTR_L) || c.cr3 == 0 || (c.cr3 >> 32)) {
		printf("igvmload: only long-mode VP contexts with page tables below 4 GiB are supported\n");
		return -1;
	}
	if (c.code_selector == c.data_selector || (c.code_selector & 7) || (c.data_selector & 7) ||
	    c.code_selector == 0 || c.data_selector == 0 || c.code_selector >= 8 * X86_ENTER_GDT_ENTRIES ||
	    c.data_selector >= 8 * X86_ENTER_GDT_ENTRIES) {
		printf("igvmload: VP context selectors %#x/%#x are not usable\n", c.code_selector,
		       c.data_selector);
		return -1;
	}
	return 0;
}

/* A GDT descriptor from the packed attribute form (access byte in bits
 * 0-7, AVL/L/D/G in bits 12-15). */
static uint64_t x86_descriptor(uint32_t base, uint32_t limit, uint16_t attributes)
{
	uint32_t raw = (attributes & 0x8000) ? limit >> 12 : limit;

	return (raw & 0xffffull) | ((uint64_t)(base & 0xffffff) << 16) |
	       ((uint64_t)(attributes & 0xff) << 40) | ((uint64_t)((raw >> 16) & 0xf) << 48) |
	       ((uint64_t)((attributes >> 12) & 0xf) << 52) | ((uint64_t)(base >> 24) << 56);
}

_Noreturn void igvmload_arch_enter(const void *ctx, size_t len, uint32_t hint, uint64_t flush_base,
				   uint64_t flush_size)
{
	struct igvm_native_vp_context_x64 c;
	struct x86_enter_block *b = (struct x86_enter_block *)(uintptr_t)X86_ENTER_BLOCK;

	(void)len;
	(void)flush_base; /* x86 caches are coherent with instruction fetch */
	(void)flush_size;
	memcpy(&c, ctx, sizeof(c));
	memset(b, 0, sizeof(*b));
	b->gdt[c.code_selector / 8] = x86_descriptor(c.code_base, c.code_limit, c.code_attributes);
	b->gdt[c.data_selector / 8] = x86_descriptor(c.data_base, c.data_limit, c.data_attributes);
	b->gdtr_limit = sizeof(b->gdt) - 1;
	b->gdtr_base = (uint64_t)(uintptr_t)b->gdt;
	b->code_selector = c.code_selector;
	b->data_selector = c.data_selector;
	b->cr0 = c.cr0;
	b->cr3 = c.cr3;
	b->cr4 = c.cr4;
	b->efer = c.efer & ~X86_EFER_LMA; /* the CPU sets LMA itself */
	b->rax = c.rax;
	b->rcx = c.rcx;
	b->rdx = c.rdx;
	b->rbx = c.rbx;
	b->rsp = c.rsp;
	b->rbp = c.rbp;
	b->rsi = hint;
	b->rdi = c.rdi;
	b->rip = c.rip;
	igvmload_x86_trampoline();
}
