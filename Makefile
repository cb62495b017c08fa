# remit: see README.md. `make demo` and `make test` do all set-up on a machine with Go.
SHELL     := /bin/bash
GO        ?= go
BIN       := bin/remit
PKGS      := ./...
# System tools some tests use; installed from Debian's packages when missing.
# PostgreSQL's server programs (initdb, postgres) are off PATH in Debian's
# package, in $(PG_LIBDIR)/<version>/bin: remit/testtool/pgtest looks there too.
PG_LIBDIR ?= /usr/lib/postgresql
HAVE_PG   := $(or $(REMIT_PGBIN),$(shell command -v initdb),$(wildcard $(PG_LIBDIR)/*/bin/initdb))
TOOLS_APT := $(if $(shell command -v xmllint),,libxml2-utils) $(if $(shell command -v pdftotext),,poppler-utils) \
             $(if $(HAVE_PG),,postgresql)

.PHONY: build test demo bench lint fuzz tools clean
FUZZTIME  ?= 30s
# make bench: which parts to measure (see BENCHMARKS.md). A subset, e.g.
#   make bench BENCH_SHAPES=one BENCH_SIZES=100000 BENCH_HISTORY=0 BENCH_PEER_SIZES= BENCH_OUT=bench/one.md
BENCH_SHAPES ?= ten,one
BENCH_SIZES ?= 10000,100000,1000000
BENCH_REPS  ?= 3
BENCH_HISTORY ?= 100000
BENCH_HISTORY_MONTHS ?= 13
BENCH_PEER_SIZES ?= 200000,1000000
BENCH_PAY_SIZES ?= 100000,1000000
# a checkout of python-sepaxml 2.7.0, outside the repository (the peer is skipped, with a note, without one)
BENCH_PEER_SEPAXML ?= $(wildcard ../peer/sepaxml)
BENCH_MICRO ?= .
# the PostgreSQL part: auto starts a private cluster (installed by `make tools` when missing, as for the
# tests; PostgreSQL's default durability), or a server's URL (postgres://user@host:port/postgres); empty: none
BENCH_PG ?= auto
BENCH_PG_SIZES ?= 100000,1000000
BENCH_PG_SHAPE ?= ten
BENCH_OUT ?= BENCHMARKS.md
REMIT     := ./$(BIN)

build:
	$(GO) build -o $(BIN) ./cmd/remit

tools:
	@if [ -n "$(strip $(TOOLS_APT))" ]; then \
	  echo "installing $(strip $(TOOLS_APT))"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  ($$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $(TOOLS_APT)) >/dev/null 2>&1 \
	    || echo "warning: could not install $(strip $(TOOLS_APT)); the tests that need them will skip (or fail when CI=true)"; \
	fi

# test: go test's lines through cmd/testreport, which ends with how many
# tests passed, failed and were skipped, and why they were skipped.
test: tools
	$(GO) vet $(PKGS)
	@set -o pipefail; $(GO) test -count=1 -json $(PKGS) | $(GO) run ./cmd/testreport

# demo: the demo receivables of fixtures/, dated from today (REMIT_NOW when
# set), imported, pointed, remitted, verified and exported in ./demo/ (never
# ./remit.db): see cmd/remitdemo.
demo: build
	$(GO) run ./cmd/remitdemo -bin $(BIN) -dir demo

# bench: Go micro-benchmarks (BENCH_MICRO, a -bench pattern; empty: none),
# then every stage on generated data with the real binary (medians of
# BENCH_REPS runs) for each shape and size, the history and the peer; all go
# into BENCH_OUT.
bench: build tools
	mkdir -p bench
	rm -f bench/micro.txt
	$(if $(BENCH_MICRO),$(GO) test -run '^$$' -bench '$(BENCH_MICRO)' -benchmem -count 1 ./... | tee bench/micro.txt)
	$(GO) run ./cmd/remitbench -bin=$(BIN) -shapes=$(BENCH_SHAPES) -sizes=$(BENCH_SIZES) -reps=$(BENCH_REPS) \
	  -history-n=$(BENCH_HISTORY) -history-months=$(BENCH_HISTORY_MONTHS) \
	  -peer-sizes=$(BENCH_PEER_SIZES) -pay-sizes=$(BENCH_PAY_SIZES) -peer-sepaxml=$(BENCH_PEER_SEPAXML) \
	  -pg=$(BENCH_PG) -pg-sizes=$(BENCH_PG_SIZES) -pg-shape=$(BENCH_PG_SHAPE) -micro=bench/micro.txt -out=$(BENCH_OUT)

# fuzz: each fuzz target for FUZZTIME (default 30s).
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz' || true); do \
	    echo "== $$pkg $$t"; $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 200x $$pkg; \
	  done; \
	done

# lint: gofmt, go vet, and the layout's rules (.ci/layout.go: database/sql only
# in the store packages, functions under 120 lines, package remit under 3,000).
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "not gofmt-formatted:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) run .ci/layout.go

# clean removes what the build and the demo made; a ./remit.db is the user's.
clean:
	rm -rf bin demo
