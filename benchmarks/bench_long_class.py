"""A long class: does grading cost the same for the last student as for the 50th?

    python benchmarks/bench_long_class.py [--assignment ID] [--size 1000] [--jobs 2]

Builds an all-honest class of SIZE submissions of one assignment (default: the first),
grades it with the course's own command (``python -m graders.grade``, every protection
on), and reads from the grading report what each worker was like after each student
(``graders.grade.worker_state``): resident memory, open files, entries left in the run's
scratch folder, and the seconds that student took. It prints the curve per worker, every
50 students, and checks what must stay flat: memory from the 50th student to the last,
open files, scratch entries, the time per student (first 100 against last 100), and no
temporary folder left behind once grading is over.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from graders.course_setup import assignment_ids, honest_class, released_course, submit_class
from results_file import write_results

STEP = 50  # students between two points of the curve
WARM_UP = 50  # memory must be flat from this student on
# Names of what grading leaves in the temporary folder while it runs.
SCRATCH_PREFIXES = ("graders-run-", "graders-sandbox-", "graders-probe-", "intake-")


def leftovers() -> set[str]:
    folder = Path(tempfile.gettempdir())
    return {entry.name for entry in folder.iterdir() if entry.name.startswith(SCRATCH_PREFIXES)}


def per_worker(outcomes: list[dict]) -> dict[int, list[dict]]:
    """Each worker's students, in the order it graded them (tasks go out by student id)."""
    workers: dict[int, list[dict]] = defaultdict(list)
    for outcome in sorted(outcomes, key=lambda outcome: outcome["student"]):
        if outcome.get("worker"):
            workers[int(outcome["worker"]["pid"])].append(outcome)
    return workers


def curve(graded: list[dict]) -> list[dict]:
    """Every STEP-th student of one worker: its state, and the median seconds around it."""
    points = []
    for index in range(0, len(graded), STEP):
        window = graded[index:index + STEP]
        state = window[-1]["worker"]
        points.append({
            "students": index + len(window),
            "rss_mb": round(state["rss_mb"], 1),
            "open_files": int(state["open_files"]),
            "scratch_entries": int(state["scratch_entries"]),
            "seconds_per_student": round(statistics.median(
                outcome["seconds"]["total"] for outcome in window), 3),
        })
    return points


def verdicts(graded: list[dict]) -> dict[str, float]:
    """What must stay flat for one worker, as numbers."""
    warm = graded[WARM_UP - 1:] if len(graded) >= WARM_UP else graded
    rss = [outcome["worker"]["rss_mb"] for outcome in warm]
    files = {outcome["worker"]["open_files"] for outcome in warm}
    scratch = {outcome["worker"]["scratch_entries"] for outcome in graded}
    head = [outcome["seconds"]["total"] for outcome in graded[:100]]
    tail = [outcome["seconds"]["total"] for outcome in graded[-100:]]
    return {
        "rss_growth_mb": round(rss[-1] - rss[0], 1),
        "rss_range_mb": round(max(rss) - min(rss), 1),
        "open_files_values": len(files),
        "scratch_entries_values": len(scratch),
        "seconds_first_100": round(statistics.median(head), 3),
        "seconds_last_100": round(statistics.median(tail), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", choices=assignment_ids(), default=assignment_ids()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()

    before = leftovers()
    with tempfile.TemporaryDirectory() as tmp:
        course, _ = released_course(Path(tmp), args.assignment)
        submit_class(course, args.assignment, honest_class(args.assignment, args.size))
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "graders.grade", args.assignment,
                        "--jobs", str(args.jobs), "--no-progress"],
                       cwd=course, check=True, capture_output=True, text=True)
        wall = time.perf_counter() - start
        outcomes = json.loads(
            (course / "reports" / args.assignment / "grading-report.json").read_text())
    left = sorted(leftovers() - before)
    workers = per_worker(outcomes)
    graded = sum(outcome["status"] == "graded" for outcome in outcomes)
    print(f"{graded} of {len(outcomes)} submissions of {args.assignment} graded in {wall:.0f} s "
          f"with {args.jobs} workers ({wall / len(outcomes):.3f} s per submission); "
          f"load average now {os.getloadavg()[0]:.1f}")
    results = {"assignment": args.assignment, "size": args.size, "jobs": args.jobs,
               "wall_seconds": round(wall, 1), "graded": graded, "temporary_left": left,
               "workers": {}}
    for number, students in enumerate((workers[pid] for pid in sorted(workers)), 1):
        points, flat = curve(students), verdicts(students)
        results["workers"][str(number)] = {"curve": points, "verdicts": flat}
        print(f"worker {number} ({len(students)} students)")
        print("  students  RSS MiB  open files  scratch entries  s/student")
        for point in points:
            print(f"  {point['students']:8d}  {point['rss_mb']:7.1f}  {point['open_files']:10d}"
                  f"  {point['scratch_entries']:15d}  {point['seconds_per_student']:9.3f}")
        print(f"  from student {WARM_UP}: memory grew {flat['rss_growth_mb']} MiB (range "
              f"{flat['rss_range_mb']} MiB); open files took {flat['open_files_values']} "
              f"value(s); scratch entries {flat['scratch_entries_values']} value(s); "
              f"s/student first 100 {flat['seconds_first_100']}, last 100 "
              f"{flat['seconds_last_100']}")
    print(f"temporary folders left behind: {left or 'none'}")
    write_results(args.assignment, "long_class", results)


if __name__ == "__main__":
    main()
