"""What do the sandbox and the out-of-kernel verdicts cost per submission?

    python benchmarks/bench_grading_security.py [--assignment ID] [--students N] [--runs N]

Autogrades the same N complete submissions of one assignment (default: the first)
with ``nbgrader autograde`` under three configurations, alternating runs so that
drift hits all alike:

1. stock nbgrader (its default preprocessors: verdicts in the kernel, no sandbox);
2. the course's out-of-kernel verdicts and canary, without the sandbox;
3. the course's configuration: verdicts outside the kernel *and* the sandbox.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

from graders.course_setup import (
    assignment_ids,
    copy_course,
    generate_assignment,
    honest_class,
    run_tool,
    submit_class,
    use_stock_autograde,
)
from results_file import write_results


class Variant(NamedTuple):
    stock: bool  # nbgrader's own autograde steps instead of the course's
    env: dict[str, str]


VARIANTS = {
    "stock nbgrader": Variant(stock=True, env={}),
    "verdicts outside the kernel": Variant(stock=False, env={"GRADERS_UNSAFE_NO_SANDBOX": "1"}),
    "verdicts + sandbox (course)": Variant(stock=False, env={}),
}


def prepare(folder: Path, assignment: str, variant: Variant, students: int) -> Path:
    course = copy_course(folder)
    if variant.stock:
        use_stock_autograde(course)
    generate_assignment(course, assignment)
    submit_class(course, assignment, honest_class(assignment, students))
    return course


def seconds_per_submission(course: Path, assignment: str, env: dict[str, str],
                           students: int) -> float:
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        start = time.perf_counter()
        run_tool("nbgrader", "autograde", assignment, "--force", cwd=course)
        return (time.perf_counter() - start) / students
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", choices=assignment_ids(), default=assignment_ids()[0],
                        help="the assignment (default: the first)")
    parser.add_argument("--students", type=int, default=6)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        courses = {
            name: prepare(Path(tmp) / str(index), args.assignment, variant, args.students)
            for index, (name, variant) in enumerate(VARIANTS.items())
        }
        timings: dict[str, list[float]] = {name: [] for name in VARIANTS}
        for _ in range(args.runs):
            for name, course in courses.items():
                timings[name].append(seconds_per_submission(
                    course, args.assignment, VARIANTS[name].env, args.students))

    medians = {name: statistics.median(values) for name, values in timings.items()}
    stock = medians["stock nbgrader"]
    print(f"nbgrader autograde of {args.assignment}, seconds per submission "
          f"({args.students} submissions, median of {args.runs} runs)")
    for name, value in medians.items():
        print(f"  {name:<30} {value:5.2f} s   x{value / stock:.2f} of stock")
    write_results(args.assignment, "grading_security",
                  {"assignment": args.assignment, "students": args.students, "runs": args.runs,
                   "seconds_per_submission": medians})


if __name__ == "__main__":
    main()
