/* rand(): a 64-bit linear congruential generator (Knuth's MMIX constants)
 * whose top 31 bits are returned; the low bits of an LCG are poor.  Not for
 * secrets: use the entropy source for those. */
#include <stdint.h>
#include <stdlib.h>

#define RAND_MULTIPLIER 6364136223846793005ULL
#define RAND_INCREMENT 1442695040888963407ULL

/* C11 7.22.2.2: as if srand(1) ran first. */
static uint64_t rand_state = 1;

static int rand_step(uint64_t *state)
{
	/* Single CPU for now; with SMP rand() needs a lock or per-CPU state. */
	*state = *state * RAND_MULTIPLIER + RAND_INCREMENT;
	return (int)(*state >> 33);
}

int rand(void)
{
	return rand_step(&rand_state);
}

void srand(unsigned int seed)
{
	rand_state = seed;
}

/* The whole state is *state, so only 32 bits of it: a weaker sequence. */
int rand_r(unsigned int *state)
{
	uint64_t s = *state;
	int value = rand_step(&s);

	*state = (unsigned int)s;
	return value;
}
