# Maintenance of the course: each target is a thin call of the real tool.
#   make lab        create .venv, install the course, open JupyterLab on your own copy
#                   of the notebook, work/01_numpy_basics/numpy_basics.ipynb
#   make solutions  the same, on your own copy of the worked solutions (self-learners)
#   make update     after `git pull`: put a changed notebook beside your copy, never over it
#   make test       run the whole test-suite (installs the test tools first)
#   make release    regenerate notebooks/ from solutions/ with nbgrader
#   make assets     redraw the figures in assets/ and embed them in solutions/ (then release)
#   make lint       ruff
#   make bench      run the benchmarks
#   make grade      autograde every submission of the assignment, losing nobody
#   make demo       build a synthetic class in demo/ and grade it (offline)

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
# nbgrader starts alembic and jupyter as programs: the venv's bin must come first.
export PATH := $(BIN):$(PATH)

ASSIGNMENT := 01_numpy_basics
NOTEBOOK := notebooks/$(ASSIGNMENT)/numpy_basics.ipynb
SOLUTION := solutions/$(ASSIGNMENT)/numpy_basics.ipynb
# Students and self-learners work on their own copies in work/, which git ignores:
# `git pull` never conflicts with their answers, and no command overwrites them.
WORK := work/$(ASSIGNMENT)/numpy_basics.ipynb
WORK_SOLUTION := work/solutions/$(ASSIGNMENT)/numpy_basics.ipynb

.PHONY: lab solutions update test release assets lint bench grade demo clean

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

# In the activated conda environment of environment.yml, which installed the course,
# `make lab` and `make solutions` use it rather than making .venv.
ifeq ($(CONDA_DEFAULT_ENV),numpy-dl-course)
LAB_NEEDS :=
LAB_BIN := $(CONDA_PREFIX)/bin
else
LAB_NEEDS := $(VENV)/.course
LAB_BIN := $(BIN)
endif

# JupyterLab on one notebook, with the repository as the server's root: nbgrader finds
# its course there, and the file browser starts in the notebook's folder.
open_lab = $(LAB_BIN)/jupyter lab $(ROOT_FLAG) --ServerApp.root_dir="$(CURDIR)" \
	--ContentsManager.preferred_dir=$(patsubst %/,%,$(dir $(1))) $(1)

lab: $(LAB_NEEDS) $(WORK)
	$(call open_lab,$(WORK))

solutions: $(LAB_NEEDS) $(WORK_SOLUTION)
	$(call open_lab,$(WORK_SOLUTION))

# A copy is made once, from the course's notebook, and never remade (a rule with no
# prerequisites, and `cp -n`) nor deleted by make, even when interrupted (.PRECIOUS).
# Beside it, .<name>.origin keeps the version it came from, for `make update`.
.PRECIOUS: work/%.ipynb

work/solutions/%.ipynb:
	@mkdir -p $(@D)
	cp -n solutions/$*.ipynb $@
	@cp solutions/$*.ipynb $(@D)/.$(@F).origin

work/%.ipynb:
	@mkdir -p $(@D)
	cp -n notebooks/$*.ipynb $@
	@cp notebooks/$*.ipynb $(@D)/.$(@F).origin

# $(call new_version,course notebook,your copy): if the course changed its notebook since
# your copy was made, put the new version beside your copy, under a new name, and say so.
define new_version
@origin=$(dir $(2)).$(notdir $(2)).origin; \
	if cmp -s $(1) "$$origin"; then \
	    echo "$(1): nothing new for $(2)."; \
	else \
	    new=$(basename $(2)).update-$$(date +%Y%m%d-%H%M%S).ipynb; \
	    cp -n $(1) "$$new" && cp $(1) "$$origin" && \
	    echo "$(1) has changed: its new version is $$new." && \
	    echo "Your $(2) is untouched; README.md, \"Course updates\", says what next."; \
	fi
endef

update: $(WORK)
	$(call new_version,$(NOTEBOOK),$(WORK))
	$(if $(wildcard $(WORK_SOLUTION)),$(call new_version,$(SOLUTION),$(WORK_SOLUTION)))

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
