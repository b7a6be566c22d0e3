# 宣传思想工作平台 — everyday commands (GNU make).
#
#   make demo    run the demo on http://127.0.0.1:8000 (needs only Python 3.11; no services)
#   make test    run the whole test suite (SQLite, or the database in DATABASE_URL)
#   make lint    ruff
#   make check   Django's system checks and the missing-migrations check
#   make clean   remove caches and generated files (keeps .venv, .env and the demo database)
#
# Nothing here needs PostgreSQL, Redis or a browser: the demo and the tests use SQLite and run
# background jobs inline; the browser tests run only where Debian's /usr/bin/chromium exists.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_SIZE ?= small
DEMO_SEED ?= 2026
CHROMIUM := /usr/bin/chromium
# Extra arguments for pytest, e.g. `make test PYTEST_ARGS="-k login -x"`.
PYTEST_ARGS ?=
# Parallel test workers (pytest-xdist): one per core by default; `make test XDIST=` runs in one
# process (easier to read when debugging). Each worker has its own test database (test_…_gw0, …)
# and its own chromium, so the browser tests and PostgreSQL work in parallel too.
XDIST ?= auto

# The tests and the checks must not read a developer's .env (written by `make demo`, with
# XUANCHUAN_DEMO=true): they run with the settings' own defaults, i.e. production security.
# DATABASE_URL, REDIS_URL etc. from the real environment still pass through.
NO_DOTENV := PYTHON_DOTENV_DISABLED=1
# Throwaway keys for `make check`, so that the checks see a configured, non-demo installation.
CHECK_ENV := $(NO_DOTENV) DEBUG=false XUANCHUAN_DEMO=false \
	SECRET_KEY=make-check-throwaway-secret-key-not-for-any-real-installation-0123456789 \
	XUANCHUAN_DATA_KEY=bWFrZS1jaGVjay10aHJvd2F3YXktZGF0YS1rZXkhISE=

RUNTIME_STAMP := $(VENV)/.installed-runtime
TEST_STAMP := $(VENV)/.installed-test

.PHONY: help demo serve messages test lint format-check check clean venv

help:
	@echo "make demo    - install, migrate, seed demo data and serve http://$(HOST):$(PORT)"
	@echo "make test    - run the whole test suite (browser tests need /usr/bin/chromium)"
	@echo "make lint    - ruff check"
	@echo "make check   - manage.py check + makemigrations --check"
	@echo "make clean   - remove caches, collected static files and screenshots"

# --- virtual environment ---------------------------------------------------------------------------
$(PY):
	$(PYTHON) -m venv $(VENV)

venv: $(PY)

# Installs run again only when pyproject.toml is newer than the stamp.
$(RUNTIME_STAMP): pyproject.toml | $(PY)
	@echo "Installing the platform into $(VENV) ..."
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	@touch $@

$(TEST_STAMP): pyproject.toml | $(PY)
	@echo "Installing the platform and its test tools into $(VENV) ..."
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@ $(RUNTIME_STAMP)

# --- demo --------------------------------------------------------------------------------------------
# .env is written once and then kept: the demo's personal data is encrypted with XUANCHUAN_DATA_KEY,
# so a new key would make the existing demo database unreadable.
define WRITE_DOTENV_PY
import base64, datetime, os, secrets
lines = [
    "# Written by `make demo` on %s. Keep this file: the demo data is encrypted with the key below." % datetime.date.today(),
    "# 由 make demo 生成。请保留本文件：演示数据用下面的密钥加密，换了密钥旧数据无法解密。",
    "SECRET_KEY=" + secrets.token_urlsafe(50),
    "XUANCHUAN_DATA_KEY=" + base64.b64encode(os.urandom(32)).decode(),
    "XUANCHUAN_DEMO=true",
]
old = os.umask(0o077)
with open(".env.tmp", "w", encoding="utf-8") as out:
    out.write("\n".join(lines) + "\n")
os.umask(old)
os.replace(".env.tmp", ".env")
print("Wrote .env with new random keys (XUANCHUAN_DEMO=true).")
endef
export WRITE_DOTENV_PY

.env:
	@$(PYTHON) -c "$$WRITE_DOTENV_PY"

# Seeds the demo data once: a database that already has units or people is left as it is
# (seed_demo itself refuses to seed twice; this only turns its refusal into a polite skip).
define SEED_IF_EMPTY_PY
import sys
try:
    from xuanchuan.core.demo import discover_parts, is_seeded
    seeded = is_seeded(discover_parts())
except ImportError:
    from xuanchuan.org.models import Unit, User
    seeded = Unit.objects.exists() or User.objects.exists()
sys.exit(1 if seeded else 0)
endef
export SEED_IF_EMPTY_PY

demo: $(RUNTIME_STAMP) .env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@$(MAKE) --no-print-directory messages
	@if $(PY) manage.py shell --no-imports -c "$$SEED_IF_EMPTY_PY"; then \
		$(PY) manage.py seed_demo --size $(DEMO_SIZE) --seed $(DEMO_SEED); \
	else \
		echo "Demo data already there: not seeding again (reset with: $(PY) manage.py seed_demo --reset --size $(DEMO_SIZE) --seed $(DEMO_SEED))."; \
	fi
	@$(MAKE) --no-print-directory serve

# The one table of demo logins (the same accounts as the README's), then the server.
serve: $(RUNTIME_STAMP)
	@echo
	@$(PY) manage.py demo_logins --url http://$(HOST):$(PORT)/
	@echo "  Ctrl+C 停止 / to stop.  重新生成 / reseed:"
	@echo "    $(PY) manage.py seed_demo --reset --size $(DEMO_SIZE) --seed $(DEMO_SEED)"
	@echo
	$(PY) manage.py runserver $(HOST):$(PORT) --noreload

# Compiles translations when there are any and gettext's msgfmt is installed; otherwise does nothing.
messages: $(RUNTIME_STAMP)
	@if [ -n "$$(find xuanchuan -path '*/locale/*/LC_MESSAGES/*.po' -print -quit 2>/dev/null)" ] \
		&& command -v msgfmt >/dev/null 2>&1; then \
		$(PY) manage.py compilemessages --ignore=.venv --ignore=var --verbosity 0; \
	fi

# --- quality -----------------------------------------------------------------------------------------
test: $(TEST_STAMP)
	@if [ -x $(CHROMIUM) ]; then \
		echo "Chromium found at $(CHROMIUM): browser tests run."; \
	else \
		echo "Chromium not found: browser tests skipped"; \
	fi
	@echo "Database: $$(echo "$${DATABASE_URL:-SQLite (default)}" | sed -E 's#//([^:/@]+):[^@]*@#//\1:***@#')"
	$(NO_DOTENV) $(BIN)/pytest $(if $(XDIST),-n $(XDIST)) $(PYTEST_ARGS)

lint: $(TEST_STAMP)
	$(BIN)/ruff check .

format-check: $(TEST_STAMP)
	$(BIN)/ruff format --check .

check: $(RUNTIME_STAMP)
	$(CHECK_ENV) $(PY) manage.py check
	$(CHECK_ENV) $(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf .pytest_cache .ruff_cache var/static var/screenshots build dist
	find . -path ./.venv -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
