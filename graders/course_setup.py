"""The course's layout and set-up, as the tools, benchmarks and tests all use them.

An assignment is a folder of nbgrader source notebooks, ``solutions/<id>/``; beside
its notebooks, ``solutions/<id>/authoring/`` holds what only its authors use (the
figure script, the answer bank), which nbgrader never releases to students.

Every helper takes the assignment's nbgrader id (:func:`assignment_ids` lists them)
and the folders it works in; none names an assignment. They make a throw-away
course from this checkout, release an assignment with nbgrader, fill the student
version with answers and place it as a submission, build a whole synthetic class
from the assignment's answer bank, and run a test cell of the source notebook
in-process, judged as the grading pipeline judges it.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import io
import os
import re
import shutil
import subprocess
import sys
import textwrap
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path
from types import ModuleType
from typing import ClassVar

import nbformat

from .assignments import find
from .verdicts import Reference, Verdict, parse_records, single_record

SOURCE = "solutions"
RELEASED = "notebooks"
AUTHORING = "authoring"
# Where nbgrader, jupyter and alembic are: beside the running Python.
BIN = Path(sys.executable).parent

# A submission's answers: the source of each answer cell, by its grade id.
Answers = Mapping[str, str]


def course_root() -> Path:
    """The repository's root, where this checkout of the course lives."""
    return Path(__file__).resolve().parent.parent


def assignment_ids(root: Path | None = None) -> list[str]:
    """Every assignment of the course, in order: the folders of ``solutions/`` with notebooks."""
    source = (root or course_root()) / SOURCE
    return sorted(folder.name for folder in source.iterdir()
                  if folder.is_dir() and any(folder.glob("*.ipynb")))


def authoring_path(assignment_id: str, name: str, root: Path | None = None) -> Path:
    """Where an authoring module of the assignment is, e.g. its ``answer_bank``, if it has one."""
    return (root or course_root()) / SOURCE / assignment_id / AUTHORING / f"{name}.py"


@functools.cache
def authoring(assignment_id: str, name: str, root: Path | None = None) -> ModuleType:
    """One of an assignment's authoring modules, e.g. its ``answer_bank``."""
    path = authoring_path(assignment_id, name, root)
    spec = importlib.util.spec_from_file_location(f"authoring_{assignment_id}_{name}", path)
    if spec is None or spec.loader is None or not path.is_file():
        raise FileNotFoundError(f"{assignment_id} has no {AUTHORING}/{name}.py ({path})")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # as an import does: dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def reference_functions(assignment_id: str, root: Path | None = None) -> dict[str, Callable]:
    """The assignment's reference answers: its graded functions as its solution notebooks
    define them, read as the grader reads them (the one copy of the answers there is)."""
    assignment = find(assignment_id)
    functions: dict[str, Callable] = {}
    for notebook in sorted(((root or course_root()) / SOURCE / assignment_id).glob("*.ipynb")):
        functions.update(Reference(notebook, assignment).functions)
    return functions


# --- Answer banks ----------------------------------------------------------------------------

# Fragments of the public checks' messages (``graders.values``, ``graders.compare``), as an
# answer bank's ``problem`` names what a check must say about a wrong answer.
RAISED = "raised"
VALUES = "values differ"
SHAPE = "shape should be"
MODIFIED = "modified in place"
NOT_ARRAY = "expected a NumPy array"
NOT_NUMBER = "expected a single number"
DTYPE = "dtype should be floating point"
NOT_TUPLE = "expected a tuple of"
NOT_DICT = "expected a dict"
LIST_LENGTH = "expected a list of"
MISSING_KEY = "missing key"


@dataclass(frozen=True)
class BankAnswer:
    """One answer to an exercise, right or wrong, as source text. An assignment's answer
    bank (``authoring/answer_bank.py``) names its ``assignment`` and what the notebook's
    set-up cells ``import`` in a subclass.

    ``problem`` is a fragment the public check's message must contain (``None`` when only
    the hidden tests can see the mistake), ``misconception`` the key of the catalogue
    entry the message must name (``None``: the catalogue does not know the mistake, and
    no hint may be guessed).
    """

    assignment: ClassVar[str]
    imports: ClassVar[Mapping[str, object]]

    function: str
    label: str
    source: str
    problem: str | None = None
    misconception: str | None = None

    @property
    def id(self) -> str:
        return f"{self.function}: {self.label}"

    def load(self) -> Callable:
        """Define the answer's function, as the notebook would, and return it.

        The other exercises are answered as the solution notebook answers them, so
        that an answer that calls another exercise is judged alone.
        """
        namespace = {**self.imports, **_reference_functions(self.assignment)}
        exec(textwrap.dedent(self.source), namespace)
        return namespace[self.function]


@functools.cache
def _reference_functions(assignment_id: str) -> Mapping[str, Callable]:
    return reference_functions(assignment_id)


