# vTPM host tests: the OpenSSL-API adapter (tpm/) on mbedtls, checked against
# the real OpenSSL, and Debian's libtpms running on it.
#
# Included from the top-level Makefile at the repository root, with B,
# HOSTCC, UNIT_CFLAGS and UNIT_LDLIBS already defined.

TPM_ADAPTER_SRCS := $(wildcard tpm/adapter/*.c)
TPM_ADAPTER_OBJS := $(patsubst %.c,$(B)/host/obj/%.o,$(TPM_ADAPTER_SRCS))
TPM_HOST_OBJDIR := $(B)/host/obj/tpm
TPM_TEST_DIR := $(B)/host/tests

# Debian's static archives: the adapter replaces libcrypto under libtpms.
TPM_LIBTPMS_A := -l:libtpms.a
TPM_MBEDCRYPTO_A := -l:libmbedcrypto.a

$(TPM_HOST_OBJDIR)/adapter/%.o: tpm/adapter/%.c $(wildcard tpm/*.h tpm/openssl/*.h tpm/adapter/*.h)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -c $< -o $@

# ---- part 2: libtpms on the adapter vs libtpms on OpenSSL ----

$(TPM_HOST_OBJDIR)/test_tpm_libtpms.o: tests/unit/test_tpm_libtpms.c tests/unit/tpm_host.h tests/unit/tpm_cmd.h tpm/tpm_adapter.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -Itpm -c $< -o $@

$(TPM_HOST_OBJDIR)/tpm_seq_reference.o: tests/unit/test_tpm_libtpms.c tests/unit/tpm_host.h tests/unit/tpm_cmd.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -DTPM_SEQ_REFERENCE -c $< -o $@

# The reference: Debian's libtpms.so on the real libcrypto.
$(TPM_TEST_DIR)/tpm_seq_reference: $(TPM_HOST_OBJDIR)/tpm_seq_reference.o
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) $^ -o $@ -ltpms -lcrypto

# The test links no libcrypto at all; it runs the reference beside it.
# tpm_nv.mk adds nvstore's objects, through which one case seals the state.
$(TPM_TEST_DIR)/test_tpm_libtpms: $(TPM_HOST_OBJDIR)/test_tpm_libtpms.o $(TPM_ADAPTER_OBJS) | $(TPM_TEST_DIR)/tpm_seq_reference
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) $^ -o $@ $(TPM_LIBTPMS_A) $(TPM_MBEDCRYPTO_A) $(UNIT_LDLIBS)

UNIT_TEST_BINS += $(TPM_TEST_DIR)/test_tpm_libtpms

# ---- part 1: differential tests, adapter vs libcrypto in one binary ----
#
# The adapter defines OpenSSL's names, so it cannot sit next to libcrypto as
# is.  Its objects and the adapter-side build of the operations are merged
# (ld -r) into one object whose OpenSSL-named symbols are then renamed
# hlk_<name> (objcopy --redefine-syms, the list generated from nm); the
# libcrypto-side build of the same operations keeps the real names.

TPM_OPS_SRC := tests/unit/test_tpm_adapter_ops.c

$(TPM_HOST_OBJDIR)/ops_adapter.o: $(TPM_OPS_SRC) tests/unit/test_tpm_ops.h $(wildcard tpm/openssl/*.h)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -Itpm -Itests/unit -DOPS_PREFIX=tpm_ad -c $< -o $@

$(TPM_HOST_OBJDIR)/ops_openssl.o: $(TPM_OPS_SRC) tests/unit/test_tpm_ops.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -Itests/unit -DOPS_PREFIX=tpm_os -c $< -o $@

$(TPM_HOST_OBJDIR)/adapter_renamed.o: $(TPM_HOST_OBJDIR)/ops_adapter.o $(TPM_ADAPTER_OBJS)
	ld -r $^ -o $@.merged
	nm --defined-only -g $(TPM_ADAPTER_OBJS) | awk 'NF == 3 && $$3 !~ /^(adapter_|tpm_adapter_)/ { print $$3 " hlk_" $$3 }' | sort -u > $@.syms
	objcopy --redefine-syms=$@.syms $@.merged $@
	rm -f $@.merged

$(TPM_HOST_OBJDIR)/test_tpm_adapter.o: tests/unit/test_tpm_adapter.c tests/unit/test_tpm_ops.h tpm/tpm_adapter.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -Itpm -Itests/unit -c $< -o $@

$(TPM_TEST_DIR)/test_tpm_adapter: $(TPM_HOST_OBJDIR)/test_tpm_adapter.o $(TPM_HOST_OBJDIR)/adapter_renamed.o $(TPM_HOST_OBJDIR)/ops_openssl.o
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) $^ -o $@ $(TPM_MBEDCRYPTO_A) -lcrypto $(UNIT_LDLIBS)

UNIT_TEST_BINS += $(TPM_TEST_DIR)/test_tpm_adapter
