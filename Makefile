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

CFLAGS_COMMON := -g -O2 -Wall -Wextra -Werror -Imaps -Iloader -Itests -I$(BUILD) -MMD -MP
CFLAGS   ?=
CFLAGS   += $(CFLAGS_COMMON) -D_GNU_SOURCE -Wno-missing-field-initializers
LDLIBS   += -lbpf -lelf -lz -ljansson -lmnl -lsystemd -lm
BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -Wall -Werror -Imaps -Ibpf -MMD -MP \
	-D__TARGET_ARCH_$(ARCH) $(if $(MULTIARCH),-idirafter /usr/include/$(MULTIARCH))

BPF_SRCS  := $(wildcard bpf/*.bpf.c)
BPF_OBJS  := $(patsubst bpf/%.bpf.c,$(BUILD)/%.bpf.o,$(BPF_SRCS))
SKELS     := $(patsubst bpf/%.bpf.c,$(BUILD)/%.skel.h,$(BPF_SRCS))
# Everything but main() goes into build/libbouclier.a, which the command,
# the tests and the benchmark link.
LIB_SRCS  := $(wildcard maps/*.c) $(filter-out loader/main.c,$(wildcard loader/*.c loader/*/*.c))
LIB_OBJS  := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRCS))
LIB       := $(BUILD)/libbouclier.a
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
SYS_SRCS  := $(wildcard tests/system/test_*.c)
TOOL_SRCS := $(wildcard tools/*.c)
TOOLS     := $(patsubst tools/%.c,$(BUILD)/%,$(TOOL_SRCS))
# tests/model.c, the reference model of the differential test
# (tests/system/test_diff.c), is written apart from bpf/ and maps/ on
# purpose: only the system tests link it, never the library.
MODEL_OBJ := $(BUILD)/obj/tests/model.o
ALL_OBJS  := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRCS) loader/main.c $(UNIT_SRCS) \
	$(SYS_SRCS) $(TOOL_SRCS) tests/model.c)

.DELETE_ON_ERROR:
.SECONDARY:
.PHONY: all deps test unit system check-deep demo bench bench-quick fuzz install uninstall clean \
	verify-report soak

all: $(BUILD)/bouclier $(TOOLS)

# Debian packages the build, the tests, the demo and the benchmark need.
DEPS_PKGS := clang llvm libclang-rt-14-dev libbpf-dev libelf-dev zlib1g-dev bpftool \
	libjansson-dev libmnl-dev libsystemd-dev libcriterion-dev pkg-config iproute2 iputils-ping ethtool \
	nftables curl python3 prometheus chromium clang-16 clang-19
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

# The skeletons are generated first (order-only); after that an object is
# rebuilt only for the headers and skeletons it includes (-MMD).
$(BUILD)/obj/%.o: %.c | $(SKELS)
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/bouclier: $(BUILD)/obj/loader/main.o $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/%: $(BUILD)/obj/tools/%.o $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

# No root, no network: parsers, the compiler, the weather, the command's
# own messages.
$(BUILD)/unit-tests: $(patsubst %.c,$(BUILD)/obj/%.o,$(UNIT_SRCS)) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -lcriterion -o $@

# Root, namespaces, the kernel, outside programs (promtool, Chromium, curl).
$(BUILD)/system-tests: $(patsubst %.c,$(BUILD)/obj/%.o,$(SYS_SRCS)) $(MODEL_OBJ) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -lcriterion -o $@

$(BUILD):
	@mkdir -p $@

# The README's test command.  Installs what it needs, builds, runs every
# test; tests that need root or a kernel feature they cannot get say skip.
SOAK_SECONDS ?= 20
TEST_ENV = BOUCLIER=$(abspath $(BUILD)/bouclier) BOUCLIER_SRC=$(CURDIR) \
	BOUCLIER_VERIFY_MAX_INSNS=$(VERIFY_MAX_INSNS) BOUCLIER_VERIFY_MAX_STACK=$(VERIFY_MAX_STACK) \
	BOUCLIER_SOAK_SECONDS=$(SOAK_SECONDS)
test: deps
	$(Q)$(MAKE) --no-print-directory all $(BUILD)/unit-tests $(BUILD)/system-tests
	$(Q)$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(or $(TEST_FUZZ_SECONDS),20)
	$(Q)$(MAKE) --no-print-directory unit system

unit: $(BUILD)/unit-tests $(BUILD)/bouclier
	@echo "  UNIT     $(BUILD)/unit-tests"
	$(Q)$(TEST_ENV) $(BUILD)/unit-tests --jobs 2 $(TEST_ARGS)

system: $(BUILD)/system-tests $(BUILD)/bouclier
	@echo "  SYSTEM   $(BUILD)/system-tests"
	$(Q)$(TEST_ENV) $(BUILD)/system-tests --jobs 2 $(TEST_ARGS)

# What the verifier says of each program: instructions processed, stack.
# The bounds are what the tests hold the programs to.
VERIFY_MAX_INSNS ?= 250000
VERIFY_MAX_STACK ?= 448
verify-report: all
	$(Q)$(BUILD)/verify_report --max-insns $(VERIFY_MAX_INSNS) --max-stack $(VERIFY_MAX_STACK) \
		$(BUILD)/bouclier.bpf.o $(BUILD)/egress_ct.bpf.o

# Two minutes of floods while the lists change (make test runs 20 s of it).
soak: deps
	$(Q)$(MAKE) --no-print-directory all $(BUILD)/system-tests
	$(Q)$(MAKE) --no-print-directory system SOAK_SECONDS=120 TEST_ARGS="--filter 'soak/*'"

# The differential test at depth: a million random frames against the
# reference model, with a fresh seed unless BOUCLIER_DIFF_SEED is set (it is
# printed: setting it replays the run).  About 30 s.
check-deep: $(BUILD)/system-tests $(BUILD)/bouclier
	$(Q)seed=$${BOUCLIER_DIFF_SEED:-0x$$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')}; \
	echo "  DEEP     BOUCLIER_DIFF_SEED=$$seed"; \
	$(TEST_ENV) BOUCLIER_DIFF_CASES=1000000 BOUCLIER_DIFF_SEED=$$seed \
		$(BUILD)/system-tests --filter 'diff/*' $(TEST_ARGS)

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tools/demo.sh $(abspath $(BUILD)/bouclier)

# The benchmark: a table side by side with the baseline and the peers, plus
# build/bench.json and build/bench.svg.  About 6 minutes; bench-quick about 1.
BENCH_PKGS := nftables ipset iptables xdp-tools
bench bench-quick: deps
	$(Q)$(MAKE) --no-print-directory all
	@missing=$$(for p in $(BENCH_PKGS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	done); \
	[ -z "$$missing" ] || { export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; }
	$(Q)$(BUILD)/bench $(if $(filter bench-quick,$@),--quick) --out $(BUILD)/bench \
		--bouclier $(abspath $(BUILD)/bouclier) --src $(CURDIR)

# libFuzzer on the feed parser, seeded with the fixtures.  FUZZ_SECONDS=30
# by default; CI runs it briefly through `make test`.
FUZZ_SECONDS ?= 30
$(BUILD)/fuzz_feed: tests/fuzz/fuzz_feed.c maps/feed.c maps/formats.c maps/cidr.c maps/table.c | $(BUILD)
	$(call msg,FUZZ,$@)
	$(Q)$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-Imaps $^ -ljansson -o $@

fuzz: $(BUILD)/fuzz_feed
	@mkdir -p $(BUILD)/fuzz-corpus
	$(Q)$(BUILD)/fuzz_feed -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
		-artifact_prefix=$(BUILD)/ $(BUILD)/fuzz-corpus tests/fuzz/corpus/feed tests/data \
		tests/data/publishers \
		> $(BUILD)/fuzz.log 2>&1 || { tail -40 $(BUILD)/fuzz.log; exit 1; }
	@echo "  FUZZ     $$(grep -o 'Done [0-9]* runs in [0-9]* second(s)' $(BUILD)/fuzz.log): no crash"

install: all
	install -D -m 0755 $(BUILD)/bouclier $(DESTDIR)$(PREFIX)/sbin/bouclier
	install -D -m 0755 tools/bouclier-fetch $(DESTDIR)$(PREFIX)/sbin/bouclier-fetch
	install -D -m 0644 tools/systemd/bouclier@.service $(DESTDIR)/etc/systemd/system/bouclier@.service
	install -D -m 0644 tools/systemd/bouclier-refresh.service $(DESTDIR)/etc/systemd/system/bouclier-refresh.service
	install -D -m 0644 tools/systemd/bouclier-refresh.timer $(DESTDIR)/etc/systemd/system/bouclier-refresh.timer
	[ -e $(DESTDIR)/etc/bouclier/bouclier.conf ] || \
		install -D -m 0644 tools/examples/bouclier.conf $(DESTDIR)/etc/bouclier/bouclier.conf

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/sbin/bouclier $(DESTDIR)$(PREFIX)/sbin/bouclier-fetch \
		$(DESTDIR)/etc/systemd/system/bouclier@.service \
		$(DESTDIR)/etc/systemd/system/bouclier-refresh.service \
		$(DESTDIR)/etc/systemd/system/bouclier-refresh.timer

clean:
	rm -rf $(BUILD)

-include $(wildcard $(BUILD)/*.d) $(ALL_OBJS:.o=.d)
