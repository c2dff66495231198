# Hillock: one freestanding, statically linked image per architecture.
#
#   make                 build/x86_64/hillock.elf and build/aarch64/hillock.elf
#   make run             boot one under QEMU:  ARCH=x86_64|aarch64 SMP=n MEM=size CMDLINE='...'
#   make test            unit tests on this host, then QEMU boot tests of both architectures
#   make deps            install what the build and the tests need (run by run and test)
#
# See README.md and docs/build.md.

SHELL := /bin/bash

ARCH ?= x86_64
SMP ?= 1
MEM ?= 256M
CMDLINE ?=
TIMEOUT ?= 0
BASE ?= fixed
ISOLATION ?= none

B := build
ARCHES := x86_64 aarch64
HILLOCK_VERSION := 0.1.0
GIT_REV := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)$(shell \
	git diff --quiet HEAD 2>/dev/null || echo -dirty)

HOSTCC := gcc
GCC_INC := $(shell gcc -print-file-name=include)
UNIT_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer
UNIT_LDLIBS := -lcmocka
UNIT_TEST_BINS :=

.DEFAULT_GOAL := all
.PHONY: all images deps run test unit-tests bench fuzz clean
.DELETE_ON_ERROR:

# Test, fuzz and benchmark fragments add to UNIT_TEST_BINS, HOST_TOOLS,
# FUZZ_BINS and BENCH_BINS.
HOST_TOOLS :=
FUZZ_BINS :=
BENCH_BINS :=
-include $(wildcard tests/unit/*.mk tests/fuzz/*.mk tests/bench/*.mk)

all: images

# --- The images ----------------------------------------------------------

# Hillock's image: the boot shim, the kernel, the sidecar, the in-image tests.
IMAGE_COMMON_SRCS := $(wildcard boot/*.c kernel/*.c sidecar/*.c tests/image/*.c) \
	tpm/nvstore.c tpm/nvstore_ram.c tpm/nvstore_flash.c tpm/nv_platform.c drivers/flash/cfi_flash.c drivers/fw_cfg/fw_cfg.c
# The loader image (tools/igvmload): the same architecture layer and C
# runtime, the firmware readers, the IGVM reader, no kernel.  The C
# runtime's malloc needs the heap, and the heap its lock (spinlock.c, which
# names the holder by cpu_id: percpu.c) and the page allocator.  The loader
# allocates nothing today (it never calls heap_init()), so --gc-sections
# drops all of them and its image stays as it was; linking the real files
# rather than stubs keeps it linking, with the kernel's heap, the day it
# does (without page_alloc_init() the heap just has no pages to grow by).
LOADER_COMMON_SRCS := boot/reloc.c boot/bootinfo.c kernel/console.c kernel/panic.c \
	kernel/heap.c kernel/spinlock.c kernel/percpu.c kernel/page_alloc.c \
	kernel/glibc_abi.c kernel/version.c kernel/fault_catch.c kernel/symbols.c kernel/backtrace.c \
	igvm/igvm_reader.c \
	$(wildcard tools/igvmload/*.c)
IMAGE_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -nostdinc -fpie -fno-plt \
	-fstack-protector-strong -ftls-model=local-exec -fno-omit-frame-pointer \
	-fno-tree-loop-distribute-patterns -ffunction-sections -fdata-sections \
	-Wall -Wextra -Werror -MMD -MP -DHILLOCK_VERSION='"$(HILLOCK_VERSION)"'
IMAGE_LDFLAGS := -nostdlib -static-pie -Wl,--no-dynamic-linker -Wl,-z,text \
	-Wl,-z,noexecstack -Wl,-z,max-page-size=4096 -Wl,--gc-sections -Wl,--build-id=none

include arch/x86_64/arch.mk arch/aarch64/arch.mk tpm/compartment/compartment.mk
$(foreach a,$(ARCHES),$(eval $(call TPM_COMPARTMENT_template,$(a))))

# IMAGE_template(arch): build/<arch>/hillock.elf, the loader, the IGVM file.
define IMAGE_template
$(1)_CC := $$($(1)_CROSS)gcc
$(1)_SYSROOT := $(B)/sysroot/$(1)
$(1)_INC := $$($(1)_LIBC_INC) -isystem $$(shell $$($(1)_CC) -print-file-name=include) \
	-isystem $$($(1)_SYSROOT)/include -I. -Ikernel/include -Iarch/$(1)/include -Idrivers/include
$(1)_OBJS := $$(patsubst %,$(B)/$(1)/obj/%.o,$$(filter-out kernel/version.c,$$($(1)_SRCS) $(IMAGE_COMMON_SRCS))) \
	$$($(1)_TPM_OBJ)
$(1)_LOADER_OBJS := $$(patsubst %,$(B)/$(1)/obj/%.o,$$(filter-out kernel/version.c $$($(1)_IMAGE_ONLY_SRCS),\
	$$($(1)_SRCS) $$($(1)_FIRMWARE_SRCS) $(LOADER_COMMON_SRCS) $$(wildcard tools/igvmload/$(1)/*.c tools/igvmload/$(1)/*.S)))
$(1)_LIBS := $$(addprefix $$($(1)_SYSROOT)/lib/,libfdt.a libmbedcrypto.a libz.a) $$($(1)_LIBC) \
	$$(shell $$($(1)_CC) -print-libgcc-file-name)

$(B)/$(1)/hillock.pre.elf: $$($(1)_OBJS)
$(B)/$(1)/igvmload.pre.elf: $$($(1)_LOADER_OBJS)
$(B)/$(1)/hillock.pre.elf $(B)/$(1)/hillock.elf: OBJS_hillock = $$($(1)_OBJS)
$(B)/$(1)/hillock.pre.elf $(B)/$(1)/hillock.elf: ENTRY_hillock = $$($(1)_ENTRY)
$(B)/$(1)/igvmload.pre.elf $(B)/$(1)/igvmload.elf: OBJS_igvmload = $$($(1)_LOADER_OBJS)
$(B)/$(1)/igvmload.pre.elf $(B)/$(1)/igvmload.elf: ENTRY_igvmload = $$($(1)_LOADER_ENTRY)

$(B)/$(1)/obj/%.c.o: %.c $(B)/sysroot/$(1)/.complete
	@mkdir -p $$(@D)
	@echo "  CC [$(1)] $$<"
	@$$($(1)_CC) $(IMAGE_CFLAGS) $$($(1)_CFLAGS) $$($(1)_INC) -c $$< -o $$@

$(B)/$(1)/obj/%.S.o: %.S
	@mkdir -p $$(@D)
	@echo "  AS [$(1)] $$<"
	@$$($(1)_CC) $(IMAGE_CFLAGS) $$($(1)_CFLAGS) $$($(1)_INC) -D__ASSEMBLY__ -c $$< -o $$@

# The revision is compiled into one small object, rebuilt every time.
$(B)/$(1)/obj/version.o: kernel/version.c FORCE
	@mkdir -p $$(@D)
	@$$($(1)_CC) $(IMAGE_CFLAGS) $$($(1)_CFLAGS) $$($(1)_INC) -DHILLOCK_GIT_REV='"$(GIT_REV)"' -c $$< -o $$@

$(B)/$(1)/link.ld: arch/$(1)/link.ld.S arch/$(1)/include/arch/layout.h
	@mkdir -p $$(@D)
	@$$($(1)_CC) -E -P -x c -Iarch/$(1)/include $$< -o $$@

# Each image links twice: first with an empty symbol table, then with the
# table made from the first link (tools/gen-symbols.sh).  The table lives in
# .rodata, after .text, so function addresses do not move; the check after
# the second link proves it.
$(B)/$(1)/symbols-empty.S:
	@mkdir -p $$(@D)
	@printf '\t.section .rodata.symbols, "a"\n\t.balign 4\n\t.globl symbol_count, symbol_offsets, symbol_names, symbol_strings\nsymbol_count:\n\t.long 0\nsymbol_offsets:\nsymbol_names:\nsymbol_strings:\n\t.byte 0\n' >$$@

$(B)/$(1)/%.pre.elf: $(B)/$(1)/obj/symbols-empty.o $(B)/$(1)/obj/version.o $(B)/$(1)/link.ld
	@echo "  LD [$(1)] $$@"
	@$$($(1)_CC) $(IMAGE_LDFLAGS) -Wl,-e,$$(ENTRY_$$*) -T $(B)/$(1)/link.ld -o $$@ \
		$$(filter %.o,$$^) -Wl,--start-group $$($(1)_LIBS) -Wl,--end-group

$(B)/$(1)/%.symbols.S: $(B)/$(1)/%.pre.elf tools/gen-symbols.sh
	@tools/gen-symbols.sh $$($(1)_CROSS)nm $$< >$$@

$(B)/$(1)/%.elf: $(B)/$(1)/%.pre.elf $(B)/$(1)/obj/%.symbols.o tools/check-elf.sh
	@echo "  LD [$(1)] $$@"
	@$$($(1)_CC) $(IMAGE_LDFLAGS) -Wl,-e,$$(ENTRY_$$*) -T $(B)/$(1)/link.ld -o $$@ \
		$$(OBJS_$$*) $(B)/$(1)/obj/version.o $(B)/$(1)/obj/$$*.symbols.o \
		-Wl,--start-group $$($(1)_LIBS) -Wl,--end-group
	@tools/check-elf.sh $$@ $$($(1)_CROSS)
	@cmp -s <($$($(1)_CROSS)nm $$< | grep -i ' t ') <($$($(1)_CROSS)nm $$@ | grep -i ' t ') || \
		{ echo "$$@: text moved when the symbol table was linked in" >&2; rm -f $$@; exit 1; }

# The first link and its symbol table are kept for inspection.
.PRECIOUS: $(B)/$(1)/%.pre.elf $(B)/$(1)/%.symbols.S $(B)/$(1)/obj/%.symbols.o

$(B)/$(1)/obj/%.symbols.o: $(B)/$(1)/%.symbols.S
	@mkdir -p $$(@D)
	@$$($(1)_CC) -c $$< -o $$@

$(B)/$(1)/obj/symbols-empty.o: $(B)/$(1)/symbols-empty.S
	@mkdir -p $$(@D)
	@$$($(1)_CC) -c $$< -o $$@

$(B)/$(1)/igvmload.bin: $(B)/$(1)/igvmload.elf
	@$$($(1)_CROSS)objcopy -O binary $$< $$@

# Generated twice: the two files must be identical (reproducible output).
$(B)/$(1)/hillock.igvm: $(B)/$(1)/hillock.elf $(B)/host/igvmgen
	@echo "  IGVM [$(1)] $$@"
	@$(B)/host/igvmgen --arch $(1) --elf $$< -o $$@ --cmdline '$(IGVM_CMDLINE)' >$$@.log
	@$(B)/host/igvmgen --arch $(1) --elf $$< -o $$@.again --cmdline '$(IGVM_CMDLINE)' >/dev/null
	@cmp -s $$@ $$@.again || { echo "igvmgen: two runs gave different files" >&2; rm -f $$@; exit 1; }
	@rm -f $$@.again

# For the boot tests: the same image with a linux-direct VTL0 payload (two
# stand-in blobs) embedded.
$(B)/$(1)/hillock-vtl0.igvm: $(B)/$(1)/hillock.elf $(B)/$(1)/igvmload.elf $(B)/$(1)/link.ld $(B)/host/igvmgen
	@$(B)/host/igvmgen --arch $(1) --elf $$< -o $$@ --vtl0-kernel $(B)/$(1)/igvmload.elf \
		--vtl0-initrd $(B)/$(1)/link.ld --vtl0-cmdline 'console=ttyS0' >/dev/null

-include $$($(1)_OBJS:.o=.d) $$($(1)_LOADER_OBJS:.o=.d)
endef

# The measured, fixed part of Hillock's command line in the IGVM file.
IGVM_CMDLINE ?=

$(foreach a,$(ARCHES),$(eval $(call IMAGE_template,$(a))))

images: $(foreach a,$(ARCHES),$(B)/$(a)/hillock.igvm $(B)/$(a)/$($(a)_LOADER)) $(HOST_TOOLS)

FORCE:

# --- Host tools ----------------------------------------------------------

HOST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -I. -MMD -MP
IGVMGEN_SRCS := igvm/igvmgen.c igvm/igvm_reader.c igvm/igvm_measure.c
IGVMGEN_OBJS := $(patsubst %.c,$(B)/host/obj/igvmgen/%.o,$(IGVMGEN_SRCS))

$(B)/host/obj/igvmgen/%.o: %.c
	@mkdir -p $(@D)
	@echo "  HOSTCC $<"
	@$(HOSTCC) $(HOST_CFLAGS) -c $< -o $@

$(B)/host/igvmgen: $(IGVMGEN_OBJS)
	@$(HOSTCC) -o $@ $^ -lz -lmbedcrypto

-include $(IGVMGEN_OBJS:.o=.d)

# --- Dependencies --------------------------------------------------------

# make deps checks in about a second when everything is present; the stamp
# lets the build skip even that.
deps:
	@tools/deps.sh

$(B)/sysroot/%/.complete: tools/deps.sh
	@tools/deps.sh

# --- Running -------------------------------------------------------------

run: deps
	@$(MAKE) --no-print-directory $(B)/$(ARCH)/hillock.igvm $(B)/$(ARCH)/$($(ARCH)_LOADER)
	@tools/qemu-run.sh --arch $(ARCH) --smp $(SMP) --mem $(MEM) --timeout $(TIMEOUT) \
		--base '$(BASE)' --isolation '$(ISOLATION)' --cmdline '$(CMDLINE)' \
		$(if $(TPM_NV),--tpm-nv '$(TPM_NV)') $(if $(TPM_KEY),--tpm-key '$(TPM_KEY)') $(B)/$(ARCH)/hillock.igvm

# --- Tests ---------------------------------------------------------------

unit-tests: $(UNIT_TEST_BINS)

test: deps
	@$(MAKE) --no-print-directory images unit-tests $(foreach a,$(ARCHES),$(B)/$(a)/hillock-vtl0.igvm)
	@tests/run.sh $(UNIT_TEST_BINS)

bench: deps
	@$(MAKE) --no-print-directory images $(BENCH_BINS) $(foreach a,$(ARCHES),$(B)/$(a)/null.elf)
	@tests/bench.sh

# Every libFuzzer harness for FUZZ_SECONDS (default 60) each.
fuzz: deps
	@$(MAKE) --no-print-directory $(FUZZ_BINS)
	@tests/fuzz/run.sh $(FUZZ_BINS)

clean:
	rm -rf $(B)/x86_64 $(B)/aarch64 $(B)/host

# --- Benchmarks ----------------------------------------------------------

# The boot baseline: an image that exits at once, at the address Hillock
# is loaded (tests/bench/null_<arch>.S).
$(B)/%/null.elf: tests/bench/null_%.S
	@mkdir -p $(@D)
	@$($*_CROSS)gcc -nostdlib -static -Wl,--build-id=none -Wl,-Ttext=$(if $(filter x86_64,$*),0x200000,0x40200000) \
		-Wl,-z,noexecstack -o $@ $<
