/* The ACPI tables Hillock reads on x86_64 (ACPI 6.x §5.2): RSDP, the
 * system description header, the XSDT/RSDT and the MADT's CPU entries. */
#ifndef ARCH_ACPI_H
#define ARCH_ACPI_H

#include <stdint.h>

struct acpi_rsdp {
	char signature[8]; /* "RSD PTR " */
	uint8_t checksum;  /* bytes 0..19 sum to 0 */
	char oem_id[6];
	uint8_t revision; /* 0: ACPI 1.0 (RSDT only); 2: has the XSDT */
	uint32_t rsdt_address;
	uint32_t length; /* revision >= 2 */
	uint64_t xsdt_address;
	uint8_t extended_checksum; /* all 36 bytes sum to 0 */
	uint8_t reserved[3];
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_rsdp) == 36, "RSDP is 36 bytes");

struct acpi_header {
	char signature[4];
	uint32_t length; /* of the whole table, header included */
	uint8_t revision;
	uint8_t checksum; /* whole table sums to 0 */
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_header) == 36, "SDT header is 36 bytes");

struct acpi_madt {
	struct acpi_header header;
	uint32_t lapic_address;
	uint32_t flags;
	/* followed by variable-length entries: type, length, ... */
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_madt) == 44, "MADT fixed part is 44 bytes");

#define MADT_TYPE_LAPIC 0
#define MADT_TYPE_X2APIC 9
#define MADT_LAPIC_ENABLED 1u
#define MADT_LAPIC_ONLINE_CAPABLE 2u

struct acpi_madt_lapic {
	uint8_t type;
	uint8_t length; /* 8 */
	uint8_t processor_uid;
	uint8_t apic_id;
	uint32_t flags;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_madt_lapic) == 8, "MADT LAPIC entry is 8 bytes");

struct acpi_madt_x2apic {
	uint8_t type;
	uint8_t length; /* 16 */
	uint16_t reserved;
	uint32_t x2apic_id;
	uint32_t flags;
	uint32_t processor_uid;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_madt_x2apic) == 16, "MADT x2APIC entry is 16 bytes");

/* Count the enabled CPUs in the MADT reached from the RSDP at rsdp_pa.
 * Returns the count, or a negative errno (with a log line saying what was
 * wrong) when the tables are missing or malformed. */
int acpi_count_cpus(uint64_t rsdp_pa);

#endif
