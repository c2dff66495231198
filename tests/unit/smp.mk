# Host unit tests of the spinlocks (kernel/spinlock.c): the lock-order
# rules and real contention, with threads standing in for CPUs and a fake
# architecture in the test itself.
SMP_TEST_OBJS := $(B)/host/obj/smp/kernel/spinlock.o $(B)/host/obj/smp/tests/unit/test_spinlock.o

$(B)/host/obj/smp/%.o: %.c
	@mkdir -p $(@D)
	@$(HOSTCC) $(UNIT_CFLAGS) -I. -Ikernel/include -MMD -MP -c $< -o $@

$(B)/host/tests/test_spinlock: $(SMP_TEST_OBJS)
	@mkdir -p $(@D)
	@$(HOSTCC) $(UNIT_CFLAGS) -o $@ $^ -lpthread $(UNIT_LDLIBS)

UNIT_TEST_BINS += $(B)/host/tests/test_spinlock
-include $(SMP_TEST_OBJS:.o=.d)
