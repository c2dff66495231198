# Host unit tests for the C runtime, the kernel heap and the glibc ABI layer
# (included from the top-level Makefile, run from the repository root).
#
# The Hillock sources are compiled for the host against the image's own
# headers, then every symbol they define is renamed X -> hl_X, so a test
# (compiled against the host's headers) can call hl_memcpy and glibc's
# memcpy side by side and compare them.  Sanitizer symbols are left alone.
# The heap comes with what it calls: the page allocator (over the RAM
# libc_pages.c gives it), its spinlocks and cpu_id; the harness fakes the
# architecture under them.

LIBC_UNIT_SRCS := $(wildcard kernel/libc/*.c) kernel/heap.c kernel/glibc_abi.c \
	kernel/page_alloc.c kernel/spinlock.c kernel/percpu.c tests/unit/libc_pages.c \
	arch/x86_64/setjmp.S
LIBC_UNIT_TESTS := test_libc_string test_libc_format test_libc_strtol test_libc_misc \
	test_heap test_glibc_abi

LIBC_UNIT_IMAGE_CFLAGS := $(UNIT_CFLAGS) -ffreestanding -fno-builtin -fno-stack-protector \
	-fno-tree-loop-distribute-patterns -nostdinc -isystem kernel/include/libc \
	-isystem kernel/include/glibc -isystem $(GCC_INC) -Ikernel/include \
	-Iarch/x86_64/include -MMD -MP

LIBC_UNIT_RAW := $(patsubst %,$(B)/host/obj/libc-raw/%.o,$(basename $(LIBC_UNIT_SRCS)))
LIBC_UNIT_RENAMED := $(patsubst $(B)/host/obj/libc-raw/%,$(B)/host/obj/libc-hl/%,$(LIBC_UNIT_RAW))
LIBC_UNIT_MAP := $(B)/host/obj/libc-hl/rename.map
LIBC_UNIT_LIB := $(B)/host/obj/libc-hl/libhillock_hl.a
# Compiled like the image, not renamed: reports the image's constants.
LIBC_UNIT_ABI := $(B)/host/obj/tests/unit/image_abi.o
LIBC_UNIT_HARNESS := $(B)/host/obj/tests/unit/libc_harness.o
LIBC_UNIT_BINS := $(patsubst %,$(B)/host/tests/%,$(LIBC_UNIT_TESTS))

UNIT_TEST_BINS += $(LIBC_UNIT_BINS)

$(B)/host/obj/libc-raw/%.o: %.c
	@mkdir -p $(@D)
	$(HOSTCC) $(LIBC_UNIT_IMAGE_CFLAGS) -c $< -o $@

$(B)/host/obj/libc-raw/%.o: %.S
	@mkdir -p $(@D)
	$(HOSTCC) $(LIBC_UNIT_IMAGE_CFLAGS) -c $< -o $@

$(LIBC_UNIT_ABI): tests/unit/image_abi.c
	@mkdir -p $(@D)
	$(HOSTCC) $(LIBC_UNIT_IMAGE_CFLAGS) -c $< -o $@

# The map is regenerated from the objects, so it always matches them.
$(LIBC_UNIT_MAP): $(LIBC_UNIT_RAW)
	@mkdir -p $(@D)
	nm --defined-only --extern-only $^ | \
		awk 'NF == 3 && $$3 !~ /^(__asan|__ubsan|__odr_asan|__sanitizer)/ { print $$3, "hl_" $$3 }' | \
		sort -u > $@

$(B)/host/obj/libc-hl/%.o: $(B)/host/obj/libc-raw/%.o $(LIBC_UNIT_MAP)
	@mkdir -p $(@D)
	objcopy --redefine-syms=$(LIBC_UNIT_MAP) $< $@

$(LIBC_UNIT_LIB): $(LIBC_UNIT_RENAMED)
	rm -f $@
	ar rcs $@ $^

$(B)/host/obj/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(HOSTCC) $(UNIT_CFLAGS) -MMD -MP -c $< -o $@

$(LIBC_UNIT_BINS): $(B)/host/tests/%: $(B)/host/obj/tests/unit/%.o $(LIBC_UNIT_HARNESS) \
		$(LIBC_UNIT_ABI) $(LIBC_UNIT_LIB)
	@mkdir -p $(@D)
	$(HOSTCC) $(UNIT_CFLAGS) $^ $(UNIT_LDLIBS) -o $@

-include $(LIBC_UNIT_RAW:.o=.d) $(LIBC_UNIT_ABI:.o=.d) \
	$(patsubst %,$(B)/host/obj/tests/unit/%.d,$(LIBC_UNIT_TESTS) libc_harness)
