# One entry point for people and CI. `make run` and `make test` work on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test test-fast test-not-slow lint format index eval bench load clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first, from the local CPU wheel: a bare `torch` would pull a multi-GB CUDA build.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -c constraints.txt -e ".[models,llm,dev]"
	touch $(STAMP)

run: setup
	$(BIN)/wozo serve

index: setup
	$(BIN)/wozo index

# The browser test drives Debian's chromium; CI runs as root on a fresh Debian machine.
test: setup
	command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)
	$(BIN)/python -m pytest -q -ra

# Seconds: the answer step on hand-made passages, the text helpers and the pure measurements;
# no index is built and no embedding model is loaded.
test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow" tests/answer tests/text tests/retrieve/test_fusion.py tests/facts/test_rank.py tests/measure

# Minutes: everything but the real-corpus index and the browser (small fixture indexes).
test-not-slow: setup
	$(BIN)/python -m pytest -q -m "not slow"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup
	$(BIN)/wozo bench --report evals/PERFORMANCE.md

load: setup
	$(BIN)/python -m assistant.measure.load --report evals/LOAD.md

eval: setup
	$(BIN)/wozo eval --report evals/BENCHMARK.md --json evals/benchmark.json

clean:
	rm -rf $(VENV) indexes test-output
