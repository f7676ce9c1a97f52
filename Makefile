# bouclier: `make` builds everything into build/, `make test` runs the tests,
# `make demo` shows the filter on a lab namespace.  V=1 shows the commands.
# SAN=1 builds the user-space code with ASan and UBSan into build-san/.

BUILD     ?= $(if $(filter 1,$(SAN)),build-san,build)
CLANG     ?= clang
CC        ?= cc
BPFTOOL   ?= bpftool
PREFIX    ?= /usr/local
SBINDIR   ?= $(PREFIX)/sbin
MANDIR    ?= $(PREFIX)/share/man
DOCDIR    ?= $(PREFIX)/share/doc/bouclier
UNITDIR   ?= /etc/systemd/system
ifeq ($(strip $(BUILD)),)
$(error BUILD is empty: it names the build directory, which clean removes)
endif
ARCH      := $(shell uname -m | sed 's/x86_64/x86/;s/aarch64/arm64/')
MULTIARCH := $(shell $(CC) -print-multiarch 2>/dev/null)

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

# Each layer sees the headers of the layers below it and no others: the
# core (maps/, loader/) never tests/, which only the test objects and the
# tools that build test frames get (below); the BPF programs only bpf/ and
# the contract with user space (CONTRACT_HDRS, BPF_INC).
CFLAGS_COMMON := -g -O2 -Wall -Wextra -Werror -Imaps -Iloader -I$(BUILD) -MMD -MP
CFLAGS   ?=
CFLAGS   += $(CFLAGS_COMMON) -D_GNU_SOURCE -Wno-missing-field-initializers
LDLIBS   += -lbpf -lelf -lz -ljansson -lmnl -lsystemd -lsodium -lm
# SAN=1: the library, the command and the test binaries with AddressSanitizer
# (and LeakSanitizer) and UBSan; any report stops the program, so a test
# fails on it.  The BPF programs are built as always.
ifeq ($(SAN),1)
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
CFLAGS   += $(SAN_FLAGS)
LDFLAGS  += $(SAN_FLAGS)
endif
# The headers kernel and user space share: the maps' layouts, names and
# limits, the one lookup, and the benchmark programs' contract.  The BPF
# programs reach them through build/contract/, which holds a link to each
# and nothing else, so a kernel program cannot include a user-space header
# of maps/ (table.h, publish.h, ...) by accident.  A new shared header is
# one more word here.
CONTRACT_HDRS := maps/bouclier.h maps/lookup.h maps/verdict.h maps/bench.h
CONTRACT_DIR  := $(BUILD)/contract
CONTRACT_LINKS := $(patsubst maps/%,$(CONTRACT_DIR)/%,$(CONTRACT_HDRS))
BPF_INC    := -I$(CONTRACT_DIR) -Ibpf
BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -Wall -Werror $(BPF_INC) -MMD -MP \
	-D__TARGET_ARCH_$(ARCH) $(if $(MULTIARCH),-idirafter /usr/include/$(MULTIARCH))

BPF_SRCS  := $(wildcard bpf/*.bpf.c)
BPF_OBJS  := $(patsubst bpf/%.bpf.c,$(BUILD)/%.bpf.o,$(BPF_SRCS))
SKELS     := $(patsubst bpf/%.bpf.c,$(BUILD)/%.skel.h,$(BPF_SRCS))
# Everything but main() and the list of commands goes into
# build/libbouclier.a, which the command, the tests and the benchmark link.
# The list (loader/commands.c) is linked only by what walks every command:
# the command, mkman and the unit tests; a file of the library that named it
# would not link anywhere else (commands.h says why).
LIB_SRCS  := $(wildcard maps/*.c) \
	$(filter-out loader/main.c loader/commands.c,$(wildcard loader/*.c loader/*/*.c))
