# Host unit tests of the user-program ELF checks (kernel/user_elf.c), run on
# hand-made files and on the vTPM compartment's real program.
USER_ELF_TEST_OBJS := $(B)/host/obj/user_elf/kernel/user_elf.o \
	$(B)/host/obj/user_elf/tests/unit/test_user_elf.o

$(B)/host/obj/user_elf/%.o: %.c
	@mkdir -p $(@D)
	@$(HOSTCC) $(UNIT_CFLAGS) -I. -Ikernel/include -Iarch/x86_64/include -MMD -MP -c $< -o $@

$(B)/host/tests/test_user_elf: $(USER_ELF_TEST_OBJS) $(B)/x86_64/tpm_compartment.elf
	@mkdir -p $(@D)
	@$(HOSTCC) $(UNIT_CFLAGS) -o $@ $(USER_ELF_TEST_OBJS) $(UNIT_LDLIBS)

UNIT_TEST_BINS += $(B)/host/tests/test_user_elf
-include $(USER_ELF_TEST_OBJS:.o=.d)
