"""A bank of answers to the notebook's exercises, right and wrong, as source code.

Answers are kept as source text so the same bank serves two purposes: the unit
tests ``exec`` them into functions and feed them to the public checks and the
hidden tests, and the autograde tests paste them into simulated submissions.

``WRONG`` holds the mistakes students typically make; ``problem`` is a fragment
the public check's message must contain (``None`` when the public check cannot
see the mistake and only the hidden tests can). ``ALTERNATIVE_CORRECT`` holds other
correct ways to write each function, which every check must accept.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

FUNCTIONS = [
    "basic_sigmoid",
    "sigmoid",
    "sigmoid_derivative",
    "image2vector",
    "normalize_rows",
    "softmax",
    "L1",
    "L2",
]

RAISED = "raised"
VALUES = "values differ"
SHAPE = "shape should be"
MODIFIED = "modified in place"
NOT_ARRAY = "expected a NumPy array"
NOT_NUMBER = "expected a single number"
DTYPE = "dtype should be floating point"


@dataclass(frozen=True)
class Answer:
    function: str
    label: str
    source: str
    problem: str | None = None

    @property
    def id(self) -> str:
        return f"{self.function}: {self.label}"

    def load(self) -> Callable:
        """Define the answer's function, as the notebook would, and return it."""
        namespace = {"np": np, "math": math, "sigmoid": _reference_sigmoid}
        exec(textwrap.dedent(self.source), namespace)
        return namespace[self.function]


def _reference_sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _memorised(function: str, cases: str, fallback: str) -> Answer:
    """An answer that looks the public cases up instead of computing anything."""
    source = f"""
    def {function}(*args):
        from graders.numpy_basics import {cases}
        for case in {cases}:
            if all(np.shape(a) == np.shape(b) and np.array_equal(a, b)
                   for a, b in zip(args, case.args)):
                expected = case.expected
                return np.array(expected, dtype=float) if isinstance(expected, list) else expected
        return {fallback}
    """
    return Answer(function, "copies the public checks' expected values", source, None)


