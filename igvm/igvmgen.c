/* igvmgen: build Hillock's IGVM file from its ELF image.
 *
 *   igvmgen --arch x86_64|aarch64 --elf build/<arch>/hillock.elf -o OUT.igvm
 *           [--cmdline 'measured, fixed part'] [--vtl2-size BYTES] [--base GPA]
 *           [--vtl0-kernel FILE [--vtl0-initrd FILE] [--vtl0-cmdline STR] [--vtl0-base GPA]]
 *
 * One file, two platform variants selected by compatibility mask: NATIVE
 * (QEMU through tools/igvmload) and VSM_ISOLATION (Hyper-V VTL2).  Layout
 * and conventions: igvm/hillock_igvm.h and docs/igvm.md.  The output is a
 * function of the inputs only (no time stamps, a fixed record order), so
 * two builds give the same bytes; the build checks that.  After writing,
 * the file is read back with the reader library and each variant's launch
 * measurements are printed. */
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "hillock_igvm.h"
#include "igvm_defs.h"
#include "igvm_measure.h"
#include "igvm_reader.h"

#define PAGE IGVM_PAGE_SIZE
#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((uint64_t)(a) - 1))

/* x86_64 VP0 state: long mode on the file's own identity map.  Segment
 * attributes in the packed 16-bit form: type, S, DPL, P in bits 0-7; AVL,
 * L, D/B, G in bits 12-15 (64-bit code: L and G; data: D/B and G). */
#define X86_CODE64_ATTRIBUTES 0xa09b
#define X86_DATA_ATTRIBUTES 0xc093
#define X86_CR0 0x80010033ull /* PG, WP, NE, ET, MP, PE */
#define X86_CR4 0x620ull      /* OSXMMEXCPT, OSFXSR, PAE */
#define X86_EFER 0xd00ull     /* NXE, LMA, LME */
#define X86_RFLAGS_RESERVED 0x2

/* The identity map of the low 4 GiB in 2 MiB pages (PML4, PDPT, 4 PDs);
 * the top GiB (MMIO) uncached. */
#define X86_PT_PAGES 6
#define X86_PTE_P 0x1ull
#define X86_PTE_RW 0x2ull
#define X86_PTE_PWT 0x8ull
#define X86_PTE_PCD 0x10ull
#define X86_PTE_PS 0x80ull

struct buf {
	uint8_t *data;
	size_t len, cap;
};

struct image {
	enum igvm_arch arch;
	uint8_t *mem; /* the image as it lies in memory, [0, size) */
	uint64_t size;
	uint64_t entry;
	uint64_t params_off, params_size;
	uint64_t page_tables_off; /* x86_64: boot_igvm_page_tables */
	uint64_t fixed_cmdline_off;
	uint64_t vtl0_payload_off;
};

struct options {
	enum igvm_arch arch;
	const char *elf, *out, *cmdline;
	uint64_t vtl2_size, base;
	const char *vtl0_kernel, *vtl0_initrd, *vtl0_cmdline;
	uint64_t vtl0_base;
};

static _Noreturn void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "igvmgen: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void buf_put(struct buf *b, const void *p, size_t len)
{
	if (b->len + len > b->cap) {
		b->cap = (b->len + len) * 2 + 4096;
		b->data = realloc(b->data, b->cap);
		if (!b->data) {
			die("out of memory");
		}
	}
	memcpy(b->data + b->len, p, len);
	b->len += len;
}

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p;
	long n;

	if (!f) {
		die("%s: %s", path, strerror(errno));
	}
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		die("%s: cannot size", path);
	}
	p = malloc((size_t)n + 1);
	if (!p || fread(p, 1, (size_t)n, f) != (size_t)n) {
		die("%s: read failed", path);
	}
	fclose(f);
	*len = (size_t)n;
	return p;
}

/* --- The ELF image ------------------------------------------------------- */

