#!/usr/bin/env bash
# Checks every image must pass after linking: a static PIE (ELF type DYN, no
# PT_INTERP), no segment both writable and executable, and no dynamic
# relocation other than RELATIVE (the only kind the image applies itself).
set -euo pipefail
elf=$1
cross=${2:-}
readelf=${cross}readelf
fail() { echo "check-elf: $elf: $*" >&2; rm -f "$elf"; exit 1; }

hdr=$($readelf -h "$elf")
grep -q 'Type:[[:space:]]*DYN' <<<"$hdr" || fail "not a position-independent (DYN) image"
phdrs=$($readelf -lW "$elf")
grep -q 'INTERP' <<<"$phdrs" && fail "has a PT_INTERP segment"
grep -E '^[[:space:]]+LOAD' <<<"$phdrs" | grep -q 'RWE' && fail "has a writable and executable segment"
bad=$($readelf -rW "$elf" | awk '/^[0-9a-f]+ +[0-9a-f]+ +R_/ && $3 !~ /_RELATIVE$/ {print $3}' | sort -u)
[ -z "$bad" ] || fail "dynamic relocations the image cannot apply: $bad"
exit 0
