# TPM command latency (tests/bench/tpm_latency.c): libtpms on the adapter
# and mbedtls against Debian's libtpms on OpenSSL.  Both programs are built
# with -O2 and no sanitizers; the adapter gets its own objects for that.
#
# Included from the top-level Makefile with B and HOSTCC defined; appends to
# BENCH_BINS.  tests/bench/tpm_latency.sh runs them and prints the table.

TPM_BENCH_DIR := $(B)/host/bench
TPM_BENCH_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Itests/unit
TPM_BENCH_ADAPTER_OBJS := $(patsubst tpm/adapter/%.c,$(TPM_BENCH_DIR)/obj/adapter/%.o,$(wildcard tpm/adapter/*.c))

$(TPM_BENCH_DIR)/obj/adapter/%.o: tpm/adapter/%.c $(wildcard tpm/*.h tpm/openssl/*.h tpm/adapter/*.h)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(TPM_BENCH_CFLAGS) -c $< -o $@

$(TPM_BENCH_DIR)/tpm_latency_adapter: tests/bench/tpm_latency.c tests/unit/tpm_host.h tests/unit/tpm_cmd.h tpm/tpm_adapter.h $(TPM_BENCH_ADAPTER_OBJS)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(TPM_BENCH_CFLAGS) -Itpm $< $(TPM_BENCH_ADAPTER_OBJS) -o $@ -l:libtpms.a -l:libmbedcrypto.a

$(TPM_BENCH_DIR)/tpm_latency_reference: tests/bench/tpm_latency.c tests/unit/tpm_host.h tests/unit/tpm_cmd.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(TPM_BENCH_CFLAGS) -DTPM_BENCH_REFERENCE $< -o $@ -ltpms -lcrypto

BENCH_BINS += $(TPM_BENCH_DIR)/tpm_latency_adapter $(TPM_BENCH_DIR)/tpm_latency_reference
