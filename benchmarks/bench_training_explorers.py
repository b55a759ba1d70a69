"""How fast do the learning-rate and weights explorers answer their sliders?

    python benchmarks/bench_training_explorers.py [--assignment ID] [--updates N]

For one assignment (default: the first whose solution defines ``optimize``), on the
course's digits (the training set, flattened and scaled), driven by the assignment's
reference ``optimize`` and ``predict``:

1. One move of the learning-rate slider: a whole training run (``num_iterations=1000``)
   plus a full canvas draw with matplotlib's Agg renderer, over N moves across the
   slider's range (target: median <= 200 ms).
2. One move of the weights explorer's example slider: the callback plus a full draw.

Each against the naive approach, in the same run: building the whole figure again
on every move, as an ``ipywidgets.interact`` callback does. An assignment without
``optimize`` (or ``predict``, for the second) is skipped with a message.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterable

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from graders.course_setup import assignment_ids, reference_functions
from graders.datasets import load_digits_task
from graders.explorers import training
from graders.explorers.training_widgets import LearningRateExplorer, WeightsExplorer, percent
from results_file import write_results

NUM_ITERATIONS = 1000
TARGET_MS = 200


def digits() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The training images as columns scaled to [0, 1], their labels, and the classes."""
    images, labels, _, _, classes = load_digits_task()
    return images.reshape(len(images), -1).T / 16, labels, classes


def rates(count: int) -> list[float]:
    """Slider positions across its whole log scale, 10⁻³ to 10^1.5, stepping as a drag does."""
    return [round(10 ** (-3 + (i % 46) * 0.1), 12) for i in range(count)]


def examples(count: int, m: int) -> list[int]:
    return [(7 * i + 1) % m for i in range(count)]  # never the start, never twice in a row


def timed(moves: Iterable, move: Callable) -> dict[str, float]:
    """Wall-clock time of each move (what a student waits), and this process's CPU time.

    On a shared machine, other work stretches the wall-clock time; the CPU time is the
    explorer's own cost.
    """
    wall, cpu = [], []
    for value in moves:
        start, start_cpu = time.perf_counter(), time.process_time()
        move(value)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    ms, cpu_ms = np.array(wall) * 1000, np.array(cpu) * 1000
    return {"median_ms": float(np.median(ms)), "p90_ms": float(np.percentile(ms, 90)),
            "cpu_median_ms": float(np.median(cpu_ms))}


# --- The naive way: a new figure on every move ---------------------------------------------

def naive_learning_rate(optimize: Callable, X, Y, history: list[training.Training],
                        rate: float) -> None:
    """Train, then build the cost plot, its earlier curves and legend anew, and draw it."""
    run = training.train(optimize, X, Y, rate, NUM_ITERATIONS)
    history[:] = [run, *history][:1 + LearningRateExplorer.EARLIER]
    figure = Figure(figsize=(8, 3.6), dpi=100)
    ax = figure.subplots()
    for age, old in enumerate(history):
        ax.plot(old.iterations, old.costs, marker="o", lw=2.4 if age == 0 else 1.2,
                label=f"{old.learning_rate:.3g}: {percent(old.accuracy)}")
    ax.set_ylim(0, LearningRateExplorer.TOP)
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost J")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)
    figure.tight_layout()
    FigureCanvasAgg(figure).draw()


