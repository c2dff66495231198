#!/usr/bin/env bash
# check-compartment.sh ELF [CROSS]: checks the vTPM compartment's program
# (tpm/compartment/compartment.mk) before it goes into Hillock's image.
#  - A static executable: ET_EXEC, no interpreter, no dynamic section, no
#    relocations left to apply.
#  - Its loadable segments lie inside [TPM_IMAGE_VA, + TPM_IMAGE_MAX)
#    (tpm/compartment/compartment.h) and none is both writable and
#    executable.
# Hillock's loader (kernel/user_elf.c) checks the same at run time; this
# makes a bad link fail the build instead.
set -euo pipefail
elf=$1
cross=${2:-}
fail() { echo "check-compartment: $elf: $*" >&2; exit 1; }

hdr=$(LC_ALL=C ${cross}readelf -h -l -W "$elf")
grep -Eq 'Type:[[:space:]]+EXEC' <<<"$hdr" || fail "not a static executable (ET_EXEC)"
! grep -Eq '^[[:space:]]+(INTERP|DYNAMIC)' <<<"$hdr" || fail "has an interpreter or a dynamic section"
[ -z "$(LC_ALL=C ${cross}readelf -r -W "$elf" | grep -E '^[0-9a-f]{8,}' || true)" ] ||
	fail "has relocations"
top=$(cd "$(dirname "$0")/.." && pwd)
base=$(($(awk '$2 == "TPM_VA_BASE" { gsub(/TPM_U64\(|\)/, "", $3); print $3 }' "$top/tpm/compartment/compartment.h")))
max=$(($(awk '$2 == "TPM_IMAGE_MAX" { gsub(/TPM_U64\(|\)/, "", $3); print $3 }' "$top/tpm/compartment/compartment.h")))
while read -r type off va pa filesz memsz flags rest; do
	[ "$type" = LOAD ] || continue
	va=$((va)) memsz=$((memsz))
	[ "$va" -ge "$base" ] && [ $((va + memsz)) -le $((base + max)) ] ||
		fail "segment at $(printf '%#x' "$va") outside the compartment's image range"
	case $flags in *W*E*) fail "segment at $(printf '%#x' "$va") is writable and executable" ;; esac
done < <(LC_ALL=C ${cross}readelf -l -W "$elf" | awk '$1 == "LOAD" { f = $7; for (i = 8; i < NF; i++) f = f $i; print $1, $2, $3, $4, $5, $6, f }')
