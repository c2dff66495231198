#!/usr/bin/env bash
# check-compartment.sh OBJECT ENTRY_LIST [CROSS]: checks the vTPM
# compartment object before it is linked into the image
# (tpm/compartment/compartment.mk), and prints what it imports.
#  - The symbols it defines globally are exactly the entry points.
#  - Every section that occupies memory is one the linker script places in
#    the compartment's ranges: .tpm.text, .tpm.rodata, .tpm.data, .tpm.bss
#    (and their .* subsections).  Thread-local data, constructors or any
#    other kind would land outside them, or not run.
# Prints the undefined symbols, one a line: the call set and what it takes
# from the image's C runtime.
set -euo pipefail
obj=$1
entry=$2
cross=${3:-}
fail() { echo "check-compartment: $obj: $*" >&2; exit 1; }

globals=$(${cross}nm --defined-only -g "$obj" | awk '{ print $3 }' | sort)
[ "$globals" = "$(sort "$entry")" ] ||
	fail "global symbols other than the entry points: $(comm -23 <(echo "$globals") <(sort "$entry") | tr '\n' ' ')"
[ -s "$entry" ] || fail "no entry points"

stray=$(${cross}objdump -h "$obj" | awk '$1 ~ /^[0-9]+$/ { name = $2; getline; if ($0 ~ /ALLOC/) print name }' |
	grep -Ev '^\.tpm\.(text|rodata|data|bss)(\..*)?$' || true)
[ -z "$stray" ] || fail "sections the linker script does not place: $(echo $stray)"

${cross}nm -u "$obj" | awk '{ print $2 }' | sort -u
