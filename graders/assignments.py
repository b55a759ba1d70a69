"""Where the engine finds an assignment: by its nbgrader id, as data.

An assignment is an :class:`Assignment` object that a module of the course (or of
any installed package) defines, and registers under its nbgrader id in the entry-point
group ``graders.assignments`` (``pyproject.toml``)::

    [project.entry-points."graders.assignments"]
    "03_array_summaries" = "summaries_checks:ASSIGNMENT"

The engine (records, verdicts, nbgrader steps, class runner, report) asks
:func:`find` for the assignment it grades and names none itself. The same module
gives students the assignment's public checks, and its hidden test cells their
``record`` (``graders.record.recorder``), so that two assignments may both have a
``sigmoid``: each module is its own namespace. docs/authoring.md walks through it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any

import numpy as np

from .compare import Case, run_cases
from .diagnoses import Misconception
from .values import Tolerance, Tolerances

ENTRY_POINT_GROUP = "graders.assignments"


@dataclass(frozen=True)
class Assignment:
    """One nbgrader assignment, as the engine needs it: functions, cases, tolerances.

    ``cases`` lists, per graded function, its public cases (the public check runs
    them in the student's kernel; the hidden test cell records them too, and the
    verdict judges them against the reference). ``tolerances`` says, per function,
    how closely hidden results must match (else ``default_tolerance``), for the
    whole result or per part of it. ``misconceptions`` is the catalogue of known
    mistakes per function (``graders.diagnoses``). ``data_files`` are the files (or
    folders) the notebook reads, a data set say: the grading sandbox shows the kernel
    these, read-only, where they lie, and nothing else of the course. The verdicts read
    the tolerance of each part of a result with ``graders.values.tolerance_at``. The
    reference itself is never here: it is the answer cells of the nbgrader source notebook.
    """

    id: str
    cases: Mapping[str, Sequence[Case]]
    tolerances: Mapping[str, Tolerances] = field(default_factory=dict)
    misconceptions: Mapping[str, Sequence[Misconception]] = field(default_factory=dict)
    default_tolerance: Tolerance = field(default_factory=Tolerance)
    data_files: Sequence[str | os.PathLike] = ()

    @property
    def functions(self) -> tuple[str, ...]:
        """The graded functions, in the notebook's order."""
        return tuple(self.cases)

    def public_answer(self, function: str, args: tuple) -> Any:
        """The right answer of ``function`` on these inputs, if they are one of its public cases."""
        for case in self.cases.get(function, ()):
            if _same_args(case.args, args):
                return case.want
        return None

    def public_check(self, function: str, doc: str) -> Callable[[Callable], None]:
        """The check ``<function>_test``, which a student calls with their function."""
        check_name = f"{function}_test"

        def check(target: Callable) -> None:
            run_cases(check_name, target, self.cases[function],
                      misconceptions=self.misconceptions.get(function, ()),
                      answers=self.public_answer, functions=self.cases)

        check.__name__ = check.__qualname__ = check_name
        check.__doc__ = doc
        return check


class UnknownAssignmentError(LookupError):
    """No installed module registers this nbgrader id; the message says how to add one."""


def registered() -> dict[str, str]:
    """Every registered assignment: its nbgrader id and where it is defined (module:name)."""
    return {point.name: point.value for point in entry_points(group=ENTRY_POINT_GROUP)}


def module_name(assignment_id: str | None) -> str | None:
    """The module that defines this assignment (``graders.numpy_basics``), read from its
    entry point without importing anything: the module a grading kernel must import. None
    for an id that no package registers."""
    where = registered().get(assignment_id or "", "")
    return where.partition(":")[0].strip() or None


def find(assignment_id: str) -> Assignment:
    """The assignment registered under this nbgrader id."""
    points = [point for point in entry_points(group=ENTRY_POINT_GROUP)
              if point.name == assignment_id]
    if not points:
        known = ", ".join(sorted(registered())) or "none"
        raise UnknownAssignmentError(
            f"no assignment is registered as {assignment_id!r} (registered: {known}). Define "
            f"an Assignment and register it in the entry-point group {ENTRY_POINT_GROUP!r} "
            "of an installed package (docs/authoring.md)")
    assignment = points[0].load()
    if not isinstance(assignment, Assignment) or assignment.id != assignment_id:
        raise UnknownAssignmentError(
            f"{points[0].value} is registered as {assignment_id!r} but is not an Assignment "
            "with that id")
    return assignment


def _same_args(given: tuple, args: tuple) -> bool:
    if len(given) != len(args):
        return False
    try:
        return all(np.shape(a) == np.shape(b) and np.array_equal(a, b)
                   for a, b in zip(given, args, strict=True))
    except Exception:  # inputs that are not arrays or numbers: not a public case we can match
        return False