def naive_weights(predict: Callable, w, b, X, Y, index: int) -> None:
    """Predict every example, then build the three images and colorbars anew, and draw them."""
    predicted = training.predictions(predict, w, b, X)
    wrong = training.misclassified(predicted, Y)
    shares = training.contributions(w, X)
    figure = Figure(figsize=(8.4, 2.9), dpi=100)
    ax_w, ax_x, ax_share = figure.subplots(1, 3)
    limit, share_limit = training.symmetric_limit(w), training.symmetric_limit(shares)
    image_w = ax_w.imshow(training.as_image(w), cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax_x.imshow(training.as_image(X[:, index]), cmap="gray_r")
    image_share = ax_share.imshow(training.as_image(shares[:, index]), cmap="RdBu_r",
                                  vmin=-share_limit, vmax=share_limit)
    ax_x.set_title(f"example {index}: {len(wrong)} misclassified")
    for ax in (ax_w, ax_x, ax_share):
        ax.set_axis_off()
    figure.colorbar(image_w, ax=ax_w)
    figure.colorbar(image_share, ax=ax_share)
    figure.tight_layout()
    FigureCanvasAgg(figure).draw()


# --- The benchmarks ------------------------------------------------------------------------

def report(title: str, explorer: dict, naive: dict, updates: int) -> dict:
    ratio = naive["median_ms"] / explorer["median_ms"]
    print(f"{title} ({updates} moves, Agg draw included)")
    for name, timing in (("explorer (set_data + draw_idle)", explorer),
                         ("naive (re-create the figure)", naive)):
        print(f"  {name:<32} median {timing['median_ms']:6.1f} ms   p90 {timing['p90_ms']:6.1f} ms"
              f"   CPU median {timing['cpu_median_ms']:6.1f} ms")
    print(f"  target: median <= {TARGET_MS} ms")
    print(f"  the naive way takes {ratio:.2f}x the explorer's time")
    return {"explorer_update": explorer, "naive_update": naive, "naive_over_explorer": ratio}


def bench_learning_rate(optimize: Callable, updates: int) -> dict:
    """A move of the learning-rate slider: training with ``optimize`` and drawing."""
    X, Y, _ = digits()
    explorer = LearningRateExplorer(optimize, X, Y, num_iterations=NUM_ITERATIONS,
                                    interactive=False)
    mine = timed(rates(updates), lambda rate: setattr(explorer.rate, "value", rate))
    history: list[training.Training] = []
    naive = timed(rates(updates), lambda rate: naive_learning_rate(optimize, X, Y, history, rate))
    return report(f"Learning-rate explorer, one move (a training run of {NUM_ITERATIONS} "
                  "iterations)", mine, naive, updates)


def bench_weights(optimize: Callable, predict: Callable, updates: int) -> dict:
    """A move of the weights explorer's example slider, on w and b trained at α = 0.5."""
    X, Y, classes = digits()
    run = training.train(optimize, X, Y, 0.5, NUM_ITERATIONS)
    explorer = WeightsExplorer(predict, run.w, run.b, X, Y, classes, interactive=False)
    moves = examples(updates, X.shape[1])
    mine = timed(moves, lambda index: setattr(explorer.example, "value", index))
    naive = timed(moves, lambda index: naive_weights(predict, run.w, run.b, X, Y, index))
    return report("Weights explorer, one move of the example slider", mine, naive, updates)


def bench(functions: dict[str, Callable], updates: int) -> dict[str, dict | None]:
    """Both explorers with an assignment's functions: None for one whose functions are missing."""
    if "optimize" not in functions:
        print("no optimize: no training explorer to time")
        return {"learning_rate": None, "weights": None}
    result = {"learning_rate": bench_learning_rate(functions["optimize"], updates),
              "weights": None}
    if "predict" not in functions:
        print("no predict: no weights explorer to time")
    else:
        result["weights"] = bench_weights(functions["optimize"], functions["predict"], updates)
    return result


def first_with_optimize() -> str | None:
    return next((assignment for assignment in assignment_ids()
                 if "optimize" in reference_functions(assignment)), None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", choices=assignment_ids(),
                        help="the assignment (default: the first that defines optimize)")
    parser.add_argument("--updates", type=int, default=50)
    args = parser.parse_args()

    assignment = args.assignment or first_with_optimize()
    if assignment is None:
        print("No assignment defines optimize: no training explorer to time")
        return
    print(f"{assignment}:")
    result = {"assignment": assignment, "num_iterations": NUM_ITERATIONS,
              **bench(reference_functions(assignment), args.updates)}
    write_results(assignment, "training_explorers", result)


if __name__ == "__main__":
    main()
