# libFuzzer harnesses (included from the top-level Makefile, run from the
# repository root).  `make fuzz` runs tests/fuzz/run.sh $(FUZZ_BINS).
#
# Each harness is built with clang, -fsanitize=fuzzer,address,undefined,
# together with the code it drives, into $(B)/host/fuzz/; its seed corpus
# is $(B)/host/fuzz/corpus/<harness>/, made by a small generator.

FUZZ_CC := clang
FUZZ_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer -Iigvm -Itests/unit

FUZZ_BINS += $(B)/host/fuzz/fuzz_igvm_reader

# The harness's sources are compiled in one step: there are few of them.
$(B)/host/fuzz/fuzz_igvm_reader: tests/fuzz/fuzz_igvm_reader.c igvm/igvm_reader.c igvm/igvm_measure.c \
		igvm/igvm_defs.h igvm/igvm_reader.h igvm/igvm_measure.h $(B)/host/fuzz/corpus/fuzz_igvm_reader.seeded
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(filter %.c,$^) -l:libmbedcrypto.a -lz -o $@

$(B)/host/fuzz/igvm_seeds: tests/fuzz/igvm_seeds.c tests/unit/igvm_builder.c tests/unit/igvm_builder.h \
		igvm/igvm_defs.h igvm/igvm_reader.h
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O1 -g -Wall -Wextra -Werror -Iigvm -Itests/unit $(filter %.c,$^) -lz -o $@

$(B)/host/fuzz/corpus/fuzz_igvm_reader.seeded: $(B)/host/fuzz/igvm_seeds
	@mkdir -p $(B)/host/fuzz/corpus/fuzz_igvm_reader
	$< $(B)/host/fuzz/corpus/fuzz_igvm_reader
	@touch $@
