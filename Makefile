# remit: see README.md. `make demo` and `make test` do all set-up on a machine with Go.
GO        ?= go
BIN       := bin/remit
PKGS      := ./...
# System tools some tests use; installed from Debian's packages when missing.
TOOLS_APT := $(if $(shell command -v xmllint),,libxml2-utils) $(if $(shell command -v pdftotext),,poppler-utils)

.PHONY: build test demo bench lint fuzz tools clean
FUZZTIME  ?= 30s
BENCH_SIZES ?= 10000,100000,1000000
BENCH_REPS  ?= 3
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

test: tools
	$(GO) vet $(PKGS)
	$(GO) test -count=1 $(PKGS)

# demo: a fresh ./remit.db with the demo data of fixtures/, pointed and remitted.
demo: build
	rm -rf remit.db remit.db-wal remit.db-shm out
	$(REMIT) init
	$(REMIT) creditor set --name "ACME OUTILLAGE SARL" --ics FR72ZZZ123456 --iban FR7630004008280001012345691 \
	  --bic BNPAFRPP --nne 123456 --siren 123456782 --bank-name "BNP PARIBAS PARIS OPERA" \
	  --street "Rue de la Paix" --building 12 --postcode 75002 --town Paris --country FR
	$(REMIT) import fixtures/receivables.csv
	$(REMIT) import fixtures/iban-change.csv
	$(REMIT) point --method sdd --due-from 2026-11-01 --due-to 2026-12-31
	$(REMIT) point --method lcr --due-from 2026-11-01 --due-to 2027-01-31
	$(REMIT) list --status pointed --due-from 2026-11-01 --due-to 2027-01-31
	$(REMIT) sdd
	$(REMIT) lcr
	$(REMIT) remittances
	$(REMIT) verify out/PAIEMENT.001.xml out/PAIEMENT.002.xml out/PAIEMENT.003
	$(REMIT) entries 1 2 3 --format fec -o out/ECRITURES.fec
	@echo "demo: ./remit.db and the files in ./out (PAIEMENT.*, BORDEREAU.*.pdf, ECRITURES.fec)"

# bench: Go micro-benchmarks, then every stage on generated data with the
# real binary (medians of BENCH_REPS runs); both go into BENCHMARKS.md.
bench: build
	mkdir -p bench
	$(GO) test -run '^$$' -bench . -benchmem -count 1 ./... | tee bench/micro.txt
	$(GO) run ./cmd/remitbench -bin $(BIN) -sizes $(BENCH_SIZES) -reps $(BENCH_REPS) -micro bench/micro.txt -out BENCHMARKS.md

# fuzz: each fuzz target for FUZZTIME (default 30s).
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz' || true); do \
	    echo "== $$pkg $$t"; $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 200x $$pkg; \
	  done; \
	done

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "not gofmt-formatted:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)

clean:
	rm -rf bin out remit.db remit.db-wal remit.db-shm
