#!/usr/bin/env bash
# Make the image's compact symbol table from a linked image, as assembly:
#
#   tools/gen-symbols.sh NM IMAGE.elf > symbols.S
#
# Only text symbols go in, sorted by address: backtraces need nothing else,
# and text does not move when the table is linked in (it comes after .text;
# see the Makefile's two-pass link).  Layout (kernel/symbols.c reads it):
#   symbol_count:   u32
#   symbol_offsets: u32[count]   address - image start, ascending
#   symbol_names:   u32[count]   offset of each name in symbol_strings
#   symbol_strings: NUL-terminated names
set -euo pipefail
nm=$1
elf=$2

"$nm" -n --defined-only "$elf" | awk 'BEGIN { n = 0 }
	$2 ~ /^[tT]$/ && $3 !~ /^(\.|\$|__)/ { addr[n] = $1; name[n] = $3; n++ }
	END {
		print "\t.section .rodata.symbols, \"a\""
		print "\t.balign 4"
		print "\t.globl symbol_count, symbol_offsets, symbol_names, symbol_strings"
		print "symbol_count:\n\t.long " n
		print "symbol_offsets:"
		for (i = 0; i < n; i++) printf "\t.long 0x%s\n", substr(addr[i], length(addr[i]) - 7)
		print "symbol_names:"
		off = 0
		for (i = 0; i < n; i++) { printf "\t.long %d\n", off; off += length(name[i]) + 1 }
		print "symbol_strings:"
		for (i = 0; i < n; i++) printf "\t.asciz \"%s\"\n", name[i]
	}'
