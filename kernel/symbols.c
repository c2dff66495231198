/* Looking up the image's symbol table; see hillock/symbols.h. */
#include <stddef.h>
#include <stdint.h>

#include <hillock/image.h>
#include <hillock/symbols.h>

extern const uint32_t symbol_count;
extern const uint32_t symbol_offsets[];
extern const uint32_t symbol_names[];
extern const char symbol_strings[];
extern char __text_end[];

const char *symbol_lookup(uint64_t addr, uint64_t *offset)
{
	uint64_t base = (uint64_t)(uintptr_t)__image_start;
	uint64_t off = addr - base;
	uint32_t lo = 0, hi = symbol_count;

	if (addr < base || addr >= (uint64_t)(uintptr_t)__text_end || symbol_count == 0 ||
	    off < symbol_offsets[0]) {
		return NULL;
	}
	/* The last symbol at or below off. */
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (symbol_offsets[mid] <= off) {
			lo = mid;
		} else {
			hi = mid;
		}
	}
	*offset = off - symbol_offsets[lo];
	return symbol_strings + symbol_names[lo];
}