static const Elf64_Sym *elf_symbol(const uint8_t *elf, size_t len, const char *name)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf;
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(elf + eh->e_shoff);

	for (unsigned int i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum ||
		    sh[i].sh_offset + sh[i].sh_size > len) {
			continue;
		}
		const Elf64_Sym *sym = (const Elf64_Sym *)(elf + sh[i].sh_offset);
		const char *strtab = (const char *)elf + sh[sh[i].sh_link].sh_offset;
		size_t count = sh[i].sh_size / sizeof(*sym);

		for (size_t j = 0; j < count; j++) {
			if (sym[j].st_name && strcmp(strtab + sym[j].st_name, name) == 0) {
				return &sym[j];
			}
		}
	}
	die("%s: symbol %s not found", "image", name);
}

static void image_load(const struct options *o, struct image *img)
{
	size_t len;
	uint8_t *elf = read_file(o->elf, &len);
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf;
	uint16_t machine = o->arch == IGVM_ARCH_X86_64 ? EM_X86_64 : EM_AARCH64;

	if (len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_type != ET_DYN || eh->e_machine != machine ||
	    eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > len ||
	    eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) > len) {
		die("%s: not a 64-bit position-independent image for this architecture", o->elf);
	}
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(elf + eh->e_phoff);

	img->size = 0;
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && ph[i].p_vaddr + ph[i].p_memsz > img->size) {
			img->size = ph[i].p_vaddr + ph[i].p_memsz;
		}
	}
	img->size = ALIGN_UP(img->size, PAGE);
	img->mem = calloc(1, img->size);
	if (!img->mem) {
		die("out of memory");
	}
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD) {
			continue;
		}
		if (ph[i].p_offset + ph[i].p_filesz > len || ph[i].p_filesz > ph[i].p_memsz) {
			die("%s: segment %u is outside the file", o->elf, i);
		}
		memcpy(img->mem + ph[i].p_vaddr, elf + ph[i].p_offset, ph[i].p_filesz);
	}
	img->arch = o->arch;
	img->entry = eh->e_entry;
	if (o->arch == IGVM_ARCH_X86_64) {
		const Elf64_Sym *pt = elf_symbol(elf, len, "boot_igvm_page_tables");

		img->page_tables_off = pt->st_value;
		if (pt->st_value % PAGE || pt->st_size != X86_PT_PAGES * PAGE ||
		    pt->st_value + pt->st_size > img->size) {
			die("%s: boot_igvm_page_tables is misplaced", o->elf);
		}
	}

	const Elf64_Sym *params = elf_symbol(elf, len, "boot_params");
	const Elf64_Sym *fixed = elf_symbol(elf, len, "boot_fixed_cmdline");
	const Elf64_Sym *vtl0 = elf_symbol(elf, len, "boot_vtl0_payload");

	img->params_off = params->st_value;
	img->params_size = params->st_size;
	img->fixed_cmdline_off = fixed->st_value;
	img->vtl0_payload_off = vtl0->st_value;
	if (img->params_off % PAGE || img->params_size != sizeof(struct hillock_params) ||
	    img->params_off + img->params_size > img->size || fixed->st_size != HILLOCK_FIXED_CMDLINE_MAX ||
	    fixed->st_value + fixed->st_size > img->size ||
	    vtl0->st_size != sizeof(struct hillock_vtl0_payload) || vtl0->st_value + vtl0->st_size > img->size) {
		die("%s: boot_params, boot_fixed_cmdline or boot_vtl0_payload is misplaced", o->elf);
	}
	free(elf);
}

/* --- Records -------------------------------------------------------------- */

struct writer {
	struct buf headers; /* the variable header */
	struct buf data;    /* file data, offsets relative to its start */
	uint32_t data_base; /* file offset where data will start */
	size_t page_count;
};

static void record(struct writer *w, uint32_t type, const void *body, uint32_t len)
{
	struct igvm_vhs_header h = {type, len};
	static const uint8_t zeros[8];

	buf_put(&w->headers, &h, sizeof(h));
	buf_put(&w->headers, body, len);
	buf_put(&w->headers, zeros, ALIGN_UP(len, 8) - len);
}

/* File data is placed after the headers, whose size is only known at the
 * end; offsets are fixed up then (see fixup_offsets). */
static uint32_t data_add(struct writer *w, const void *p, size_t len)
{
	uint32_t off = (uint32_t)w->data.len;

	buf_put(&w->data, p, len);
	return off + 1; /* +1: never 0, which means "no data" */
}

