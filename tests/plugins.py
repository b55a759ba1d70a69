"""Assignments made up by a test, registered the way the engine finds every assignment.

A distribution's ``*.dist-info/entry_points.txt`` on ``sys.path`` is what
``importlib.metadata`` (and so ``graders.assignments.find``) reads: here it sits
in a temporary folder beside the assignment's module, and that folder is put on
``PYTHONPATH`` for the graders the test starts (and on ``sys.path`` in the test's
own process).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

META = {"schema_version": 3, "task": False}

# A one-function assignment: double(x) = 2x, one hidden test cell worth one point.
TINY_CHECKS = '''
from graders.assignments import Assignment
from graders.compare import Case
from graders.record import recorder

CASES = {"double": [Case("x = 2", (2,), 4.0)]}
ASSIGNMENT = Assignment("tiny", cases=CASES)
record = recorder(CASES)
double_test = ASSIGNMENT.public_check("double", "Check double.")
'''


@contextlib.contextmanager
def registered(folder: Path, package: str, source: str, ids: list[str]) -> Iterator[dict]:
    """Register ``package`` (one module, ``source``) as providing the assignments ``ids``.

    Yields the environment for a grader started by the test.
    """
    root = folder / "plugins"
    (root / package).mkdir(parents=True)
    (root / package / "__init__.py").write_text(source, encoding="utf-8")
    info = root / f"{package}-0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {package}\nVersion: 0\n")
    (info / "entry_points.txt").write_text(
        "[graders.assignments]\n" + "".join(f"{i} = {package}:ASSIGNMENT\n" for i in ids))
    sys.path.insert(0, str(root))
    importlib.invalidate_caches()
    try:
        yield {**os.environ, "PYTHONPATH": os.pathsep.join(
            filter(None, [str(root), os.environ.get("PYTHONPATH")]))}
    finally:
        sys.path.remove(str(root))
        sys.modules.pop(package, None)
        importlib.invalidate_caches()


def cell(source: str, grade_id: str, *, solution: bool = False, points: int = 0):
    """A code cell with nbgrader's metadata: an answer cell, or a graded test cell."""
    graded = points > 0
    return new_code_cell(source, id=grade_id.replace("_", "-"), metadata={"nbgrader": {
        **META, "grade_id": grade_id, "grade": graded, "solution": solution,
        "locked": not solution, **({"points": points} if graded else {})}})


def tiny_notebook(hidden_inputs: str = "[3, -1.5, 0.25]"):
    """The tiny assignment's source notebook: double's answer cell and its hidden test."""
    return new_notebook(cells=[
        cell("def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION",
             "double", solution=True),
        cell("### BEGIN HIDDEN TESTS\nfrom tiny_checks import record\n"
             f"record('double', double, {hidden_inputs})\n### END HIDDEN TESTS",
             "test_double_hidden", points=1),
    ])


def write_source(course: Path, assignment: str, name: str, nb) -> Path:
    path = course / "solutions" / assignment / f"{name}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path
