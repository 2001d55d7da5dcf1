# Two commands do everything: `make run` (portal with demo data) and `make test` (every test, lint, types).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
# The tests' OpenID provider (Node): installed from its lock file, again only when the lock file changes.
OIDC_PROVIDER := tests/oidc_provider
OIDC_STAMP := $(OIDC_PROVIDER)/node_modules/.installed-$(shell sha1sum $(OIDC_PROVIDER)/package-lock.json | cut -c1-12)
# Debian packages the product and its tests need: msgfmt for catalogs, fonts with Arabic, Persian and
# Ge'ez script for letters, qpdf/poppler to read PDFs back, Chromium for the browser tests, wrk for `make bench`.
# redis-server: the tests run the Redis session store against a real server.
SYSTEM_PACKAGES := gettext fonts-noto-core qpdf poppler-utils chromium postgresql-client wrk redis-server nodejs
DEV_ENV := PORTAL_ENV=development PORTAL_STAFF_MFA=off

.PHONY: run test lint typecheck security translations system-deps bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

$(OIDC_STAMP): $(OIDC_PROVIDER)/package.json $(OIDC_PROVIDER)/package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js 20 or later) is needed for the e-ID tests' OpenID provider"; exit 1; }
	npm ci --prefix $(OIDC_PROVIDER) --no-audit --no-fund --loglevel=error
	rm -f $(OIDC_PROVIDER)/node_modules/.installed-*
	touch $(OIDC_STAMP)

system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

translations: $(STAMP) system-deps
	$(DEV_ENV) $(BIN)/portal translations compile

run: translations
	@mkdir -p instance
	$(DEV_ENV) $(BIN)/portal db upgrade
	$(DEV_ENV) $(BIN)/portal demo load
	@echo "Portalen: http://127.0.0.1:5000/  (personal: http://127.0.0.1:5000/staff/login)"
	$(DEV_ENV) $(BIN)/portal dev

lint: $(STAMP)
	$(BIN)/ruff check portal outreach tests benchmarks migrations
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

# Security lint: no finding of medium severity or above (each exception is marked `# nosec` with its reason).
security: $(STAMP)
	$(BIN)/bandit -q -r portal outreach -ll

# Every test runs on SQLite and on PostgreSQL: the local server at 127.0.0.1:5432 (trust auth) unless
# PORTAL_TEST_DATABASE_URL names another; set it empty to run on SQLite alone.
test: export PORTAL_TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/test
test: translations lint typecheck security $(OIDC_STAMP)
	$(BIN)/pytest -n 2 --dist loadgroup

bench: translations
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache $(OIDC_PROVIDER)/node_modules
