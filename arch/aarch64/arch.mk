# aarch64 image: entered at EL2, PL011 console, Debian's picolibc as the C
# runtime (with Hillock's malloc family on the kernel heap).
PICOLIBC := /usr/lib/picolibc/aarch64-linux-gnu
aarch64_CROSS := aarch64-linux-gnu-
aarch64_CFLAGS := -march=armv8-a -mno-outline-atomics
aarch64_LIBC_INC := -isystem kernel/include/glibc -isystem $(PICOLIBC)/include
# The Image header and the device-tree reader belong to the loader image
# only; the shim's devices and the kernel's page tables to Hillock only.
aarch64_FIRMWARE_SRCS := arch/aarch64/entry_image.S arch/aarch64/firmware.c
aarch64_IMAGE_ONLY_SRCS := arch/aarch64/shim.c arch/aarch64/mmu.c
# Interrupts and timers serve the kernel only.
aarch64_IMAGE_ONLY_SRCS += arch/aarch64/gic.c arch/aarch64/timer.c arch/aarch64/irq_entry.S
# Starting the other CPUs serves the kernel only.
aarch64_IMAGE_ONLY_SRCS += arch/aarch64/smp.c arch/aarch64/ap_entry.S
# Where the machine's NV flash and fw_cfg are: the kernel's vTPM only.
aarch64_IMAGE_ONLY_SRCS += arch/aarch64/machine.c
# User privilege (hillock/user.h) and its test programs serve the kernel only.
aarch64_IMAGE_ONLY_SRCS += arch/aarch64/user.c arch/aarch64/user_entry.S arch/aarch64/user_test.S
aarch64_ENTRY := _start
aarch64_LOADER_ENTRY := image_header
aarch64_SRCS := $(filter-out %.ld.S $(aarch64_FIRMWARE_SRCS),$(wildcard arch/aarch64/*.c arch/aarch64/*.S)) \
	drivers/serial/pl011.c \
	kernel/libc/malloc.c $(wildcard kernel/picolibc/*.c)
aarch64_LIBC := $(PICOLIBC)/lib/libc.a
aarch64_QEMU := qemu-system-aarch64
# QEMU boots the loader as an arm64 Image (raw binary with the Image header).
aarch64_LOADER := igvmload.bin
# Programs at user privilege (the vTPM compartment) need nothing special.
aarch64_USER_LDFLAGS :=
