# netpuls: two commands for a newcomer. `make run` and `make test`; both install from the lock files.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
TOOLS := .tools
UV_VERSION := 0.9.9
UV := $(TOOLS)/bin/uv
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
BOT_PORT ?= 3978
PLAYGROUND_PORT ?= 56150
PYTEST_ARGS ?=

.PHONY: install run test lint format i18n manifest clean

install: $(PY_STAMP) $(NODE_STAMP)

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(PY_STAMP): uv.lock pyproject.toml | $(UV)
	# --compile-bytecode: start-up must not depend on Python writing .pyc files as it imports
	# (PYTHONDONTWRITEBYTECODE=1 would make every process compile msgraph-sdk anew).
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	touch $@

$(NODE_STAMP): package-lock.json package.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: install  ## bot + Agents Playground on SQLite with the demo network
	BOT_PORT=$(BOT_PORT) PLAYGROUND_PORT=$(PLAYGROUND_PORT) scripts/dev.sh

test: install  ## the whole suite: unit, storage (SQLite + PostgreSQL), HTTP, Playground
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

CATALOG ?= netpuls
i18n: install  ## new messages appended to netpuls/locale/{da,sv}/.../$(CATALOG).po; others untouched
	$(VENV)/bin/python -m scripts.i18n --catalog $(CATALOG)

manifest: install  ## the Teams app package (set MicrosoftAppId)
	$(VENV)/bin/netpuls manifest build --out build/netpuls-app.zip

clean:
	rm -rf $(VENV) $(TOOLS) node_modules var build

.PHONY: bench
bench: install  ## netpuls against the stock echo bot, as a ratio (floor 3x); BENCH_ARGS="--duration 5"
	$(VENV)/bin/python -m bench.edge $(BENCH_ARGS)

.PHONY: bench-day
bench-day: install  ## a realistic day (not part of `make test`); BENCH_DAY_ARGS="--quick --database URL"
	$(VENV)/bin/python -m bench.day $(BENCH_DAY_ARGS)

.PHONY: bench-fanout
bench-fanout: install  ## the proactive fan-out benchmark (1,000 recipients, ~40 s); FANOUT_ARGS="--worker loop" etc.
	$(VENV)/bin/python -m bench.fanout $(FANOUT_ARGS)
