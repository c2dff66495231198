# vTPM NV state: nvstore (tpm/nvstore.c) and its RAM backend, tested on the
# build host with the crash, corruption and key cases of docs/vtpm.md.
#
# Included from the top-level Makefile with B, HOSTCC, UNIT_CFLAGS and
# UNIT_LDLIBS defined.  nvstore needs mbedtls only, linked statically as in
# the image.

TPM_NVSTORE_SRCS := tpm/nvstore.c tpm/nvstore_ram.c
TPM_NVSTORE_OBJS := $(patsubst %.c,$(B)/host/obj/%.o,$(TPM_NVSTORE_SRCS))

$(TPM_NVSTORE_OBJS): $(B)/host/obj/%.o: %.c tpm/nvstore.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -c $< -o $@

$(B)/host/obj/tpm/test_tpm_nvstore.o: tests/unit/test_tpm_nvstore.c tpm/nvstore.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -Itpm -c $< -o $@

$(B)/host/tests/test_tpm_nvstore: $(B)/host/obj/tpm/test_tpm_nvstore.o $(TPM_NVSTORE_OBJS)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) $^ -o $@ /usr/lib/x86_64-linux-gnu/libmbedcrypto.a $(UNIT_LDLIBS)

UNIT_TEST_BINS += $(B)/host/tests/test_tpm_nvstore

# test_tpm_libtpms (tpm.mk) also seals libtpms's permanent state through
# nvstore and restores it into a fresh TPM instance.
$(B)/host/obj/tpm/test_tpm_libtpms.o: tpm/nvstore.h
$(B)/host/tests/test_tpm_libtpms: $(TPM_NVSTORE_OBJS)