static int page_is_zero(const uint8_t *p)
{
	for (size_t i = 0; i < PAGE; i++) {
		if (p[i]) {
			return 0;
		}
	}
	return 1;
}

static void page_data(struct writer *w, uint64_t gpa, const uint8_t *page)
{
	struct igvm_vhs_page_data pd = {
		.gpa = gpa,
		.compatibility_mask = HILLOCK_IGVM_MASK_ALL,
		.file_offset = page_is_zero(page) ? 0 : data_add(w, page, PAGE),
		.data_type = IGVM_PAGE_DATA_NORMAL,
	};

	record(w, IGVM_VHT_PAGE_DATA, &pd, sizeof(pd));
	w->page_count++;
}

static void blob_pages(struct writer *w, uint64_t gpa, const uint8_t *p, size_t len)
{
	uint8_t page[PAGE];

	for (size_t off = 0; off < len; off += PAGE) {
		size_t n = len - off < PAGE ? len - off : PAGE;

		memset(page, 0, sizeof(page));
		memcpy(page, p + off, n);
		page_data(w, gpa + off, page);
	}
}

static void vbs_reg(struct buf *b, uint32_t name, const void *value, size_t len)
{
	struct igvm_vbs_vp_context_register r;

	memset(&r, 0, sizeof(r));
	r.vtl = 2;
	r.register_name = name;
	memcpy(r.value, value, len);
	buf_put(b, &r, sizeof(r));
}

static void vbs_reg_u64(struct buf *b, uint32_t name, uint64_t v)
{
	vbs_reg(b, name, &v, sizeof(v));
}

/* x86_64: the page tables VP0 starts on, at the region's page_tables_off,
 * and the record that lets a loader move them with the region. */
static void x86_page_tables(struct writer *w, const struct image *img, uint64_t base)
{
	uint64_t pt = base + img->page_tables_off;
	uint64_t tables[X86_PT_PAGES][PAGE / 8];

	memset(tables, 0, sizeof(tables));
	tables[0][0] = (pt + PAGE) | X86_PTE_P | X86_PTE_RW;
	for (int i = 0; i < 4; i++) {
		tables[1][i] = (pt + (2 + i) * PAGE) | X86_PTE_P | X86_PTE_RW;
	}
	for (uint64_t i = 0; i < 4 * 512; i++) {
		uint64_t e = (i << 21) | X86_PTE_P | X86_PTE_RW | X86_PTE_PS;

		tables[2 + i / 512][i % 512] = i >= 3 * 512 ? e | X86_PTE_PWT | X86_PTE_PCD : e;
	}
	for (int i = 0; i < X86_PT_PAGES; i++) {
		page_data(w, pt + i * PAGE, (const uint8_t *)tables[i]);
	}
}

/* VP0 enters at the image's entry point with the same state on both
 * platforms.  x86_64: long mode on the file's page tables, flat segments,
 * %ebx and %esi zero (arch/x86_64/entry.S, igvm_start64).  aarch64: x0 and
 * x1 zero (at EL2 on NATIVE). */
