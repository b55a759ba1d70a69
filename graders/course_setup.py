"""The course's layout, as the tools, benchmarks and tests all read it.

An assignment is a folder of nbgrader source notebooks, ``solutions/<id>/``; beside
its notebooks, ``solutions/<id>/authoring/`` holds what only its authors use (the
figure script, the answer bank), which nbgrader never releases to students.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from types import ModuleType

SOURCE = "solutions"
AUTHORING = "authoring"


def course_root() -> Path:
    """The repository's root, where this checkout of the course lives."""
    return Path(__file__).resolve().parent.parent


def assignment_ids(root: Path | None = None) -> list[str]:
    """Every assignment of the course, in order: the folders of ``solutions/`` with notebooks."""
    source = (root or course_root()) / SOURCE
    return sorted(folder.name for folder in source.iterdir()
                  if folder.is_dir() and any(folder.glob("*.ipynb")))


@functools.cache
def authoring(assignment_id: str, name: str, root: Path | None = None) -> ModuleType:
    """An authoring module of an assignment, e.g. ``authoring("01_numpy_basics", "answer_bank")``."""
    path = (root or course_root()) / SOURCE / assignment_id / AUTHORING / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"authoring_{assignment_id}_{name}", path)
    if spec is None or spec.loader is None or not path.is_file():
        raise FileNotFoundError(f"{assignment_id} has no {AUTHORING}/{name}.py ({path})")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
