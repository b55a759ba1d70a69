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


def named(name: str, function: Callable) -> Callable:
    """The function under another name, so that messages name the student's function."""
    function.__name__ = name
    return function


def steepened(function: Callable, k: float) -> Callable:
    """x ↦ function(k·x): the curve made k times steeper."""
    return named(getattr(function, "__name__", "the function"), lambda x: function(k * x))


def chain_rule_slope(derivative: Callable, k: float) -> Callable:
    """The slope of x ↦ σ(k·x) from σ′: d/dx σ(kx) = k·σ′(kx)."""
    return named(getattr(derivative, "__name__", "the function"),
                 lambda x: k * evaluate(derivative, k * x))


def same_shape(values: np.ndarray, inputs: np.ndarray, name: str) -> np.ndarray:
    """``values``, or a ``ValueError`` naming both shapes when they differ from the input's."""
    if np.shape(values) != np.shape(inputs):
        raise ValueError(f"{name} returned shape {np.shape(values)} "
                         f"for an input of shape {np.shape(inputs)}")
    return values


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


def is_logistic(x: np.ndarray, sigma: np.ndarray, slope: np.ndarray, tolerance: float) -> bool:
    """Whether a curve through (0, ½) whose slope is σ(1 − σ) everywhere: then it is σ itself.

    The equation σ′ = σ(1 − σ) with σ(0) = ½ has one solution, 1 / (1 + e⁻ˣ), so
    these two facts judge a student's sigmoid without a copy of it. ``x`` must hold 0.
    """
    x, sigma, slope = (np.asarray(a, dtype=float) for a in (x, sigma, slope))
    if not (np.all(np.isfinite(sigma)) and np.all(np.isfinite(slope))):
        return False
    through_half = bool(np.isclose(sigma[np.argmin(np.abs(x))], 0.5, rtol=0, atol=tolerance))
    return through_half and bool(np.allclose(slope, sigma * (1 - sigma), rtol=0, atol=tolerance))


def dragged(start: float, pressed_at: float, now_at: float, low: float, high: float) -> float:
    """Where a drag takes a value: by the distance the pointer moved, kept in [low, high]."""
    return float(np.clip(start + (now_at - pressed_at), low, high))


def unit_circle(points: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """The x and y coordinates of the circle of radius 1."""
    angle = np.linspace(0, 2 * np.pi, points)
    return np.cos(angle), np.sin(angle)


def row_lengths(matrix: np.ndarray) -> np.ndarray:
    """The Euclidean length of each row."""
    return np.sqrt(np.sum(np.asarray(matrix, dtype=float) ** 2, axis=1))


def zero_rows(matrix: np.ndarray) -> list[int]:
    """The indices of the rows that are all zeros: they have no direction to keep."""
    return [int(i) for i in np.flatnonzero(row_lengths(matrix) == 0)]


def unit_rows_along(rows: np.ndarray, normalised: np.ndarray, tolerance: float = 1e-6) -> bool:
    """Whether each normalised row has length 1 and points the way its input row does.

    That is what x / ‖x‖ means, row by row; zero rows must be left out by the caller.
    """
    rows, normalised = np.asarray(rows, dtype=float), np.asarray(normalised, dtype=float)
    if normalised.shape != rows.shape or not np.all(np.isfinite(normalised)):
        return False
    along = np.sum(rows * normalised, axis=1)  # = ‖row‖ exactly when the unit row points along it
    return bool(np.allclose(row_lengths(normalised), 1.0, rtol=0, atol=tolerance)
                and np.allclose(along, row_lengths(rows), rtol=tolerance, atol=tolerance))


def tempered_softmax(softmax: Callable, scores: np.ndarray, temperature: float) -> np.ndarray:
    """The student's softmax of each row of scores divided by a temperature.

    ``scores`` is a matrix, one example per row (a vector counts as one row).
    A high temperature flattens the probabilities, a low one sharpens them
    towards the largest score.
    """
    rows = np.atleast_2d(np.asarray(scores, dtype=float)) / temperature
    return same_shape(evaluate(softmax, rows), rows, "softmax")


def row_sums(matrix: np.ndarray) -> np.ndarray:
    """The sum of each row."""
    return np.sum(np.asarray(matrix, dtype=float), axis=1)


def is_softmax_of(scores: np.ndarray, probabilities: np.ndarray, tolerance: float = 1e-6) -> bool:
    """Whether each row of ``probabilities`` is the softmax of that row of ``scores``.

    Softmax is defined by two facts, checked here without computing it: each row
    sums to 1, and log pᵢ − xᵢ is the same for every i of a row (pᵢ ∝ e^xᵢ).
    """
    scores, p = np.asarray(scores, dtype=float), np.asarray(probabilities, dtype=float)
    if p.shape != scores.shape or not np.all(np.isfinite(p)) or np.any(p <= 0):
        return False
    shift = np.log(p) - scores
    return bool(np.allclose(row_sums(p), 1.0, rtol=0, atol=tolerance)
                and np.allclose(shift, shift[:, :1], rtol=0, atol=tolerance))