static void vp_contexts(struct writer *w, const struct image *img, uint64_t base)
{
	uint64_t entry = base + img->entry;
	struct igvm_vhs_vp_context native = {.compatibility_mask = HILLOCK_IGVM_MASK_NATIVE};
	struct igvm_vhs_vp_context vsm = {.compatibility_mask = HILLOCK_IGVM_MASK_VSM};
	uint8_t page[PAGE];
	struct buf regs = {0};
	uint32_t count;

	memset(page, 0, sizeof(page));
	if (img->arch == IGVM_ARCH_X86_64) {
		uint64_t cr3 = base + img->page_tables_off;
		struct igvm_native_vp_context_x64 c = {
			.rip = entry,
			.rflags = X86_RFLAGS_RESERVED,
			.code_selector = 0x08,
			.code_attributes = X86_CODE64_ATTRIBUTES,
			.code_limit = 0xffffffff,
			.data_selector = 0x10,
			.data_attributes = X86_DATA_ATTRIBUTES,
			.data_limit = 0xffffffff,
			.cr0 = X86_CR0,
			.cr3 = cr3,
			.cr4 = X86_CR4,
			.efer = X86_EFER,
		};
		struct hv_x64_segment_register code = {0, 0xffffffff, 0x08, X86_CODE64_ATTRIBUTES};
		struct hv_x64_segment_register data = {0, 0xffffffff, 0x10, X86_DATA_ATTRIBUTES};
		const uint32_t data_regs[] = {HV_X64_REGISTER_DS, HV_X64_REGISTER_ES, HV_X64_REGISTER_SS,
					      HV_X64_REGISTER_FS, HV_X64_REGISTER_GS};

		memcpy(page, &c, sizeof(c));
		count = 0;
		buf_put(&regs, &count, sizeof(count));
		vbs_reg_u64(&regs, HV_X64_REGISTER_CR0, X86_CR0);
		vbs_reg_u64(&regs, HV_X64_REGISTER_CR3, cr3);
		vbs_reg_u64(&regs, HV_X64_REGISTER_CR4, X86_CR4);
		vbs_reg_u64(&regs, HV_X64_REGISTER_EFER, X86_EFER);
		vbs_reg(&regs, HV_X64_REGISTER_CS, &code, sizeof(code));
		for (size_t i = 0; i < sizeof(data_regs) / sizeof(data_regs[0]); i++) {
			vbs_reg(&regs, data_regs[i], &data, sizeof(data));
		}
		vbs_reg_u64(&regs, HV_X64_REGISTER_RBX, 0);
		vbs_reg_u64(&regs, HV_X64_REGISTER_RSI, 0);
		vbs_reg_u64(&regs, HV_X64_REGISTER_RFLAGS, X86_RFLAGS_RESERVED);
		vbs_reg_u64(&regs, HV_X64_REGISTER_RIP, entry);
	} else {
		struct igvm_vp_context_aarch64 c = {.pc = entry};

		memcpy(page, &c, sizeof(c));
		count = 0;
		buf_put(&regs, &count, sizeof(count));
		vbs_reg_u64(&regs, HV_ARM64_REGISTER_X0, 0);
		vbs_reg_u64(&regs, HV_ARM64_REGISTER_X1, 0);
		vbs_reg_u64(&regs, HV_ARM64_REGISTER_PC, entry);
	}
	count = (uint32_t)((regs.len - sizeof(count)) / sizeof(struct igvm_vbs_vp_context_register));
	memcpy(regs.data, &count, sizeof(count));

	native.file_offset = data_add(w, page, PAGE);
	record(w, IGVM_VHT_VP_CONTEXT, &native, sizeof(native));
	vsm.file_offset = data_add(w, regs.data, regs.len);
	record(w, IGVM_VHT_VP_CONTEXT, &vsm, sizeof(vsm));
	free(regs.data);
}

/* Turn the data-relative offsets (stored +1) into file offsets now that the
 * header size is known. */
static void fixup_offsets(struct writer *w)
{
	uint32_t base = w->data_base;

	for (size_t off = 0; off < w->headers.len;) {
		struct igvm_vhs_header h;
		uint8_t *body = w->headers.data + off + sizeof(h);
		size_t field = 0;

		memcpy(&h, w->headers.data + off, sizeof(h));
		switch (h.type) {
		case IGVM_VHT_PAGE_DATA: field = offsetof(struct igvm_vhs_page_data, file_offset); break;
		case IGVM_VHT_VP_CONTEXT: field = offsetof(struct igvm_vhs_vp_context, file_offset); break;
		case IGVM_VHT_PARAMETER_AREA: field = offsetof(struct igvm_vhs_parameter_area, file_offset); break;
		default: field = SIZE_MAX; break;
		}
		if (field != SIZE_MAX) {
			uint32_t v;

			memcpy(&v, body + field, sizeof(v));
			if (v) {
				v = base + v - 1;
				memcpy(body + field, &v, sizeof(v));
			}
		}
		off += sizeof(h) + ALIGN_UP(h.length, 8);
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: igvmgen --arch x86_64|aarch64 --elf IMAGE.elf -o OUT.igvm [--cmdline STR]\n"
			"               [--vtl2-size BYTES] [--base GPA] [--vtl0-kernel FILE]\n"
			"               [--vtl0-initrd FILE] [--vtl0-cmdline STR] [--vtl0-base GPA]\n");
	exit(2);
}

