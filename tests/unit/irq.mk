# Host unit tests of the timer queue (kernel/timer.c) and the work queues
# (kernel/event.c) against a fake architecture in the test itself: a clock
# the test sets, a one-shot that records what it was told.
IRQ_TEST_OBJS := $(B)/host/obj/irq/kernel/timer.o $(B)/host/obj/irq/kernel/event.o \
	$(B)/host/obj/irq/tests/unit/test_timer_queue.o

$(B)/host/obj/irq/%.o: %.c
	@mkdir -p $(@D)
	@$(HOSTCC) $(UNIT_CFLAGS) -I. -Ikernel/include -MMD -MP -c $< -o $@

$(B)/host/tests/test_timer_queue: $(IRQ_TEST_OBJS)
	@mkdir -p $(@D)
	@$(HOSTCC) $(UNIT_CFLAGS) -o $@ $^ $(UNIT_LDLIBS)

UNIT_TEST_BINS += $(B)/host/tests/test_timer_queue
-include $(IRQ_TEST_OBJS:.o=.d)
