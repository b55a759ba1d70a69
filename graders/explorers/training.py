"""The numbers behind logistic regression's explorers: pure NumPy, no plotting, unit-tested.

As in ``maths``, the functions take the student's own functions (``optimize``,
``predict``) or what they learned (``w``, ``b``) and return plain arrays, so the
widget layer only puts them on screen. When a student's function returns
something the explorers cannot use, :class:`WrongResultError` says what, in English
and in Chinese; an error the student's function raises is left to propagate.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

# optimize records the cost this often (the assignment's convention); a student's
# optimize that records at another pace is still drawn, on its own pace.
COST_EVERY = 100


class WrongResultError(ValueError):
    """What a student's function returned that the explorers cannot use, said in both languages."""

    def __init__(self, english: str, chinese: str):
        super().__init__(f"{english} · {chinese}")
        self.english = english
        self.chinese = chinese


def numbers(value, name: str) -> np.ndarray:
    """``value`` as a float array, or a :class:`WrongResultError` if it is not numbers."""
    if value is None:
        raise WrongResultError(f"{name} is None: is a return statement missing?",
                               f"{name} 是 None：是不是少了 return？")
    try:
        if isinstance(value, str | bytes):
            raise TypeError
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise WrongResultError(f"{name} is a {type(value).__name__}, not numbers",
                               f"{name} 是 {type(value).__name__}，不是数值") from None


