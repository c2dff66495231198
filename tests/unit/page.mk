# Host unit test of the page allocator: kernel/page_alloc.c compiled for
# the host against the image's headers, with its lock (kernel/spinlock.c,
# kernel/percpu.c) and the test's own panic() and fake architecture.
PAGE_TEST_OBJS := $(B)/host/obj/page/kernel/page_alloc.o $(B)/host/obj/page/kernel/spinlock.o \
	$(B)/host/obj/page/kernel/percpu.o $(B)/host/obj/page/tests/unit/test_page_alloc.o

$(B)/host/obj/page/%.o: %.c
	@mkdir -p $(@D)
	@$(HOSTCC) $(UNIT_CFLAGS) -I. -Ikernel/include -Iarch/x86_64/include -MMD -MP -c $< -o $@

$(B)/host/tests/test_page_alloc: $(PAGE_TEST_OBJS)
	@mkdir -p $(@D)
	@$(HOSTCC) $(UNIT_CFLAGS) -o $@ $^ $(UNIT_LDLIBS)

UNIT_TEST_BINS += $(B)/host/tests/test_page_alloc
-include $(PAGE_TEST_OBJS:.o=.d)
