# libFuzzer harness for the boot shim's parameter parsing (boot/params.c).
FUZZ_BINS += $(B)/host/fuzz/fuzz_boot_params

$(B)/host/fuzz/fuzz_boot_params: tests/fuzz/fuzz_boot_params.c boot/params.c boot/params.h \
		igvm/hillock_igvm.h igvm/igvm_defs.h
	@mkdir -p $(@D)
	@clang -std=gnu11 -O1 -g -Wall -Wextra -Werror -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -fno-omit-frame-pointer -I. $(filter %.c,$^) -lfdt -o $@

# One valid input as the seed: hint 0, 4 VPs, VTL0 [0, 64M), VTL2 [64M, 128M),
# VTL0 [128M, 256M), host command line "hillock.test=all", no device tree.
$(B)/host/fuzz/corpus/fuzz_boot_params/valid: tests/fuzz/fuzz_boot.mk
	@mkdir -p $(@D)
	@printf '\000\004\000\000\000\003' >$@
	@printf '\000\000\000\000\000\000\000\000\000\100\000\000\000\000\000\000\000\000\000\000\000\000\000\000' >>$@
	@printf '\000\100\000\000\000\000\000\000\000\100\000\000\000\000\000\000\003\000\000\000\000\000\000\000' >>$@
	@printf '\000\200\000\000\000\000\000\000\000\200\000\000\000\000\000\000\000\000\000\000\000\000\000\000' >>$@
	@printf 'hillock.test=all\000' >>$@

$(B)/host/fuzz/fuzz_boot_params: $(B)/host/fuzz/corpus/fuzz_boot_params/valid