WRONG: list[Answer] = [
    # basic_sigmoid
    Answer("basic_sigmoid", "sign flipped in exp", """
    def basic_sigmoid(x):
        return 1 / (1 + math.exp(x))
    """, VALUES),
    Answer("basic_sigmoid", "forgot 1 / (1 + ...)", """
    def basic_sigmoid(x):
        return math.exp(-x)
    """, VALUES),
    Answer("basic_sigmoid", "rounded to an integer", """
    def basic_sigmoid(x):
        return round(1 / (1 + math.exp(-x)))
    """, VALUES),
    Answer("basic_sigmoid", "returns its input unchanged", """
    def basic_sigmoid(x):
        return x
    """, VALUES),
    Answer("basic_sigmoid", "typo in a name", """
    def basic_sigmoid(x):
        return 1 / (1 + math.exp(-y))
    """, RAISED),
    _memorised("basic_sigmoid", "BASIC_SIGMOID_CASES", "0.5"),
    # sigmoid
    Answer("sigmoid", "math.exp cannot take an array", """
    def sigmoid(x):
        return 1 / (1 + math.exp(-x))
    """, RAISED),
    Answer("sigmoid", "sign flipped in exp", """
    def sigmoid(x):
        return 1 / (1 + np.exp(x))
    """, VALUES),
    Answer("sigmoid", "returns a list", """
    def sigmoid(x):
        return [1 / (1 + math.exp(-v)) for v in np.ravel(x)]
    """, NOT_ARRAY),
    Answer("sigmoid", "flattens its input", """
    def sigmoid(x):
        return 1 / (1 + np.exp(-np.ravel(x)))
    """, SHAPE),
    Answer("sigmoid", "modifies its input in place", """
    def sigmoid(x):
        if isinstance(x, np.ndarray) and x.dtype.kind == "f":
            np.negative(x, out=x)
            np.exp(x, out=x)
            x += 1
            np.reciprocal(x, out=x)
            return x
        return 1 / (1 + np.exp(-x))
    """, MODIFIED),
    Answer("sigmoid", "integer result", """
    def sigmoid(x):
        return (1 / (1 + np.exp(-np.asarray(x)))).astype(int)
    """, DTYPE),
    _memorised("sigmoid", "SIGMOID_CASES", "np.zeros_like(np.asarray(args[0], dtype=float))"),
    # sigmoid_derivative
    Answer("sigmoid_derivative", "s * (1 + s)", """
    def sigmoid_derivative(x):
        s = sigmoid(x)
        return s * (1 + s)
    """, VALUES),
    Answer("sigmoid_derivative", "uses x instead of sigmoid(x)", """
    def sigmoid_derivative(x):
        return x * (1 - x)
    """, VALUES),
    Answer("sigmoid_derivative", "returns sigmoid itself", """
    def sigmoid_derivative(x):
        return sigmoid(x)
    """, VALUES),
    Answer("sigmoid_derivative", "matrix product instead of element-wise", """
    def sigmoid_derivative(x):
        s = sigmoid(x)
        return np.dot(s, 1 - s)
    """, NOT_ARRAY),
    _memorised("sigmoid_derivative", "SIGMOID_DERIVATIVE_CASES", "0.25"),
    # image2vector
    Answer("image2vector", "missing the trailing 1", """
    def image2vector(image):
        return image.reshape(image.shape[0] * image.shape[1] * image.shape[2])
    """, SHAPE),
    Answer("image2vector", "row vector instead of column", """
    def image2vector(image):
        return image.reshape(1, -1)
    """, SHAPE),
    Answer("image2vector", "keeps the depth axis", """
    def image2vector(image):
        return image.reshape(image.shape[0] * image.shape[1], image.shape[2])
    """, SHAPE),
    Answer("image2vector", "hard-coded shape of the example", """
    def image2vector(image):
        return image.reshape(18, 1)
    """, RAISED),
    Answer("image2vector", "transposes before reshaping", """
    def image2vector(image):
        return image.T.reshape(-1, 1)
    """, VALUES),
    _memorised("image2vector", "IMAGE2VECTOR_CASES", "np.zeros((args[0].size, 1))"),
    # normalize_rows
    Answer("normalize_rows", "norms of the columns (axis=0)", """
    def normalize_rows(x):
        return x / np.linalg.norm(x, axis=0, keepdims=True)
    """, VALUES),
    Answer("normalize_rows", "forgot keepdims", """
    def normalize_rows(x):
        return x / np.linalg.norm(x, axis=1)
    """, RAISED),
    Answer("normalize_rows", "divides in place", """
    def normalize_rows(x):
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        return x
    """, MODIFIED),
    Answer("normalize_rows", "floor division", """
    def normalize_rows(x):
        return x // np.linalg.norm(x, axis=1, keepdims=True)
    """, VALUES),
    Answer("normalize_rows", "divides by the row sum", """
    def normalize_rows(x):
        return x / np.sum(x, axis=1, keepdims=True)
    """, VALUES),
    Answer("normalize_rows", "one norm for the whole matrix", """
    def normalize_rows(x):
        return x / np.linalg.norm(x)
    """, VALUES),
    _memorised("normalize_rows", "NORMALIZE_ROWS_CASES", "np.ones_like(args[0], dtype=float)"),
    # softmax
    Answer("softmax", "sums over columns (axis=0)", """
    def softmax(x):
        x_exp = np.exp(x)
        return x_exp / np.sum(x_exp, axis=0, keepdims=True)
    """, VALUES),
    Answer("softmax", "forgot keepdims", """
    def softmax(x):
        x_exp = np.exp(x)
        return x_exp / np.sum(x_exp, axis=1)
    """, RAISED),
    Answer("softmax", "one sum for the whole matrix", """
    def softmax(x):
        x_exp = np.exp(x)
        return x_exp / np.sum(x_exp)
    """, VALUES),
    Answer("softmax", "forgot the exponential", """
    def softmax(x):
        return x / np.sum(x, axis=1, keepdims=True)
    """, VALUES),
    _memorised("softmax", "SOFTMAX_CASES", "np.full(np.shape(args[0]), 1 / np.shape(args[0])[1])"),
    # L1
    Answer("L1", "forgot the absolute value", """
    def L1(yhat, y):
        return np.sum(y - yhat)
    """, VALUES),
    Answer("L1", "mean instead of sum", """
    def L1(yhat, y):
        return np.mean(np.abs(y - yhat))
    """, VALUES),
    Answer("L1", "returns the vector of differences", """
    def L1(yhat, y):
        return np.abs(y - yhat)
    """, NOT_NUMBER),
    Answer("L1", "Euclidean distance", """
    def L1(yhat, y):
        return np.sqrt(np.sum((y - yhat) ** 2))
    """, VALUES),
    _memorised("L1", "L1_CASES", "0.0"),
    # L2
    Answer("L2", "takes the square root", """
    def L2(yhat, y):
        return np.linalg.norm(y - yhat)
    """, VALUES),
    Answer("L2", "absolute instead of squared", """
    def L2(yhat, y):
        return np.sum(np.abs(y - yhat))
    """, VALUES),
    Answer("L2", "mean instead of sum", """
    def L2(yhat, y):
        return np.mean((y - yhat) ** 2)
    """, VALUES),
    Answer("L2", "returns the squares", """
    def L2(yhat, y):
        return (y - yhat) ** 2
    """, NOT_NUMBER),
    _memorised("L2", "L2_CASES", "0.0"),
]

