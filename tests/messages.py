"""What a student reads for an answer of the bank: the public check's and the verdict's message.

Used by tests/test_diagnoses.py.
"""

from __future__ import annotations

import contextlib
import io
import textwrap
import warnings

import graders
from course import ASSIGNMENT
from graders.course_setup import authoring, reference, run_test_cell
from graders.numpy_basics import MISCONCEPTIONS
from graders.verdicts import Verdict, parse_records, single_record

Answer = authoring(ASSIGNMENT, "answer_bank").Answer


def public_message(answer: Answer) -> str | None:
    """The public check's report on the answer, or None if the check passes it."""
    check = getattr(graders, f"{answer.function}_test")
    try:
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            check(answer.load())
    except AssertionError as failure:
        return str(failure)
    return None


def hidden_verdict(answer: Answer) -> tuple[Verdict, bool]:
    """The hidden test's verdict as the grading pipeline gives it, and whether a record exists.

    The hidden cell runs in-process; if it stops with an error, nothing is
    recorded, as in a kernel, and the verdict is judged from the answer cell.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            printed = run_test_cell(ASSIGNMENT, f"test_{answer.function}_hidden",
                                    {answer.function: answer.load()})
        entry, forged = single_record(parse_records(printed), answer.function)
        assert not forged, forged
    except Exception:
        entry = None
    source = textwrap.dedent(answer.source)
    hidden = reference(ASSIGNMENT).source_hidden_tests.get(answer.function)
    return (reference(ASSIGNMENT).judge(answer.function, entry, "hidden", source, hidden),
            entry is not None)


def named_misconception(function: str, message: str) -> str | None:
    """The key of the catalogue entry a message names first thing, or None."""
    first = message.splitlines()[0] if message else ""
    named = [m.key for m in MISCONCEPTIONS[function] if m.fix in first]
    assert len(named) <= 1, named
    return named[0] if named else None


def named_anywhere(function: str, message: str) -> list[str]:
    """The keys of every catalogue entry whose words appear anywhere in a message."""
    return [m.key for m in MISCONCEPTIONS[function] if m.fix in message]
