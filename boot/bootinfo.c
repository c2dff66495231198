/* Building the boot description the kernel starts from. */
#include <stdio.h>

#include <hillock/boot.h>

void boot_add_ram(struct boot_info *bi, uint64_t base, uint64_t size)
{
	unsigned int i;

	if (size == 0 || base + size < base) {
		return;
	}
	if (bi->ram_count == BOOT_RAM_RANGES_MAX) {
		printf("boot: more than %d RAM ranges; ignoring %#llx+%#llx\n", BOOT_RAM_RANGES_MAX,
		       (unsigned long long)base, (unsigned long long)size);
		return;
	}
	for (i = bi->ram_count; i > 0 && bi->ram[i - 1].base > base; i--) {
		bi->ram[i] = bi->ram[i - 1];
	}
	bi->ram[i] = (struct boot_range){base, size};
	bi->ram_count++;
	bi->ram_bytes += size;
}
