"""What an attack needs to know of the assignment it attacks, as data.

Every attack of the red-team suite is built from a :class:`Target`: the notebook
to hand in, the checks module whose recorder it forges, the graded functions it
answers wrongly or replaces, the points at stake. :func:`target` reads one from the
assignment's own files (its registration, source notebook and answer bank), so the
same attacks run against every assignment of ``solutions/``.
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from graders.assignments import find, registered
from graders.course_setup import (
    SOURCE,
    authoring,
    complete_answers,
    grade_id,
    graded_cells,
    read,
    source_notebook,
)


@dataclass(frozen=True)
class Roles:
    """Graded functions that some attacks and students need, chosen per assignment.

    ``elementwise`` takes one array and returns one of the same shape (an attack
    returns arrays of that shape); ``reshaping`` returns an array whose shape is the
    point (an attack lies about it); ``independent`` is called by no other answer, so
    a wrong answer to it costs exactly its own points.
    """

    elementwise: str
    reshaping: str
    independent: str


# Assignment 2 recaps assignment 1's sigmoid; its model calls every other function.
ROLES = {
    "01_numpy_basics": Roles(elementwise="sigmoid", reshaping="image2vector",
                             independent="softmax"),
    "02_logistic_regression": Roles(elementwise="sigmoid", reshaping="flatten_and_scale",
                                    independent="model"),
}


@dataclass(frozen=True)
class Target:
    """One assignment as its attackers see it.

    ``checks`` is the import name of the module holding its public cases and the hidden
    cells' ``record``; ``wrong`` holds one wrong answer per function (each fails its public
    check and its hidden test), ``complete`` the solution's answer cells; ``points`` the
    points of each graded cell, by grade id.
    """

    id: str
    notebook: str
    checks: str
    source: Path  # the assignment's folder of nbgrader sources, from the course's root
    functions: tuple[str, ...]
    wrong: Mapping[str, str]
    complete: Mapping[str, str]
    points: Mapping[str, float]
    roles: Roles

    @property
    def first(self) -> str:
        """The first graded function: most attacks add their cell right after its answer."""
        return self.functions[0]

    @property
    def last(self) -> str:
        """The last graded function: an attack placed after it outlives every answer."""
        return self.functions[-1]

    @property
    def full(self) -> float:
        return sum(self.points.values())

    @property
    def public_points(self) -> float:
        """What passing every public check is worth (hidden tests carry the rest)."""
        return sum(points for cell, points in self.points.items()
                   if not cell.endswith("_hidden"))

    def points_of(self, function: str) -> float:
        """What a function's public check and hidden tests are worth together."""
        return self.points[f"test_{function}"] + self.points[f"test_{function}_hidden"]

    def solved(self, function: str) -> str:
        """The solution's answer as plain code, without nbgrader's solution markers."""
        return "\n".join(line for line in self.complete[function].splitlines()
                         if "### " not in line)


def wrong_answers(bank) -> dict[str, str]:
    """The first wrong answer of the bank per function that its public check catches."""
    chosen = {}
    for answer in bank.WRONG:
        if answer.problem and answer.function not in chosen:
            chosen[answer.function] = textwrap.dedent(answer.source)
    return chosen


@functools.cache
def target(assignment_id: str) -> Target:
    """The assignment of this nbgrader id, read from its registration, notebook and bank."""
    functions = find(assignment_id).functions
    wrong = wrong_answers(authoring(assignment_id, "answer_bank"))
    missing = set(functions) - set(wrong)
    assert not missing, f"the answer bank has no caught mistake for {sorted(missing)}"
    notebook = source_notebook(assignment_id)
    return Target(
        id=assignment_id,
        notebook=notebook.name,
        checks=registered()[assignment_id].partition(":")[0],
        source=Path(SOURCE, assignment_id),
        functions=functions,
        wrong=wrong,
        complete=complete_answers(assignment_id),
        points={grade_id(cell): float(cell.metadata["nbgrader"]["points"])
                for cell in graded_cells(read(notebook))},
        roles=ROLES[assignment_id],
    )