# --- Notebooks -----------------------------------------------------------------------------

def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def notebook_name(assignment_id: str, root: Path | None = None) -> str:
    """The file name of the assignment's notebook; these helpers handle one per assignment."""
    folder = (root or course_root()) / SOURCE / assignment_id
    names = sorted(path.name for path in folder.glob("*.ipynb"))
    if len(names) != 1:
        raise ValueError(f"{assignment_id} has {len(names)} notebooks ({', '.join(names)}); "
                         "the course set-up handles assignments of exactly one")
    return names[0]


def source_notebook(assignment_id: str, root: Path | None = None) -> Path:
    """The nbgrader source of the assignment: answers, public checks and hidden tests."""
    root = root or course_root()
    return root / SOURCE / assignment_id / notebook_name(assignment_id, root)


def release_notebook(assignment_id: str, root: Path | None = None) -> Path:
    """The student version that ``nbgrader generate_assignment`` makes from the source."""
    root = root or course_root()
    return root / RELEASED / assignment_id / notebook_name(assignment_id, root)


def grade_id(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def cell_by_id(nb, wanted: str):
    return next(cell for cell in nb.cells if grade_id(cell) == wanted)


def graded_cells(nb) -> list:
    return [cell for cell in nb.cells if cell.metadata.get("nbgrader", {}).get("grade")]


# --- Answers and test cells, in-process ----------------------------------------------------

def complete_answers(assignment_id: str, root: Path | None = None) -> dict[str, str]:
    """Every graded function answered as the source notebook does."""
    source = read(source_notebook(assignment_id, root))
    return {function: cell_by_id(source, function).source
            for function in find(assignment_id).functions}


def run_test_cell(assignment_id: str, test_id: str, functions: Mapping[str, Callable]) -> str:
    """Run one test cell of the source notebook (hidden part included) in-process.

    The cell runs after the notebook's set-up cells (the code cells before its first
    answer: imports, constants), beside the given functions. Returns what the cell
    printed, where a hidden test cell prints its record.
    """
    nb = read(source_notebook(assignment_id))
    namespace: dict = {}
    for cell in _setup_cells(nb):
        exec(cell.source, namespace)
    namespace.update(functions)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(cell_by_id(nb, test_id).source, namespace)
    return printed.getvalue()


@functools.cache
def reference(assignment_id: str) -> Reference:
    """What verdicts judge the assignment's records against, read from its source notebook."""
    return Reference(source_notebook(assignment_id), find(assignment_id))


def judge_hidden(assignment_id: str, function: str, implementation: Callable,
                 answer: str | None = None) -> Verdict:
    """Run a hidden test cell in-process and judge its record as the grading pipeline does.

    If the cell stops with an error, nothing is recorded, as in a kernel, and the
    verdict says why from ``answer``, the answer cell's source, when it is given.
    """
    try:
        with warnings.catch_warnings():  # a wrong answer's overflow is not the test's business
            warnings.simplefilter("ignore", RuntimeWarning)
            printed = run_test_cell(assignment_id, f"test_{function}_hidden",
                                    {function: implementation})
        entry, forged = single_record(parse_records(printed), function)
        assert not forged, forged
    except Exception:
        entry = None
    judged_by = reference(assignment_id)
    return judged_by.judge(function, entry, "hidden", answer,
                           hidden=judged_by.source_hidden_tests.get(function))


def public_message(assignment_id: str, function: str, implementation: Callable) -> str | None:
    """The public check's report on an implementation, or None if the check passes it."""
    check = find(assignment_id).public_check(function, "")
    try:
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            check(implementation)
    except AssertionError as failure:
        return str(failure)
    return None


def named_misconception(assignment_id: str, function: str, message: str | None) -> str | None:
    """The key of the catalogue's misconception that a message names first thing, or None."""
    first = message.splitlines()[0] if message else ""
    catalogue = find(assignment_id).misconceptions.get(function, ())
    named = [m.key for m in catalogue if m.fix in first]
    assert len(named) <= 1, named
    return named[0] if named else None


def _setup_cells(nb) -> list:
    cells = []
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            break
        if cell.cell_type == "code":
            cells.append(cell)
    return cells


# --- A course, released and submitted to, with nbgrader ------------------------------------

def tool_env() -> dict[str, str]:
    """The environment for nbgrader and jupyter: the venv's bin first (nbgrader runs alembic)."""
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def run_tool(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    """Run one of the environment's programs (``nbgrader``, ``jupyter``) in ``cwd``."""
    result = subprocess.run(
        [str(BIN / args[0]), *args[1:]], cwd=cwd, env=tool_env(),
        capture_output=True, text=True, timeout=600,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"{' '.join(args)} exited with {result.returncode}\n"
            f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
        )
    return result


def copy_course(destination: Path, root: Path | None = None) -> Path:
    """A throw-away copy of the course: configuration and nbgrader sources, nothing else."""
    root = root or course_root()
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copy2(root / "nbgrader_config.py", destination)
    shutil.copytree(root / SOURCE, destination / SOURCE)
    return destination


def generate_assignment(course: Path, assignment_id: str,
                        db_url: str | None = None) -> nbformat.NotebookNode:
    """Release the assignment in the course (its gradebook made); returns the student version."""
    extra = [f"--CourseDirectory.db_url={db_url}"] if db_url else []
    run_tool("nbgrader", "generate_assignment", assignment_id, *extra, cwd=course)
    return read(release_notebook(assignment_id, course))


def released_course(folder: Path, assignment_id: str,
                    db_url: str | None = None) -> tuple[Path, nbformat.NotebookNode]:
    """A course copy with the assignment released, and the student version."""
    course = copy_course(folder)
    return course, generate_assignment(course, assignment_id, db_url)


def use_stock_autograde(course: Path) -> None:
    """Make the course autograde as stock nbgrader does: verdicts in the kernel, no sandbox."""
    from nbgrader.converters import Autograde  # nbgrader is slow to import; only this needs it

    stock = [f"{step.__module__}.{step.__qualname__}"
             for step in Autograde.class_traits()["autograde_preprocessors"].default()]
    config = course / "nbgrader_config.py"
    config.write_text(f"{config.read_text()}\nc.Autograde.autograde_preprocessors = {stock!r}\n")


def make_submission(release_nb, answers: Answers) -> nbformat.NotebookNode:
    """A student's notebook: the release version with some answer cells filled in."""
    nb = nbformat.from_dict(release_nb)
    for cell in nb.cells:
        if grade_id(cell) in answers:
            cell.source = answers[grade_id(cell)]
    return nb


def submit(course: Path, student: str, assignment_id: str,
           notebook: nbformat.NotebookNode | bytes | None) -> Path:
    """Place a submission (a notebook, raw bytes, or None for no file) in submitted/."""
    folder = course / "submitted" / student / assignment_id
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / notebook_name(assignment_id, course)
    if isinstance(notebook, bytes):
        path.write_bytes(notebook)
    elif notebook is not None:
        nbformat.write(notebook, path)
    return folder


def submit_class(course: Path, assignment_id: str,
                 students: Mapping[str, Answers | bytes]) -> None:
    """Submit, for each student, the released notebook with their answers (or raw bytes)."""
    release = read(release_notebook(assignment_id, course))
    for student, answers in students.items():
        submit(course, student, assignment_id, answers if isinstance(answers, bytes)
               else make_submission(release, answers))


# --- Synthetic classes ----------------------------------------------------------------------

def honest_class(assignment_id: str, size: int) -> dict[str, Answers]:
    """A class in which every one of ``size`` students hands in complete, right answers."""
    complete = complete_answers(assignment_id)
    return {f"honest_{index:03d}": complete for index in range(size)}


def demo_class(assignment_id: str, size: int | None = None) -> dict[str, Answers | bytes]:
    """Every kind of submission a class hands in, interleaved: answers (or bytes) by student.

    Complete ones (in several correct styles of the assignment's answer bank), one
    for each typical mistake of the bank, partly done ones, a blank one, one that
    loops forever and one that is not a notebook at all; the first ``size`` of them
    if a size is given.
    """
    bank = authoring(assignment_id, "answer_bank")
    functions = find(assignment_id).functions
    complete = complete_answers(assignment_id)

    def with_answer(answer) -> dict[str, str]:
        return {**complete, answer.function: textwrap.dedent(answer.source)}

    styles = [complete] + [with_answer(answer) for answer in bank.ALTERNATIVE_CORRECT[::3]]
    correct = [(f"complete_{n:02d}", answers) for n, answers in enumerate(styles, start=1)]
    mistakes = [(f"mistake_{answer.function}_{_slug(answer.label)}", with_answer(answer))
                for answer in bank.WRONG]
    # A quarter, half and three quarters done (fewer kinds for a short assignment).
    done = sorted({len(functions) * quarters // 4 for quarters in (1, 2, 3)} - {0})
    partial = [(f"partly_{k}_of_{len(functions)}", {f: complete[f] for f in functions[:k]})
               for k in done]
    odd = [("blank", {}),
           ("loops_forever", {**complete, functions[-1]: _loops_forever(functions[-1])}),
           ("not_a_notebook", b"this is not a notebook")]
    students = [student for group in zip_longest(correct, mistakes, partial, odd)
                for student in group if student][:size]
    by_student = dict(students)
    if len(by_student) != len(students):  # two labels of the bank made the same student id
        raise ValueError(f"the demo class of {assignment_id} repeats a student id")
    return by_student


def _loops_forever(function: str) -> str:
    return (f"def {function}(*args, **kwargs):\n"
            "    while True:  # forgot to write the loop's exit\n"
            "        pass\n")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:40]
