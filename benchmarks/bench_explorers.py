"""How fast do the explorers answer a slider, and do they cost anything at grading time?

    python benchmarks/bench_explorers.py [--assignment ID] [--updates N] [--autograde-runs N]

For one assignment (default: the first):

1. One slider update of the sigmoid explorer, driven by the assignment's reference
   ``sigmoid`` and ``sigmoid_derivative`` (skipped if it has none): the callback plus
   a full canvas draw with matplotlib's Agg renderer, over N updates (target:
   median <= 20 ms), against the naive approach of re-creating the whole plot on
   every change, as ``ipywidgets.interact`` does, in the same run.
2. ``nbgrader autograde`` of one complete submission, with and without the
   explorer cells (ids ``explore_*``) in the assignment, alternating, in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import nbformat
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from graders.course_setup import (
    assignment_ids,
    copy_course,
    generate_assignment,
    honest_class,
    read,
    reference_functions,
    run_tool,
    source_notebook,
    submit_class,
)
from graders.explorers import maths
from graders.explorers.widgets import SigmoidExplorer
from results_file import write_results

# The notebooks name their explorers' cells (the widget and its text) so.
EXPLORER_PREFIX = "explore_"


def slider_positions(count: int) -> list[float]:
    return [round(-6 + (i % 120) * 0.1, 1) for i in range(count)]


def time_explorer(sigmoid: Callable, derivative: Callable, updates: int) -> list[float]:
    explorer = SigmoidExplorer(sigmoid, derivative, interactive=False)
    timings = []
    for x0 in slider_positions(updates):
        start = time.perf_counter()
        explorer.x0.value = x0  # runs the callback, which ends with draw_idle (an Agg draw)
        timings.append(time.perf_counter() - start)
    return timings


def naive_plot(sigmoid: Callable, derivative: Callable, x0: float, k: float) -> None:
    """What an ``interact`` callback does: build the whole figure again, then draw it."""
    x = np.linspace(-8, 8, 321)
    curve = maths.steepened(sigmoid, k)
    slope = maths.chain_rule_slope(derivative, k)
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


def time_naive(sigmoid: Callable, derivative: Callable, updates: int) -> list[float]:
    timings = []
    for x0 in slider_positions(updates):
        start = time.perf_counter()
        naive_plot(sigmoid, derivative, x0, 1.0)
        timings.append(time.perf_counter() - start)
    return timings


def summary(timings: list[float]) -> dict[str, float]:
    ms = np.array(timings) * 1000
    return {"median_ms": float(np.median(ms)), "p95_ms": float(np.percentile(ms, 95))}


def bench_slider(assignment: str, updates: int) -> dict | None:
    """The sigmoid explorer against re-creating the plot, or None if there is no sigmoid."""
    reference = reference_functions(assignment)
    if not {"sigmoid", "sigmoid_derivative"} <= reference.keys():
        print(f"{assignment} defines no sigmoid and sigmoid_derivative: no slider to time")
        return None
    functions = reference["sigmoid"], reference["sigmoid_derivative"]
    explorer = summary(time_explorer(*functions, updates))
    naive = summary(time_naive(*functions, updates))
    ratio = naive["median_ms"] / explorer["median_ms"]
    print(f"Sigmoid explorer, one slider update ({updates} updates, Agg draw included)")
    print(f"  explorer (set_data + draw_idle)  median {explorer['median_ms']:6.1f} ms"
          f"   p95 {explorer['p95_ms']:6.1f} ms   (target <= 20 ms)")
    print(f"  naive (re-create the plot)       median {naive['median_ms']:6.1f} ms"
          f"   p95 {naive['p95_ms']:6.1f} ms")
    print(f"  the explorer is {ratio:.1f}x faster than re-creating the plot")
    return {"explorer_update": explorer, "naive_update": naive, "speedup": ratio}


def is_explorer(cell) -> bool:
    return cell.get("id", "").startswith(EXPLORER_PREFIX)


def prepare_course(folder: Path, assignment: str, keep_explorers: bool) -> Path:
    course = copy_course(folder)
    if not keep_explorers:
        source = source_notebook(assignment, course)
        nb = read(source)
        nb.cells = [cell for cell in nb.cells if not is_explorer(cell)]
        nbformat.write(nb, source)
    generate_assignment(course, assignment)
    submit_class(course, assignment, honest_class(assignment, 1))
    return course


def autograde_seconds(course: Path, assignment: str) -> float:
    start = time.perf_counter()
    run_tool("nbgrader", "autograde", assignment, "--force", cwd=course)
    return time.perf_counter() - start


def bench_autograde(assignment: str, runs: int) -> dict[str, float] | None:
    """Seconds to autograde one complete submission, with and without the explorer cells."""
    if not any(is_explorer(cell) for cell in read(source_notebook(assignment)).cells):
        print(f"{assignment} has no explorer cells ({EXPLORER_PREFIX}*): nothing to compare")
        return None
    with tempfile.TemporaryDirectory() as tmp:
        courses = {
            "with explorers": prepare_course(Path(tmp) / "with", assignment, True),
            "without explorers": prepare_course(Path(tmp) / "without", assignment, False),
        }
        seconds: dict[str, list[float]] = {name: [] for name in courses}
        for _ in range(runs):  # alternate, so drift hits both sides alike
            for name, course in courses.items():
                seconds[name].append(autograde_seconds(course, assignment))
    grading = {name: statistics.median(values) for name, values in seconds.items()}
    print(f"nbgrader autograde of one complete submission of {assignment} "
          f"(median of {runs})")
    for name, value in grading.items():
        print(f"  {name:<18} {value:5.2f} s")
    print(f"  ratio with/without: {grading['with explorers'] / grading['without explorers']:.3f}")
    return grading


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", choices=assignment_ids(), default=assignment_ids()[0],
                        help="the assignment (default: the first)")
    parser.add_argument("--updates", type=int, default=100)
    parser.add_argument("--autograde-runs", type=int, default=3)
    args = parser.parse_args()

    result = {"assignment": args.assignment,
              "slider": bench_slider(args.assignment, args.updates),
              "autograde_seconds": bench_autograde(args.assignment, args.autograde_runs)}
    write_results(args.assignment, "explorers", result)


if __name__ == "__main__":
    main()
