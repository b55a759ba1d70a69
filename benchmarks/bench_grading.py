"""Grading a class: plain nbgrader against `make grade`, on the same machine, in one run.

    python benchmarks/bench_grading.py [--assignment ID] [--size 40] [--timeout 10]

Two classes of the same size, of one assignment (default: the first): the demo class
(as tools/demo.py builds it from the assignment's answer bank: complete answers,
typical mistakes, blank and partly done work, a notebook that loops until the cell
timeout, a file that is not a notebook) and a plain all-honest class (every
submission complete). Each is graded three ways:

1. plain ``nbgrader autograde`` of the whole assignment, stock configuration, serial;
2. ``python -m graders.grade --jobs 1`` with every protection of the course on
   (sandboxed kernel, out-of-kernel verdicts), feedback, CSV and class report;
3. the same with ``--jobs 2``.

It prints the throughput of each, the ratio of (3) to (1), the parallel efficiency
from one worker to two, and where the time of a submission goes (every protection
on: intake of the files, sandbox, bounded outputs, out-of-kernel verdicts).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from graders.course_setup import (
    BIN,
    assignment_ids,
    demo_class,
    honest_class,
    released_course,
    submit_class,
    use_stock_autograde,
)
from results_file import write_results


def timed(command: list[str], cwd: Path, check: bool = True) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=check, capture_output=True, text=True)
    return time.perf_counter() - start


CLASSES = {"demo": demo_class, "all-honest": honest_class}


def course_with(folder: Path, assignment: str, students: dict) -> Path:
    course, _ = released_course(folder, assignment)
    submit_class(course, assignment, students)
    return course


def bench_class(kind: str, folder: Path, assignment: str, size: int, timeout: int) -> dict:
    """Grade one kind of class by plain nbgrader, then by `make grade` on 1 and 2 workers."""
    students = CLASSES[kind](assignment, size)
    stock = course_with(folder / "stock", assignment, students)
    use_stock_autograde(stock)
    # Plain nbgrader exits 1 when a submission cannot be graded (the demo has one).
    plain = timed([str(BIN / "nbgrader"), "autograde", assignment,
                   f"--ExecutePreprocessor.timeout={timeout}"], stock, check=False)
    ours, breakdown = {}, {}
    for jobs in (1, 2):
        course = course_with(folder / f"jobs{jobs}", assignment, students)
        ours[jobs] = timed([sys.executable, "-m", "graders.grade", assignment,
                            "--jobs", str(jobs), "--timeout", str(timeout),
                            "--no-progress"], course)
        outcomes = json.loads(
            (course / "reports" / assignment / "grading-report.json").read_text())
        breakdown[jobs] = _breakdown(outcomes)
    count = len(students)  # the demo class may hold fewer than asked for
    throughput = {"plain nbgrader (serial)": count / plain,
                  "make grade, 1 worker": count / ours[1],
                  "make grade, 2 workers": count / ours[2]}
    return {
        "submissions": count,
        "seconds": {"plain": plain, "jobs1": ours[1], "jobs2": ours[2]},
        "throughput": throughput,
        "ratio": throughput["make grade, 2 workers"] / throughput["plain nbgrader (serial)"],
        "efficiency": ours[1] / (2 * ours[2]),
        "breakdown": breakdown,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", choices=assignment_ids(), default=assignment_ids()[0],
                        help="the assignment (default: the first)")
    parser.add_argument("--size", type=int, default=40)
    parser.add_argument("--timeout", type=int, default=10)
    args = parser.parse_args()

    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for kind in CLASSES:
            results[kind] = bench_class(kind, Path(tmp) / kind, args.assignment, args.size,
                                        args.timeout)
    for kind, result in results.items():
        count = result["submissions"]
        print(f"{count} submissions of {args.assignment}, {kind} class, "
              f"cell timeout {args.timeout} s")
        for name, value in result["throughput"].items():
            print(f"  {name:<26} {value:5.2f} submissions/s   ({count / value:6.1f} s)")
        print(f"  make grade (2 workers) / plain nbgrader: x{result['ratio']:.2f}   "
              "(goal: >= 3 for 60 honest submissions)")
        print(f"  parallel efficiency, 1 -> 2 workers: {result['efficiency']:.0%}   "
              "(target >= 85%)")
        print("  per submission, one worker (median seconds):")
        for stage, seconds in result["breakdown"][1].items():
            print(f"    {stage:<34} {seconds:5.2f}")
    write_results(args.assignment, "grading",
                  {"assignment": args.assignment, "size": args.size, "classes": results})


def _breakdown(outcomes: list[dict]) -> dict[str, float]:
    """Median seconds per stage; 'nbgrader and database' is autograde minus the kernel."""
    graded = [o["seconds"] for o in outcomes if "kernel_start" in o["seconds"]]

    def median(key):
        return statistics.median(s.get(key, 0.0) for s in graded) if graded else 0.0

    kernel = median("kernel_start")
    execution = median("execution")
    verdicts = median("verdicts")
    autograde = median("autograde")
    return {
        "intake of the submitted files": median("intake"),
        "process and kernel start (sandbox)": kernel,
        "notebook execution": execution,
        "out-of-kernel verdicts": verdicts,
        "nbgrader and database": max(0.0, autograde - median("intake") - kernel - execution
                                     - verdicts),
        "feedback": median("feedback"),
    }


if __name__ == "__main__":
    main()
