#!/usr/bin/env bash
# Boot Hillock's IGVM file under QEMU TCG and turn its exit into a status.
#
#   tools/qemu-run.sh --arch x86_64|aarch64 [--smp N] [--mem SIZE]
#                     [--cmdline '...'] [--base fixed|random|ADDR]
#                     [--isolation none|snp|tdx] [--timeout SECONDS]
#                     [--tpm-nv FILE] [--tpm-key FILE] FILE.igvm
#   tools/qemu-run.sh --arch ... --kernel IMAGE      boot a plain image instead
#
# QEMU 7.2 cannot load IGVM files, so tools/igvmload plays the host: QEMU
# boots it (x86_64: PVH ELF; aarch64: arm64 Image) with the IGVM file as
# the initrd, and --cmdline becomes Hillock's host-appended command line.
#
# --tpm-nv FILE attaches FILE as the machine's second flash bank, where the
# vTPM keeps its sealed state (created, all zero, when missing: 1 MiB on
# x86_64, where qboot.rom becomes flash unit 0 so that the file, unit 1,
# lands at 4 GiB - 64 KiB - 1 MiB; 64 MiB on aarch64, virt's bank 1 at
# 0x04000000).  --tpm-key FILE passes FILE (32 bytes) as the fw_cfg file
# opt/hillock/tpm-seal-key, the host's sealing secret (docs/vtpm.md).
#
# The console is this terminal.  The exit status is the image's own:
# 0 pass, 1 a failed test or check, 2 panic, 3 CPU exception; 124 when the
# timeout (0 = none) expired, 125 when QEMU stopped without a status (a
# reset, e.g. a triple fault, or QEMU itself failed).  KVM is never used:
# /dev/kvm on these machines is a software implementation that cannot run
# SSE code.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
arch=x86_64 smp=1 mem=256M cmdline= timeout=0 igvm= kernel= base=fixed isolation=none
tpm_nv= tpm_key=
while [ $# -gt 0 ]; do
	case $1 in
	--arch) arch=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--cmdline) cmdline=$2; shift 2 ;;
	--base) base=${2:-fixed}; shift 2 ;;
	--isolation) isolation=${2:-none}; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--kernel) kernel=$2; shift 2 ;;
	--tpm-nv) tpm_nv=$2; shift 2 ;;
	--tpm-key) tpm_key=$2; shift 2 ;;
	-*) echo "qemu-run: unknown option $1" >&2; exit 2 ;;
	*) igvm=$1; shift ;;
	esac
done

if [ -n "$kernel" ]; then
	common=(-kernel "$kernel")
else
	[ -f "$igvm" ] || { echo "qemu-run: no IGVM file '$igvm' (run make)" >&2; exit 2; }
	case $arch in
	x86_64) loader=$top/build/x86_64/igvmload.elf ;;
	*) loader=$top/build/$arch/igvmload.bin ;;
	esac
	[ -f "$loader" ] || { echo "qemu-run: no loader '$loader' (run make)" >&2; exit 2; }
	common=(-kernel "$loader" -initrd "$igvm"
		-append "igvmload.base=$base igvmload.isolation=$isolation -- $cmdline")
fi
common+=(-accel tcg -m "$mem" -smp "$smp" -nographic -no-reboot)
if [ -t 0 ]; then
	common+=(-serial mon:stdio)	# Ctrl-A X quits
else
	common+=(-monitor none -serial stdio)
fi

qboot=/usr/share/qemu/qboot.rom
case $arch in
x86_64) firmware=(-bios "$qboot") nv_size=$((1024 * 1024)) ;;
aarch64) firmware=() nv_size=$((64 * 1024 * 1024)) ;;
*) echo "qemu-run: unknown arch $arch" >&2; exit 2 ;;
esac
if [ -n "$tpm_nv" ]; then
	[ -e "$tpm_nv" ] || truncate -s "$nv_size" "$tpm_nv"
	if [ "$(stat -c %s "$tpm_nv")" != "$nv_size" ]; then
		echo "qemu-run: $tpm_nv must be $nv_size bytes for $arch" >&2
		exit 2
	fi
	if [ "$arch" = x86_64 ]; then
		# Hillock expects the NV bank right below a 64 KiB firmware bank.
		if [ "$(stat -c %s "$qboot")" != 65536 ]; then
			echo "qemu-run: $qboot is not 64 KiB; Hillock would not find the NV flash" >&2
			exit 2
		fi
		firmware=(-drive "if=pflash,format=raw,unit=0,readonly=on,file=$qboot")
	fi
	firmware+=(-drive "if=pflash,format=raw,unit=1,file=$tpm_nv")
fi
if [ -n "$tpm_key" ]; then
	[ -f "$tpm_key" ] || { echo "qemu-run: no key file '$tpm_key'" >&2; exit 2; }
	firmware+=(-fw_cfg "name=opt/hillock/tpm-seal-key,file=$tpm_key")
fi

case $arch in
x86_64)
	qemu=(qemu-system-x86_64 -machine q35 -cpu max "${firmware[@]}"
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 "${common[@]}") ;;
aarch64)
	qemu=(qemu-system-aarch64 -machine virt,gic-version=3,virtualization=on -cpu max
		"${firmware[@]}" -semihosting "${common[@]}") ;;
esac

set +e
if [ "$timeout" != 0 ]; then
	timeout --foreground -k 5 "$timeout" "${qemu[@]}"
else
	"${qemu[@]}"
fi
rc=$?
set -e

if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
	echo "qemu-run: timed out after ${timeout}s" >&2
	exit 124
fi
case $arch in
x86_64)
	# isa-debug-exit: QEMU exits with (value << 1) | 1; 0 means it stopped
	# some other way (reset with -no-reboot, or an error).
	if [ $((rc & 1)) -eq 1 ]; then
		status=$((rc >> 1))
	else
		status=125
	fi ;;
aarch64)
	status=$rc ;;
esac
case $status in
0) what="pass" ;;
1) what="a test or check failed" ;;
2) what="panic" ;;
3) what="CPU exception" ;;
*) what="stopped without reporting a status"; status=125 ;;
esac
echo "qemu-run: $arch exited with status $status ($what)" >&2
exit $status
