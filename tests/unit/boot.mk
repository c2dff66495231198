# Host unit tests of the boot shim's parameters -> device tree step.
BOOT_TEST_OBJS := $(B)/host/obj/boot/boot/params.o $(B)/host/obj/boot/tests/unit/test_boot_params.o

$(B)/host/obj/boot/%.o: %.c
	@mkdir -p $(@D)
	@$(HOSTCC) $(UNIT_CFLAGS) -I. -MMD -MP -c $< -o $@

$(B)/host/tests/test_boot_params: $(BOOT_TEST_OBJS)
	@mkdir -p $(@D)
	@$(HOSTCC) $(UNIT_CFLAGS) -o $@ $^ -lfdt $(UNIT_LDLIBS)

UNIT_TEST_BINS += $(B)/host/tests/test_boot_params
-include $(BOOT_TEST_OBJS:.o=.d)
