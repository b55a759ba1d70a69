"""A demo class, graded end to end: what an instructor gets from `make grade`.

    python tools/demo.py [--size N] [--folder demo] [--jobs N] [--build-only]

Builds, from the student version of assignment 1, a class of synthetic
submissions: complete ones (in several correct styles), a blank one, one for each
typical mistake in the answer bank, partly done ones, one that loops forever and
one that is not a notebook at all; then grades it with `python -m graders.grade`
and prints where the report is. Nothing is downloaded.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import textwrap
from itertools import zip_longest
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from course import (  # noqa: E402
    ASSIGNMENT,
    complete_answers,
    make_submission,
    released_course,
    submit,
)
from wrong_answers import ALTERNATIVE_CORRECT, FUNCTIONS, WRONG  # noqa: E402

LOOPS_FOREVER = """
def softmax(x):
    while True:  # forgot to write the loop's exit
        pass
"""


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:40]


def demo_students() -> list[tuple[str, object]]:
    """(student id, answers or raw bytes), interleaving the kinds of submission."""
    complete = complete_answers()
    styles = [complete] + [
        {**complete, answer.function: textwrap.dedent(answer.source)}
        for answer in ALTERNATIVE_CORRECT[::3]
    ]
    correct = [(f"complete_{n:02d}", answers) for n, answers in enumerate(styles, start=1)]
    mistakes = [
        (f"mistake_{answer.function}_{slug(answer.label)}",
         {**complete, answer.function: textwrap.dedent(answer.source)})
        for answer in WRONG
    ]
    partial = [(f"partly_{k}_of_{len(FUNCTIONS)}",
                {f: complete[f] for f in FUNCTIONS[:k]}) for k in (2, 4, 6)]
    odd = [("blank", {}), ("loops_forever", {**complete, "softmax": LOOPS_FOREVER}),
           ("not_a_notebook", b"this is not a notebook")]
    mixed = [s for group in zip_longest(correct, mistakes, partial, odd) for s in group if s]
    return mixed


def build(folder: Path, size: int | None) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    course, release = released_course(folder)
    students = demo_students()[:size] if size else demo_students()
    for student, answers in students:
        submit(course, student, answers if isinstance(answers, bytes)
               else make_submission(release, answers))
    return course


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, help="number of students (default: all kinds)")
    parser.add_argument("--folder", type=Path, default=ROOT / "demo")
    parser.add_argument("--jobs", type=int, help="parallel workers (default: one per core)")
    parser.add_argument("--timeout", type=int, default=10, help="seconds a cell may run")
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args()

    course = build(args.folder.resolve(), args.size)
    count = len(list((course / "submitted").iterdir()))
    print(f"demo class of {count} submissions in {course / 'submitted'}")
    if args.build_only:
        return
    command = [sys.executable, "-m", "graders.grade", ASSIGNMENT, "--timeout", str(args.timeout)]
    if args.jobs:
        command += ["--jobs", str(args.jobs)]
    subprocess.run(command, cwd=course, check=True)
    print(f"open the class report: {course / 'reports' / ASSIGNMENT / 'class-report.html'}")


if __name__ == "__main__":
    main()
