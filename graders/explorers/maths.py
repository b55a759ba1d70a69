"""The numbers behind the explorers: pure NumPy, no plotting, unit-tested.

Every function here takes the *student's* functions as arguments and returns
plain arrays, so the widget layer only has to put them on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Function = Callable[[np.ndarray], np.ndarray]

# Step of the central difference: small enough for a good slope, large enough
# that rounding error (about eps / STEP) stays far below what can be seen.
STEP = 1e-5


def evaluate(function: Callable, *args) -> np.ndarray:
    """Call a student's function and return its result as a float array.

    Raises ``TypeError`` (with a plain message) when the result is not numeric.
    """
    name = getattr(function, "__name__", "the function")
    result = function(*args)
    if result is None:
        raise TypeError(f"{name} returned None: is the return statement missing?")
    try:
        if isinstance(result, str):
            raise ValueError(result)
        return np.asarray(result, dtype=float)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} returned {type(result).__name__}, not numbers") from error


def steepened(function: Callable, k: float) -> Callable:
    """x ↦ function(k·x): the curve made k times steeper."""
    return lambda x: function(k * x)


def chain_rule_slope(derivative: Callable, k: float) -> Callable:
    """The slope of x ↦ σ(k·x) from σ′: d/dx σ(kx) = k·σ′(kx)."""
    return lambda x: k * evaluate(derivative, k * x)


def central_difference(function: Callable, x: np.ndarray, step: float = STEP) -> np.ndarray:
    """The numerical slope (f(x + h) − f(x − h)) / 2h of a function at the points x."""
    x = np.asarray(x, dtype=float)
    return (evaluate(function, x + step) - evaluate(function, x - step)) / (2 * step)


def tangent_line(x: np.ndarray, x0: float, y0: float, slope: float) -> np.ndarray:
    """The line through (x0, y0) with the given slope, at the points x."""
    return y0 + slope * (np.asarray(x, dtype=float) - x0)


@dataclass(frozen=True)
class Agreement:
    """How far two curves are apart, and where."""

    agree: bool
    largest_gap: float
    where: float


def compare_curves(x: np.ndarray, a: np.ndarray, b: np.ndarray, tolerance: float) -> Agreement:
    """Whether curves a and b over the points x agree within ``tolerance``."""
    gaps = np.abs(np.asarray(a, dtype=float) - np.asarray(b, dtype=float))
    if not np.all(np.isfinite(gaps)):
        return Agreement(False, float("inf"), float(x[np.argmax(~np.isfinite(gaps))]))
    worst = int(np.argmax(gaps))
    return Agreement(bool(gaps[worst] <= tolerance), float(gaps[worst]), float(x[worst]))


def unit_circle(points: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """The x and y coordinates of the circle of radius 1."""
    angle = np.linspace(0, 2 * np.pi, points)
    return np.cos(angle), np.sin(angle)


def row_lengths(matrix: np.ndarray) -> np.ndarray:
    """The Euclidean length of each row."""
    return np.sqrt(np.sum(np.asarray(matrix, dtype=float) ** 2, axis=1))


def tempered_softmax(softmax: Callable, scores: np.ndarray, temperature: float) -> np.ndarray:
    """The student's softmax of one row of scores divided by a temperature.

    A high temperature flattens the probabilities, a low one sharpens them
    towards the largest score.
    """
    row = np.asarray(scores, dtype=float).reshape(1, -1) / temperature
    probabilities = evaluate(softmax, row)
    if probabilities.shape != row.shape:
        raise ValueError(
            f"softmax returned shape {probabilities.shape} for an input of shape {row.shape}"
        )
    return probabilities[0]
