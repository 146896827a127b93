# Two commands on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
VENV := .venv
UV := .tools/bin/uv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
PYTEST_ARGS ?=
PLACE ?= nottingham

.PHONY: demo test test-postgres setup lint clean browser-deps java postgres

demo: setup  ## install, migrate, load the demo partnership (PLACE=glasgow for Scotland) and serve it on 127.0.0.1:$PORT (8000)
	$(VENV)/bin/soclocal demo --place $(PLACE)

test: setup browser-deps java  ## install what the tests need and run the whole suite (SQLite)
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Pages are checked in the browser once, on SQLite; on PostgreSQL only the journeys run again.
# The Spark engine's tests read the crime store, not the database: they run once, on SQLite.
test-postgres: setup browser-deps postgres  ## the suite again on the local PostgreSQL
	DATABASE_URL=$$(scripts/postgres.sh url) $(VENV)/bin/pytest -m "(not browser or journey) and not spark" $(PYTEST_ARGS)

setup: $(UV) node_modules/.package-lock.json
	$(UV) sync --frozen --compile-bytecode --python python3 --quiet
	$(VENV)/bin/python -m compileall -q src  # the project itself is installed editable
	node frontend/build.mjs

$(UV):
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv==0.13.8

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

browser-deps:
	@scripts/ensure-chromium.sh

java:  ## Java for the Spark engine (Debian's default-jre-headless)
	@scripts/ensure-java.sh

postgres:
	@scripts/postgres.sh start

lint: setup
	$(VENV)/bin/ruff check src tests

clean:
	rm -rf $(VENV) .tools node_modules src/soclocal/static_vendor
