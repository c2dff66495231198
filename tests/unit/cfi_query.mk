# Host unit test of the CFI flash driver's query check (cfi_query_parse()
# in drivers/flash/cfi_flash.c) on QEMU's tables and broken ones.
CFI_QUERY_TEST_OBJS := $(B)/host/obj/cfi_query/drivers/flash/cfi_flash.o \
	$(B)/host/obj/cfi_query/tests/unit/test_cfi_query.o $(B)/host/obj/cfi_query/tests/unit/cfi_no_io.o

$(B)/host/obj/cfi_query/%.o: %.c
	@mkdir -p $(@D)
	@$(HOSTCC) $(UNIT_CFLAGS) -I. -Ikernel/include -Iarch/x86_64/include -Idrivers/include \
		-Itests/unit -MMD -MP -c $< -o $@

$(B)/host/tests/test_cfi_query: $(CFI_QUERY_TEST_OBJS)
	@mkdir -p $(@D)
	@$(HOSTCC) $(UNIT_CFLAGS) -o $@ $^ $(UNIT_LDLIBS)

UNIT_TEST_BINS += $(B)/host/tests/test_cfi_query
-include $(CFI_QUERY_TEST_OBJS:.o=.d)
