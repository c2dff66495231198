#!/usr/bin/env bash
# make test: every test this machine can run.
#
#   tests/run.sh UNIT_TEST_BINARY...
#
# 1. The host unit tests (cmocka, built with ASan and UBSan): each test case
#    counts once, read from cmocka's summary lines.
# 2. The QEMU boot tests of tests/qemu/boot-tests.sh: each boot counts once.
# The last line is "N passed, N failed"; the exit status is non-zero on any
# failure.  Logs: build/test-logs/.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
logs=$top/build/test-logs
rm -rf "$logs"
mkdir -p "$logs"
passed=0
failed=0
failures=()

# --- Unit tests ----------------------------------------------------------
echo "== unit tests (host, ASan+UBSan)"
for bin in "$@"; do
	name=$(basename "$bin")
	log=$logs/unit-$name.log
	timeout -k 5 600 "$bin" >"$log" 2>&1
	rc=$?
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]\+\) test(s)\..*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]\+\) test(s), listed below:.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		# Crashed, sanitizer report or timeout: no cmocka verdict to trust.
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -gt 0 ]; then
		failures+=("unit $name (log: $log)")
		printf '  FAIL %-32s %d passed, %d failed\n' "$name" "$p" "$f"
	else
		printf '  ok   %-32s %d passed\n' "$name" "$p"
	fi
done

# --- QEMU boot tests -----------------------------------------------------
# shellcheck source=tests/qemu/boot-tests.sh
. "$top/tests/qemu/boot-tests.sh"

echo "== QEMU boot tests (TCG)"
boot_tests_run

echo
if [ ${#failures[@]} -gt 0 ]; then
	echo "failed:"
	for f in "${failures[@]}"; do echo "  $f"; done
fi
echo "skipped: KVM-accelerated boots (/dev/kvm on this machine is a software implementation that cannot run SSE; every boot uses TCG)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