static uint64_t parse_size(const char *s)
{
	char *end;
	uint64_t v = strtoull(s, &end, 0);

	switch (*end) {
	case 'K': v <<= 10; end++; break;
	case 'M': v <<= 20; end++; break;
	case 'G': v <<= 30; end++; break;
	default: break;
	}
	if (*end) {
		die("bad size or address '%s'", s);
	}
	return v;
}

static void parse_options(int argc, char **argv, struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->arch = IGVM_ARCH_X86_64;
	o->cmdline = "";
	o->vtl2_size = HILLOCK_VTL2_SIZE_DEFAULT;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v) {
			usage();
		}
		i++;
		if (!strcmp(a, "--arch")) {
			if (!strcmp(v, "x86_64")) {
				o->arch = IGVM_ARCH_X86_64;
			} else if (!strcmp(v, "aarch64")) {
				o->arch = IGVM_ARCH_AARCH64;
			} else {
				usage();
			}
		} else if (!strcmp(a, "--elf")) {
			o->elf = v;
		} else if (!strcmp(a, "-o")) {
			o->out = v;
		} else if (!strcmp(a, "--cmdline")) {
			o->cmdline = v;
		} else if (!strcmp(a, "--vtl2-size")) {
			o->vtl2_size = parse_size(v);
		} else if (!strcmp(a, "--base")) {
			o->base = parse_size(v);
		} else if (!strcmp(a, "--vtl0-kernel")) {
			o->vtl0_kernel = v;
		} else if (!strcmp(a, "--vtl0-initrd")) {
			o->vtl0_initrd = v;
		} else if (!strcmp(a, "--vtl0-cmdline")) {
			o->vtl0_cmdline = v;
		} else if (!strcmp(a, "--vtl0-base")) {
			o->vtl0_base = parse_size(v);
		} else {
			usage();
		}
	}
	if (!o->elf || !o->out) {
		usage();
	}
	if (!o->base) {
		/* 64 MiB into RAM: clear of the loader and QEMU's own blobs. */
		o->base = o->arch == IGVM_ARCH_X86_64 ? 0x4000000 : 0x44000000;
	}
	if (!o->vtl0_base) {
		o->vtl0_base = o->arch == IGVM_ARCH_X86_64 ? 0x1000000 : 0x41000000;
	}
	if (o->base % HILLOCK_VTL2_ALIGN || o->vtl2_size % HILLOCK_VTL2_ALIGN || o->vtl2_size == 0) {
		die("--base and --vtl2-size must be multiples of 2 MiB");
	}
	if (strlen(o->cmdline) >= HILLOCK_FIXED_CMDLINE_MAX) {
		die("--cmdline is longer than %d bytes", HILLOCK_FIXED_CMDLINE_MAX - 1);
	}
}

static void print_measurements(const struct options *o)
{
	size_t len;
	uint8_t *file = read_file(o->out, &len);
	struct igvm_file f;
	struct igvm_error err;
	static const struct {
		uint8_t type;
		const char *name;
	} variants[] = {{IGVM_PLATFORM_NATIVE, "NATIVE"}, {IGVM_PLATFORM_VSM_ISOLATION, "VSM_ISOLATION"}};

	if (igvm_parse(file, len, o->arch, &f, &err) != 0) {
		die("%s: the file just written does not validate: %s (record %d, offset %#x)", o->out,
		    err.message, err.record, err.offset);
	}
	for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		uint32_t mask = igvm_platform_mask(&f, variants[i].type);
		uint8_t vbs[32], snp[48];

		if (igvm_measure_vbs(&f, mask, vbs, &err) != 0 || igvm_measure_snp(&f, mask, snp, &err) != 0) {
			die("%s: measuring %s: %s", o->out, variants[i].name, err.message);
		}
		printf("igvmgen: %-13s vbs ", variants[i].name);
		for (int j = 0; j < 32; j++) {
			printf("%02x", vbs[j]);
		}
		printf("\nigvmgen: %-13s snp ", variants[i].name);
		for (int j = 0; j < 48; j++) {
			printf("%02x", snp[j]);
		}
		printf("\n");
	}
	free(file);
}

