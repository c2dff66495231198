# The vTPM compartment as one relocatable object per architecture,
# build/<arch>/obj/tpm_compartment.o (docs/vtpm.md, "The compartment"):
#
#  1. ld -r: the compartment's own sources (the adapter and entry.c,
#     compiled with the image's flags) plus the members of Debian's
#     libtpms.a and libmbedcrypto.a they need, in one object;
#  2. objcopy --keep-global-symbols: every symbol it defines becomes local
#     except the entry points (entry.c's tpm_compartment_*), so nothing
#     else in the image can call into it, and its libtpms, adapter and
#     mbedtls names cannot meet the kernel's;
#  3. objcopy --prefix-alloc-sections=.tpm: its sections become .tpm.text.*,
#     .tpm.rodata.*, .tpm.data.*, .tpm.bss.*, which arch/<arch>/link.ld.S
#     places in page-aligned ranges of their own (__tpm_<kind>_start/end).
#     .eh_frame is dropped first (the linker treats it specially by name);
#     anything else the script would not place is refused.
#
# What the object still takes from the image is listed, one symbol a line,
# in tpm_compartment.o.imports: the call set, and the C runtime and
# glibc-ABI functions the isolation step must give the compartment its
# own copy of.
# Included from the top-level Makefile, which calls the template per arch.

TPM_COMPARTMENT_SRCS := $(wildcard tpm/adapter/*.c tpm/compartment/*.c)

define TPM_COMPARTMENT_template
$(1)_TPM_PARTS := $$(patsubst %,$(B)/$(1)/obj/%.o,$(TPM_COMPARTMENT_SRCS))
$(1)_TPM_OBJ := $(B)/$(1)/obj/tpm_compartment.o

$$($(1)_TPM_OBJ): $$($(1)_TPM_PARTS) $(B)/sysroot/$(1)/.complete tpm/compartment/compartment.mk
	@echo "  LD -r [$(1)] $$@"
	@$$($(1)_CROSS)ld -r -d -o $$@.merged $$($(1)_TPM_PARTS) --start-group \
		$(B)/sysroot/$(1)/lib/libtpms.a $(B)/sysroot/$(1)/lib/libmbedcrypto.a --end-group
	@$$($(1)_CROSS)nm --defined-only -g $(B)/$(1)/obj/tpm/compartment/entry.c.o | \
		awk '$$$$3 ~ /^tpm_compartment_/ { print $$$$3 }' >$$@.entry
	@$$($(1)_CROSS)objcopy --keep-global-symbols=$$@.entry --remove-section=.eh_frame \
		--remove-section=.note.gnu.property $$@.merged $$@.local
	@$$($(1)_CROSS)objcopy --prefix-alloc-sections=.tpm $$@.local $$@.tmp
	@rm -f $$@.merged $$@.local
	@tools/check-compartment.sh $$@.tmp $$@.entry $$($(1)_CROSS) >$$@.imports
	@mv $$@.tmp $$@

-include $$($(1)_TPM_PARTS:.o=.d)
endef
