# clientgen: every target bootstraps what it needs (.venv, npm packages) by itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.clientgen-installed
NODE_STAMP := node_modules/.clientgen-installed

.DEFAULT_GOAL := help
.PHONY: help setup generate check test lint bench corpus sweep fuzz clean

help: ## Show the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "clientgen needs Python 3.11 or newer (PYTHON=$(PYTHON))"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

setup: $(STAMP) $(NODE_STAMP) ## Create .venv and install Python and npm tools

generate: $(STAMP) ## Regenerate generated/ from specs/
	$(BIN)/clientgen generate

check: $(STAMP) ## Fail if generated/ is stale
	$(BIN)/clientgen check

test: $(STAMP) $(NODE_STAMP) ## Run the test suite (starts Prism mock servers on loopback)
	$(BIN)/python -m pytest -q

lint: $(STAMP) ## ruff and mypy on the generator; check generated/
	$(BIN)/ruff check generator tests scripts bench
	$(BIN)/mypy generator
	$(BIN)/clientgen check

bench: $(STAMP) ## Print speed figures (see bench/)
	$(BIN)/python bench/run.py

corpus: $(STAMP) ## Run clientgen over the corpus (../shared/corpus, or CORPUS=dir) and report
	$(BIN)/python scripts/corpus_report.py $(CORPUS_ARGS)

sweep: $(STAMP) $(NODE_STAMP) ## Call every corpus operation against Prism (SWEEP_ARGS="--only stripe")
	$(BIN)/python -m scripts.sweep $(SWEEP_ARGS)

fuzz: $(STAMP) ## Fuzz clientgen: random valid documents and corpus mutants (FUZZ_ARGS="--mutants 2000")
	$(BIN)/python -m scripts.fuzz $(FUZZ_ARGS)

clean: ## Remove .venv, node_modules and caches (not generated/)
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache build *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
