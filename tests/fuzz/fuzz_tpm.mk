# libFuzzer harness for the vTPM's NV state loader (tpm/nvstore.c), built
# with FUZZ_CC and FUZZ_CFLAGS from fuzz.mk.  It seals its own records, so it
# needs no seed corpus.

FUZZ_BINS += $(B)/host/fuzz/fuzz_tpm_nvstore

$(B)/host/fuzz/fuzz_tpm_nvstore: tests/fuzz/fuzz_tpm_nvstore.c tpm/nvstore.c tpm/nvstore_ram.c tpm/nvstore.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Itpm $(filter %.c,$^) -l:libmbedcrypto.a -o $@
