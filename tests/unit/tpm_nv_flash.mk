# The flash backend of nvstore (tpm/nvstore_flash.c) on the build host, over
# a simulated NOR flash that stands in for drivers/flash/cfi_flash.c (the
# driver itself is tested in the image against QEMU's pflash:
# tests/image/test_tpm_nv.c).
#
# Included from the top-level Makefile; tpm_nv.mk defines TPM_NVSTORE_OBJS.

$(B)/host/obj/tpm/nvstore_flash.o: tpm/nvstore_flash.c tpm/nvstore_flash.h tpm/nvstore.h \
		drivers/include/drivers/cfi_flash.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -Idrivers/include -c $< -o $@

$(B)/host/obj/tpm/test_tpm_nvstore_flash.o: tests/unit/test_tpm_nvstore_flash.c tpm/nvstore_flash.h \
		tpm/nvstore.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -Itpm -Idrivers/include -c $< -o $@

$(B)/host/tests/test_tpm_nvstore_flash: $(B)/host/obj/tpm/test_tpm_nvstore_flash.o \
		$(B)/host/obj/tpm/nvstore_flash.o $(TPM_NVSTORE_OBJS)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) $^ -o $@ /usr/lib/x86_64-linux-gnu/libmbedcrypto.a $(UNIT_LDLIBS)

UNIT_TEST_BINS += $(B)/host/tests/test_tpm_nvstore_flash
