/* The image's own symbol table, for backtraces: function names from text
 * addresses.  Generated at link time (tools/gen-symbols.sh). */
#ifndef HILLOCK_SYMBOLS_H
#define HILLOCK_SYMBOLS_H

#include <stdint.h>

/* The function containing addr (a runtime address) and addr's offset into
 * it, or NULL when addr is outside the image's text. */
const char *symbol_lookup(uint64_t addr, uint64_t *offset);

#endif
