# QEMU boot tests, sourced by tests/run.sh (which defines top, logs, passed,
# failed and failures).
#
# boot_case NAME ARCH STATUS REGEX [qemu-run options...]
#   boots build/ARCH/hillock.igvm (through tools/igvmload, as tools/qemu-run.sh
#   does) under a timeout and passes when the exit status is STATUS and the
#   console matches every extended regular expression in REGEX (separated by
#   "|||"); an expression starting with "!" must match no line.  An option
#   --igvm FILE boots another IGVM file.

BOOT_TIMEOUT=${BOOT_TIMEOUT:-120}

# boot_check LOG RC STATUS REGEX: the verdict alone, so that the harness can
# test itself (boot_harness_selftest below).
boot_check() {
	local log=$1 rc=$2 want=$3 regex=$4 re
	if [ "$rc" -ne "$want" ]; then
		echo "exit status $rc, expected $want"
		return 1
	fi
	while [ -n "$regex" ]; do
		re=${regex%%|||*}
		if [ "$re" = "$regex" ]; then regex=; else regex=${regex#*|||}; fi
		if [ "${re#!}" != "$re" ]; then
			if grep -Eq -- "${re#!}" "$log"; then
				echo "console matches /${re#!}/, which it must not"
				return 1
			fi
		elif ! grep -Eq -- "$re" "$log"; then
			echo "console does not match /$re/"
			return 1
		fi
	done
	return 0
}

boot_case() {
	local name=$1 arch=$2 want=$3 regex=$4
	shift 4
	local log=$logs/boot-$arch-$name.log rc why igvm=$top/build/$arch/hillock.igvm
	if [ "${1:-}" = --igvm ]; then
		igvm=$2
		shift 2
	fi
	tools/qemu-run.sh --arch "$arch" --timeout "$BOOT_TIMEOUT" "$@" "$igvm" </dev/null >"$log" 2>&1
	rc=$?
	if why=$(boot_check "$log" "$rc" "$want" "$regex"); then
		passed=$((passed + 1))
		printf '  ok   %-8s %s\n' "$arch" "$name"
	else
		failed=$((failed + 1))
		failures+=("boot $arch $name: $why (log: $log)")
		printf '  FAIL %-8s %s: %s\n' "$arch" "$name" "$why"
	fi
}

# The harness must fail a boot whose known answer was made wrong on purpose
# (hillock.test.corrupt flips one expected byte): boot it, then ask
# boot_check whether it would pass as a normal boot.  It must say no.
boot_harness_selftest() {
	local arch=$1 log=$logs/boot-$1-harness-selftest.log rc
	tools/qemu-run.sh --arch "$arch" --timeout "$BOOT_TIMEOUT" \
		--cmdline "hillock.test.corrupt=selftest.sha256" \
		"$top/build/$arch/hillock.igvm" </dev/null >"$log" 2>&1
	rc=$?
	if ! boot_check "$log" "$rc" 0 "selftest: [0-9]+ passed, 0 failed" >/dev/null &&
		boot_check "$log" "$rc" 1 "TEST selftest.sha256 FAIL" >/dev/null; then
		passed=$((passed + 1))
		printf '  ok   %-8s %s\n' "$arch" "harness fails a wrong known answer"
	else
		failed=$((failed + 1))
		failures+=("boot $arch harness-selftest: a corrupted known answer was not reported as a failure (log: $log)")
		printf '  FAIL %-8s %s\n' "$arch" "harness fails a wrong known answer"
	fi
}

# An IGVM file with one byte of its variable header changed: the loader's
# validation must refuse it (bad checksum) before loading anything.
boot_corrupt_igvm() {
	local arch=$1 out=$logs/corrupt-$1.igvm
	cp "$top/build/$arch/hillock.igvm" "$out"
	printf '\x7f' | dd of="$out" bs=1 seek=40 conv=notrunc status=none
	echo "$out"
}

# --- The vTPM's NV state across QEMU restarts (tpm/nv_platform.c) ---------
# One NV file and two keys per architecture.  The tpmnv suite's generation
# record counts the boots on the file under the first key; a boot under the
# other key, and one without a key, must find no valid state or stay in RAM
# and leave the file alone, so that the next boot under the first key goes
# on counting.
# The TPM's own state across QEMU restarts, through the gate: suite vtpm's
# boot counter (an NV index) on the flash, sealed under the host's key,
# counts 1 then 2; under another key the state does not verify, the TPM
# refuses to start (hillock.tpm=on stops the boot) and the medium is left
# alone: with the first key again the counter goes on at 3.
boot_vtpm_persistence_tests() {
	local a=$1 nv=$logs/vtpm-nv-$1.img key=$logs/vtpm-key-$1.bin other=$logs/vtpm-key-other-$1.bin
	local ok='selftest: [0-9]+ passed, 0 failed'
	rm -f "$nv"
	head -c 32 /dev/urandom >"$key"
	head -c 32 /dev/urandom >"$other"
	boot_case vtpm-state-first-boot "$a" 0 "vtpm: boot counter 1 \\(state on pflash\\)|||!TEST .* FAIL|||$ok" \
		--cmdline "hillock.test=vtpm" --tpm-nv "$nv" --tpm-key "$key"
	boot_case vtpm-state-survives-restart "$a" 0 "vtpm: boot counter 2 \\(state on pflash\\)|||!TEST .* FAIL|||$ok" \
		--cmdline "hillock.test=vtpm" --tpm-nv "$nv" --tpm-key "$key"
	boot_case vtpm-state-other-key-refused "$a" 1 \
		"vtpm: loading the state failed: no valid state \\(slots: authentication failed, authentication failed\\)|||!TPM 2.0 running" \
		--cmdline "hillock.tpm=on" --tpm-nv "$nv" --tpm-key "$other"
	boot_case vtpm-state-kept-after-refusal "$a" 0 "vtpm: boot counter 3 \\(state on pflash\\)|||!TEST .* FAIL|||$ok" \
		--cmdline "hillock.test=vtpm" --tpm-nv "$nv" --tpm-key "$key"
}

boot_tpm_nv_tests() {
	local a=$1 nv=$logs/tpm-nv-$1.img key=$logs/tpm-key-$1.bin other=$logs/tpm-key-other-$1.bin
	local ok='selftest: [0-9]+ passed, 0 failed' clean='!TEST .* FAIL|||!no NV flash'
	local run=(--cmdline "hillock.test=tpmnv" --tpm-nv "$nv")
	rm -f "$nv"
	head -c 32 /dev/urandom >"$key"
	head -c 32 /dev/urandom >"$other"
	boot_case tpm-nv-first-boot "$a" 0 \
		"vtpm nv: pflash at 0x[0-9a-f]+, [0-9]+ KiB|||sealing key derived from the host's secret|||tpmnv: record generation 1 \\(pflash, key from fw_cfg, persistent\\)|||TEST tpmnv.torn_store_keeps_old_record PASS|||$clean|||$ok" \
		"${run[@]}" --tpm-key "$key"
	boot_case tpm-nv-survives-restart "$a" 0 "tpmnv: record generation 2 \\(pflash|||$clean|||$ok" \
		"${run[@]}" --tpm-key "$key"
	boot_case tpm-nv-other-key-no-valid-state "$a" 0 \
		"tpmnv: no valid state on pflash under this key \\(slots: authentication failed, authentication failed\\)|||!record generation|||$clean|||$ok" \
		"${run[@]}" --tpm-key "$other"
	boot_case tpm-nv-no-key-stays-in-ram "$a" 0 \
		"no sealing secret from the host|||vtpm nv: state in RAM \\(no secret from the host for the flash\\)|||tpmnv: record generation 1 \\(RAM, key from random, not persistent\\)|||$clean|||$ok" \
		"${run[@]}"
	boot_case tpm-nv-first-key-counts-on "$a" 0 "tpmnv: record generation 3 \\(pflash|||$clean|||$ok" \
		"${run[@]}" --tpm-key "$key"
	boot_case tpm-nv-bad-option "$a" 1 "hillock.tpm_nv=disk is not ram or flash" \
		--cmdline "hillock.tpm_nv=disk"
}

boot_tests_run() {
	local a banner frame ok='selftest: [0-9]+ passed, 0 failed'
	for a in x86_64 aarch64; do
		banner="^Hillock [0-9.]+ \\([0-9a-f]{12}(-dirty)?\\) $a: "
		boot_case default-smp1-256M "$a" 0 \
			"shim: entered|||${banner}1 CPU, 64 MiB VTL2 \\+ 19[0-9] MiB VTL0 RAM, isolation none|||$ok|||TEST selftest.sha384 PASS" \
			--smp 1 --mem 256M
		boot_case default-smp4-1G "$a" 0 "${banner}4 CPUs, 64 MiB VTL2 \\+ 960 MiB VTL0|||$ok" \
			--smp 4 --mem 1G
		# Every in-image suite at SMP 1, 2 and 8.
		boot_case test-all-smp1-1G "$a" 0 "${banner}1 CPU, |||$ok" \
			--smp 1 --mem 1G --cmdline "hillock.test=all"
		boot_case test-all-smp2-256M "$a" 0 "${banner}2 CPUs, |||$ok" \
			--smp 2 --mem 256M --cmdline "hillock.test=all"
		boot_case test-all-smp8-512M "$a" 0 "${banner}8 CPUs, |||smp: 8 CPUs up in [0-9]+ us, 7 in the sidecar|||$ok" \
			--smp 8 --mem 512M --cmdline "hillock.test=all"
		# A fresh QEMU per suite, so one suite's failure cannot hide another's.
		for suite in selftest mm irq timer kmsg fault user; do
			boot_case "suite-$suite-smp4" "$a" 0 "TEST $suite\\.[a-z0-9_]+ PASS|||!TEST .* FAIL|||$ok" \
				--smp 4 --mem 256M --cmdline "hillock.test=$suite"
		done
		# The vTPM through its gate: libtpms powers on at the first command.
		boot_case vtpm-suite "$a" 0 \
			"TEST vtpm.state_survives_power_cycle PASS|||TEST vtpm.gate_refuses_malformed_commands PASS|||TEST vtpm.compartment_reading_hillock_memory_is_killed PASS|||TEST vtpm.hillock_cannot_read_compartment_memory PASS|||TEST vtpm.runaway_loop_is_stopped_by_the_budget PASS|||TEST vtpm.killed_command_gets_failure_response PASS|||vtpm: compartment killed: read fault at|||vtpm latency \\(us, mean\\)|||!TEST .* FAIL|||$ok" \
			--smp 1 --mem 256M --cmdline "hillock.test=vtpm"
		boot_case vtpm-on-at-boot "$a" 0 "vtpm: TPM 2.0 running, started in [0-9]+ us|||$ok" \
			--cmdline "hillock.tpm=on hillock.loglevel=3"
		boot_tpm_nv_tests "$a"
		boot_vtpm_persistence_tests "$a"
		boot_case loglevel-warn-hides-info "$a" 0 "${banner}|||!^init: |||!^boot timeline|||$ok" \
			--cmdline "hillock.loglevel=1"
		# Every CPU started, answering and contending: suite smp.
		boot_case smp-suite-smp2 "$a" 0 \
			"smp: 2 CPUs up in [0-9]+ us, 1 in the sidecar|||TEST smp.call_runs_on_each_cpu PASS|||$ok" \
			--smp 2 --mem 256M --cmdline "hillock.test=smp"
		boot_case smp-suite-smp8 "$a" 0 \
			"smp: 8 CPUs up in [0-9]+ us, 7 in the sidecar|||TEST smp.spinlock_contention_exact PASS|||$ok" \
			--smp 8 --mem 256M --cmdline "hillock.test=smp"
		# APs start in the sidecar: every command, conversion, timeouts.
		# SMP 16 on x86_64 only: sixteen TCG vCPUs on two host cores are slow.
		for n in 1 4 $([ "$a" = x86_64 ] && echo 16 || echo 8); do
			boot_case "sidecar-suite-smp$n" "$a" 0 \
				"TEST sidecar.every_cpu_answers_ping PASS|||TEST sidecar.convert_some_then_smp_call PASS|||!TEST .* FAIL|||$ok" \
				--smp "$n" --mem 256M --cmdline "hillock.test=sidecar"
		done
		boot_case sidecar-off-smp-suite-smp4 "$a" 0 \
			"smp: 4 CPUs online in [0-9]+ us|||smp: [0-9]+ KiB of VTL2 memory per application processor \\(full kernel\\)|||TEST smp.every_cpu_online PASS|||!TEST .* FAIL|||$ok" \
			--smp 4 --mem 256M --cmdline "hillock.sidecar=off hillock.test=smp"
		boot_case highmem-smp2-6G "$a" 0 "${banner}2 CPUs, 64 MiB VTL2 \\+ 6080 MiB VTL0|||$ok" \
			--smp 2 --mem 6G
		boot_case random-base-1 "$a" 0 "VTL2 region at 0x[0-9a-f]+ \\(64 MiB, random base\\)|||$ok" \
			--base random --mem 2G --smp 2 --cmdline "hillock.test=all"
		boot_case random-base-2 "$a" 0 "VTL2 region at 0x[0-9a-f]+ \\(64 MiB, random base\\)|||$ok" \
			--base random --mem 2G --smp 2 --cmdline "hillock.test=all"
		boot_case isolated-drops-host-cmdline "$a" 0 \
			"isolation snp|||dropped host-cmdline|||!^init: |||$ok" \
			--isolation snp --cmdline "hillock.fault=panic"
		boot_case vtl0-payload "$a" 0 "VTL0 payload: kernel [0-9]+ bytes at 0x[0-9a-f]*1000000, initrd [0-9]+ bytes|||$ok" \
			--igvm "$top/build/$a/hillock-vtl0.igvm"
		boot_case bad-igvm-refused "$a" 1 "invalid IGVM file: .*checksum" \
			--igvm "$(boot_corrupt_igvm "$a")"
		boot_case bad-host-cmdline-option "$a" 1 "unknown option hillock.nonsense" \
			--cmdline "hillock.nonsense=1"
		boot_harness_selftest "$a"
		boot_case fault-ud "$a" 3 "EXCEPTION|||backtrace:" --cmdline "hillock.fault=ud"
		boot_case fault-pagefault "$a" 3 "EXCEPTION|||(cr2|far) +000000dead000000" \
			--cmdline "hillock.fault=pagefault"
		boot_case fault-stack-smash "$a" 2 "PANIC on cpu 0: stack smashing detected" \
			--cmdline "hillock.fault=stack"
		# Fatal reports name their CPU and functions, stop the other CPUs,
		# and end the run; a hang is a timeout, and fails.
		frame='^  #[0-9]+ image\+0x[0-9a-f]+ [A-Za-z_][A-Za-z0-9_.]*\+0x[0-9a-f]+'
		boot_case fault-panic-smp4 "$a" 2 \
			"PANIC on cpu 0: hillock.fault=panic|||$frame|||#[0-9]+ image\+0x[0-9a-f]+ fault_inject\+0x|||^panic: stopped 3 other CPUs" \
			--smp 4 --cmdline "hillock.fault=panic"
		boot_case fault-panic-all-smp4 "$a" 2 "PANIC on cpu [0-3]: hillock.fault=panic-all|||^panic: stopped 3 other CPUs" \
			--smp 4 --cmdline "hillock.fault=panic-all"
		boot_case fault-panic-ap-smp2 "$a" 2 \
			"PANIC on cpu 1: hillock.fault=panic-ap|||smp_call_run\+0x|||^panic: stopped 1 other CPU($|[^s])|||!did not fault" \
			--smp 2 --cmdline "hillock.fault=panic-ap"
		boot_case fault-ap-smp2 "$a" 3 \
			"EXCEPTION .* on cpu 1|||fault: write at 000000dead000000|||fault_page\+0x|||^exception: stopped 1 other CPU($|[^s])|||!did not fault" \
			--smp 2 --cmdline "hillock.fault=fault-ap"
		boot_case fault-stack-overflow "$a" 3 \
			"EXCEPTION .* on cpu 0|||$frame|||fault_recurse\+0x" \
			--smp 1 --cmdline "hillock.fault=stack-overflow"
		boot_case fault-stack-overflow-ap-smp2 "$a" 3 \
			"EXCEPTION .* on cpu 1|||fault_recurse\+0x|||^exception: stopped 1 other CPU($|[^s])" \
			--smp 2 --cmdline "hillock.fault=stack-overflow-ap"
	done
}
