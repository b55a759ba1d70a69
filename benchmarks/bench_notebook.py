"""How long does "Restart & Run All" of each solution notebook take?

Times the kernel start and the execution of every cell separately, over a few
runs, with nbclient (what JupyterLab and nbgrader use to run notebooks), for the
source notebook of every assignment (or of the one named). The course's target:
all cells run in under 3 s once the kernel has started.

    python benchmarks/bench_notebook.py [--assignment ID] [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from nbclient import NotebookClient

from graders.course_setup import assignment_ids, course_root, read, source_notebook
from results_file import write_results

TARGET_RUN_ALL_S = 3.0


def run_once(path: Path) -> tuple[float, float]:
    """Seconds to start the kernel, and seconds to run every cell in order."""
    nb = read(path)
    client = NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    with client.setup_kernel():
        ready = time.perf_counter()
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        done = time.perf_counter()
    return ready - start, done - ready


def bench(assignment: str, runs: int) -> dict:
    path = source_notebook(assignment)
    starts, run_alls = zip(*(run_once(path) for _ in range(runs)), strict=True)
    result = {
        "notebook": str(path.relative_to(course_root())),
        "runs": runs,
        "kernel_start_median_s": statistics.median(starts),
        "run_all_median_s": statistics.median(run_alls),
        "run_all_max_s": max(run_alls),
        "target_run_all_s": TARGET_RUN_ALL_S,
    }
    print(f"Restart & Run All of {result['notebook']} ({runs} runs)")
    print(f"  kernel start   median {result['kernel_start_median_s']:.2f} s")
    print(f"  run all cells  median {result['run_all_median_s']:.2f} s, "
          f"max {result['run_all_max_s']:.2f} s (target < {TARGET_RUN_ALL_S:g} s)")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", choices=assignment_ids(),
                        help="the assignment (default: every one)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    for assignment in [args.assignment] if args.assignment else assignment_ids():
        write_results(assignment, "notebook", bench(assignment, args.runs))


if __name__ == "__main__":
    main()
