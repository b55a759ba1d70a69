"""What a student reads for an answer of the bank, for tests/test_diagnoses.py.

The public check's report and the hidden verdict come from ``graders.course_setup``
(as ``tools/answer_bank_report.py`` reads them); here, only what the tests add.
"""

from __future__ import annotations

import textwrap

from course import ASSIGNMENT
from graders.assignments import find
from graders.course_setup import authoring, judge_hidden, named_misconception, public_message
from graders.verdicts import Verdict

Answer = authoring(ASSIGNMENT, "answer_bank").Answer
MISCONCEPTIONS = find(ASSIGNMENT).misconceptions


def public_report(answer: Answer) -> str | None:
    """The public check's report on the answer, or None if the check passes it."""
    return public_message(ASSIGNMENT, answer.function, answer.load())


def hidden_verdict(answer: Answer) -> Verdict:
    """The hidden test's verdict on the answer, as the grading pipeline gives it."""
    return judge_hidden(ASSIGNMENT, answer.function, answer.load(), textwrap.dedent(answer.source))


def named_first(function: str, message: str | None) -> str | None:
    """The key of the misconception a message names first thing, or None."""
    return named_misconception(ASSIGNMENT, function, message)


def named_anywhere(function: str, message: str) -> list[str]:
    """The keys of every catalogue entry whose words appear anywhere in a message."""
    return [m.key for m in MISCONCEPTIONS[function] if m.fix in message]
