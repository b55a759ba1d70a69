"""The conventions the engine's modules share, in one place and with a typed shape.

Kept free of nbgrader imports at module level: the kernel-side recorder reads it too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, TypedDict

# A record line, printed by a hidden test cell in the kernel (graders.record).
RECORD_PREFIX = "GRADERS-RECORD "
# The canary cell (graders.autograde_steps.AddCanary): its id and what it prints.
CANARY_ID = "graders-canary"
CANARY_PREFIX = "GRADERS-CANARY "
# Where the engine keeps its results, in a judged cell's and in a notebook's metadata.
METADATA_KEY = "graders"

# The nbgrader id of a graded test cell: test_<function> checks the function's public
# cases, test_<function>_hidden its hidden inputs.
_TEST_ID = re.compile(r"^test_(?P<function>\w+?)(?P<hidden>_hidden)?$")

Part = Literal["public", "hidden"]


@dataclass(frozen=True)
class TestId:
    """What a test cell's nbgrader id says: the function it tests, and which of its parts."""

    function: str
    part: Part


def parse_test_id(grade_id: object) -> TestId | None:
    """The function and part a test cell's grade id names, or None if it follows no convention."""
    match = _TEST_ID.match(grade_id) if isinstance(grade_id, str) else None
    if match is None:
        return None
    return TestId(match["function"], "hidden" if match["hidden"] else "public")


def hidden_test_delimiter(config=None) -> str:
    """What marks hidden tests in a cell: nbgrader's own, as the course configures it."""
    from nbgrader.preprocessors import ClearHiddenTests

    return ClearHiddenTests(config=config).begin_test_delimeter


def holds_hidden_tests(source: str, delimiter: str) -> bool:
    """Does this cell's source have a hidden-test region (a line holding the delimiter)?"""
    return any(delimiter in line for line in source.split("\n"))


class CellVerdict(TypedDict):
    """What a judged test cell keeps in its metadata (``METADATA_KEY``), for feedback and reports.

    ``kind`` says why it failed, for the class report: "passed", "mismatch" (the record
    was judged and differs), "not_recorded", "unreadable", "forged", "timed_out",
    "not_run" (the notebook did not run to its end), "error" (the cell raised),
    "unknown" (no assignment or function the engine knows). ``problems`` are the
    short, comparable kinds of difference (English, no numbers of one case) and
    ``diagnosis`` the key of the misconception named, if any.
    """

    passed: bool
    message: str
    function: str
    part: str
    kind: str
    problems: list[str]
    diagnosis: str | None


class RunNote(TypedDict):
    """What the engine notes of one graded run in the autograded notebook's metadata."""

    canary_ok: bool
    execution_failure: str
    seconds: dict[str, float]
    timed_out: list[str]
