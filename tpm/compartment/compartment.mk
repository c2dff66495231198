# The vTPM compartment: its own statically linked program per architecture,
# build/<arch>/tpm_compartment.elf, carried inside Hillock's image
# (docs/vtpm.md, "The compartment").
#
#  - its sources: the OpenSSL-API adapter and entry.c (the operations);
#  - its own copy of the C runtime: kernel/libc, kernel/glibc_abi.c and
#    kernel/heap.c compiled again, over crt/platform.c (pages of its heap
#    arena, the log, time, panic as calls to Hillock) and crt/start.c;
#    arch/<arch>/setjmp.S and tls.c; libgcc;
#  - Debian's libtpms.a and libmbedcrypto.a, the members it needs.
# Linked at TPM_IMAGE_VA by compartment.ld.S, stripped, and included by
# image.S into .tpm.rodata.image of Hillock's image.  Objects go to
# build/<arch>/tpm/, apart from the kernel's own objects of the same files.
# Included from the top-level Makefile, which calls the template per arch.

TPM_COMPARTMENT_SRCS := $(wildcard tpm/adapter/*.c) tpm/compartment/entry.c \
	tpm/compartment/crt/start.c tpm/compartment/crt/platform.c \
	$(wildcard kernel/libc/*.c) kernel/glibc_abi.c kernel/heap.c

define TPM_COMPARTMENT_template
$(1)_TPM_SRCS := $(TPM_COMPARTMENT_SRCS) arch/$(1)/tls.c arch/$(1)/setjmp.S \
	tpm/compartment/crt/$(1)/start.S
$(1)_TPM_PARTS := $$(patsubst %,$(B)/$(1)/tpm/%.o,$$($(1)_TPM_SRCS))
$(1)_TPM_ELF := $(B)/$(1)/tpm_compartment.elf
$(1)_TPM_OBJ := $(B)/$(1)/obj/tpm/compartment/image.S.o
$(1)_TPM_CFLAGS := $(IMAGE_CFLAGS) $$($(1)_CFLAGS) -DHILLOCK_USER \
	-isystem kernel/include/libc -isystem kernel/include/glibc \
	-isystem $$(shell $$($(1)_CROSS)gcc -print-file-name=include) \
	-isystem $(B)/sysroot/$(1)/include -I. -Ikernel/include -Iarch/$(1)/include

$(B)/$(1)/tpm/%.c.o: %.c $(B)/sysroot/$(1)/.complete
	@mkdir -p $$(@D)
	@echo "  CC [$(1) vtpm] $$<"
	@$$($(1)_CROSS)gcc $$($(1)_TPM_CFLAGS) -c $$< -o $$@

$(B)/$(1)/tpm/%.S.o: %.S
	@mkdir -p $$(@D)
	@echo "  AS [$(1) vtpm] $$<"
	@$$($(1)_CROSS)gcc $$($(1)_TPM_CFLAGS) -D__ASSEMBLY__ -c $$< -o $$@

$(B)/$(1)/tpm/compartment.ld: tpm/compartment/compartment.ld.S tpm/compartment/compartment.h
	@mkdir -p $$(@D)
	@$$($(1)_CROSS)gcc -E -P -x c -D__ASSEMBLER__ $$< -o $$@

$$($(1)_TPM_ELF): $$($(1)_TPM_PARTS) $(B)/$(1)/tpm/compartment.ld tpm/compartment/compartment.mk
	@echo "  LD [$(1)] $$@"
	@$$($(1)_CROSS)gcc -nostdlib -static -no-pie -Wl,--gc-sections -Wl,-z,max-page-size=4096 \
		-Wl,-z,noexecstack -Wl,--build-id=none -Wl,-z,norelro $$($(1)_USER_LDFLAGS) \
		-T $(B)/$(1)/tpm/compartment.ld -o $$@ $$($(1)_TPM_PARTS) \
		-Wl,--start-group $(B)/sysroot/$(1)/lib/libtpms.a \
		$(B)/sysroot/$(1)/lib/libmbedcrypto.a \
		$$(shell $$($(1)_CROSS)gcc -print-libgcc-file-name) -Wl,--end-group
	@tools/check-compartment.sh $$@ $$($(1)_CROSS)
	@$$($(1)_CROSS)objcopy --strip-all $$@ $$@.stripped

$$($(1)_TPM_OBJ): tpm/compartment/image.S $$($(1)_TPM_ELF)
	@mkdir -p $$(@D)
	@echo "  AS [$(1)] $$< (the vTPM compartment)"
	@$$($(1)_CROSS)gcc -c -DTPM_COMPARTMENT_ELF='"$$($(1)_TPM_ELF).stripped"' $$< -o $$@

-include $$($(1)_TPM_PARTS:.o=.d)
endef
