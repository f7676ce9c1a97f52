# bouclier: `make` builds everything into build/, `make test` runs the tests,
# `make demo` shows the filter on a lab namespace.  V=1 shows the commands.

BUILD     ?= build
CLANG     ?= clang
CC        ?= cc
BPFTOOL   ?= bpftool
PREFIX    ?= /usr/local
ARCH      := $(shell uname -m | sed 's/x86_64/x86/;s/aarch64/arm64/')
MULTIARCH := $(shell $(CC) -print-multiarch 2>/dev/null)

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

CFLAGS_COMMON := -g -O2 -Wall -Wextra -Werror -Imaps -Iloader -I$(BUILD) -MMD -MP
CFLAGS   ?=
CFLAGS   += $(CFLAGS_COMMON) -D_GNU_SOURCE -Wno-missing-field-initializers
LDLIBS   += -lbpf -lelf -lz
BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -Wall -Werror -Imaps -Ibpf -MMD -MP \
	-D__TARGET_ARCH_$(ARCH) $(if $(MULTIARCH),-idirafter /usr/include/$(MULTIARCH))

BPF_SRCS  := $(wildcard bpf/*.bpf.c)
BPF_OBJS  := $(patsubst bpf/%.bpf.c,$(BUILD)/%.bpf.o,$(BPF_SRCS))
SKELS     := $(patsubst bpf/%.bpf.c,$(BUILD)/%.skel.h,$(BPF_SRCS))
LIB_SRCS  := $(wildcard maps/*.c) $(filter-out loader/main.c,$(wildcard loader/*.c))
LIB_OBJS  := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRCS))
TEST_SRCS := $(wildcard tests/test_*.c)
TEST_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(TEST_SRCS))
TOOL_SRCS := $(wildcard tools/*.c)
TOOLS     := $(patsubst tools/%.c,$(BUILD)/%,$(TOOL_SRCS))

.DELETE_ON_ERROR:
.SECONDARY:
.PHONY: all deps test unit demo bench bench-quick install uninstall clean

all: $(BUILD)/bouclier $(TOOLS)

# Debian packages the build, the tests, the demo and the benchmark need.
DEPS_PKGS := clang llvm libbpf-dev libelf-dev zlib1g-dev bpftool libcriterion-dev \
	pkg-config iproute2 iputils-ping ethtool
deps:
	@missing=$$(for p in $(DEPS_PKGS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
		echo "  APT      $$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

$(BUILD)/%.bpf.o: bpf/%.bpf.c | $(BUILD)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/%.skel.h: $(BUILD)/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $* > $@

$(BUILD)/obj/%.o: %.c $(SKELS)
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/bouclier: $(BUILD)/obj/loader/main.o $(LIB_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/%: $(BUILD)/obj/tools/%.o $(LIB_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -lm -o $@

$(BUILD)/unit-tests: $(TEST_OBJS) $(LIB_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -lcriterion -o $@

$(BUILD):
	@mkdir -p $@

# The README's test command.  Installs what it needs, builds, runs every
# test; tests that need root or a kernel feature they cannot get say skip.
test: deps
	$(Q)$(MAKE) --no-print-directory all $(BUILD)/unit-tests
	$(Q)BOUCLIER=$(abspath $(BUILD)/bouclier) BOUCLIER_SRC=$(CURDIR) \
		$(BUILD)/unit-tests --jobs 2 $(TEST_ARGS)

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tools/demo.sh $(abspath $(BUILD)/bouclier)

# The benchmark: a table side by side with the baseline and the peers, plus
# build/bench.json and build/bench.svg.  About 5 minutes; bench-quick about 1.
BENCH_PKGS := nftables ipset iptables
bench bench-quick: deps
	$(Q)$(MAKE) --no-print-directory all
	@missing=$$(for p in $(BENCH_PKGS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	done); \
	[ -z "$$missing" ] || { export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; }
	$(Q)$(BUILD)/bench $(if $(filter bench-quick,$@),--quick) --out $(BUILD)/bench \
		--bouclier $(abspath $(BUILD)/bouclier) --src $(CURDIR)

install: all
	install -D -m 0755 $(BUILD)/bouclier $(DESTDIR)$(PREFIX)/sbin/bouclier

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/sbin/bouclier

clean:
	rm -rf $(BUILD)

-include $(wildcard $(BUILD)/*.d $(BUILD)/obj/*/*.d)
