# Maintenance of the course: each target is a thin call of the real tool.
#   make lab        create .venv, install the course, give you your own copy of every
#                   notebook in work/<id>/ and open JupyterLab on the first assignment's
#   make solutions  the same, on your own copies of the worked solutions (self-learners)
#   make update     after `git pull`: put a changed notebook beside your copy, never over it
#   make test       run the whole test-suite (installs the test tools first)
#   make release    regenerate notebooks/ from solutions/ with nbgrader, and its gradebook
#   make assets     redraw the figures in assets/ and embed them in solutions/ (then release)
#   make lint       ruff
#   make bench      run the benchmarks
#   make grade      autograde every submission, losing nobody
#   make report     after grading by hand, rewrite the reports from the gradebook
#   make demo       build a synthetic class in demo/ and grade it (offline)
#   make hub        (as root) a JupyterHub for a demo class on 127.0.0.1:8000; Ctrl-C removes it
# A=<id> (one or several nbgrader ids, the folders of solutions/) limits a target to
# those assignments, e.g. `make grade A=<id>`; `make lab A=<id>` opens that one's notebook.

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
# nbgrader starts alembic and jupyter as programs: the venv's bin must come first.
export PATH := $(BIN):$(PATH)

# Every assignment is a folder of solutions/ with notebooks (graders.course_setup):
# adding one changes nothing here.
ASSIGNMENTS := $(sort $(patsubst solutions/%/,%,$(dir $(wildcard solutions/*/*.ipynb))))
ifneq ($(filter-out $(ASSIGNMENTS),$(A)),)
$(error No assignment $(filter-out $(ASSIGNMENTS),$(A)) in solutions/, which has $(ASSIGNMENTS) \
	· solutions/ 中没有这个作业)
endif
# The assignments a target works on: A's, or every one.
SELECTED := $(or $(A),$(ASSIGNMENTS))
# The one JupyterLab opens: A's, or the first.
OPENED := $(firstword $(SELECTED))

# Students and self-learners work on their own copies in work/, which git ignores:
# `git pull` never conflicts with their answers, and no command overwrites them.
RELEASED := $(wildcard notebooks/*/*.ipynb)
WORK := $(RELEASED:notebooks/%=work/%)
WORK_SOLUTIONS := $(patsubst solutions/%,work/solutions/%,$(wildcard solutions/*/*.ipynb))
WORK_OPENED := $(firstword $(filter work/$(OPENED)/%,$(WORK)))
WORK_SOLUTION_OPENED := $(firstword $(filter work/solutions/$(OPENED)/%,$(WORK_SOLUTIONS)))

.PHONY: lab solutions update test release assets lint bench grade report demo clean hub

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
	$(call open_lab,$(or $(WORK_OPENED),$(error notebooks/$(OPENED)/ holds no student notebook \
	    yet: run `make release A=$(OPENED)` · 还没有学生版笔记本)))

solutions: $(LAB_NEEDS) $(WORK_SOLUTIONS)
	$(call open_lab,$(WORK_SOLUTION_OPENED))

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

# A line break: in a recipe, $(foreach ...) with it runs one command per item.
define newline


endef

# Each released notebook is compared with your copy (made now if you had none), and each
# worked solution with yours if you made one (make solutions).
update: $(WORK)
	$(foreach copy,$(WORK),$(call new_version,$(copy:work/%=notebooks/%),$(copy))$(newline))
	$(foreach copy,$(wildcard $(WORK_SOLUTIONS)),\
	    $(call new_version,$(copy:work/%=%),$(copy))$(newline))

test: $(VENV)/.test
	$(BIN)/python -m pytest

# With the gradebook (gradebook.db, which git ignores): it keeps the hidden tests the
# grader runs, and must change whenever the source does.
RELEASES := $(ASSIGNMENTS:%=release-%)
.PHONY: $(RELEASES)
release: $(SELECTED:%=release-%)
$(RELEASES): release-%: $(VENV)/.course
	$(BIN)/nbgrader generate_assignment $* --force

assets: $(VENV)/.course
	$(BIN)/python tools/make_assets.py $(A)

lint: $(VENV)/.test
	$(BIN)/ruff check .

# $(call on_selected,command): the command once per assignment of A (--assignment <id>), or
# once, on the command's own default, without A.
on_selected = $(if $(A),$(foreach id,$(A),$(1) --assignment $(id)$(newline)),$(1))

bench: $(VENV)/.test
	$(call on_selected,$(BIN)/python benchmarks/bench_notebook.py)
	$(call on_selected,$(BIN)/python benchmarks/bench_explorers.py)
	$(call on_selected,$(BIN)/python benchmarks/bench_training_explorers.py)
	$(call on_selected,$(BIN)/python benchmarks/bench_grading_security.py)
	$(call on_selected,$(BIN)/python benchmarks/bench_feedback.py)
	$(call on_selected,$(BIN)/python benchmarks/bench_grading_stages.py)
	$(call on_selected,$(BIN)/python benchmarks/bench_grading.py)
	$(call on_selected,$(BIN)/python benchmarks/bench_long_class.py)
	$(BIN)/python tools/answer_bank_report.py $(A)

# Without A, the class runner picks every assignment that has submissions.
grade: $(VENV)/.course
	$(BIN)/python -m graders.grade $(A)

# The final grades (set by hand in the formgrader included) into every report.
report: $(VENV)/.course
	$(BIN)/python -m graders.report $(A)

demo: $(VENV)/.course
	$(BIN)/python tools/demo.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts benchmarks/results demo

# The course on JupyterHub (deploy/jupyterhub/README.md): JupyterHub from PyPI, its proxy
# from npm (npm install -g configurable-http-proxy). The demo class's accounts and folders
# are made at the start and removed when the hub stops.
HUB_PORT ?= 8000
$(VENV)/.hub: $(VENV)/.course
	$(BIN)/python -m pip install --quiet -e '.[hub]'
	@touch $@

hub: $(VENV)/.hub
	@command -v configurable-http-proxy >/dev/null || { echo "configurable-http-proxy is" \
	    "missing: npm install -g configurable-http-proxy · 请先安装 configurable-http-proxy"; exit 1; }
	$(BIN)/python deploy/jupyterhub/serve.py --demo --port $(HUB_PORT)
