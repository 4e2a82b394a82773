# Two commands do all set-up from a fresh clone with python3 (3.10+) and make:
#   make demo   create .venv, install plankg (what the demo needs, nothing more), build the bundled sample into out/
#   make test   create .venv, install plankg with the test tools (the dev extra), run the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEV    := $(VENV)/.installed-dev
# The gold scorer sits beside the project (not shipped); tests/test_exports.py reads GraphML with it when found.
SCORER ?= ../shared/eval/score.py

.PHONY: demo test lint dev-score bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip "setuptools>=77" wheel

$(STAMP): $(BIN)/python pyproject.toml setup.py
	$(BIN)/pip install --quiet -e .
	touch $(STAMP)

$(DEV): $(BIN)/python pyproject.toml setup.py
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP) $(DEV)

demo: $(STAMP)
	$(BIN)/plankg build --out out
	@echo "The plankg command is $(BIN)/plankg (or: . $(BIN)/activate, then plankg ...)."
	@echo "Open out/graph.graphml in Gephi, out/graph.ttl with any RDF tool; for the HTML view: $(BIN)/plankg view out/graph.graphml"

test: $(DEV)
	PLANKG_SCORER="$(abspath $(SCORER))" $(BIN)/python -m pytest -q

lint: $(DEV)
	$(BIN)/ruff check .

# Score against the gold dev set that sits beside the project (not shipped; see README).
dev-score: $(DEV)
	PATH="$(CURDIR)/$(BIN):$$PATH" ../shared/eval/run_dev.sh

# Build throughput and memory at 100 and 1,000 documents, next to pkuseg and jieba (README "Speed").
bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python bench/bench_build.py --docs 1000 --chars 1000 --jobs 1 2 --evidence all first none

clean:
	rm -rf $(VENV) out build *.egg-info
