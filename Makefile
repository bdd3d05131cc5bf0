# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: run test check format install migrate messages demo clean lock

run: install migrate demo ## Install, migrate, load the demo clinic and serve it at http://127.0.0.1:8000
	$(MANAGE) create_demo_admin
	$(MANAGE) runserver 127.0.0.1:8000

test: install messages ## The whole test suite (PostgreSQL when DATABASE_URL names it, SQLite otherwise)
	$(BIN)/pytest

check: install ## What CI checks besides the tests: migrations, lint, format
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

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

migrate: install messages
	$(MANAGE) migrate --no-input

messages: install ## Compile the Spanish and French catalogues (.mo files are not committed)
	$(MANAGE) compilemessages --ignore "$(VENV)/*" --verbosity 0

demo: install
	$(MANAGE) load_demo_content

clean:
	rm -rf $(VENV) var db.sqlite3

lock: install ## Pin the versions in .venv as the tested set
	{ echo "# Exact versions the test suite last passed with; used as pip constraints by the Makefile."; \
	  echo "# Regenerate with: make lock"; \
	  $(BIN)/pip freeze --exclude clinic-site; } > requirements.lock
