"""Grading a class: plain nbgrader against `make grade`, on the same machine, in one run.

    python benchmarks/bench_grading.py [--size 40] [--timeout 10]

Two classes of the same size: the demo class (tools/demo.py: complete answers,
typical mistakes, blank and partly done work, a notebook that loops until the
cell timeout, a file that is not a notebook) and a plain all-honest class (every
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_grading_security import STOCK  # noqa: E402
from course import (  # noqa: E402
    ASSIGNMENT,
    complete_answers,
    make_submission,
    released_course,
    submit,
)
from demo import build  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"


def timed(command: list[str], cwd: Path, check: bool = True) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=check, capture_output=True, text=True)
    return time.perf_counter() - start


def build_honest(folder: Path, size: int) -> Path:
    """A class in which every submission is complete and right."""
    course, release = released_course(folder)
    for index in range(size):
        submit(course, f"honest_{index:03d}", make_submission(release, complete_answers()))
    return course


CLASSES = {"demo": build, "all-honest": build_honest}


def bench_class(kind: str, folder: Path, size: int, timeout: int) -> dict:
    """Grade one kind of class by plain nbgrader, then by `make grade` on 1 and 2 workers."""
    stock = CLASSES[kind](folder / "stock", size)
    config = stock / "nbgrader_config.py"
    config.write_text(config.read_text() + STOCK)
    # Plain nbgrader exits 1 when a submission cannot be graded (the demo has one).
    plain = timed([str(Path(sys.executable).parent / "nbgrader"), "autograde", ASSIGNMENT,
                   f"--ExecutePreprocessor.timeout={timeout}"], stock, check=False)
    ours, breakdown = {}, {}
    for jobs in (1, 2):
        course = CLASSES[kind](folder / f"jobs{jobs}", size)
        ours[jobs] = timed([sys.executable, "-m", "graders.grade", ASSIGNMENT,
                            "--jobs", str(jobs), "--timeout", str(timeout),
                            "--no-progress"], course)
        outcomes = json.loads(
            (course / "reports" / ASSIGNMENT / "grading-report.json").read_text())
        breakdown[jobs] = _breakdown(outcomes)
    throughput = {"plain nbgrader (serial)": size / plain,
                  "make grade, 1 worker": size / ours[1],
                  "make grade, 2 workers": size / ours[2]}
    return {
        "seconds": {"plain": plain, "jobs1": ours[1], "jobs2": ours[2]},
        "throughput": throughput,
        "ratio": throughput["make grade, 2 workers"] / throughput["plain nbgrader (serial)"],
        "efficiency": ours[1] / (2 * ours[2]),
        "breakdown": breakdown,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=40)
    parser.add_argument("--timeout", type=int, default=10)
    args = parser.parse_args()

    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for kind in CLASSES:
            results[kind] = bench_class(kind, Path(tmp) / kind, args.size, args.timeout)
    for kind, result in results.items():
        print(f"{args.size} submissions, {kind} class, cell timeout {args.timeout} s")
        for name, value in result["throughput"].items():
            print(f"  {name:<26} {value:5.2f} submissions/s   ({args.size / value:6.1f} s)")
        print(f"  make grade (2 workers) / plain nbgrader: x{result['ratio']:.2f}   "
              "(target >= 1.5)")
        print(f"  parallel efficiency, 1 -> 2 workers: {result['efficiency']:.0%}   "
              "(target >= 85%)")
        print("  per submission, one worker (median seconds):")
        for stage, seconds in result["breakdown"][1].items():
            print(f"    {stage:<34} {seconds:5.2f}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "grading.json").write_text(json.dumps(
        {"size": args.size, "classes": results}, indent=2) + "\n")


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
