"""What do the checks catch in an assignment's bank of answers, and do they name the mistake?

    python tools/answer_bank_report.py        # every assignment with a bank
    python tools/answer_bank_report.py <id>…  # those (``make bench A=<id>``)

An assignment's bank is one of its authoring modules, ``solutions/<id>/authoring/
answer_bank.py``: ``WRONG``, the mistakes students make, and ``ALTERNATIVE_CORRECT``,
other right ways to answer; each answer has an ``id``, the ``function`` it answers,
its ``source``, a ``load()`` that defines it, and for a wrong one the ``misconception``
of the assignment's catalogue it is (or None, for a mistake the catalogue does not know).

Each answer runs against its public check and its hidden test cell (taken from the
solution notebook), in-process, the hidden record judged as the grading pipeline
judges it. Two tables per assignment:

- caught: how many wrong answers each check fails, and how many right ones pass;
- diagnosed: of the mistakes the catalogue knows, how many messages name the
  right misconception, a wrong one, or none; and how many mistakes it does not
  know get a (guessed, so wrong) diagnosis. A hidden verdict can diagnose only
  what was recorded (or a stub left as it was, which the answer cell tells):
  "no rec" counts the answers whose hidden cell stopped before recording.
"""

import sys
import textwrap
import warnings
from types import ModuleType

from graders.assignments import Assignment, find
from graders.course_setup import (
    assignment_ids,
    authoring,
    authoring_path,
    judge_hidden,
    named_misconception,
    public_message,
)
from graders.diagnoses import NOT_WRITTEN

BANK = "answer_bank"


def with_bank() -> list[str]:
    """The assignments that have an answer bank, in order."""
    return [assignment_id for assignment_id in assignment_ids()
            if authoring_path(assignment_id, BANK).is_file()]


def report(assignment_id: str) -> None:
    """Both tables for one assignment."""
    assignment, bank = find(assignment_id), authoring(assignment_id, BANK)
    answers = [*bank.WRONG, *bank.ALTERNATIVE_CORRECT]
    public = {a.id: public_message(assignment_id, a.function, a.load()) for a in answers}
    hidden = {a.id: judge_hidden(assignment_id, a.function, a.load(), textwrap.dedent(a.source))
              for a in answers}
    print(f"== {assignment_id}")
    caught(bank, assignment, public, hidden)
    print()
    diagnosed(bank, assignment, public, hidden)


def main(chosen: list[str]) -> None:
    banked = with_bank()
    unknown = [assignment_id for assignment_id in chosen if assignment_id not in banked]
    if unknown:
        missing = ", ".join(str(authoring_path(assignment_id, BANK)) for assignment_id in unknown)
        raise SystemExit(f"answer_bank_report: there is no {missing}; "
                         f"assignments with a bank: {', '.join(banked) or 'none'}")
    warnings.simplefilter("ignore", RuntimeWarning)  # wrong answers divide by zero, on purpose
    for number, assignment_id in enumerate(chosen or banked):
        if number:
            print()
        report(assignment_id)


def caught(bank: ModuleType, assignment: Assignment, public: dict, hidden: dict) -> None:
    print("Caught · 检出")
    print(f"{'function':<20}{'wrong':>6}{'public':>8}{'hidden':>8}{'either':>8}{'right ok':>10}")
    totals = [0, 0, 0, 0]
    for function in assignment.functions:
        wrong = [a for a in bank.WRONG if a.function == function]
        by_public = [public[a.id] is not None for a in wrong]
        by_hidden = [not hidden[a.id].passed for a in wrong]
        either = [p or h for p, h in zip(by_public, by_hidden, strict=True)]
        right = [a for a in bank.ALTERNATIVE_CORRECT if a.function == function]
        accepted = sum(public[a.id] is None and hidden[a.id].passed for a in right)
        row = [len(wrong), sum(by_public), sum(by_hidden), sum(either)]
        totals = [t + r for t, r in zip(totals, row, strict=True)]
        print(_row(function, row, (6, 8, 8, 8)) + f"{accepted:>8}/{len(right)}")
    print(_row("total", totals, (6, 8, 8, 8)))


def diagnosed(bank: ModuleType, assignment: Assignment, public: dict, hidden: dict) -> None:
    """Right / wrong / no diagnosis, for the public check and for the hidden verdict."""
    print("Diagnosed · 诊断 (known mistakes: right/wrong/none; unknown mistakes: guessed)")
    header = ["known", "pub ok", "pub bad", "pub -", "hid ok", "hid bad", "hid -", "no rec",
              "unknown", "guessed"]
    widths = (6, 8, 8, 7, 8, 8, 7, 8, 9, 9)
    print(f"{'function':<20}" + "".join(f"{h:>{w}}" for h, w in zip(header, widths, strict=True)))
    totals = [0] * len(header)
    for function in assignment.functions:
        failing = [a for a in bank.WRONG if a.function == function and public[a.id] is not None]
        known = [a for a in failing if a.misconception]
        unknown = [a for a in failing if not a.misconception]
        pub = [_verdict(a, named_misconception(assignment.id, function, public[a.id]))
               for a in known]
        judged = [a for a in known
                  if hidden[a.id].kind != "not_recorded" or a.misconception == NOT_WRITTEN]
        hid = [_verdict(a, named_misconception(assignment.id, function, hidden[a.id].message))
               for a in judged]
        guessed = sum(
            named_misconception(assignment.id, function, public[a.id]) is not None
            or named_misconception(assignment.id, function, hidden[a.id].message) is not None
            for a in unknown
        )
        row = [len(known), pub.count("right"), pub.count("wrong"), pub.count("none"),
               hid.count("right"), hid.count("wrong"), hid.count("none"),
               len(known) - len(judged), len(unknown), guessed]
        totals = [t + r for t, r in zip(totals, row, strict=True)]
        print(_row(function, row, widths))
    print(_row("total", totals, widths))
    print("(no rec: the hidden cell stopped before recording, so its verdict has nothing to "
          "diagnose from)")


def _verdict(answer, named: str | None) -> str:
    if named is None:
        return "none"
    return "right" if named == answer.misconception else "wrong"


def _row(label: str, counts: list[int], widths: tuple[int, ...]) -> str:
    return f"{label:<20}" + "".join(f"{v:>{w}}" for v, w in zip(counts, widths, strict=True))


if __name__ == "__main__":
    main(sys.argv[1:])
