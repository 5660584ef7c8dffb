# landgov: `make run` serves the demo district, `make test` runs every check.
# Both set up everything they need on a fresh machine: the virtualenv, the front-end
# assets (npm, at build time), and the local PostGIS (`landgov db up`).

VENV    ?= .venv
PYTHON  ?= python3
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
WEB     := web/dist/vendor/leaflet/leaflet.js
PARCELS ?= 5000

.PHONY: install run test lint bench db browser clean

install: $(STAMP) $(WEB)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

$(WEB): web/package.json web/package-lock.json web/build.mjs
	@command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq nodejs npm)
	cd web && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build

db: install
	$(BIN)/landgov db up

run: db
	$(BIN)/landgov demo load --parcels $(PARCELS)
	$(BIN)/landgov users demo
	$(BIN)/landgov serve

lint: install
	$(BIN)/ruff check landgov tests migrations bench
	$(BIN)/mypy

# Browser tests use Debian's Chromium (Playwright drives it; no browser download) and
# CJK fonts so Chinese renders in screenshots.
browser:
	@command -v chromium >/dev/null && test -d /usr/share/fonts/opentype/noto || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk)

test: db lint browser
	$(BIN)/pytest
	$(BIN)/python -m bench --smoke

bench: db
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) web/node_modules web/dist