def check_data(X: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """X as ``(n, m)``, one example per column, and Y as its ``(1, m)`` labels, or a ValueError."""
    X, Y = np.asarray(X), np.asarray(Y)
    if X.ndim != 2 or Y.shape != (1, X.shape[1]):
        raise ValueError(
            f"X must be (n, m), one flattened example per column, and Y (1, m); got X {X.shape} "
            f"and Y {Y.shape} · X 的形状应为 (n, m)（每列一个展平的样本），Y 应为 (1, m)；"
            f"这里 X 为 {X.shape}，Y 为 {Y.shape}")
    return X, Y


def labels(Y: np.ndarray) -> np.ndarray:
    """The labels as a flat array of ints: no uint8 arithmetic (0 − 1 = 255) can follow."""
    return np.asarray(Y).ravel().astype(int)


# --- The learning rate --------------------------------------------------------------------

@dataclass(frozen=True)
class Training:
    """What one run of the student's optimize gives, at one learning rate."""

    learning_rate: float
    iterations: np.ndarray  # the iteration at which each cost was recorded
    costs: np.ndarray
    w: np.ndarray
    b: float
    accuracy: float | None  # on the training examples; None when w or b is not finite

    @property
    def cost_undefined_at(self) -> int | None:
        """The first recorded iteration whose cost is nan or ±inf, or None if none is.

        With correct code that is no divergence: the gradient of the cost is bounded,
        so w and b stay finite, but a large step makes z so large that σ(z) rounds to
        exactly 0 or 1 and the cost takes log 0.
        """
        bad = np.flatnonzero(~np.isfinite(self.costs))
        return int(self.iterations[bad[0]]) if bad.size else None

    @property
    def diverged(self) -> bool:
        """Whether w or b is no longer a number."""
        return self.accuracy is None

    @property
    def rises(self) -> tuple[int, int] | None:
        """The first two recorded iterations between which the cost went up, if it did.

        Gradient descent with a small enough step lowers the cost at every step; a
        rise means the step jumped over the minimum.
        """
        steps = np.diff(self.costs)
        up = np.flatnonzero(steps > 1e-9 * np.abs(self.costs[:-1]))
        if not up.size:
            return None
        return int(self.iterations[up[0]]), int(self.iterations[up[0] + 1])


def recorded_at(count: int, num_iterations: int) -> np.ndarray:
    """The iterations at which ``count`` costs spread evenly over the run were recorded.

    Ten costs of 1000 iterations: 0, 100, …, 900; a cost per iteration: 0, 1, …, 999.
    """
    return np.arange(count) * (num_iterations / count)


def accuracy(w: np.ndarray, b: float, X: np.ndarray, Y: np.ndarray) -> float | None:
    """The fraction of examples that w and b classify right, σ(wᵀx + b) > 0.5 meaning 1.

    σ(z) > 0.5 exactly when z > 0, so no sigmoid is needed. None when w or b is
    not finite: such a model classifies nothing.
    """
    if not (np.all(np.isfinite(w)) and np.isfinite(b)):
        return None
    z = np.ravel(np.asarray(w).reshape(1, -1) @ X) + b
    return float(np.mean((z > 0).astype(int) == labels(Y)))


def unpack_optimize(result, n: int) -> tuple[np.ndarray, float, np.ndarray]:
    """``(w, b, costs)`` from optimize's result; a :class:`WrongResultError` says what is off."""
    if result is None:
        raise WrongResultError("Your optimize returned None: is the return statement missing?",
                          "你的 optimize 返回了 None：是不是忘了写 return？")
    if not isinstance(result, tuple | list) or len(result) != 3:
        size = f" of {len(result)}" if isinstance(result, tuple | list) else ""
        raise WrongResultError(
            f"Your optimize returned a {type(result).__name__}{size}; it should return the "
            "three things (params, grads, costs)",
            "你的 optimize 应返回三项：(params, grads, costs)")
    params, _, costs = result
    if not isinstance(params, Mapping) or not {"w", "b"} <= params.keys():
        raise WrongResultError(
            'The params your optimize returned should be a dict with keys "w" and "b"',
            '你的 optimize 返回的 params 应是含有 "w" 和 "b" 两个键的字典')
    w = numbers(params["w"], 'params["w"]')
    if w.shape != (n, 1):
        raise WrongResultError(
            f'params["w"] from your optimize has shape {w.shape}; it should keep the shape '
            f"({n}, 1) of the w it was given",
            f'你的 optimize 返回的 params["w"] 形状为 {w.shape}；应保持传入的 w 的形状 ({n}, 1)')
    b = numbers(params["b"], 'params["b"]')
    if b.size != 1:
        raise WrongResultError(
            f'params["b"] from your optimize has shape {b.shape}; b is one number',
            f'你的 optimize 返回的 params["b"] 形状为 {b.shape}；b 应是一个数')
    costs = numbers(costs, "costs").ravel()
    if costs.size == 0:
        raise WrongResultError(
            f"The costs your optimize returned are empty: record the cost every {COST_EVERY} "
            "iterations",
            f"你的 optimize 返回的 costs 是空的：应每 {COST_EVERY} 次迭代记录一次代价")
    return w, float(b.reshape(())), costs


def train(optimize: Callable, X: np.ndarray, Y: np.ndarray, learning_rate: float,
          num_iterations: int) -> Training:
    """Train from w = 0, b = 0 with the student's optimize, and read what it learned.

    The student's function gets copies of X and Y, so nothing it does to them
    reaches the next run.
    """
    X, Y = check_data(X, Y)
    n = X.shape[0]
    # A learning rate too large overflows exp and takes log(0): the explorer says so in words.
    with np.errstate(all="ignore"):
        result = optimize(np.zeros((n, 1)), 0.0, X.copy(), Y.copy(), num_iterations,
                          learning_rate)
        w, b, costs = unpack_optimize(result, n)
        return Training(learning_rate, recorded_at(costs.size, num_iterations), costs, w, b,
                        accuracy(w, b, X, Y))


# --- What the model learned ---------------------------------------------------------------

def as_image(values: np.ndarray, name: str = "w") -> np.ndarray:
    """A vector of n = k² numbers as the k × k image it was flattened from (64 → 8 × 8)."""
    values = numbers(values, name)
    side = math.isqrt(values.size)
    if side * side != values.size or values.size == 0:
        raise WrongResultError(
            f"{name} has {values.size} numbers, not a square number: it cannot be drawn as "
            "a square image",
            f"{name} 有 {values.size} 个数，不是平方数，无法画成正方形图像")
    return values.reshape(side, side)


def check_weights(w: np.ndarray, n: int) -> np.ndarray:
    """w as an ``(n, 1)`` column, one weight per pixel; else a :class:`WrongResultError`."""
    w = numbers(w, "w")
    if w.size != n:
        raise WrongResultError(
            f"w has {w.size} numbers, but each example has {n} pixels: one weight per pixel",
            f"w 有 {w.size} 个数，而每个样本有 {n} 个像素：每个像素应有一个权重")
    return w.reshape(n, 1)


def contributions(w: np.ndarray, X: np.ndarray) -> np.ndarray:
    """w_j·x_j for every pixel j of every example: ``(n, m)``.

    A column sums to wᵀx, so with b it is the example's z: each pixel's share of
    the verdict, positive towards label 1, negative towards label 0.
    """
    return np.asarray(w, dtype=float).reshape(-1, 1) * np.asarray(X, dtype=float)


def symmetric_limit(values: np.ndarray) -> float:
    """The largest |value| (1 if all are 0): limits ±it centre a diverging colormap on 0."""
    finite = np.abs(np.asarray(values, dtype=float))
    finite = finite[np.isfinite(finite)]
    largest = float(finite.max()) if finite.size else 0.0
    return largest if largest > 0 else 1.0


def predictions(predict: Callable, w: np.ndarray, b: float, X: np.ndarray) -> np.ndarray:
    """The student's predict on every example, as a flat int array of 0s and 1s.

    Its result must be ``(1, m)`` and hold only 0 and 1; a :class:`WrongResultError`
    says what is off otherwise.
    """
    m = X.shape[1]
    result = numbers(predict(np.array(w, dtype=float), b, X.copy()), "The result of predict")
    if result.shape != (1, m):
        raise WrongResultError(
            f"Your predict returned shape {result.shape}; it should be (1, {m}): one "
            "prediction per example (column of X)",
            f"你的 predict 返回的形状为 {result.shape}；应为 (1, {m})：X 的每一列（每个样本）"
            "一个预测")
    odd = result[(result != 0) & (result != 1)]
    if odd.size:
        raise WrongResultError(
            f"Your predict returned values other than 0 and 1 (e.g. {odd[0]:.3g}): turn each "
            "probability into 1 if it is above 0.5, else 0",
            f"你的 predict 返回了 0 和 1 以外的值（例如 {odd[0]:.3g}）：概率大于 0.5 记为 1，"
            "否则记为 0")
    return result.ravel().astype(int)


def misclassified(predicted: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """The indices of the examples whose prediction differs from their label."""
    return np.flatnonzero(np.asarray(predicted).ravel() != labels(Y))


def viewing_order(wrong: np.ndarray, m: int) -> np.ndarray:
    """All m example indices, the misclassified ones first, each group in its own order."""
    wrong = np.asarray(wrong, dtype=int)
    return np.concatenate([wrong, np.setdiff1d(np.arange(m), wrong)])