ALTERNATIVE_CORRECT: list[Answer] = [
    Answer("basic_sigmoid", "math.tanh form", """
    def basic_sigmoid(x):
        return 0.5 * (1 + math.tanh(x / 2))
    """),
    Answer("basic_sigmoid", "np.exp on a number", """
    def basic_sigmoid(x):
        return 1 / (1 + np.exp(-x))
    """),
    Answer("sigmoid", "np.tanh form", """
    def sigmoid(x):
        return 0.5 * (1 + np.tanh(x / 2))
    """),
    Answer("sigmoid", "exp(x) / (1 + exp(x))", """
    def sigmoid(x):
        e = np.exp(np.asarray(x, dtype=float))
        return e / (1 + e)
    """),
    Answer("sigmoid_derivative", "np.tanh form", """
    def sigmoid_derivative(x):
        s = 0.5 * (1 + np.tanh(x / 2))
        return s * (1 - s)
    """),
    Answer("sigmoid_derivative", "exp(-x) / (1 + exp(-x))**2", """
    def sigmoid_derivative(x):
        e = np.exp(-x)
        return e / (1 + e) ** 2
    """),
    Answer("image2vector", "reshape(-1, 1)", """
    def image2vector(image):
        return image.reshape(-1, 1)
    """),
    Answer("image2vector", "ravel then a new axis", """
    def image2vector(image):
        return image.ravel()[:, np.newaxis]
    """),
    Answer("image2vector", "np.reshape with image.size", """
    def image2vector(image):
        return np.reshape(image, (image.size, 1))
    """),
    Answer("normalize_rows", "square root of the sum of squares", """
    def normalize_rows(x):
        return x / np.sqrt(np.sum(x ** 2, axis=1, keepdims=True))
    """),
    Answer("normalize_rows", "norm without keepdims, reshaped", """
    def normalize_rows(x):
        return x / np.linalg.norm(x, axis=1).reshape(-1, 1)
    """),
    Answer("softmax", "numerically stable", """
    def softmax(x):
        shifted = x - np.max(x, axis=1, keepdims=True)
        e = np.exp(shifted)
        return e / e.sum(axis=1, keepdims=True)
    """),
    Answer("softmax", "sum without keepdims, new axis", """
    def softmax(x):
        e = np.exp(x)
        return e / e.sum(axis=1)[:, None]
    """),
    Answer("L1", "np.linalg.norm(..., ord=1)", """
    def L1(yhat, y):
        return np.linalg.norm(y - yhat, ord=1)
    """),
    Answer("L1", "a Python loop", """
    def L1(yhat, y):
        total = 0.0
        for a, b in zip(yhat, y):
            total += abs(b - a)
        return total
    """),
    Answer("L2", "sum of squares", """
    def L2(yhat, y):
        return np.sum((y - yhat) ** 2)
    """),
    Answer("L2", "squared norm", """
    def L2(yhat, y):
        return np.linalg.norm(yhat - y) ** 2
    """),
]
