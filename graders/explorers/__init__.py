"""Interactive explorers: see what your functions compute, and where they go wrong.

Call them with your own functions, e.g. ``explore_sigmoid(sigmoid, sigmoid_derivative)``.

Importing this package costs nothing: matplotlib, ipympl and ipywidgets are only
imported when an explorer is drawn, and never while nbgrader grades the notebook
(nbgrader sets ``NBGRADER_EXECUTION``), so the explorers add no grading time.
"""

from __future__ import annotations

import os
from collections.abc import Callable

__all__ = [
    "explore_learning_rate",
    "explore_normalize_rows",
    "explore_sigmoid",
    "explore_softmax",
    "explore_weights",
]


def grading() -> bool:
    """True while nbgrader executes the notebook (autograde or validate)."""
    return bool(os.environ.get("NBGRADER_EXECUTION"))


def explore_sigmoid(sigmoid: Callable, sigmoid_derivative: Callable, *, interactive: bool = True):
    """σ(kx), your derivative against the numerical slope, and the tangent at x₀."""
    if grading():
        return None
    from .widgets import SigmoidExplorer

    return SigmoidExplorer(sigmoid, sigmoid_derivative, interactive=interactive)


def explore_normalize_rows(normalize_rows: Callable, *, interactive: bool = True):
    """Three 2-D row vectors before and after your normalize_rows, with the unit circle."""
    if grading():
        return None
    from .widgets import NormalizeRowsExplorer

    return NormalizeRowsExplorer(normalize_rows, interactive=interactive)


def explore_softmax(softmax: Callable, *, interactive: bool = True):
    """Your softmax of two rows of scores as bar charts, with a temperature slider."""
    if grading():
        return None
    from .widgets import SoftmaxExplorer

    return SoftmaxExplorer(softmax, interactive=interactive)


def explore_learning_rate(optimize: Callable, X, Y, *, num_iterations: int = 1000,
                          interactive: bool = True):
    """Your optimize trained at the learning rate a slider sets: its cost curve, beside earlier
    rates', and the train accuracy; a rate that diverges is said in words."""
    if grading():
        return None
    from .training_widgets import LearningRateExplorer

    return LearningRateExplorer(optimize, X, Y, num_iterations=num_iterations,
                                interactive=interactive)


def explore_weights(predict: Callable, w, b, X, Y, classes, *, interactive: bool = True):
    """What the model learned: w as an image, beside each example (the ones your predict gets
    wrong first), each pixel's share w_j·x_j of z, and your predict's verdict."""
    if grading():
        return None
    from .training_widgets import WeightsExplorer

    return WeightsExplorer(predict, w, b, X, Y, classes, interactive=interactive)
