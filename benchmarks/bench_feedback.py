"""What does a student's feedback page cost, with what every page shares done once per worker?

    python benchmarks/bench_feedback.py [--assignment ID] [--students N] [--rounds N]

Grades N complete submissions of one assignment (default: the first) with the course's
own command, then writes every student's feedback page with nbgrader's API, as a
grading worker does, in one process, alternating four ways so that drift hits all alike:

1. the plain way: every markdown cell rendered and nbgrader's page templates compiled for
   every page (nbgrader makes a new exporter per page), and every page parsed again for
   nbconvert's accessibility pass;
2. a markdown cell the pages share (the lesson's text and figures) rendered once per
   worker;
3. that, and the templates compiled once per worker too;
4. the course's way (``graders.feedback``): that, and a page parsed again only when the
   pass changes it.

It prints the median seconds per page of each, and its ratio to the plain way.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from graders import feedback
from graders.course_setup import assignment_ids, honest_class, released_course, submit_class
from graders.grade import load_config
from results_file import write_results

REMEMBERED, COMPILED = feedback._render_remembered, feedback._COMPILED
TARGETS, EVERY_PAGE = feedback._ACCESSIBILITY_TARGETS, re.compile("")


# Each way: whether shared markdown is rendered once, whether templates are compiled once,
# whether a page is parsed again only when that changes it.
WAYS = {
    "plain: all for every page": (False, False, False),
    "markdown rendered once": (True, False, False),
    "and templates compiled once": (True, True, False),
    "and parsed again if needed": (True, True, True),
}


def page_seconds(api, assignment: str, student: str, way: tuple[bool, bool, bool]) -> float:
    """Write one student's feedback page, the way ``way`` says."""
    remember, compile_once, parse_if_needed = way
    feedback._render_remembered = REMEMBERED if remember else feedback._render
    feedback._COMPILED = COMPILED if compile_once else None
    feedback._ACCESSIBILITY_TARGETS = TARGETS if parse_if_needed else EVERY_PAGE
    start = time.perf_counter()
    written = api.generate_feedback(assignment, student, force=True)
    seconds = time.perf_counter() - start
    if not written.get("success"):
        sys.exit(f"feedback for {student} failed: {written.get('error')}")
    return seconds


def main() -> None:
    from nbgrader.apps import NbGraderAPI

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", choices=assignment_ids(), default=assignment_ids()[0],
                        help="the assignment (default: the first)")
    parser.add_argument("--students", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        course, _ = released_course(Path(tmp), args.assignment)
        students = honest_class(args.assignment, args.students)
        submit_class(course, args.assignment, students)
        subprocess.run([sys.executable, "-m", "graders.grade", args.assignment, "--jobs", "1"],
                       cwd=course, check=True, capture_output=True)
        api = NbGraderAPI(config=load_config(course))
        # The first page loads what every way needs, and fills the caches.
        page_seconds(api, args.assignment, next(iter(students)), (True, True, True))
        timings: dict[str, list[float]] = {name: [] for name in WAYS}
        for _ in range(args.rounds):
            for student in students:
                for name, way in WAYS.items():
                    timings[name].append(page_seconds(api, args.assignment, student, way))
        feedback._render_remembered, feedback._COMPILED = REMEMBERED, COMPILED
        feedback._ACCESSIBILITY_TARGETS = TARGETS

    medians = {name: statistics.median(values) for name, values in timings.items()}
    plain = medians["plain: all for every page"]
    print(f"feedback pages of {args.assignment}, seconds per page ({args.students} students, "
          f"{args.rounds} rounds, median)")
    for name, value in medians.items():
        print(f"  {name:<28} {value:5.3f} s   x{plain / value:.2f} faster than the plain way")
    write_results(args.assignment, "feedback",
                  {"assignment": args.assignment, "students": args.students,
                   "rounds": args.rounds, "seconds_per_page": medians})


if __name__ == "__main__":
    main()
