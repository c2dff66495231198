# x86_64 image: PVH entry, 16550 console, Hillock's own C runtime subset
# (Debian has no x86_64 picolibc).
x86_64_CROSS :=
x86_64_CFLAGS := -march=x86-64 -mno-red-zone
x86_64_LIBC_INC := -isystem kernel/include/libc -isystem kernel/include/glibc
x86_64_SRCS := $(filter-out %.ld.S,$(wildcard arch/x86_64/*.c arch/x86_64/*.S)) drivers/serial/uart16550.c \
	$(wildcard kernel/libc/*.c)
x86_64_LIBC :=
x86_64_QEMU := qemu-system-x86_64
