# The two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum requirements.lock pyproject.toml package-lock.json | cksum | cut -d' ' -f1)

.PHONY: install run test lint format bench lock clean teams-package

$(STAMP): requirements.lock pyproject.toml package-lock.json
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@# axe-core, the browser tests' accessibility audit (package-lock.json pins it)
	if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent; else echo 'npm is missing: browser tests cannot run the accessibility audit (apt-get install -y npm)' >&2; fi
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

run: install  ## run the product on SQLite with the demo organisation (development mode)
	HEALTHCHECK_MODE=development $(BIN)/healthcheck db upgrade
	HEALTHCHECK_MODE=development $(BIN)/healthcheck serve --with-worker

test: install  ## run every test (SQLite, and PostgreSQL when reachable)
	$(BIN)/python -m pytest

lint: install  ## ruff and mypy, as CI runs them
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install  ## print the benchmarks' figures (never pass/fail)
	@for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

VERSION ?= 1.0.0

teams-package: install  ## zip the Teams app: make teams-package VERSION=1.2.0 (HEALTHCHECK_TEAMS_APP_ID, HEALTHCHECK_PUBLIC_URL)
	$(BIN)/python -m bot.teams.package --version $(VERSION) --out build/health-check-teams.zip

lock:  ## re-lock dependencies after editing pyproject.toml
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra model --python-version 3.11 --generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) node_modules data .pytest_cache .mypy_cache .ruff_cache