int main(int argc, char **argv)
{
	struct options o;
	struct image img = {0};
	struct writer w = {0};
	struct hillock_vtl0_payload vtl0;

	parse_options(argc, argv, &o);
	image_load(&o, &img);
	uint64_t pt_size = o.arch == IGVM_ARCH_X86_64 ? X86_PT_PAGES * PAGE : 0;

	if (img.size > o.vtl2_size) {
		die("image of %llu bytes does not fit in --vtl2-size %llu", (unsigned long long)img.size,
		    (unsigned long long)o.vtl2_size);
	}

	/* The measured inputs are written into the image before its pages are
	 * recorded: the fixed command line and the VTL0 payload's place. */
	memset(img.mem + img.fixed_cmdline_off, 0, HILLOCK_FIXED_CMDLINE_MAX);
	memcpy(img.mem + img.fixed_cmdline_off, o.cmdline, strlen(o.cmdline));
	memset(&vtl0, 0, sizeof(vtl0));
	size_t kernel_len = 0, initrd_len = 0;
	uint8_t *kernel = o.vtl0_kernel ? read_file(o.vtl0_kernel, &kernel_len) : NULL;
	uint8_t *initrd = o.vtl0_initrd ? read_file(o.vtl0_initrd, &initrd_len) : NULL;

	if (kernel) {
		vtl0.kernel_gpa = o.vtl0_base;
		vtl0.kernel_size = kernel_len;
		vtl0.initrd_gpa = initrd ? ALIGN_UP(o.vtl0_base + kernel_len, PAGE) : 0;
		vtl0.initrd_size = initrd_len;
		if (o.vtl0_cmdline && strlen(o.vtl0_cmdline) >= sizeof(vtl0.cmdline)) {
			die("--vtl0-cmdline is longer than %zu bytes", sizeof(vtl0.cmdline) - 1);
		}
		snprintf(vtl0.cmdline, sizeof(vtl0.cmdline), "%s", o.vtl0_cmdline ? o.vtl0_cmdline : "");
		uint64_t end = ALIGN_UP(vtl0.initrd_gpa + initrd_len, PAGE);

		if (!(end <= o.base || vtl0.kernel_gpa >= o.base + o.vtl2_size)) {
			die("the VTL0 payload overlaps the VTL2 region");
		}
	}
	memcpy(img.mem + img.vtl0_payload_off, &vtl0, sizeof(vtl0));

	/* Platforms. */
	struct igvm_vhs_supported_platform native = {HILLOCK_IGVM_MASK_NATIVE, 0, IGVM_PLATFORM_NATIVE,
						     IGVM_PLATFORM_VERSION, 0};
	struct igvm_vhs_supported_platform vsm = {HILLOCK_IGVM_MASK_VSM, 2, IGVM_PLATFORM_VSM_ISOLATION,
						  IGVM_PLATFORM_VERSION, 0};

	record(&w, IGVM_VHT_SUPPORTED_PLATFORM, &native, sizeof(native));
	record(&w, IGVM_VHT_SUPPORTED_PLATFORM, &vsm, sizeof(vsm));

	/* Initialization: the VTL2 region may move. */
	uint64_t map_top = o.arch == IGVM_ARCH_X86_64 ? (4ull << 30) : (256ull << 30);
	struct igvm_vhs_relocatable_region reloc = {
		.compatibility_mask = HILLOCK_IGVM_MASK_ALL,
		.vp_index = 0,
		.vtl = 2,
		.flags = IGVM_RELOC_FLAG_IS_VTL2 | IGVM_RELOC_FLAG_APPLY_PC,
		.relocation_alignment = HILLOCK_VTL2_ALIGN,
		.relocation_region_gpa = o.base,
		.relocation_region_size = o.vtl2_size,
		.minimum_relocation_gpa = o.arch == IGVM_ARCH_X86_64 ? HILLOCK_VTL2_ALIGN : 0x40000000,
		.maximum_relocation_gpa = map_top - o.vtl2_size,
	};

	record(&w, IGVM_VHT_RELOCATABLE_REGION, &reloc, sizeof(reloc));
	if (pt_size) {
		struct igvm_vhs_page_table_relocation ptr = {
			.compatibility_mask = HILLOCK_IGVM_MASK_ALL,
			.vp_index = 0,
			.vtl = 2,
			.gpa = o.base + img.page_tables_off,
			.size = pt_size,
			.used_size = pt_size,
		};

		record(&w, IGVM_VHT_PAGE_TABLE_RELOCATION_REGION, &ptr, sizeof(ptr));
	}

	/* Directives: parameter areas and what goes in them, pages, inserts,
	 * memory, VP contexts. */
	for (uint32_t i = 0; i < HILLOCK_AREA_COUNT; i++) {
		struct igvm_vhs_parameter_area a = {hillock_param_layout[i].size, i, 0};

		record(&w, IGVM_VHT_PARAMETER_AREA, &a, sizeof(a));
	}
	for (uint32_t i = 0; i < HILLOCK_AREA_COUNT; i++) {
		struct igvm_vhs_parameter p = {i, 0};

		record(&w, hillock_param_layout[i].igvm_type, &p, sizeof(p));
	}
	for (uint64_t off = 0; off < img.size; off += PAGE) {
		if (off >= img.params_off && off < img.params_off + img.params_size) {
			continue; /* inserted by the loader */
		}
		if (pt_size && off >= img.page_tables_off && off < img.page_tables_off + pt_size) {
			continue; /* written below */
		}
		page_data(&w, o.base + off, img.mem + off);
	}
	if (pt_size) {
		x86_page_tables(&w, &img, o.base);
	}
	if (kernel) {
		blob_pages(&w, vtl0.kernel_gpa, kernel, kernel_len);
	}
	if (initrd) {
		blob_pages(&w, vtl0.initrd_gpa, initrd, initrd_len);
	}
	for (uint32_t i = 0; i < HILLOCK_AREA_COUNT; i++) {
		struct igvm_vhs_parameter_insert ins = {
			o.base + img.params_off + hillock_param_layout[i].offset, HILLOCK_IGVM_MASK_ALL, i};

		record(&w, IGVM_VHT_PARAMETER_INSERT, &ins, sizeof(ins));
	}
	struct igvm_vhs_required_memory mem = {o.base, HILLOCK_IGVM_MASK_ALL, (uint32_t)o.vtl2_size,
					      IGVM_REQUIRED_MEMORY_VTL2_PROTECTABLE, 0};

	record(&w, IGVM_VHT_REQUIRED_MEMORY, &mem, sizeof(mem));
	vp_contexts(&w, &img, o.base);

	/* Assemble: fixed header, variable header, file data. */
	struct igvm_fixed_header fh = {
		.magic = IGVM_MAGIC,
		.format_version = IGVM_FORMAT_VERSION_1,
		.variable_header_offset = sizeof(fh),
		.variable_header_size = (uint32_t)w.headers.len,
	};

	w.data_base = (uint32_t)(sizeof(fh) + w.headers.len);
	fixup_offsets(&w);
	fh.total_file_size = (uint32_t)(w.data_base + w.data.len);
	uLong crc = crc32(0L, Z_NULL, 0);

	crc = crc32(crc, (const Bytef *)&fh, sizeof(fh));
	crc = crc32(crc, w.headers.data, (uInt)w.headers.len);
	fh.checksum = (uint32_t)crc;

	FILE *out = fopen(o.out, "wb");

	if (!out || fwrite(&fh, sizeof(fh), 1, out) != 1 ||
	    fwrite(w.headers.data, 1, w.headers.len, out) != w.headers.len ||
	    fwrite(w.data.data, 1, w.data.len, out) != w.data.len || fclose(out) != 0) {
		die("%s: write failed", o.out);
	}
	printf("igvmgen: %s: %u bytes, %zu pages, VTL2 region %#llx+%#llx (relocatable), entry +%#llx\n",
	       o.out, fh.total_file_size, w.page_count, (unsigned long long)o.base,
	       (unsigned long long)o.vtl2_size, (unsigned long long)img.entry);
	print_measurements(&o);
	free(w.headers.data);
	free(w.data.data);
	free(img.mem);
	free(kernel);
	free(initrd);
	return 0;
}
