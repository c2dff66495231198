# libFuzzer harnesses for what the host hands the drivers and the kernel's
# user-program check, built with FUZZ_CC and FUZZ_CFLAGS from fuzz.mk:
#   fuzz_fw_cfg       the fw_cfg file directory (drivers/fw_cfg/fw_cfg.c)
#   fuzz_cfi_query    the CFI flash query data (drivers/flash/cfi_flash.c)
#   fuzz_user_elf     user_elf_parse() (kernel/user_elf.c), x86_64's machine
# Seed corpora come from tests/fuzz/parser_seeds.c.

DRIVER_FUZZ_CFLAGS := -I. -Ikernel/include -Iarch/x86_64/include -Idrivers/include

FUZZ_BINS += $(B)/host/fuzz/fuzz_fw_cfg $(B)/host/fuzz/fuzz_cfi_query $(B)/host/fuzz/fuzz_user_elf

$(B)/host/fuzz/fuzz_fw_cfg: tests/fuzz/fuzz_fw_cfg.c drivers/fw_cfg/fw_cfg.c \
		drivers/include/drivers/fw_cfg.h drivers/include/drivers/fw_cfg_spec.h \
		$(B)/host/fuzz/corpus/fuzz_fw_cfg.seeded
$(B)/host/fuzz/fuzz_cfi_query: tests/fuzz/fuzz_cfi_query.c drivers/flash/cfi_flash.c tests/unit/cfi_no_io.c \
		drivers/include/drivers/cfi_flash.h drivers/include/drivers/cfi_spec.h \
		$(B)/host/fuzz/corpus/fuzz_cfi_query.seeded
$(B)/host/fuzz/fuzz_user_elf: tests/fuzz/fuzz_user_elf.c kernel/user_elf.c \
		kernel/include/hillock/user_elf.h $(B)/host/fuzz/corpus/fuzz_user_elf.seeded

$(B)/host/fuzz/fuzz_fw_cfg $(B)/host/fuzz/fuzz_cfi_query $(B)/host/fuzz/fuzz_user_elf:
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(DRIVER_FUZZ_CFLAGS) $(filter %.c,$^) -o $@

$(B)/host/fuzz/parser_seeds: tests/fuzz/parser_seeds.c tests/unit/cfi_qemu_table.h \
		drivers/include/drivers/cfi_spec.h
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O1 -g -Wall -Wextra -Werror -Itests/unit -Idrivers/include $< -o $@

# parser_seeds KIND writes the corpus of fuzz_<harness>.
$(B)/host/fuzz/corpus/fuzz_fw_cfg.seeded: SEED_KIND := fw_cfg
$(B)/host/fuzz/corpus/fuzz_cfi_query.seeded: SEED_KIND := cfi
$(B)/host/fuzz/corpus/fuzz_user_elf.seeded: SEED_KIND := user_elf
$(B)/host/fuzz/corpus/fuzz_fw_cfg.seeded $(B)/host/fuzz/corpus/fuzz_cfi_query.seeded \
		$(B)/host/fuzz/corpus/fuzz_user_elf.seeded: $(B)/host/fuzz/parser_seeds
	@mkdir -p $(basename $@)
	$< $(SEED_KIND) $(basename $@)
	@touch $@
