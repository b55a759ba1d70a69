"""Grading a class: plain nbgrader against `make grade`, on the same machine, in one run.

    python benchmarks/bench_grading.py [--size 40] [--timeout 10]

The same demo class (tools/demo.py) is graded three ways:

1. plain ``nbgrader autograde`` of the whole assignment, stock configuration, serial;
2. ``python -m graders.grade --jobs 1`` with every protection of the course on
   (sandboxed kernel, out-of-kernel verdicts), feedback, CSV and class report;
3. the same with ``--jobs 2``.

It prints the throughput of each, the ratio of (3) to (1), the parallel efficiency
from one worker to two, and where the time of a submission goes.
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
from course import ASSIGNMENT  # noqa: E402
from demo import build  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"


def timed(command: list[str], cwd: Path, check: bool = True) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=check, capture_output=True, text=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=40)
    parser.add_argument("--timeout", type=int, default=10)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        stock = build(Path(tmp) / "stock", args.size)
        config = stock / "nbgrader_config.py"
        config.write_text(config.read_text() + STOCK)
        # Plain nbgrader exits 1 when a submission cannot be graded (the demo has one).
        plain = timed([str(Path(sys.executable).parent / "nbgrader"), "autograde", ASSIGNMENT,
                       f"--ExecutePreprocessor.timeout={args.timeout}"], stock, check=False)
        ours = {}
        breakdown = {}
        for jobs in (1, 2):
            course = build(Path(tmp) / f"jobs{jobs}", args.size)
            ours[jobs] = timed([sys.executable, "-m", "graders.grade", ASSIGNMENT,
                                "--jobs", str(jobs), "--timeout", str(args.timeout),
                                "--no-progress"], course)
            outcomes = json.loads(
                (course / "reports" / ASSIGNMENT / "grading-report.json").read_text())
            breakdown[jobs] = _breakdown(outcomes)

    throughput = {"plain nbgrader (serial)": args.size / plain,
                  "make grade, 1 worker": args.size / ours[1],
                  "make grade, 2 workers": args.size / ours[2]}
    ratio = throughput["make grade, 2 workers"] / throughput["plain nbgrader (serial)"]
    efficiency = ours[1] / (2 * ours[2])
    print(f"{args.size} demo submissions, cell timeout {args.timeout} s")
    for name, value in throughput.items():
        print(f"  {name:<26} {value:5.2f} submissions/s   ({args.size / value:6.1f} s)")
    print(f"  make grade (2 workers) / plain nbgrader: x{ratio:.2f}   (target >= 1.5)")
    print(f"  parallel efficiency, 1 -> 2 workers: {efficiency:.0%}   (target >= 85%)")
    print("  per submission, one worker (median seconds):")
    for stage, seconds in breakdown[1].items():
        print(f"    {stage:<34} {seconds:5.2f}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "grading.json").write_text(json.dumps({
        "size": args.size, "seconds": {"plain": plain, "jobs1": ours[1], "jobs2": ours[2]},
        "throughput": throughput, "ratio": ratio, "efficiency": efficiency,
        "breakdown": breakdown,
    }, indent=2) + "\n")


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
        "process and kernel start (sandbox)": kernel,
        "notebook execution": execution,
        "out-of-kernel verdicts": verdicts,
        "nbgrader and database": max(0.0, autograde - kernel - execution - verdicts),
        "feedback": median("feedback"),
    }


if __name__ == "__main__":
    main()
