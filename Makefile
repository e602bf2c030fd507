# hakit: one Makefile, a block per binary.
#
#   make                 build every tool into $(O)/bin
#   make check           install missing Debian packages, build, run all tests
#   make install         PREFIX=/usr/local DESTDIR= honoured
#   make demo | bench | fuzz | soak | clean
#
# O selects the build directory, SAN a sanitizer build:
#   make O=build/asan SAN=address,undefined

.DELETE_ON_ERROR:
.SUFFIXES:
.DEFAULT_GOAL := all
# Keep intermediate objects (the fuzz targets' own .o) between runs.
.SECONDARY:

PREFIX  ?= /usr/local
DESTDIR ?=
SBINDIR ?= $(PREFIX)/sbin
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
LIBEXECDIR ?= $(PREFIX)/lib/hakit
SYSTEMDDIR ?= $(PREFIX)/lib/systemd/system

O   ?= build
CC  ?= cc
CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wmissing-prototypes \
        -Wstrict-prototypes -Wno-unused-parameter
# libnl's headers live under libnl3/ on Debian; no pkg-config at parse
# time, because `make check` must get far enough to install it.
HK_CPPFLAGS := -D_GNU_SOURCE -Ilib -I/usr/include/libnl3 -MMD -MP
ifneq ($(SAN),)
CFLAGS  += -fsanitize=$(SAN) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=$(SAN)
endif
# FUZZ=1 (with CC=clang): every object instrumented for libFuzzer.
ifneq ($(FUZZ),)
CFLAGS  += -fsanitize=fuzzer-no-link
endif
ALL_CFLAGS = $(HK_CPPFLAGS) $(CPPFLAGS) $(WARN) $(CFLAGS)

NL_ROUTE := -lnl-route-3 -lnl-3
NL_GENL  := -lnl-genl-3 -lnl-3
SSL      := -lssl -lcrypto

