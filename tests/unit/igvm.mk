# The IGVM reader, launch measurement and igvmdump on the build host
# (included from the top-level Makefile, run from the repository root).
#
# The library (igvm/igvm_reader.c, igvm/igvm_measure.c) is freestanding; on
# the host it links the host's zlib and static mbedtls.  It is compiled
# twice: with ASan+UBSan for the unit tests, and plainly for igvmdump.

IGVM_HOST_LIBS := -l:libmbedcrypto.a -lz
IGVM_LIB_SRCS := igvm/igvm_reader.c igvm/igvm_measure.c

# Host tool: build/host/igvmdump.
IGVM_TOOL_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Iigvm -MMD -MP
IGVM_TOOL_OBJS := $(patsubst %.c,$(B)/host/obj/igvm/tool/%.o,$(IGVM_LIB_SRCS) igvm/igvmdump.c)

HOST_TOOLS += $(B)/host/igvmdump

$(B)/host/obj/igvm/tool/%.o: %.c
	@mkdir -p $(@D)
	$(HOSTCC) $(IGVM_TOOL_CFLAGS) -c $< -o $@

$(B)/host/igvmdump: $(IGVM_TOOL_OBJS)
	@mkdir -p $(@D)
	$(HOSTCC) $(IGVM_TOOL_CFLAGS) $^ $(IGVM_HOST_LIBS) -o $@

# Unit tests: the reader against a corpus the tests build, the measurement
# against digests computed independently (tests/unit/igvm_measure_vectors.py).
IGVM_UNIT_CFLAGS := $(UNIT_CFLAGS) -Iigvm -Itests/unit -MMD -MP
IGVM_UNIT_LIB := $(patsubst %.c,$(B)/host/obj/igvm/unit/%.o,$(IGVM_LIB_SRCS) tests/unit/igvm_builder.c)
IGVM_UNIT_TESTS := test_igvm_reader test_igvm_measure
IGVM_UNIT_BINS := $(patsubst %,$(B)/host/tests/%,$(IGVM_UNIT_TESTS))

UNIT_TEST_BINS += $(IGVM_UNIT_BINS)

$(B)/host/obj/igvm/unit/%.o: %.c
	@mkdir -p $(@D)
	$(HOSTCC) $(IGVM_UNIT_CFLAGS) -c $< -o $@

$(IGVM_UNIT_BINS): $(B)/host/tests/%: $(B)/host/obj/igvm/unit/tests/unit/%.o $(IGVM_UNIT_LIB) | $(B)/host/igvmdump
	@mkdir -p $(@D)
	$(HOSTCC) $(IGVM_UNIT_CFLAGS) $(filter %.o,$^) $(UNIT_LDLIBS) $(IGVM_HOST_LIBS) -o $@

-include $(IGVM_TOOL_OBJS:.o=.d) $(IGVM_UNIT_LIB:.o=.d) \
	$(patsubst %,$(B)/host/obj/igvm/unit/tests/unit/%.d,$(IGVM_UNIT_TESTS))
