"""How long does "Restart & Run All" of the solution notebook take?

Times the kernel start and the execution of every cell separately, over a few
runs, with nbclient (what JupyterLab and nbgrader use to run notebooks). The
course's target: all cells run in under 3 s once the kernel has started.

    python benchmarks/bench_notebook.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
SOLUTION = ROOT / "solutions" / "01_numpy_basics" / "numpy_basics.ipynb"
RESULTS = ROOT / "benchmarks" / "results"


def run_once(path: Path) -> tuple[float, float]:
    """Seconds to start the kernel, and seconds to run every cell in order."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    with client.setup_kernel():
        ready = time.perf_counter()
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        done = time.perf_counter()
    return ready - start, done - ready


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    starts, runs = zip(*(run_once(SOLUTION) for _ in range(args.runs)), strict=True)
    result = {
        "notebook": str(SOLUTION.relative_to(ROOT)),
        "runs": args.runs,
        "kernel_start_median_s": statistics.median(starts),
        "run_all_median_s": statistics.median(runs),
        "run_all_max_s": max(runs),
        "target_run_all_s": 3.0,
    }
    print(f"Restart & Run All of {result['notebook']} ({args.runs} runs)")
    print(f"  kernel start   median {result['kernel_start_median_s']:.2f} s")
    print(f"  run all cells  median {result['run_all_median_s']:.2f} s, "
          f"max {result['run_all_max_s']:.2f} s (target < 3 s)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "notebook.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
