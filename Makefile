# 医共体协同平台 — the two commands: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_RESIDENTS ?= 20000
PG_URL ?= postgres://root@127.0.0.1:5432/test
export YIGONGTI_VAR_DIR ?= $(CURDIR)/var
export PYTHONDONTWRITEBYTECODE := 1

MANAGE := $(BIN)/yigongti
CONSOLE_INDEX := src/yigongti/web/index.html
WEB_SOURCES := $(shell find web/src web/index.html web/vite.config.ts web/package.json -type f 2>/dev/null)

.PHONY: run test install system-deps console lint types check migrations-check openapi openapi-check \
        test-backend test-sqlite test-postgres test-console clean openapi-types openapi-types-check test-browser

## ---- the two commands ---------------------------------------------------------------------
run: install console
	@mkdir -p "$(YIGONGTI_VAR_DIR)"
	$(MANAGE) migrate --noinput
	$(MANAGE) demo-county --if-empty --no-account-list --residents $(DEMO_RESIDENTS)
	@$(MANAGE) demo-accounts --url "http://$(HOST):$(PORT)/"
	@set -m; $(MANAGE) run_huey --quiet & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/uvicorn yigongti.config.asgi:application --host $(HOST) --port $(PORT) --log-level warning

test: install console
	$(MAKE) --no-print-directory lint types check migrations-check openapi-check test-console openapi-types-check test-browser test-backend

## ---- installation -------------------------------------------------------------------------
install: system-deps $(VENV)/.installed

system-deps:
	@command -v $(PYTHON) >/dev/null || { echo "需要 Python 3.11 ($(PYTHON))"; exit 1; }
	@command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }
	@missing=$$(for p in fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils; do dpkg -s $$p 2>/dev/null | grep -q '^Status: install ok installed' || echo $$p; done); [ -z "$$missing" ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; }
	@missing=$$(for p in chromium fonts-noto-cjk; do dpkg -s $$p 2>/dev/null | grep -q '^Status: install ok installed' || echo $$p; done); [ -z "$$missing" ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; }

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip sync -q --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	touch $@

web/node_modules/.installed: web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(CONSOLE_INDEX): web/node_modules/.installed $(WEB_SOURCES)
	cd web && npm run build --silent

console: $(CONSOLE_INDEX)

## ---- checks -------------------------------------------------------------------------------
lint:
	$(BIN)/ruff check src tests benchmarks conftest.py
	$(BIN)/ruff format --check src tests benchmarks conftest.py

types:
	$(BIN)/mypy src/yigongti/core src/yigongti/platform src/yigongti/centers src/yigongti/config

check:
	$(MANAGE) check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=yigongti.config.settings_production SECRET_KEY=check-$$RANDOM$$RANDOM$$RANDOM$$RANDOM \
	  YIGONGTI_SM4_KEY=00112233445566778899aabbccddeeff YIGONGTI_BLIND_INDEX_KEY=00112233445566778899aabbccddeeff \
	  $(MANAGE) check --deploy --fail-level ERROR

migrations-check:
	$(MANAGE) makemigrations --check --dry-run

openapi:
	$(MANAGE) spectacular --color --validate --file docs/openapi.yaml

openapi-check:
	@$(MANAGE) spectacular --validate --file "$(YIGONGTI_VAR_DIR)/openapi.generated.yaml"
	@diff -u docs/openapi.yaml "$(YIGONGTI_VAR_DIR)/openapi.generated.yaml" \
	  && echo "OpenAPI 文档与代码一致 (docs/openapi.yaml)" \
	  || { echo "OpenAPI 文档已过期：运行 make openapi 并提交 docs/openapi.yaml"; exit 1; }

test-console:
	cd web && npm test --silent

# The console's TypeScript types, generated from the committed OpenAPI document.
openapi-types: web/node_modules/.installed
	cd web && npm run --silent openapi-types

openapi-types-check: web/node_modules/.installed
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  (cd web && node_modules/.bin/openapi-typescript ../docs/openapi.yaml -o "$$tmp/schema.d.ts" >"$$tmp/log" 2>&1) \
	  || { cat "$$tmp/log"; echo "无法由 docs/openapi.yaml 生成控制台类型"; exit 1; }; \
	  diff -u web/src/api/schema.d.ts "$$tmp/schema.d.ts" \
	  && echo "控制台类型与 OpenAPI 文档一致 (web/src/api/schema.d.ts)" \
	  || { echo "控制台类型已过期：运行 make openapi-types 并提交 web/src/api/schema.d.ts"; exit 1; }

# End-to-end tests in Debian's Chromium (tests/browser): a fresh server on a temporary database.
test-browser: install console
	@echo "== 浏览器测试：Chromium =="
	YIGONGTI_BROWSER_TESTS=1 env -u DATABASE_URL $(BIN)/pytest -q -p no:xdist tests/browser

test-backend: test-sqlite test-postgres

test-sqlite:
	@echo "== 后端测试：SQLite =="
	env -u DATABASE_URL $(BIN)/pytest -q -n 2 --dist loadfile

test-postgres:
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect(sys.argv[1], connect_timeout=3).close()" "$${DATABASE_URL:-$(PG_URL)}" 2>/dev/null; then \
	  echo "== 后端测试：PostgreSQL =="; \
	  DATABASE_URL="$${DATABASE_URL:-$(PG_URL)}" $(BIN)/pytest -q -n 2 --dist loadfile; \
	else echo "== PostgreSQL 不可达（$${DATABASE_URL:-$(PG_URL)}），跳过 PostgreSQL 测试 =="; fi

clean:
	rm -rf $(VENV) web/node_modules src/yigongti/web
