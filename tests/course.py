"""Paths and small helpers about the course's notebooks, shared by the tests."""

from __future__ import annotations

import contextlib
import functools
import io
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np

from graders.assignments import find
from graders.verdicts import Reference, Verdict, parse_records, single_record

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = "01_numpy_basics"
NOTEBOOK = "numpy_basics.ipynb"
SOLUTION = ROOT / "solutions" / ASSIGNMENT / NOTEBOOK
RELEASE = ROOT / "notebooks" / ASSIGNMENT / NOTEBOOK
BIN = Path(sys.executable).parent


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def grade_id(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def cell_by_id(nb, wanted: str):
    return next(cell for cell in nb.cells if grade_id(cell) == wanted)


def graded_cells(nb) -> list:
    return [cell for cell in nb.cells if cell.metadata.get("nbgrader", {}).get("grade")]


def solution_source(function: str) -> str:
    """The reference answer for one function, as written in the solution notebook."""
    return cell_by_id(read(SOLUTION), function).source


def complete_answers() -> dict[str, str]:
    """Every graded function answered as the solution notebook does."""
    from wrong_answers import FUNCTIONS

    return {function: solution_source(function) for function in FUNCTIONS}


def run_test_cell(test_id: str, functions: dict) -> str:
    """Run one test cell of the solution notebook (hidden part included) in-process.

    Returns what the cell printed, where a hidden test cell prints its record.
    """
    namespace = {"np": np, "math": math, **functions}
    exec("from graders import *", namespace)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(cell_by_id(read(SOLUTION), test_id).source, namespace)
    return printed.getvalue()


@functools.cache
def reference() -> Reference:
    return Reference(SOLUTION, find(ASSIGNMENT))


def judge_hidden(function: str, implementation) -> Verdict:
    """Run a hidden test cell in-process and judge its record as the grading pipeline does."""
    try:
        printed = run_test_cell(f"test_{function}_hidden", {function: implementation})
    except Exception as error:  # in a kernel, an error in the cell fails it
        return Verdict(False, f"the cell raised {type(error).__name__}: {error}")
    entry, forged = single_record(parse_records(printed), function)
    assert not forged, forged
    return reference().judge(function, entry, "hidden")


def tool_env() -> dict[str, str]:
    """The environment for nbgrader and jupyter: the venv's bin first (nbgrader runs alembic)."""
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def run_tool(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
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


def copy_course(destination: Path) -> Path:
    """A throw-away copy of the course: configuration and nbgrader source, nothing else."""
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "nbgrader_config.py", destination)
    shutil.copytree(ROOT / "solutions", destination / "solutions")
    return destination


def make_submission(release_nb, answers: dict[str, str]):
    """A student's notebook: the release version with some answer cells filled in."""
    nb = nbformat.from_dict(release_nb)
    for cell in nb.cells:
        if grade_id(cell) in answers:
            cell.source = answers[grade_id(cell)]
    return nb


def released_course(folder: Path, db_url: str | None = None) -> tuple[Path, nbformat.NotebookNode]:
    """A course copy with assignment 1 released (gradebook made), and the student version."""
    course = copy_course(folder)
    extra = [f"--CourseDirectory.db_url={db_url}"] if db_url else []
    run_tool("nbgrader", "generate_assignment", ASSIGNMENT, *extra, cwd=course)
    return course, read(course / "notebooks" / ASSIGNMENT / NOTEBOOK)


def submit(course: Path, student: str, notebook, assignment: str = ASSIGNMENT,
           filename: str = NOTEBOOK) -> Path:
    """Place a submission (a notebook, raw bytes, or None for no file) in submitted/."""
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(notebook, bytes):
        (folder / filename).write_bytes(notebook)
    elif notebook is not None:
        nbformat.write(notebook, folder / filename)
    return folder
