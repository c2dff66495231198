#!/usr/bin/env bash
# make bench: the figures Hillock is judged by, each against a baseline run
# in the same invocation.
#
#   boot     QEMU start -> shim entry, -> banner and -> exit, median of RUNS
#            boots through igvmload, against a null image that exits at once
#            (QEMU + firmware alone)
#   size     image size per section, per architecture
#   build    clean build time of both images
#   vtpm     the vTPM compartment in the image: command latency, start, memory
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
RUNS=${RUNS:-5}

median() { sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else printf "%.1f\n", (a[NR/2]+a[NR/2+1])/2}'; }

ms_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.1f", (b - a) * 1000}'; }

# One boot: prints "<ms to shim> <ms to banner> <ms to exit>" ("-" for lines
# the null image does not print).
boot_once() {
	local arch=$1 t0 shim=- banner=- line
	shift
	t0=$EPOCHREALTIME
	while IFS= read -r line; do
		if [ "$shim" = - ] && [[ $line == "shim: entered"* ]]; then
			shim=$(ms_since "$t0")
		elif [ "$banner" = - ] && [[ $line == Hillock* ]]; then
			banner=$(ms_since "$t0")
		fi
	done < <(tools/qemu-run.sh --arch "$arch" --timeout 60 "$@" </dev/null 2>/dev/null)
	echo "$shim $banner $(ms_since "$t0")"
}

echo "== boot time under QEMU TCG (median of $RUNS; ms from starting QEMU; through igvmload)"
printf '%-8s %10s %10s %10s %10s %12s\n' arch "null exit" "shim" "banner" "exit" "exit / null"
for arch in x86_64 aarch64; do
	null=() shim=() banner=() total=()
	for _ in $(seq "$RUNS"); do
		read -r _ _ n < <(boot_once "$arch" --kernel "build/$arch/null.elf")
		read -r s b t < <(boot_once "$arch" "build/$arch/hillock.igvm")
		null+=("$n") shim+=("$s") banner+=("$b") total+=("$t")
	done
	mn=$(printf '%s\n' "${null[@]}" | median)
	ms=$(printf '%s\n' "${shim[@]}" | median)
	mb=$(printf '%s\n' "${banner[@]}" | median)
	mt=$(printf '%s\n' "${total[@]}" | median)
	printf '%-8s %10s %10s %10s %10s %12s\n' "$arch" "$mn" "$ms" "$mb" "$mt" \
		"$(awk -v a="$mt" -v b="$mn" 'BEGIN {printf "%.2fx", a / b}')"
done

