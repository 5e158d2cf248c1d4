# Parley: `make run` serves on http://127.0.0.1:8000, `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
WEB_DEPS := web/node_modules/.package-lock.json
WEB_DIST := web/dist/index.html
WEB_SRC  := $(shell find web/src web/public -type f 2>/dev/null) \
            web/index.html web/vite.config.ts web/tsconfig.json web/package.json

.PHONY: run test deps lint format migrate web web-test clean

run: $(STAMP) web
	$(BIN)/parley serve

test: deps $(STAMP) lint web-test
	$(BIN)/pytest -q

# The Debian packages the tests need (Chromium, LibreOffice, redis-server, fonts), listed
# once in tools/system-packages.txt: installed when missing and this user may (root or
# sudo without a password), otherwise named, and make stops.
deps:
	@bash tools/system-deps.sh

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix src tests
	$(BIN)/ruff format src tests

migrate: $(STAMP)
	$(BIN)/parley migrate

# The web client is built when its sources are newer than web/dist. Without npm the
# server still runs, with a status page at / instead of the client.
web:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory $(WEB_DIST); \
	else echo "npm not found: serving the API without the web client"; fi

web-test: $(WEB_DIST)
	cd web && npm test

$(WEB_DEPS): web/package-lock.json
	cd web && npm ci --no-audit --no-fund

$(WEB_DIST): $(WEB_DEPS) $(WEB_SRC)
	cd web && npm run build

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache web/node_modules web/dist
