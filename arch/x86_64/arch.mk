# x86_64 image: PVH entry, 16550 console, Hillock's own C runtime subset
# (Debian has no x86_64 picolibc).
x86_64_CROSS :=
x86_64_CFLAGS := -march=x86-64 -mno-red-zone
x86_64_LIBC_INC := -isystem kernel/include/libc -isystem kernel/include/glibc
# The PVH entry and the firmware readers (PVH, ACPI) belong to the loader
# image only; the IGVM entry, the shim's devices and the kernel's page
# tables to Hillock only.
x86_64_FIRMWARE_SRCS := arch/x86_64/entry_pvh.S arch/x86_64/firmware.c arch/x86_64/acpi.c
x86_64_IMAGE_ONLY_SRCS := arch/x86_64/entry_igvm.S arch/x86_64/shim.c arch/x86_64/mmu.c
# Interrupts and timers serve the kernel only.
x86_64_IMAGE_ONLY_SRCS += arch/x86_64/apic.c arch/x86_64/timer.c arch/x86_64/irq_entry.S
# Starting the other CPUs serves the kernel only.
x86_64_IMAGE_ONLY_SRCS += arch/x86_64/smp.c arch/x86_64/ap_trampoline.S
# Where the machine's NV flash and fw_cfg are: the kernel's vTPM only.
x86_64_IMAGE_ONLY_SRCS += arch/x86_64/machine.c
# User privilege (the vTPM compartment) and its in-image test programs.
x86_64_IMAGE_ONLY_SRCS += arch/x86_64/user.c arch/x86_64/user_entry.S arch/x86_64/user_test.S
x86_64_ENTRY := igvm_start64
x86_64_LOADER_ENTRY := pvh_start32
x86_64_SRCS := $(filter-out %.ld.S $(x86_64_FIRMWARE_SRCS),$(wildcard arch/x86_64/*.c arch/x86_64/*.S)) \
	drivers/serial/uart16550.c $(wildcard kernel/libc/*.c)
# QEMU boots the loader as a PVH ELF.
x86_64_LOADER := igvmload.elf
x86_64_LIBC :=
x86_64_QEMU := qemu-system-x86_64
# Programs at user privilege (the vTPM compartment) are linked above 4 GiB,
# where the linker cannot rewrite GOT loads into 32-bit immediates: keep
# them (the program's GOT is its own, in its data segment).
x86_64_USER_LDFLAGS := -Wl,--no-relax
