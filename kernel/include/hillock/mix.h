/* splitmix64: a fast, well-distributed 64-bit mixing step.  Turns a weak
 * entropy source (a cycle counter) into usable non-cryptographic bits when
 * the CPU has no random-number instruction.  Never for key material. */
#ifndef HILLOCK_MIX_H
#define HILLOCK_MIX_H

#include <stdint.h>

static inline uint64_t mix64_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

#endif
