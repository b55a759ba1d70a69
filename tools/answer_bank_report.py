"""What do the checks catch in the bank of answers, and do they name the mistake?

    python tools/answer_bank_report.py

Reads the bank in tests/wrong_answers.py and runs each answer against its public
check and its hidden test cell (taken from the solution notebook), in-process,
the hidden record judged as the grading pipeline judges it. Two tables:

- caught: how many wrong answers each check fails, and how many right ones pass;
- diagnosed: of the mistakes the catalogue knows, how many messages name the
  right misconception, a wrong one, or none; and how many mistakes it does not
  know get a (guessed, so wrong) diagnosis. A hidden verdict can diagnose only
  what was recorded (or a stub left as it was, which the answer cell tells):
  "no rec" counts the answers whose hidden cell stopped before recording.
"""

import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from messages import hidden_verdict, named_misconception, public_message
from wrong_answers import ALTERNATIVE_CORRECT, FUNCTIONS, WRONG


def main() -> None:
    warnings.simplefilter("ignore", RuntimeWarning)  # wrong answers divide by zero, on purpose
    public = {a.id: public_message(a) for a in [*WRONG, *ALTERNATIVE_CORRECT]}
    hidden = {a.id: hidden_verdict(a) for a in [*WRONG, *ALTERNATIVE_CORRECT]}
    caught(public, hidden)
    print()
    diagnosed(public, hidden)


def caught(public: dict, hidden: dict) -> None:
    print("Caught · 检出")
    print(f"{'function':<20}{'wrong':>6}{'public':>8}{'hidden':>8}{'either':>8}{'right ok':>10}")
    totals = [0, 0, 0, 0]
    for function in FUNCTIONS:
        wrong = [a for a in WRONG if a.function == function]
        by_public = [public[a.id] is not None for a in wrong]
        by_hidden = [not hidden[a.id][0].passed for a in wrong]
        either = [p or h for p, h in zip(by_public, by_hidden, strict=True)]
        right = [a for a in ALTERNATIVE_CORRECT if a.function == function]
        accepted = sum(public[a.id] is None and hidden[a.id][0].passed for a in right)
        row = [len(wrong), sum(by_public), sum(by_hidden), sum(either)]
        totals = [t + r for t, r in zip(totals, row, strict=True)]
        print(_row(function, row, (6, 8, 8, 8)) + f"{accepted:>8}/{len(right)}")
    print(_row("total", totals, (6, 8, 8, 8)))


def diagnosed(public: dict, hidden: dict) -> None:
    """Right / wrong / no diagnosis, for the public check and for the hidden verdict."""
    print("Diagnosed · 诊断 (known mistakes: right/wrong/none; unknown mistakes: guessed)")
    header = ["known", "pub ok", "pub bad", "pub -", "hid ok", "hid bad", "hid -", "no rec",
              "unknown", "guessed"]
    widths = (6, 8, 8, 7, 8, 8, 7, 8, 9, 9)
    print(f"{'function':<20}" + "".join(f"{h:>{w}}" for h, w in zip(header, widths, strict=True)))
    totals = [0] * len(header)
    for function in FUNCTIONS:
        failing = [a for a in WRONG if a.function == function and public[a.id] is not None]
        known = [a for a in failing if a.misconception]
        unknown = [a for a in failing if not a.misconception]
        pub = [_verdict(a, named_misconception(function, public[a.id])) for a in known]
        judged = [a for a in known if hidden[a.id][1] or a.misconception == "not_written"]
        hid = [_verdict(a, named_misconception(function, hidden[a.id][0].message))
               for a in judged]
        guessed = sum(
            named_misconception(function, public[a.id]) is not None
            or named_misconception(function, hidden[a.id][0].message) is not None
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
    main()
