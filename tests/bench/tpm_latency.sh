#!/usr/bin/env bash
# TPM command latency: libtpms on Hillock's adapter (mbedtls) against Debian's
# libtpms on OpenSSL, both built -O2 without sanitizers (bench_tpm.mk), run
# one after the other in this invocation.  Prints the median per command and
# the ratio adapter / reference.
#
#   tests/bench/tpm_latency.sh [BENCH_DIR]      (default build/host/bench)
#   ITERATIONS=200 RSA_ITERATIONS=30            iterations per command
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
dir=${1:-$top/build/host/bench}
iterations=${ITERATIONS:-200}
rsa_iterations=${RSA_ITERATIONS:-30}

for side in adapter reference; do
	if [ ! -x "$dir/tpm_latency_$side" ]; then
		echo "tpm_latency.sh: $dir/tpm_latency_$side is missing (make $dir/tpm_latency_$side)" >&2
		exit 1
	fi
done

adapter=$("$dir/tpm_latency_adapter" "$iterations" "$rsa_iterations")
reference=$("$dir/tpm_latency_reference" "$iterations" "$rsa_iterations")

echo "== TPM command latency (median us per TPMLIB_Process call; libtpms $(pkg-config --modversion libtpms 2>/dev/null || echo 0.9))"
printf '%-12s %6s %16s %16s %12s\n' command runs "adapter/mbedtls" "ref/OpenSSL" "adapter/ref"
# Both programs print "<name> <iterations> <median us> <min us>" in the same order.
paste -d ' ' <(echo "$adapter") <(echo "$reference") |
	awk '$1 != $5 { print "tpm_latency.sh: outputs disagree: " $0 > "/dev/stderr"; exit 1 }
	     { printf "%-12s %6d %16.2f %16.2f %11.2fx\n", $1, $2, $3, $7, $3 / $7 }'
