#!/usr/bin/env bash
# make fuzz: run every libFuzzer harness for a bounded time.
#
#   tests/fuzz/run.sh HARNESS...        (FUZZ_SECONDS per harness, default 60)
#
# Each harness starts from its seed corpus, build/host/fuzz/corpus/<name>/
# (left untouched), and adds what it finds to build/host/fuzz/work/<name>/.
# Prints "<name>: N execs, N crashes" per harness; a crash leaves its input
# in build/host/fuzz/crashes/<name>/ and makes the exit status non-zero.
# Logs: build/host/fuzz/logs/<name>.log.
set -uo pipefail

seconds=${FUZZ_SECONDS:-60}
status=0

if [ $# -eq 0 ]; then
	echo "usage: tests/fuzz/run.sh HARNESS..." >&2
	exit 2
fi

for bin in "$@"; do
	name=$(basename "$bin")
	dir=$(cd "$(dirname "$bin")" && pwd)
	seeds=$dir/corpus/$name
	work=$dir/work/$name
	crashes=$dir/crashes/$name
	log=$dir/logs/$name.log
	mkdir -p "$work" "$crashes" "$dir/logs"
	rm -f "$crashes"/*
	corpora=("$work")
	[ -d "$seeds" ] && corpora+=("$seeds")

	"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$crashes/" "${corpora[@]}" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]\+\).*/\1/p' "$log" | tail -n 1)
	crash_count=$(find "$crashes" -type f | wc -l)
	if [ "$rc" -ne 0 ] && [ "$crash_count" -eq 0 ]; then
		# The fuzzer failed without an artifact (e.g. it could not start).
		crash_count=1
	fi
	echo "$name: ${execs:-0} execs, $crash_count crashes"
	if [ "$crash_count" -ne 0 ]; then
		echo "  log: $log; inputs: $crashes/" >&2
		status=1
	fi
done
exit $status