LIB_OBJS  := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRCS))
LIB       := $(BUILD)/libbouclier.a
CMDS_OBJ  := $(BUILD)/obj/loader/commands.o
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
SYS_SRCS  := $(wildcard tests/system/test_*.c)
TOOL_SRCS := $(wildcard tools/*.c)
TOOLS     := $(patsubst tools/%.c,$(BUILD)/%,$(TOOL_SRCS))
# tests/model.c, the reference model of the differential test
# (tests/system/test_diff.c), is written apart from bpf/ and maps/ on
# purpose: only the system tests link it, never the library.
MODEL_OBJ := $(BUILD)/obj/tests/model.o
# tests/frames.c builds the test frames, header by header, for the system
# tests and the benchmark.
FRAMES_OBJ := $(BUILD)/obj/tests/frames.o
MAN_PAGES := $(BUILD)/man/bouclier.8 $(BUILD)/man/bouclier.conf.5
# The version is the newest entry of debian/changelog, less any Debian
# revision: `bouclier --version`, the man pages and the package say the same.
VERSION   := $(shell sed -n '1s/^[^ ]* (\([^)-]*\).*/\1/p' debian/changelog)
DATE      := $(shell date -u -d "$$(sed -n 's/^ -- .*>  //p;T;q' debian/changelog)" +%F)
ALL_OBJS  := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRCS) loader/main.c loader/commands.c $(UNIT_SRCS) \
	$(SYS_SRCS) $(TOOL_SRCS) tests/model.c tests/frames.c)

.DELETE_ON_ERROR:
.SECONDARY:
.PHONY: all deps preflight man deb check-deb test unit system check-deep demo bench bench-quick fuzz install \
	uninstall clean verify-report soak crowdsec-lapi

all: $(BUILD)/bouclier $(TOOLS) $(MAN_PAGES)

# Debian packages the build, the tests, the demo and the benchmark need.
DEPS_PKGS := gcc libc6-dev clang llvm libclang-rt-14-dev libbpf-dev libelf-dev zlib1g-dev bpftool \
	libjansson-dev libmnl-dev libsystemd-dev libsodium-dev libcurl4-openssl-dev libcriterion-dev \
	pkg-config iproute2 iputils-ping ethtool nftables curl python3 prometheus chromium clang-16 \
	clang-19 man-db dpkg-dev debhelper lintian
