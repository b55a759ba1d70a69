"""How fast do the explorers answer a slider, and do they cost anything at grading time?

    python benchmarks/bench_explorers.py [--updates N] [--autograde-runs N]

1. One slider update of the sigmoid explorer: the callback plus a full canvas
   draw with matplotlib's Agg renderer, over N updates (target: median <= 20 ms),
   against the naive approach of re-creating the whole plot on every change, as
   ``ipywidgets.interact`` does, in the same run.
2. ``nbgrader autograde`` of one complete submission, with and without the
   explorer cells in the assignment, alternating, in the same run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import reference  # noqa: E402
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
from graders.explorers import maths  # noqa: E402
from graders.explorers.widgets import SigmoidExplorer  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
EXPLORER_CELLS = {
    "explore_sigmoid", "explore_sigmoid_text",
    "explore_normalize_rows", "explore_normalize_rows_text",
    "explore_softmax", "explore_softmax_text",
}


def slider_positions(count: int) -> list[float]:
    return [round(-6 + (i % 120) * 0.1, 1) for i in range(count)]


def time_explorer(updates: int) -> list[float]:
    explorer = SigmoidExplorer(reference.sigmoid, reference.sigmoid_derivative, interactive=False)
    timings = []
    for x0 in slider_positions(updates):
        start = time.perf_counter()
        explorer.x0.value = x0  # runs the callback, which ends with draw_idle (an Agg draw)
        timings.append(time.perf_counter() - start)
    return timings


def naive_plot(x0: float, k: float) -> None:
    """What an ``interact`` callback does: build the whole figure again, then draw it."""
    x = np.linspace(-8, 8, 321)
    curve = maths.steepened(reference.sigmoid, k)
    slope = maths.chain_rule_slope(reference.sigmoid_derivative, k)
    figure = Figure(figsize=(7.5, 4), dpi=100)
    ax = figure.subplots()
    ax.plot(x, curve(x), label="σ(kx)")
    ax.plot(x, slope(x), label="slope")
    ax.plot(x, maths.central_difference(curve, x), "--", label="numerical slope")
    near = x[np.abs(x - x0) <= 2.5]
    y0 = float(curve(np.float64(x0)))
    ax.plot(near, maths.tangent_line(near, x0, y0, float(slope(np.float64(x0)))), label="tangent")
    ax.plot([x0], [y0], "o")
    ax.set_xticks(range(-8, 9, 4))
    ax.set_yticks([0, 0.25, 0.5, 0.75, 1])
    ax.legend(loc="upper left", fontsize=8)
    figure.tight_layout()
    FigureCanvasAgg(figure).draw()


def time_naive(updates: int) -> list[float]:
    timings = []
    for x0 in slider_positions(updates):
        start = time.perf_counter()
        naive_plot(x0, 1.0)
        timings.append(time.perf_counter() - start)
    return timings


def without_explorers(nb):
    nb = nbformat.from_dict(nb)
    nb.cells = [cell for cell in nb.cells if cell.get("id") not in EXPLORER_CELLS]
    return nb


def autograde_seconds(course: Path) -> float:
    start = time.perf_counter()
    run_tool("nbgrader", "autograde", ASSIGNMENT, "--force", cwd=course)
    return time.perf_counter() - start


def prepare_course(folder: Path, keep_explorers: bool) -> Path:
    course = copy_course(folder)
    source = course / "solutions" / ASSIGNMENT / NOTEBOOK
    if not keep_explorers:
        nbformat.write(without_explorers(read(source)), source)
    run_tool("nbgrader", "generate_assignment", ASSIGNMENT, cwd=course)
    release = read(course / "notebooks" / ASSIGNMENT / NOTEBOOK)
    submit(course, "ada", make_submission(release, complete_answers()))
    return course


def summary(timings: list[float]) -> dict[str, float]:
    ms = np.array(timings) * 1000
    return {"median_ms": float(np.median(ms)), "p95_ms": float(np.percentile(ms, 95))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=100)
    parser.add_argument("--autograde-runs", type=int, default=3)
    args = parser.parse_args()

    explorer = summary(time_explorer(args.updates))
    naive = summary(time_naive(args.updates))
    ratio = naive["median_ms"] / explorer["median_ms"]
    print(f"Sigmoid explorer, one slider update ({args.updates} updates, Agg draw included)")
    print(f"  explorer (set_data + draw_idle)  median {explorer['median_ms']:6.1f} ms"
          f"   p95 {explorer['p95_ms']:6.1f} ms   (target <= 20 ms)")
    print(f"  naive (re-create the plot)       median {naive['median_ms']:6.1f} ms"
          f"   p95 {naive['p95_ms']:6.1f} ms")
    print(f"  the explorer is {ratio:.1f}x faster than re-creating the plot")

    with tempfile.TemporaryDirectory() as tmp:
        courses = {
            "with explorers": prepare_course(Path(tmp) / "with", keep_explorers=True),
            "without explorers": prepare_course(Path(tmp) / "without", keep_explorers=False),
        }
        seconds: dict[str, list[float]] = {name: [] for name in courses}
        for _ in range(args.autograde_runs):  # alternate, so drift hits both sides alike
            for name, course in courses.items():
                seconds[name].append(autograde_seconds(course))
    grading = {name: statistics.median(values) for name, values in seconds.items()}
    print(f"nbgrader autograde of one complete submission (median of {args.autograde_runs})")
    for name, value in grading.items():
        print(f"  {name:<18} {value:5.2f} s")
    print(f"  ratio with/without: {grading['with explorers'] / grading['without explorers']:.3f}")

    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "explorers.json").write_text(json.dumps({
        "explorer_update": explorer, "naive_update": naive, "speedup": ratio,
        "autograde_seconds": grading,
    }, indent=2) + "\n")


if __name__ == "__main__":
    main()
