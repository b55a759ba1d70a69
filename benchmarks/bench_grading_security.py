"""What do the sandbox and the out-of-kernel verdicts cost per submission?

    python benchmarks/bench_grading_security.py [--students N] [--runs N]

Autogrades the same N complete submissions with ``nbgrader autograde`` under three
configurations, alternating runs so that drift hits all alike:

1. stock nbgrader (its default preprocessors: verdicts in the kernel, no sandbox);
2. the course's out-of-kernel verdicts and canary, without the sandbox;
3. the course's configuration: verdicts outside the kernel *and* the sandbox.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from course import (  # noqa: E402
    ASSIGNMENT,
    NOTEBOOK,
    complete_answers,
    copy_course,
    make_submission,
    read,
    run_tool,
    submit,
)

RESULTS = ROOT / "benchmarks" / "results"
# nbgrader 0.9's own list, as in nbgrader/converters/autograde.py.
STOCK = "\nc.Autograde.autograde_preprocessors = " + repr([
    "nbgrader.preprocessors.Execute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]) + "\n"
VARIANTS = {
    "stock nbgrader": (STOCK, {}),
    "verdicts outside the kernel": ("", {"GRADERS_UNSAFE_NO_SANDBOX": "1"}),
    "verdicts + sandbox (course)": ("", {}),
}


def prepare(folder: Path, config_tail: str, students: int) -> Path:
    course = copy_course(folder)
    config = course / "nbgrader_config.py"
    config.write_text(config.read_text() + config_tail)
    run_tool("nbgrader", "generate_assignment", ASSIGNMENT, cwd=course)
    release = read(course / "notebooks" / ASSIGNMENT / NOTEBOOK)
    for number in range(students):
        submit(course, f"student{number:02d}", make_submission(release, complete_answers()))
    return course


def seconds_per_submission(course: Path, env: dict[str, str], students: int) -> float:
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        start = time.perf_counter()
        run_tool("nbgrader", "autograde", ASSIGNMENT, "--force", cwd=course)
        return (time.perf_counter() - start) / students
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=6)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        courses = {
            name: prepare(Path(tmp) / str(index), tail, args.students)
            for index, (name, (tail, _)) in enumerate(VARIANTS.items())
        }
        timings: dict[str, list[float]] = {name: [] for name in VARIANTS}
        for _ in range(args.runs):
            for name, course in courses.items():
                timings[name].append(
                    seconds_per_submission(course, VARIANTS[name][1], args.students))

    medians = {name: statistics.median(values) for name, values in timings.items()}
    stock = medians["stock nbgrader"]
    print(f"nbgrader autograde, seconds per submission "
          f"({args.students} submissions, median of {args.runs} runs)")
    for name, value in medians.items():
        print(f"  {name:<30} {value:5.2f} s   x{value / stock:.2f} of stock")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "grading_security.json").write_text(json.dumps(
        {"students": args.students, "runs": args.runs, "seconds_per_submission": medians},
        indent=2) + "\n")


if __name__ == "__main__":
    main()
