# Maintenance of the course: each target is a thin call of the real tool.
#   make lab      create .venv, install the course, open JupyterLab on the notebook
#   make test     run the whole test-suite (installs the test tools first)
#   make release  regenerate notebooks/ from solutions/ with nbgrader
#   make assets   redraw the figures in assets/
#   make lint     ruff
#   make bench    run the benchmarks
#   make grade    autograde every submission of the assignment, losing nobody
#   make demo     build a synthetic class in demo/ and grade it (offline)

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
# nbgrader starts alembic and jupyter as programs: the venv's bin must come first.
export PATH := $(BIN):$(PATH)

ASSIGNMENT := 01_numpy_basics
NOTEBOOK := notebooks/$(ASSIGNMENT)/numpy_basics.ipynb

.PHONY: lab test release assets lint bench grade demo clean

$(VENV)/.python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (found: $$($(PYTHON) --version 2>&1))." \
		       "Set PYTHON=/path/to/python3.11 and try again."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@touch $@

# The course itself: what a student needs.
$(VENV)/.course: $(VENV)/.python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

# The course plus the test tools.
$(VENV)/.test: $(VENV)/.course
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

# Jupyter refuses to run as root unless told; containers often run as root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(VENV)/.course
	$(BIN)/jupyter lab $(ROOT_FLAG) $(NOTEBOOK)

test: $(VENV)/.test
	$(BIN)/python -m pytest

release: $(VENV)/.course
	$(BIN)/nbgrader generate_assignment $(ASSIGNMENT) --force --no-db

assets: $(VENV)/.course
	$(BIN)/python tools/make_assets.py

lint: $(VENV)/.test
	$(BIN)/ruff check .

bench: $(VENV)/.test
	$(BIN)/python benchmarks/bench_notebook.py
	$(BIN)/python benchmarks/bench_explorers.py
	$(BIN)/python benchmarks/bench_grading_security.py
	$(BIN)/python benchmarks/bench_grading.py
	$(BIN)/python tools/answer_bank_report.py

grade: $(VENV)/.course
	$(BIN)/python -m graders.grade $(ASSIGNMENT)

demo: $(VENV)/.course
	$(BIN)/python tools/demo.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts benchmarks/results demo
