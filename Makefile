# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: run test coverage test-tools check format install migrate messages demo clean lock bench bench-load bench-inbox bench-reliability bench-proxy bench-scale bench-install

run: install migrate demo ## Install, migrate, load the demo clinic and serve it at http://127.0.0.1:8000
	$(MANAGE) create_demo_admin
	$(MANAGE) runserver 127.0.0.1:8000

# Tests run in parallel, one worker per core (TEST_WORKERS=0 runs them in this process). "load"
# hands tests out in pytest-django's order, database tests before the browser's transactional
# ones, which each worker needs.
TEST_WORKERS ?= auto

test: install messages test-tools ## The whole test suite (PostgreSQL when DATABASE_URL names it, SQLite otherwise)
	$(BIN)/pytest -n $(TEST_WORKERS) --dist load --durations=20

# The same suite with branch coverage of core, pages and appointments; fails below 90 %. Not part
# of `make test`: coverage.py's tracer made the whole suite half as slow again (CTracer, Python
# 3.11), past CI's 15 minutes.
coverage: install messages test-tools ## The whole test suite with branch coverage (fails below 90 %)
	$(BIN)/pytest -n $(TEST_WORKERS) --dist load --cov --cov-report=term-missing:skip-covered

check: install ## What CI checks besides the tests: migrations, lint, format, the layers, types
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

install: $(VENV)/.installed

# Reinstall whenever the dependencies or their pinned versions change.
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c requirements.lock ".[dev]"
	touch $@

# Test-only tools from npm (the Nu HTML Checker), pinned in package-lock.json. Without npm the
# HTML validity test skips with the reason; in CI it fails.
test-tools: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the HTML validity test will be skipped"; fi

# Benchmarks (bench/README.md): PostgreSQL and Redis on 127.0.0.1, Debian's wrk, and gunicorn
# from the "bench" extra. They use their own database ("bench") and Redis database (3).
bench: bench-install messages ## Load benchmark, then the inbox with 100,000 requests: bench/*results.md
	@$(BIN)/python -m bench.run; load=$$?; \
	if [ $$load -eq 2 ]; then reuse=""; else reuse="--reuse-db"; fi; \
	$(BIN)/python -m bench.inbox $$reuse; inbox=$$?; \
	exit $$(( load > inbox ? load : inbox ))

bench-load: bench-install messages ## The load benchmark alone: bench/results.md
	$(BIN)/python -m bench.run

bench-inbox: bench-install ## The inbox with 100,000 requests alone: bench/inbox-results.md
	$(BIN)/python -m bench.inbox

# Consultation requests under load and while the mail server, the verification service (and,
# with RELIABILITY_ARGS=--with-postgres-restart, PostgreSQL) fail, reconciled with the database;
# through nginx (deploy/nginx/clinic.conf) and two gunicorn instances, RELIABILITY_ARGS=--direct
# without. Its own database ("bench_reliability") and Redis database (4).
bench-reliability: bench-install messages ## Reliability load test: bench/reliability-results.md
	$(BIN)/python -m bench.load_test $(RELIABILITY_ARGS)

# nginx's cache of the public pages (deploy/nginx/clinic.conf) against a static file served by
# nginx: bench/proxy-results.md. Its own database ("bench_proxy") and Redis database (5).
bench-proxy: bench-install ## The proxy's cache under load: bench/proxy-results.md
	$(BIN)/python -m bench.proxy

# The site as the content grows to 1,000 conditions and treatments in 10 languages:
# bench/scale-results.md (SCALE_ARGS=--label before|after, --sizes 10,100 for a quick run).
# Its own database ("bench_scale") and Redis database (12). About 20 minutes.
bench-scale: bench-install messages ## The scale benchmark: bench/scale-results.md
	$(BIN)/python -m bench.scale $(SCALE_ARGS)

bench-install: $(VENV)/.installed-bench

$(VENV)/.installed-bench: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -c requirements.lock ".[dev,bench]"
	touch $@

migrate: install messages
	$(MANAGE) migrate --no-input

messages: install ## Compile the Spanish and French catalogues (.mo files are not committed)
	$(MANAGE) compilemessages --ignore "$(VENV)/*" --verbosity 0

demo: install
	$(MANAGE) load_demo_content

clean:
	rm -rf $(VENV) node_modules var db.sqlite3

lock: install ## Pin the versions in .venv as the tested set
	{ echo "# Exact versions the test suite last passed with; used as pip constraints by the Makefile."; \
	  echo "# Regenerate with: make lock"; \
	  $(BIN)/pip freeze --exclude clinic-site; } > requirements.lock
