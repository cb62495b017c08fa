# remit: see README.md. `make demo` and `make test` do all set-up on a machine with Go.
GO        ?= go
BIN       := bin/remit
PKGS      := ./...
# System tools some tests use; installed from Debian's packages when missing.
TOOLS_APT := $(if $(shell command -v xmllint),,libxml2-utils) $(if $(shell command -v pdftotext),,poppler-utils)

.PHONY: build test demo bench lint fuzz tools clean

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

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "not gofmt-formatted:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)

clean:
	rm -rf bin out remit.db remit.db-wal remit.db-shm
