/* For the heap tests: host memory as VTL2 RAM for the page allocator, which
 * backs the heap's grown regions and large blocks.  Compiled like the
 * image, for its struct boot_info, and renamed with the code under test
 * (libc.mk), so the tests call it as hl_pages_reset(). */
#include <stdint.h>
#include <string.h>

#include <hillock/boot.h>
#include <hillock/page.h>
#include <hillock/panic.h>

void pages_reset(void *ram, size_t size);

void pages_reset(void *ram, size_t size)
{
	static struct boot_info bi;

	memset(&bi, 0, sizeof(bi));
	bi.ram[0] = (struct boot_range){(uintptr_t)ram, size};
	bi.ram_count = 1;
	bi.ram_bytes = size;
	bi.map_limit = UINT64_MAX;
	if (page_alloc_init(&bi) != 0) {
		panic("pages_reset: no RAM");
	}
}
