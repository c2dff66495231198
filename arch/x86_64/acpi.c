/* Reading the CPU count from the firmware's ACPI tables.
 *
 * The tables come from the host (QEMU here): every length and checksum is
 * checked before an entry is used, and a malformed table is an error, not a
 * guess. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <arch/acpi.h>

/* Tables are identity-mapped in the low 4 GiB during early boot. */
#define ACPI_TABLE_MAX (1u << 20)
#define ACPI_PHYS_LIMIT (1ull << 32)

static uint8_t acpi_sum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--) {
		sum += *b++;
	}
	return sum;
}

/* A table header at pa, checked: in range, sane length, good checksum. */
static const struct acpi_header *acpi_table(uint64_t pa, const char *sig)
{
	const struct acpi_header *h;

	if (pa == 0 || pa >= ACPI_PHYS_LIMIT - sizeof(*h)) {
		return NULL;
	}
	h = (const struct acpi_header *)(uintptr_t)pa;
	if (h->length < sizeof(*h) || h->length > ACPI_TABLE_MAX || pa + h->length > ACPI_PHYS_LIMIT) {
		printf("acpi: table at %#llx: bad length %u\n", (unsigned long long)pa, h->length);
		return NULL;
	}
	if (sig && memcmp(h->signature, sig, 4) != 0) {
		return NULL;
	}
	if (acpi_sum(h, h->length) != 0) {
		printf("acpi: table %.4s at %#llx: bad checksum\n", h->signature, (unsigned long long)pa);
		return NULL;
	}
	return h;
}

static const struct acpi_header *acpi_find(const struct acpi_rsdp *rsdp, const char *sig)
{
	const struct acpi_header *sdt;
	size_t entry_size;
	uint64_t pa;

	if (rsdp->revision >= 2 && rsdp->xsdt_address) {
		sdt = acpi_table(rsdp->xsdt_address, "XSDT");
		entry_size = 8;
	} else {
		sdt = acpi_table(rsdp->rsdt_address, "RSDT");
		entry_size = 4;
	}
	if (!sdt) {
		return NULL;
	}
	const uint8_t *entries = (const uint8_t *)(sdt + 1);
	size_t count = (sdt->length - sizeof(*sdt)) / entry_size;

	for (size_t i = 0; i < count; i++) {
		pa = 0;
		memcpy(&pa, entries + i * entry_size, entry_size);
		const struct acpi_header *h = acpi_table(pa, sig);

		if (h) {
			return h;
		}
	}
	return NULL;
}

int acpi_count_cpus(uint64_t rsdp_pa)
{
	const struct acpi_rsdp *rsdp;
	const struct acpi_madt *madt;
	int cpus = 0;

	if (rsdp_pa == 0 || rsdp_pa >= ACPI_PHYS_LIMIT - sizeof(*rsdp)) {
		return -ENOENT;
	}
	rsdp = (const struct acpi_rsdp *)(uintptr_t)rsdp_pa;
	if (memcmp(rsdp->signature, "RSD PTR ", 8) != 0 || acpi_sum(rsdp, 20) != 0 ||
	    (rsdp->revision >= 2 && acpi_sum(rsdp, sizeof(*rsdp)) != 0)) {
		printf("acpi: RSDP at %#llx is malformed\n", (unsigned long long)rsdp_pa);
		return -EINVAL;
	}
	madt = (const struct acpi_madt *)acpi_find(rsdp, "APIC");
	if (!madt || madt->header.length < sizeof(*madt)) {
		printf("acpi: no valid MADT\n");
		return -ENOENT;
	}

	const uint8_t *p = (const uint8_t *)(madt + 1);
	const uint8_t *end = (const uint8_t *)madt + madt->header.length;

	while (p + 2 <= end) {
		uint8_t type = p[0];
		uint8_t len = p[1];

		if (len < 2 || p + len > end) {
			printf("acpi: MADT entry at offset %zu has bad length %u\n",
			       (size_t)(p - (const uint8_t *)madt), len);
			return -EINVAL;
		}
		if (type == MADT_TYPE_LAPIC && len >= sizeof(struct acpi_madt_lapic)) {
			struct acpi_madt_lapic e;

			memcpy(&e, p, sizeof(e));
			cpus += (e.flags & MADT_LAPIC_ENABLED) != 0;
		} else if (type == MADT_TYPE_X2APIC && len >= sizeof(struct acpi_madt_x2apic)) {
			struct acpi_madt_x2apic e;

			memcpy(&e, p, sizeof(e));
			cpus += (e.flags & MADT_LAPIC_ENABLED) != 0;
		}
		p += len;
	}
	return cpus;
}