echo
echo "== boot timeline per phase (median of $RUNS; ms since the image was entered)"
for arch in x86_64 aarch64; do
	for smp in 1 8; do
		logs=()
		for i in $(seq "$RUNS"); do
			logs+=("$(tools/qemu-run.sh --arch "$arch" --smp "$smp" --mem 512M --timeout 60 \
				"build/$arch/hillock.igvm" </dev/null 2>/dev/null | tr -d '\r' | grep '^boot timeline:')")
		done
		line=$(printf '%s\n' "${logs[@]}" | awk -F'[:,]' '
			{ for (i = 2; i <= NF; i++) { split($i, f, " "); name[i] = f[1]; v[i, NR] = f[2] } n = NF }
			END {
				printf "%s", ""
				for (i = 2; i <= n; i++) {
					m = 0; for (r = 1; r <= NR; r++) a[r] = v[i, r]
					# insertion sort, then the median
					for (x = 2; x <= NR; x++) { t = a[x]; y = x - 1; while (y > 0 && a[y] + 0 > t + 0) { a[y + 1] = a[y]; y-- } a[y + 1] = t }
					med = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
					printf "%s%s %.2f", (i > 2 ? ", " : ""), name[i], med
				}
			}')
		printf '   %-8s SMP %-2s %s\n' "$arch" "$smp" "$line"
	done
done

echo
echo "== VTL2 memory by use after boot (KiB; SMP 8, 512M)"
for arch in x86_64 aarch64; do
	printf '   %-8s ' "$arch"
	tools/qemu-run.sh --arch "$arch" --smp 8 --mem 512M --timeout 60 "build/$arch/hillock.igvm" </dev/null 2>/dev/null |
		tr -d '\r' | awk '/^mem: / { printf "%s %s, ", $2, $3 } END { print "" }'
done

echo
echo "== IGVM file size (bytes)"
for arch in x86_64 aarch64; do
	printf '   %-8s %8d\n' "$arch" "$(stat -c %s "build/$arch/hillock.igvm")"
done

echo
echo "== image size (bytes per section)"
for arch in x86_64 aarch64; do
	cross=; [ "$arch" = aarch64 ] && cross=aarch64-linux-gnu-
	echo "-- build/$arch/hillock.elf ($(stat -c %s "build/$arch/hillock.elf") bytes on disk)"
	"${cross}size" -A "build/$arch/hillock.elf" | awk 'NR > 2 && $2 > 0 && $1 ~ /^\./ && $1 !~ /^\.(debug|comment|symtab|strtab|shstrtab)/ {printf "   %-14s %8d\n", $1, $2; s += $2} END {printf "   %-14s %8d\n", "total", s}'
done

echo
echo "== clean build of both architectures: images, loaders, IGVM files (make -j$(nproc) images)"
rm -rf build/x86_64 build/aarch64
t0=$EPOCHREALTIME
make -s -j"$(nproc)" images >/dev/null
t1=$EPOCHREALTIME
awk -v a="$t0" -v b="$t1" 'BEGIN {printf "   %.1f s\n", b - a}'

echo
tests/bench/tpm_latency.sh

echo
echo "== application processors: sidecar vs full-kernel start (median of $RUNS; ms from kernel entry to all CPUs up)"
# "all CPUs up" is the boot timeline's smp mark (INIT_SMP done); per-CPU
# memory is what kernel/smp.c measures (pages and heap the APs took).
printf '   %-8s %4s %10s %10s %14s %12s %12s\n' arch SMP sidecar full "full/sidecar" "KiB/CPU sc" "KiB/CPU full"
for arch in x86_64 aarch64; do
	smp=8; [ "$arch" = x86_64 ] && smp=16
	sc=() full=() mem_sc=- mem_full=-
	for _ in $(seq "$RUNS"); do
		for mode in on off; do
			out=$(tools/qemu-run.sh --arch "$arch" --smp "$smp" --mem 512M --timeout 60 \
				--cmdline "hillock.sidecar=$mode" "build/$arch/hillock.igvm" </dev/null 2>/dev/null | tr -d '\r')
			t=$(awk -F'[:,]' '/^boot timeline:/ {
				for (i = 2; i <= NF; i++) { split($i, f, " "); v[f[1]] = f[2] }
				printf "%.3f", v["smp"] - v["kernel"] }' <<<"$out")
			kib=$(sed -n 's/^smp: \([0-9]*\) KiB of VTL2 memory per application processor.*/\1/p' <<<"$out")
			if [ "$mode" = on ]; then sc+=("$t"); mem_sc=$kib; else full+=("$t"); mem_full=$kib; fi
		done
	done
	ms=$(printf '%s\n' "${sc[@]}" | median)
	mf=$(printf '%s\n' "${full[@]}" | median)
	printf '   %-8s %4s %10s %10s %14s %12s %12s\n' "$arch" "$smp" "$ms" "$mf" \
		"$(awk -v a="$mf" -v b="$ms" 'BEGIN {printf "%.2fx", a / b}')" "$mem_sc" "$mem_full"
done

echo
echo "== vTPM compartment in the image (median of 3 boots of suite vtpm; latency: mean per command within a boot, us)"
# The in-image suite prints its own figures (tests/image/test_vtpm.c,
# latency_and_footprint); the host figures above are the same commands
# without TCG or the user-mode crossing.
printf '   %-8s %10s %10s %10s %10s %10s %12s %12s\n' arch PCR_Extend "GetRandom" "ECDSA" "RSA-2048" "start us" "pages KiB" "heap peak KiB"
for arch in x86_64 aarch64; do
	rows=()
	for _ in 1 2 3; do
		out=$(tools/qemu-run.sh --arch "$arch" --timeout 300 --cmdline "hillock.test=vtpm" \
			"build/$arch/hillock.igvm" </dev/null 2>/dev/null | tr -d '\r')
		rows+=("$(awk '
			/vtpm latency/ { gsub(/[^0-9 ]/, " "); split($0, v, " "); l = v[1] " " v[3] " " v[5] " " v[7] }
			/vtpm memory/ { gsub(/[^0-9 ]/, " "); split($0, m, " "); s = m[1] " " m[2] " " m[5] }
			END { print l, s }' <<<"$out")")
	done
	med=()
	for col in 1 2 3 4 5 6 7; do
		med+=("$(printf '%s\n' "${rows[@]}" | awk -v c="$col" '{print $c}' | median)")
	done
	printf '   %-8s %10s %10s %10s %10s %10s %12s %12s\n' "$arch" "${med[@]}"
done
