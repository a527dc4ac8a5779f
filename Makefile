# Every target bootstraps .venv when it is missing, so a fresh clone needs only
# `make run` or `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test test-fast lint format bench examples snapshots clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)  ## open the explorer on the bundled study
	$(BIN)/ccgtui

test: $(STAMP)  ## lint, type-check, check the import contracts and run every test
	$(BIN)/ruff check ccgtui tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache  # layers, no core cycles, no Textual in the core (pyproject)
	$(BIN)/pytest -n 2 -q

test-fast: $(STAMP)  ## tests without the slow robustness loops
	$(BIN)/pytest -n 2 -q -m "not slow and not e2e"

lint: $(STAMP)
	$(BIN)/ruff check ccgtui tests bench
	$(BIN)/ruff format --check ccgtui tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

format: $(STAMP)
	$(BIN)/ruff format ccgtui tests bench
	$(BIN)/ruff check --fix ccgtui tests bench

bench: $(STAMP)  ## measure load, re-open, CLI start, search, first paint, RSS; update docs/benchmarks.md
	$(BIN)/python bench/run.py

examples: $(STAMP)  ## regenerate docs/examples/ from the bundled data
	mkdir -p docs/examples
	CCGTUI_DB=$$(mktemp -d)/examples.json; export CCGTUI_DB; \
	$(BIN)/ccgtui export md --force -o docs/examples/briefing.md && \
	$(BIN)/ccgtui export html --force -o docs/examples/briefing.html && \
	$(BIN)/ccgtui export csv --force -o docs/examples/cases.csv && \
	$(BIN)/ccgtui export csv --long --force -o docs/examples/statements.csv && \
	$(BIN)/ccgtui export json --pretty --force -o docs/examples/dataset.json && \
	$(BIN)/ccgtui export md --what matrix --by sectors --force -o docs/examples/matrix-sectors.md && \
	$(BIN)/ccgtui --cases examples/illustrative export md --what matrix --by stages \
		--case riverside-frailty --force -o docs/examples/matrix-stages.md && \
	$(BIN)/ccgtui --cases examples/illustrative export html --force -o docs/examples/illustrative.html

snapshots: $(STAMP)  ## re-record SVG snapshots (review the report first!)
	$(BIN)/pytest tests/tui --snapshot-update

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .import_linter_cache dist build
