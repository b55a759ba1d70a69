"""How many wrong answers of the bank does each public check and hidden test catch?

    python tools/answer_bank_report.py

Reads the bank in tests/wrong_answers.py and runs each answer against its public
check and its hidden test cell (taken from the solution notebook), in-process.
"""

import contextlib
import io
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from course import judge_hidden, run_test_cell
from wrong_answers import ALTERNATIVE_CORRECT, FUNCTIONS, WRONG


def caught_by_public_check(answer) -> bool:
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            run_test_cell(f"test_{answer.function}", {answer.function: answer.load()})
    except Exception:
        return True
    return False


def caught_by_hidden_tests(answer) -> bool:
    """Judged as the grading pipeline judges it: from the record, outside the kernel."""
    return not judge_hidden(answer.function, answer.load()).passed


def main() -> None:
    warnings.simplefilter("ignore", RuntimeWarning)  # wrong answers divide by zero, on purpose
    print(f"{'function':<20}{'wrong':>6}{'public':>8}{'hidden':>8}{'either':>8}{'right ok':>10}")
    totals = [0, 0, 0, 0]
    for function in FUNCTIONS:
        wrong = [a for a in WRONG if a.function == function]
        public = [caught_by_public_check(a) for a in wrong]
        hidden = [caught_by_hidden_tests(a) for a in wrong]
        either = [p or h for p, h in zip(public, hidden, strict=True)]
        right = [a for a in ALTERNATIVE_CORRECT if a.function == function]
        accepted = sum(
            not caught_by_public_check(a) and not caught_by_hidden_tests(a) for a in right
        )
        row = [len(wrong), sum(public), sum(hidden), sum(either)]
        totals = [t + r for t, r in zip(totals, row, strict=True)]
        print(_row(function, row) + f"{accepted:>8}/{len(right)}")
    print(_row("total", totals))


def _row(label: str, counts: list[int]) -> str:
    widths = (6, 8, 8, 8)
    return f"{label:<20}" + "".join(f"{v:>{w}}" for v, w in zip(counts, widths, strict=True))


if __name__ == "__main__":
    main()
