# landgov: `make run` serves the demo district, `make test` runs every check.
# Both set up everything they need on a fresh machine: the virtualenv, the front-end
# assets (npm, at build time), and the local PostGIS (`landgov db up`).

VENV    ?= .venv
PYTHON  ?= python3
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
WEB     := web/dist/.built
WEB_SRC := web/package.json web/package-lock.json $(wildcard web/*.mjs) $(shell find web/src -type f 2>/dev/null)
PARCELS ?= 5000

.PHONY: install run test lint bench db system clean

install: $(STAMP) $(WEB)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

$(WEB): $(WEB_SRC)
	@command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq nodejs npm)
	cd web && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build
	touch $@

db: install
	$(BIN)/landgov db up

run: db
	$(BIN)/landgov demo load --parcels $(PARCELS)
	$(BIN)/landgov evaluate --year 2025 --if-missing
	$(BIN)/landgov demo scenario --year 2025
	$(BIN)/landgov users demo
	$(BIN)/landgov serve

lint: install
	$(BIN)/ruff check landgov tests migrations bench
	$(BIN)/mypy

# OS packages the tests drive for real: Debian's Chromium (Playwright drives it; no
# browser download) with CJK fonts, GDAL's command-line clients (ogrinfo reads our OGC
# API and exports), and redis-server (the shared tile cache).
SYSTEM_PACKAGES := chromium fonts-noto-cjk gdal-bin redis-server
system:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi

test: db lint system
	$(BIN)/pytest
	$(BIN)/python -m bench --smoke

bench: db
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) web/node_modules web/dist