deps:
	@missing=$$(for p in $(DEPS_PKGS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
		echo "  APT      $$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

# On a fresh machine, say which Debian packages the build lacks (and that
# `make deps` installs them) before a compiler error does.  What is checked
# is what the build runs and includes, so CLANG=clang-19 needs no clang.
PREFLIGHT_INC ?= /usr/include /usr/include/$(MULTIARCH)
have_cmd = $(shell command -v $(1) >/dev/null 2>&1 && echo yes)
have_hdr = $(wildcard $(addsuffix /$(1),$(PREFLIGHT_INC)))
preflight_missing = $(strip $(if $(call have_cmd,$(CC)),,gcc) \
	$(if $(call have_hdr,stdio.h),,libc6-dev) \
	$(if $(call have_cmd,$(CLANG)),,clang) \
	$(if $(call have_cmd,$(BPFTOOL)),,bpftool) \
	$(if $(call have_hdr,bpf/libbpf.h),,libbpf-dev) \
	$(if $(call have_hdr,gelf.h),,libelf-dev) \
	$(if $(call have_hdr,zlib.h),,zlib1g-dev) \
	$(if $(call have_hdr,jansson.h),,libjansson-dev) \
	$(if $(call have_hdr,libmnl/libmnl.h),,libmnl-dev) \
	$(if $(call have_hdr,systemd/sd-daemon.h),,libsystemd-dev) \
	$(if $(call have_hdr,sodium.h),,libsodium-dev) \
	$(if $(call have_hdr,curl/curl.h),,libcurl4-openssl-dev))
preflight:
	@missing='$(preflight_missing)'; [ -z "$$missing" ] || { \
		echo "bouclier: cannot build: missing the Debian packages $$missing" >&2; \
		echo "  run \`make deps\` as root (it installs them and what the tests need)," \
			"or apt-get install $$missing" >&2; exit 1; }

$(BUILD)/version.h: debian/changelog | $(BUILD)
	$(if $(VERSION),,$(error debian/changelog: no version on its first line))
	$(call msg,GEN,$@)
	$(Q)echo '#define BOUCLIER_VERSION "$(VERSION)"' > $@

$(CONTRACT_DIR)/%.h: maps/%.h
	@mkdir -p $(@D)
	$(Q)ln -sf $(abspath $<) $@

# Static patterns: a program removed from bpf/ leaves its skeleton named in
# the dependency files of what included it, and a plain pattern rule would
# then look for its source instead of taking the name as a header gone.
$(BPF_OBJS): $(BUILD)/%.bpf.o: bpf/%.bpf.c | $(BUILD) preflight $(CONTRACT_LINKS)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(SKELS): $(BUILD)/%.skel.h: $(BUILD)/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $* > $@

# The skeletons are generated first (order-only); after that an object is
# rebuilt only for the headers and skeletons it includes (-MMD).
$(BUILD)/obj/%.o: %.c | $(SKELS) $(BUILD)/version.h preflight
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

# The library knows no command but its own definitions: none of its files
# names the list or another file's command (commands.h says why).
# Test objects see tests/ (run.h, weather_input.h, ...), and so does the
# benchmark, which builds its frames with tests/frames.h; the verifier's
# test builds the programs as the rule above does, for this machine.
$(BUILD)/obj/tests/%.o $(BUILD)/obj/tools/bench.o: CFLAGS += -Itests
$(BUILD)/obj/tests/system/test_verifier.o: CFLAGS += '-DBOUCLIER_TARGET_ARCH="$(ARCH)"' \
	'-DBOUCLIER_BPF_INC="-I$(abspath $(CONTRACT_DIR)) -I$(abspath bpf)"'

$(LIB): $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)bad=$$(nm -uA $^ | grep -E ' U (commands|cmd_[a-z_]+)$$'); [ -z "$$bad" ] || { \
		echo "$@: the core names a command:" >&2; echo "$$bad" >&2; exit 1; }
	$(Q)rm -f $@ && ar rcs $@ $^

# libcurl is opened by watch when it polls a CrowdSec LAPI (lapi_poll.c),
# never linked: its libraries would slow every command's start.
$(BUILD)/bouclier: $(BUILD)/obj/loader/main.o $(CMDS_OBJ) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@
	$(Q)! readelf -d $@ | grep -q 'NEEDED.*libcurl' || { \
		echo "$@: links libcurl; lapi_poll.c opens it when needed" >&2; rm -f $@; exit 1; }

$(BUILD)/%: $(BUILD)/obj/tools/%.o $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/mkman: $(BUILD)/obj/tools/mkman.o $(CMDS_OBJ) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/bench: $(BUILD)/obj/tools/bench.o $(FRAMES_OBJ) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

# bouclier(8) and bouclier.conf(5): the prose of tools/man/*.in around what
# the command, option, format and key tables say (tools/mkman.c).
man: $(MAN_PAGES)
$(BUILD)/man/%: tools/man/%.in $(BUILD)/mkman debian/changelog
	@mkdir -p $(@D)
	$(call msg,MAN,$@)
	$(Q)$(BUILD)/mkman --date $(DATE) < $< > $@

# No root, no network: parsers, the compiler, the weather, the command's
# own messages.
$(BUILD)/unit-tests: $(patsubst %.c,$(BUILD)/obj/%.o,$(UNIT_SRCS)) $(CMDS_OBJ) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -lcriterion -o $@

# Root, namespaces, the kernel, outside programs (promtool, Chromium, curl).
$(BUILD)/system-tests: $(patsubst %.c,$(BUILD)/obj/%.o,$(SYS_SRCS)) $(MODEL_OBJ) $(FRAMES_OBJ) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -lcriterion -o $@

$(BUILD):
	@mkdir -p $@

# The README's test command.  Installs what it needs, builds, runs every
# test; tests that need root or a kernel feature they cannot get say skip.
SOAK_SECONDS ?= 20
TEST_ENV = BOUCLIER=$(abspath $(BUILD)/bouclier) BOUCLIER_SRC=$(CURDIR) \
	BOUCLIER_MAN=$(abspath $(BUILD)/man) BOUCLIER_CROWDSEC=$(abspath $(CROWDSEC_DIR)) \
	BOUCLIER_VERIFY_MAX_INSNS=$(VERIFY_MAX_INSNS) BOUCLIER_VERIFY_MAX_STACK=$(VERIFY_MAX_STACK) \
	BOUCLIER_SOAK_SECONDS=$(SOAK_SECONDS)
test: deps
	$(Q)$(MAKE) --no-print-directory all $(BUILD)/unit-tests $(BUILD)/system-tests
	$(Q)$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(or $(TEST_FUZZ_SECONDS),$(FUZZ_TEST_SECONDS))
	$(Q)$(MAKE) --no-print-directory check-deb
	$(Q)$(MAKE) --no-print-directory crowdsec-lapi
	$(Q)$(MAKE) --no-print-directory unit system

# The real CrowdSec LAPI for tests/system/test_lapi.c: Debian's package,
# downloaded and unpacked into $(BUILD)/crowdsec, never installed (its
# postinst registers with CrowdSec's central API, and fails offline).  Its
# binaries need only libc and libsqlite3.  Where apt cannot get it, the test
# says skip and why.
CROWDSEC_DIR := $(BUILD)/crowdsec
crowdsec-lapi:
	@[ -x $(CROWDSEC_DIR)/usr/bin/crowdsec ] || { \
		rm -rf $(CROWDSEC_DIR).tmp && mkdir -p $(CROWDSEC_DIR).tmp && \
		(cd $(CROWDSEC_DIR).tmp && timeout 300 apt-get download -q crowdsec) \
			> $(BUILD)/crowdsec-download.log 2>&1 && \
		dpkg-deb -x $(CROWDSEC_DIR).tmp/crowdsec_*.deb $(CROWDSEC_DIR).tmp/root && \
		rm -rf $(CROWDSEC_DIR) && mv $(CROWDSEC_DIR).tmp/root $(CROWDSEC_DIR) && \
		rm -rf $(CROWDSEC_DIR).tmp && \
		echo "  CROWDSEC $(CROWDSEC_DIR)/usr/bin/crowdsec (Debian's package, unpacked)"; } || \
		{ rm -rf $(CROWDSEC_DIR).tmp; echo "  CROWDSEC cannot download Debian's crowdsec" \
			"($(BUILD)/crowdsec-download.log): test_lapi skips the real LAPI"; }

# Under SAN=1 a suite's output is also kept in BUILD/NAME.log and searched:
# Criterion counts a test whose worker LeakSanitizer reports at exit as
# passed, so a leak fails the suite here.
ifeq ($(SAN),1)
SAN_REPORT := ERROR: (Address|Leak)Sanitizer|runtime error:
run_suite = { LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	$(2) 2>&1; echo $$? > $(BUILD)/$(1).rc; } | tee $(BUILD)/$(1).log; \
	if grep -qE '$(SAN_REPORT)' $(BUILD)/$(1).log; then \
		echo "  SAN      sanitizer reports in $(BUILD)/$(1).log"; exit 1; fi; \
	exit $$(cat $(BUILD)/$(1).rc)
else
run_suite = $(2)
endif

unit: $(BUILD)/unit-tests $(BUILD)/bouclier $(MAN_PAGES)
	@echo "  UNIT     $(BUILD)/unit-tests"
	$(Q)$(call run_suite,unit,$(TEST_ENV) $(BUILD)/unit-tests --jobs 2 $(TEST_ARGS))

system: $(BUILD)/system-tests $(BUILD)/bouclier
	@echo "  SYSTEM   $(BUILD)/system-tests"
	$(Q)$(call run_suite,system,$(TEST_ENV) $(BUILD)/system-tests --jobs 2 $(TEST_ARGS))

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
# build/bench.json and build/bench.svg.  About 15 minutes; bench-quick about 1.
BENCH_PKGS := nftables ipset iptables xdp-tools time
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
	-Wall -Wextra -Werror -Wno-missing-field-initializers -D_GNU_SOURCE -Imaps -Iloader -I$(BUILD)
FUZZ_HDRS := $(wildcard maps/*.h loader/*.h loader/*/*.h tests/fuzz/*.h)
fuzz_tag = $(shell sed -n 's/^ \* $(2): *//p' $(1))
# (a % written in the rule's prerequisites would be replaced by the stem
# before the second expansion: the filter lives in a variable)
fuzz_srcs = $(filter %.c,$(call fuzz_tag,$(1),fuzz-build))

.SECONDEXPANSION:
$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $$(call fuzz_srcs,tests/fuzz/fuzz_$$*.c) \
		$(FUZZ_HDRS) $(BUILD)/version.h | $(BUILD)
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

# The units in tools/systemd name /usr/local/sbin; they are installed
# naming SBINDIR (the Debian package: PREFIX=/usr, UNITDIR=/lib/systemd/system).
# The documents a town's IT person reads go beside the examples, docs/ kept
# as a folder so the README's links hold; HACKING.md is for developers and
# stays in the tree.
UNITS := $(notdir $(wildcard tools/systemd/*))
USER_DOCS := README.md SECURITY.md
DESIGN_DOCS := $(wildcard docs/*.md)
install: all
	install -D -m 0755 $(BUILD)/bouclier $(DESTDIR)$(SBINDIR)/bouclier
	install -D -m 0755 tools/bouclier-fetch $(DESTDIR)$(SBINDIR)/bouclier-fetch
	install -d $(DESTDIR)$(UNITDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR)/docs
	for u in $(UNITS); do \
		sed 's|/usr/local/sbin/|$(SBINDIR)/|; s|/usr/share/doc/bouclier/|$(DOCDIR)/|' \
			tools/systemd/$$u > $(DESTDIR)$(UNITDIR)/$$u && \
		chmod 0644 $(DESTDIR)$(UNITDIR)/$$u || exit 1; \
	done
	install -m 0644 $(BUILD)/man/bouclier.8 $(DESTDIR)$(MANDIR)/man8/
	ln -sf bouclier.8 $(DESTDIR)$(MANDIR)/man8/bouclier-fetch.8
	install -m 0644 $(BUILD)/man/bouclier.conf.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 $(USER_DOCS) $(DESTDIR)$(DOCDIR)/
	install -m 0644 $(DESIGN_DOCS) $(DESTDIR)$(DOCDIR)/docs/
	install -m 0644 tools/examples/bouclier.conf tools/examples/crontab $(DESTDIR)$(DOCDIR)/examples/
	install -d -m 0700 $(DESTDIR)/var/lib/bouclier
	[ -e $(DESTDIR)/etc/bouclier/bouclier.conf ] || \
		install -D -m 0644 tools/examples/bouclier.conf $(DESTDIR)/etc/bouclier/bouclier.conf

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/bouclier $(DESTDIR)$(SBINDIR)/bouclier-fetch \
		$(addprefix $(DESTDIR)$(UNITDIR)/,$(UNITS)) \
		$(DESTDIR)$(MANDIR)/man8/bouclier.8 $(DESTDIR)$(MANDIR)/man8/bouclier-fetch.8 \
		$(DESTDIR)$(MANDIR)/man5/bouclier.conf.5
	rm -rf $(DESTDIR)$(DOCDIR)

# The Debian package (debian/, debhelper), into build/.  dpkg-buildpackage
# writes beside the source directory and fills debian/ with its work, so it
# runs on a copy of the tree in build/deb; the tree itself is not touched.
# The copy's make must not inherit this one's MAKEFLAGS nor BUILD (make
# exports command-line variables): with BUILD=... its `make clean` would
# remove this build directory.  DEB_BUILD_OPTIONS=nocheck also drops the
# test-only build dependencies (the nocheck profile).
DEB_DIR := $(BUILD)/deb/bouclier-$(VERSION)
deb:
	@command -v dpkg-buildpackage >/dev/null && command -v dh >/dev/null || { \
		echo "make deb: needs dpkg-dev and debhelper (apt-get install dpkg-dev debhelper," \
			"or make deps)" >&2; exit 1; }
	$(Q)rm -rf $(BUILD)/deb && mkdir -p $(DEB_DIR)
	$(Q)tar -cf - --exclude-vcs --exclude=./build --exclude='./$(BUILD)' . | tar -xf - -C $(DEB_DIR)
	@echo "  DEB      $(DEB_DIR) (log: $(BUILD)/deb/build.log)"
	$(Q)cd $(DEB_DIR) && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL BUILD=build \
		DEB_BUILD_OPTIONS="parallel=$$(nproc) $(DEB_BUILD_OPTIONS)" \
		DEB_BUILD_PROFILES="$(strip $(filter nocheck,$(DEB_BUILD_OPTIONS)) $(DEB_BUILD_PROFILES))" \
		dpkg-buildpackage -b -us -uc > ../build.log 2>&1 || { tail -30 ../build.log; exit 1; }
	$(Q)cp $(BUILD)/deb/*.deb $(BUILD)/deb/*.changes $(BUILD)/deb/*.buildinfo $(BUILD)/
	@ls $(BUILD)/deb/*.deb | sed 's|.*/|  DEB      $(BUILD)/|'

# The package as a town gets it, and make on a machine without the build
# packages (tests/package/check_deb.sh): about a minute, no root.
check-deb:
	@echo "  CHECK    the Debian package"
	$(Q)tests/package/check_deb.sh $(BUILD)

clean:
	rm -rf $(BUILD)

-include $(wildcard $(BUILD)/*.d) $(ALL_OBJS:.o=.d)