$(O)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# lib/: the one static library every tool links.  A tool pulls in only
# the objects it uses, so hcheck does not link libnl.
LIB_OBJS := $(patsubst %.c,$(O)/%.o,$(wildcard lib/*.c))
$(O)/libhakit.a: $(LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

objs = $(patsubst %.c,$(O)/%.o,$(wildcard $(1)/*.c))

# vipctl: VIPs over rtnetlink, GARP and unsolicited NA.
$(O)/bin/vipctl: $(call objs,vipctl) $(O)/libhakit.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(NL_ROUTE)

# vrrpd: one VRRP instance per process.  Linked statically (not in
# sanitizer builds, which need their dynamic runtime): fifty instances on
# a host are fifty processes, and a static non-PIE binary has no library
# pages to relocate, hence to dirty, in each; that halves their total
# PSS.  -w: the only warnings are glibc's about the NSS functions libnl
# uses for printing, which vrrpd never calls.
VRRPD_LINK := $(if $(SAN),,-static -no-pie -Wl,-w)
$(O)/bin/vrrpd: $(call objs,vrrpd) $(O)/libhakit.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $(VRRPD_LINK) -o $@ $^ $(NL_ROUTE)

# ipvsctl: the IPVS tables over generic netlink.
$(O)/bin/ipvsctl: $(call objs,ipvsctl) $(O)/libhakit.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(NL_GENL)

# hcheck: HTTP/HTTPS/TCP probes.  OpenSSL is dlopen()ed for HTTPS only
# (lib/tls.c): linking it would cost every plain probe a millisecond.
$(O)/bin/hcheck: $(call objs,hcheck) $(O)/libhakit.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^

# genhash: keepalived-compatible body digests (OpenSSL dlopen()ed for -S).
$(O)/bin/genhash: $(call objs,genhash) $(O)/libhakit.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^

# kaconf: keepalived.conf to a plan.
$(O)/bin/kaconf: $(call objs,kaconf) $(O)/libhakit.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^

# Only tools whose main.c has landed are built.
TOOLS := $(foreach t,vipctl vrrpd ipvsctl hcheck genhash kaconf,$(if $(wildcard $(t)/main.c),$(t)))
BINS  := $(TOOLS:%=$(O)/bin/%)

all: $(BINS)

# Unit tests: one runner with every tests/unit/*.c, linked against the
# tools' objects other than their main.o.
TOOL_OBJS := $(filter-out %/main.o,$(foreach t,$(TOOLS),$(call objs,$(t))))
UNIT_OBJS := $(patsubst %.c,$(O)/%.o,$(wildcard tests/unit/*.c))
$(O)/tests/unit/run: $(UNIT_OBJS) $(TOOL_OBJS) $(O)/libhakit.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(NL_ROUTE) $(NL_GENL) $(SSL)

# Small purpose-built programs the suites use (bad servers, injectors).
$(O)/tests/tools/%: tests/tools/%.c $(O)/libhakit.a
	@mkdir -p $(@D)
	$(CC) $(HK_CPPFLAGS) $(CPPFLAGS) $(WARN) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(SSL)

TEST_TOOLS := $(patsubst tests/tools/%.c,$(O)/tests/tools/%,$(wildcard tests/tools/*.c))
testbins: $(O)/tests/unit/run $(TEST_TOOLS)

# libFuzzer targets, one per parser of outside input (fuzz/fuzz_*.c),
# linked like the unit runner.  Built by `make fuzz` and `make check` in
# $(O)/fuzz with clang, ASan and UBSan.
FUZZ_TARGETS := $(patsubst fuzz/%.c,$(O)/fuzz-bin/%,$(wildcard fuzz/fuzz_*.c))
$(O)/fuzz-bin/%: $(O)/fuzz/%.o $(TOOL_OBJS) $(O)/libhakit.a
	@mkdir -p $(@D)
	$(CC) -fsanitize=fuzzer $(LDFLAGS) -o $@ $^ $(NL_ROUTE) $(NL_GENL) $(SSL)
fuzzbins: $(FUZZ_TARGETS)

FUZZ_MAKE = $(MAKE) O=$(O)/fuzz CC=clang SAN=address,undefined FUZZ=1 fuzzbins
FUZZ_SECONDS ?= 60
fuzz: deps
	$(FUZZ_MAKE)
	HK_BUILD=$(O) fuzz/run --seconds $(FUZZ_SECONDS)

deps:
	tests/deps.sh all

check: deps
	$(MAKE) all testbins
	$(MAKE) O=$(O)/asan SAN=address,undefined all testbins
	$(FUZZ_MAKE)
	HK_BUILD=$(O) tests/run

bench: deps all
	bench/run

# Reliability (tests/reliability-*.bats, bench/soak, bench/faults).
# vrrpd linked dynamically from the very objects of the normal build,
# for valgrind: memcheck replaces malloc through a library it preloads,
# which a static binary never loads ("no leaks are possible"), and
# static glibc's start-up code draws false reports.  Built with the
# test programs, not in sanitizer trees (ASan and valgrind do not mix).
$(O)/valgrind/vrrpd: $(call objs,vrrpd) $(O)/libhakit.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(NL_ROUTE)
ifeq ($(SAN),)
testbins: $(O)/valgrind/vrrpd
endif

# make soak: 20 vrrpd pairs at 0.1 s adverts, their masters killed at
# random, for SOAK_SECONDS (10 minutes by default); a Markdown table of
# transitions, failover gaps, RSS and descriptors.
SOAK_SECONDS ?= 600
soak: deps all
	SOAK_SECONDS=$(SOAK_SECONDS) BENCH_BIN=$(abspath $(O))/bin bench/soak

demo: deps all
	demo/run

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man8
	for t in $(filter vrrpd vipctl ipvsctl kaconf,$(TOOLS)); do \
		install -m 0755 $(O)/bin/$$t $(DESTDIR)$(SBINDIR)/$$t || exit 1; done
	for t in $(filter hcheck genhash,$(TOOLS)); do \
		install -m 0755 $(O)/bin/$$t $(DESTDIR)$(BINDIR)/$$t || exit 1; done
	for s in $(wildcard shell/*); do \
		case $$s in *.[1-8]|*.service) continue;; esac; \
		install -m 0755 $$s $(DESTDIR)$(SBINDIR)/$${s##*/} || exit 1; done
	for m in $(wildcard */*.1); do install -m 0644 $$m $(DESTDIR)$(MANDIR)/man1/ || exit 1; done
	for m in $(wildcard */*.8); do install -m 0644 $$m $(DESTDIR)$(MANDIR)/man8/ || exit 1; done
	for u in $(wildcard shell/*.service); do \
		install -d $(DESTDIR)$(SYSTEMDDIR) && \
		sed 's|@SBINDIR@|$(SBINDIR)|g' $$u > $(DESTDIR)$(SYSTEMDDIR)/$${u##*/} || exit 1; done

clean:
	rm -rf $(O)

.PHONY: all check deps install clean testbins fuzz fuzzbins bench demo soak

-include $(shell find $(O) -name '*.d' 2>/dev/null)
