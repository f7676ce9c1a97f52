# bouclier: `make` builds everything into build/, `make test` runs the tests,
# `make demo` shows the filter on a lab namespace.  V=1 shows the commands.
# SAN=1 builds the user-space code with ASan and UBSan into build-san/.

BUILD     ?= $(if $(filter 1,$(SAN)),build-san,build)
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
# SAN=1: the library, the command and the test binaries with AddressSanitizer
# (and LeakSanitizer) and UBSan; any report stops the program, so a test
# fails on it.  The BPF programs are built as always.
ifeq ($(SAN),1)
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
CFLAGS   += $(SAN_FLAGS)
LDFLAGS  += $(SAN_FLAGS)
endif
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
ALL_OBJS  := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRCS) loader/main.c $(UNIT_SRCS) \
	$(SYS_SRCS) $(TOOL_SRCS))

.DELETE_ON_ERROR:
.SECONDARY:
.PHONY: all deps test unit system demo bench bench-quick fuzz install uninstall clean

all: $(BUILD)/bouclier $(TOOLS)

# Debian packages the build, the tests, the demo and the benchmark need.
DEPS_PKGS := clang llvm libclang-rt-14-dev libbpf-dev libelf-dev zlib1g-dev bpftool \
	libjansson-dev libmnl-dev libsystemd-dev libcriterion-dev pkg-config iproute2 iputils-ping ethtool \
	nftables curl python3 prometheus chromium
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
$(BUILD)/system-tests: $(patsubst %.c,$(BUILD)/obj/%.o,$(SYS_SRCS)) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -lcriterion -o $@

$(BUILD):
	@mkdir -p $@

# The README's test command.  Installs what it needs, builds, runs every
# test; tests that need root or a kernel feature they cannot get say skip.
TEST_ENV = BOUCLIER=$(abspath $(BUILD)/bouclier) BOUCLIER_SRC=$(CURDIR)
test: deps
	$(Q)$(MAKE) --no-print-directory all $(BUILD)/unit-tests $(BUILD)/system-tests
	$(Q)$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(or $(TEST_FUZZ_SECONDS),$(FUZZ_TEST_SECONDS))
	$(Q)$(MAKE) --no-print-directory unit system

# Under SAN=1 a suite's output is also kept in BUILD/NAME.log and searched:
# Criterion counts a test whose worker LeakSanitizer reports at exit as
# passed, so a leak fails the suite here.
ifeq ($(SAN),1)
SAN_REPORT := ERROR: (Address|Leak)Sanitizer|runtime error:
run_suite = { $(2) 2>&1; echo $$? > $(BUILD)/$(1).rc; } | tee $(BUILD)/$(1).log; \
	if grep -qE '$(SAN_REPORT)' $(BUILD)/$(1).log; then \
		echo "  SAN      sanitizer reports in $(BUILD)/$(1).log"; exit 1; fi; \
	exit $$(cat $(BUILD)/$(1).rc)
else
run_suite = $(2)
endif

unit: $(BUILD)/unit-tests $(BUILD)/bouclier
	@echo "  UNIT     $(BUILD)/unit-tests"
	$(Q)$(call run_suite,unit,$(TEST_ENV) $(BUILD)/unit-tests --jobs 2 $(TEST_ARGS))

system: $(BUILD)/system-tests $(BUILD)/bouclier
	@echo "  SYSTEM   $(BUILD)/system-tests"
	$(Q)$(call run_suite,system,$(TEST_ENV) $(BUILD)/system-tests --jobs 2 $(TEST_ARGS))

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tools/demo.sh $(abspath $(BUILD)/bouclier)

# The benchmark: a table side by side with the baseline and the peers, plus
# build/bench.json and build/bench.svg.  About 5 minutes; bench-quick about 1.
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

# libFuzzer with ASan and UBSan, one program a tests/fuzz/fuzz_X.c: the
# readers of outside data (feeds, configuration, reports, history, state)
# and the table compiler.  Each harness says in its header comment what it
# is built from ("fuzz-build:" sources and libraries, compiled into it with
# the same sanitizers) and how it runs ("fuzz-run:" libFuzzer options, more
# seed directories), so a new one needs no line here.  Seeds are in
# tests/fuzz/corpus/X/, what the fuzzer adds goes to build/fuzz-corpus/X/, a
# crash to build/fuzz_X-crash-*.  `make fuzz` runs each for FUZZ_SECONDS
# (30), `make fuzz-X` one of them; `make test` shares 60 s among them.
FUZZ_SECONDS ?= 30
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_TEST_SECONDS := $(shell n=$(words $(FUZZ_NAMES)); echo $$((n > 12 ? 5 : 60 / (n + !n))))
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-Wall -Wextra -Werror -Wno-missing-field-initializers -D_GNU_SOURCE -Imaps -Iloader
FUZZ_HDRS := $(wildcard maps/*.h loader/*.h loader/*/*.h)
fuzz_tag = $(shell sed -n 's/^ \* $(2): *//p' $(1))

.SECONDEXPANSION:
$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $$(filter %.c,$$(call fuzz_tag,tests/fuzz/fuzz_$$*.c,fuzz-build)) \
		$(FUZZ_HDRS) | $(BUILD)
	$(call msg,FUZZ,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) $< $(call fuzz_tag,$<,fuzz-build) -o $@

fuzz: $(patsubst %,fuzz-%,$(FUZZ_NAMES))

# libFuzzer writes what it finds into the first directory: build/, never the
# seeds in the tree.
fuzz-%: $(BUILD)/fuzz_%
	@mkdir -p $(BUILD)/fuzz-corpus/$*
	$(Q)$< -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=$(BUILD)/fuzz_$*- \
		$(BUILD)/fuzz-corpus/$* tests/fuzz/corpus/$* \
		$(call fuzz_tag,tests/fuzz/fuzz_$*.c,fuzz-run) \
		> $(BUILD)/fuzz_$*.log 2>&1 || { tail -40 $(BUILD)/fuzz_$*.log; exit 1; }
	@echo "  FUZZ     $*: $$(grep -o 'Done [0-9]* runs in [0-9]* second(s)' \
		$(BUILD)/fuzz_$*.log), no crash"

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
