"""Assignment 1's bank of answers to its exercises, right and wrong, as source code.

Answers are kept as source text so the same bank serves two purposes: the unit
tests ``exec`` them into functions and feed them to the public checks and the
hidden tests, and the autograde tests paste them into simulated submissions;
``tools/answer_bank_report.py`` tells what the checks catch in it.

``WRONG`` holds the mistakes students typically make; ``problem`` is a fragment
the public check's message must contain (``None`` when the public check cannot
see the mistake and only the hidden tests can), and ``misconception`` the key of
the catalogue entry (``graders.numpy_basics.MISCONCEPTIONS``) its message must
name, or ``None`` for a mistake the catalogue does not know, which must get no
guessed hint. ``ALTERNATIVE_CORRECT`` holds other correct ways to write each
function, which every check must accept. The reference answer itself is not
here: it is the solution notebook's (``graders.course_setup.reference_functions``).

Authoring material: it sits in ``solutions/01_numpy_basics/authoring/``, which
nbgrader never releases, and is loaded with ``graders.course_setup.authoring``.
"""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np

from graders.course_setup import (
    DTYPE,
    MODIFIED,
    NOT_ARRAY,
    NOT_NUMBER,
    RAISED,
    SHAPE,
    VALUES,
    BankAnswer,
)
from graders.numpy_basics import ASSIGNMENT

# The bank answers every graded function of the assignment, in the notebook's order.
FUNCTIONS = ASSIGNMENT.functions


class Answer(BankAnswer):
    assignment = ASSIGNMENT.id
    imports: ClassVar = {"np": np, "math": math}  # what the notebook's set-up cells import


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


NOT_WRITTEN = "not_written"
NO_RETURN = "no_return"

WRONG: list[Answer] = [
    # basic_sigmoid
    Answer("basic_sigmoid", "sign flipped in exp", """
    def basic_sigmoid(x):
        return 1 / (1 + math.exp(x))
    """, VALUES, "exp_sign"),
    Answer("basic_sigmoid", "forgot 1 / (1 + ...)", """
    def basic_sigmoid(x):
        return math.exp(-x)
    """, VALUES, "exp_only"),
    Answer("basic_sigmoid", "rounded to an integer", """
    def basic_sigmoid(x):
        return round(1 / (1 + math.exp(-x)))
    """, VALUES, "rounded"),
    Answer("basic_sigmoid", "returns its input unchanged", """
    def basic_sigmoid(x):
        return x
    """, VALUES, "returns_input"),
    Answer("basic_sigmoid", "typo in a name", """
    def basic_sigmoid(x):
        return 1 / (1 + math.exp(-y))
    """, RAISED),
    _memorised("basic_sigmoid", "BASIC_SIGMOID_CASES", "0.5"),
    Answer("basic_sigmoid", "the example's value, hard-coded", """
    def basic_sigmoid(x):
        return 0.7310585786300049
    """, VALUES, "example_value"),
    Answer("basic_sigmoid", "left as the stub", """
    def basic_sigmoid(x):
        # YOUR CODE HERE
        raise NotImplementedError()
        return s
    """, RAISED, NOT_WRITTEN),
    Answer("basic_sigmoid", "prints instead of returning", """
    def basic_sigmoid(x):
        print(1 / (1 + math.exp(-x)))
    """, NOT_NUMBER, NO_RETURN),
    Answer("basic_sigmoid", "an offset added (not a known mistake)", """
    def basic_sigmoid(x):
        return 1 / (1 + math.exp(-x)) + 0.1
    """, VALUES),
    Answer("basic_sigmoid", "the logarithm (not a known mistake)", """
    def basic_sigmoid(x):
        return math.log(1 + math.exp(x))
    """, VALUES),
    Answer("basic_sigmoid", "one minus the sigmoid", """
    def basic_sigmoid(x):
        return 1 - 1 / (1 + math.exp(-x))
    """, VALUES, "exp_sign"),
    Answer("basic_sigmoid", "truncated with int()", """
    def basic_sigmoid(x):
        return int(1 / (1 + math.exp(-x)))
    """, VALUES, "rounded"),
    Answer("basic_sigmoid", "a minus in the denominator (not a known mistake)", """
    def basic_sigmoid(x):
        return 1 / (1 - math.exp(-x))
    """, RAISED),
    Answer("basic_sigmoid", "1 / 1 + ..., precedence (not a known mistake)", """
    def basic_sigmoid(x):
        return 1 / 1 + math.exp(-x)
    """, VALUES),
    # sigmoid
    Answer("sigmoid", "math.exp cannot take an array", """
    def sigmoid(x):
        return 1 / (1 + math.exp(-x))
    """, RAISED, "math_exp"),
    Answer("sigmoid", "sign flipped in exp", """
    def sigmoid(x):
        return 1 / (1 + np.exp(x))
    """, VALUES, "exp_sign"),
    Answer("sigmoid", "returns a list", """
    def sigmoid(x):
        return [1 / (1 + math.exp(-v)) for v in np.ravel(x)]
    """, NOT_ARRAY, "list"),
    Answer("sigmoid", "flattens its input", """
    def sigmoid(x):
        return 1 / (1 + np.exp(-np.ravel(x)))
    """, SHAPE, "flattened"),
    Answer("sigmoid", "modifies its input in place", """
    def sigmoid(x):
        if isinstance(x, np.ndarray) and x.dtype.kind == "f":
            np.negative(x, out=x)
            np.exp(x, out=x)
            x += 1
            np.reciprocal(x, out=x)
            return x
        return 1 / (1 + np.exp(-x))
    """, MODIFIED, "in_place"),
    Answer("sigmoid", "integer result", """
    def sigmoid(x):
        return (1 / (1 + np.exp(-np.asarray(x)))).astype(int)
    """, DTYPE, "rounded"),
    _memorised("sigmoid", "SIGMOID_CASES", "np.zeros_like(np.asarray(args[0], dtype=float))"),
    Answer("sigmoid", "forgot 1 / (1 + ...)", """
    def sigmoid(x):
        return np.exp(-x)
    """, VALUES, "exp_only"),
    Answer("sigmoid", "a list comprehension over the elements", """
    def sigmoid(x):
        return [1 / (1 + np.exp(-v)) for v in x]
    """, NOT_ARRAY, "list"),
    Answer("sigmoid", "returns its input unchanged", """
    def sigmoid(x):
        s = 1 / (1 + np.exp(-x))
        return x
    """, VALUES, "returns_input"),
    Answer("sigmoid", "left as the stub", """
    def sigmoid(x):
        # YOUR CODE HERE
        raise NotImplementedError()
        return s
    """, RAISED, NOT_WRITTEN),
    Answer("sigmoid", "np.tanh without the halves (not a known mistake)", """
    def sigmoid(x):
        return np.tanh(x)
    """, VALUES),
    Answer("sigmoid", "an array from a comprehension over the raveled input", """
    def sigmoid(x):
        return np.array([1 / (1 + math.exp(-v)) for v in np.ravel(x)])
    """, SHAPE, "flattened"),
    Answer("sigmoid", "1 / 1 + ..., precedence (not a known mistake)", """
    def sigmoid(x):
        return 1 / 1 + np.exp(-x)
    """, VALUES),
    # sigmoid_derivative
    Answer("sigmoid_derivative", "s * (1 + s)", """
    def sigmoid_derivative(x):
        s = sigmoid(x)
        return s * (1 + s)
    """, VALUES, "plus_sign"),
    Answer("sigmoid_derivative", "uses x instead of sigmoid(x)", """
    def sigmoid_derivative(x):
        return x * (1 - x)
    """, VALUES, "x_not_sigma"),
    Answer("sigmoid_derivative", "returns sigmoid itself", """
    def sigmoid_derivative(x):
        return sigmoid(x)
    """, VALUES, "sigma_itself"),
    Answer("sigmoid_derivative", "matrix product instead of element-wise", """
    def sigmoid_derivative(x):
        s = sigmoid(x)
        return np.dot(s, 1 - s)
    """, NOT_ARRAY, "dot"),
    _memorised("sigmoid_derivative", "SIGMOID_DERIVATIVE_CASES", "0.25"),
    Answer("sigmoid_derivative", "math.exp for the sigmoid", """
    def sigmoid_derivative(x):
        s = 1 / (1 + math.exp(-x))
        return s * (1 - s)
    """, RAISED, "math_exp"),
    Answer("sigmoid_derivative", "ds computed, s returned", """
    def sigmoid_derivative(x):
        s = sigmoid(x)
        ds = s * (1 - s)
        return s
    """, VALUES, "sigma_itself"),
    Answer("sigmoid_derivative", "forgot to return", """
    def sigmoid_derivative(x):
        s = sigmoid(x)
        ds = s * (1 - s)
    """, NOT_ARRAY, NO_RETURN),
    Answer("sigmoid_derivative", "twice the slope (not a known mistake)", """
    def sigmoid_derivative(x):
        s = sigmoid(x)
        return 2 * s * (1 - s)
    """, VALUES),
    Answer("sigmoid_derivative", "s * 1 - s, precedence (not a known mistake)", """
    def sigmoid_derivative(x):
        s = sigmoid(x)
        return s * 1 - s
    """, VALUES),
    Answer("sigmoid_derivative", "sigmoid(x) * (1 - x) (not a known mistake)", """
    def sigmoid_derivative(x):
        return sigmoid(x) * (1 - x)
    """, VALUES),
    # image2vector
    Answer("image2vector", "missing the trailing 1", """
    def image2vector(image):
        return image.reshape(image.shape[0] * image.shape[1] * image.shape[2])
    """, SHAPE, "flat"),
    Answer("image2vector", "row vector instead of column", """
    def image2vector(image):
        return image.reshape(1, -1)
    """, SHAPE, "row"),
    Answer("image2vector", "keeps the depth axis", """
    def image2vector(image):
        return image.reshape(image.shape[0] * image.shape[1], image.shape[2])
    """, SHAPE, "depth_kept"),
    Answer("image2vector", "hard-coded shape of the example", """
    def image2vector(image):
        return image.reshape(18, 1)
    """, RAISED, "example_numbers"),
    Answer("image2vector", "transposes before reshaping", """
    def image2vector(image):
        return image.T.reshape(-1, 1)
    """, VALUES, "transposed"),
    _memorised("image2vector", "IMAGE2VECTOR_CASES", "np.zeros((args[0].size, 1))"),
    Answer("image2vector", "depth hard-coded as 3", """
    def image2vector(image):
        return image.reshape(image.shape[0] * image.shape[1] * 3, 1)
    """, RAISED, "depth_three"),
    Answer("image2vector", "reshape's result not kept", """
    def image2vector(image):
        image.reshape(image.shape[0] * image.shape[1] * image.shape[2], 1)
        return image
    """, SHAPE, "returns_input"),
    Answer("image2vector", "ravel, a 1-D array", """
    def image2vector(image):
        return image.ravel()
    """, SHAPE, "flat"),
    Answer("image2vector", "Fortran order", """
    def image2vector(image):
        return image.reshape(-1, 1, order="F")
    """, VALUES, "transposed"),
    Answer("image2vector", "forgot the depth in the size (not a known mistake)", """
    def image2vector(image):
        return image.reshape(image.shape[0] * image.shape[1], 1)
    """, RAISED),
    Answer("image2vector", "sorts the pixels (not a known mistake)", """
    def image2vector(image):
        return np.sort(image.reshape(-1, 1), axis=0)
    """, VALUES),
    Answer("image2vector", "a column made a row again", """
    def image2vector(image):
        return image.reshape(image.size)[:, None].T
    """, SHAPE, "row"),
    Answer("image2vector", "one row per length (not a known mistake)", """
    def image2vector(image):
        return image.reshape(image.shape[0], -1)
    """, SHAPE),
    # normalize_rows
    Answer("normalize_rows", "norms of the columns (axis=0)", """
    def normalize_rows(x):
        return x / np.linalg.norm(x, axis=0, keepdims=True)
    """, VALUES, "columns"),
    Answer("normalize_rows", "forgot keepdims", """
    def normalize_rows(x):
        return x / np.linalg.norm(x, axis=1)
    """, RAISED, "no_keepdims"),
    Answer("normalize_rows", "divides in place", """
    def normalize_rows(x):
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        return x
    """, MODIFIED, "in_place"),
    Answer("normalize_rows", "floor division", """
    def normalize_rows(x):
        return x // np.linalg.norm(x, axis=1, keepdims=True)
    """, VALUES, "floor_division"),
    Answer("normalize_rows", "divides by the row sum", """
    def normalize_rows(x):
        return x / np.sum(x, axis=1, keepdims=True)
    """, VALUES, "row_sum"),
    Answer("normalize_rows", "one norm for the whole matrix", """
    def normalize_rows(x):
        return x / np.linalg.norm(x)
    """, VALUES, "whole_norm"),
    _memorised("normalize_rows", "NORMALIZE_ROWS_CASES", "np.ones_like(args[0], dtype=float)"),
    Answer("normalize_rows", "column norms without keepdims", """
    def normalize_rows(x):
        return x / np.linalg.norm(x, axis=0)
    """, VALUES, "columns"),
    Answer("normalize_rows", "square root and sum without keepdims", """
    def normalize_rows(x):
        x_norm = np.sqrt(np.sum(x ** 2, axis=1))
        return x / x_norm
    """, RAISED, "no_keepdims"),
    Answer("normalize_rows", "the L1 norm", """
    def normalize_rows(x):
        return x / np.sum(np.abs(x), axis=1, keepdims=True)
    """, VALUES, "l1_norm"),
    Answer("normalize_rows", "forgot the square root", """
    def normalize_rows(x):
        return x / np.sum(x * x, axis=1, keepdims=True)
    """, VALUES, "no_sqrt"),
    Answer("normalize_rows", "returns the norms", """
    def normalize_rows(x):
        x_norm = np.linalg.norm(x, axis=1, keepdims=True)
        x_normalized = x / x_norm
        return x_norm
    """, SHAPE, "norms_returned"),
    Answer("normalize_rows", "subtracts the mean (not a known mistake)", """
    def normalize_rows(x):
        return x - np.mean(x, axis=1, keepdims=True)
    """, VALUES),
    Answer("normalize_rows", "divides by the largest value (not a known mistake)", """
    def normalize_rows(x):
        return x / np.max(x, axis=1, keepdims=True)
    """, VALUES),
    Answer("normalize_rows", "the norm squared", """
    def normalize_rows(x):
        return x / np.linalg.norm(x, axis=1, keepdims=True) ** 2
    """, VALUES, "no_sqrt"),
    Answer("normalize_rows", "axis=-1 without keepdims", """
    def normalize_rows(x):
        return x / np.linalg.norm(x, axis=-1)
    """, RAISED, "no_keepdims"),
    Answer("normalize_rows", "multiplies by the norm (not a known mistake)", """
    def normalize_rows(x):
        return x * np.linalg.norm(x, axis=1, keepdims=True)
    """, VALUES),
    # softmax
    Answer("softmax", "sums over columns (axis=0)", """
    def softmax(x):
        x_exp = np.exp(x)
        return x_exp / np.sum(x_exp, axis=0, keepdims=True)
    """, VALUES, "columns"),
    Answer("softmax", "forgot keepdims", """
    def softmax(x):
        x_exp = np.exp(x)
        return x_exp / np.sum(x_exp, axis=1)
    """, RAISED, "no_keepdims"),
    Answer("softmax", "one sum for the whole matrix", """
    def softmax(x):
        x_exp = np.exp(x)
        return x_exp / np.sum(x_exp)
    """, VALUES, "whole_sum"),
    Answer("softmax", "forgot the exponential", """
    def softmax(x):
        return x / np.sum(x, axis=1, keepdims=True)
    """, VALUES, "no_exp"),
    _memorised("softmax", "SOFTMAX_CASES", "np.full(np.shape(args[0]), 1 / np.shape(args[0])[1])"),
    Answer("softmax", "forgot to divide", """
    def softmax(x):
        x_exp = np.exp(x)
        x_sum = np.sum(x_exp, axis=1, keepdims=True)
        return x_exp
    """, VALUES, "no_division"),
    Answer("softmax", "column sums without keepdims", """
    def softmax(x):
        x_exp = np.exp(x)
        return x_exp / x_exp.sum(axis=0)
    """, VALUES, "columns"),
    Answer("softmax", "left as the stub", """
    def softmax(x):
        # YOUR CODE HERE
        raise NotImplementedError()
        return s
    """, RAISED, NOT_WRITTEN),
    Answer("softmax", "exp of minus the scores (not a known mistake)", """
    def softmax(x):
        x_exp = np.exp(-x)
        return x_exp / np.sum(x_exp, axis=1, keepdims=True)
    """, VALUES),
    Answer("softmax", "divides by the row's largest exponential (not a known mistake)", """
    def softmax(x):
        x_exp = np.exp(x)
        return x_exp / np.max(x_exp, axis=1, keepdims=True)
    """, VALUES),
    Answer("softmax", "row sums transposed", """
    def softmax(x):
        x_exp = np.exp(x)
        return x_exp / np.sum(x_exp, axis=1, keepdims=True).T
    """, RAISED, "no_keepdims"),
    Answer("softmax", "shifted by the maximum, summed over columns", """
    def softmax(x):
        x_exp = np.exp(x - x.max())
        return x_exp / np.sum(x_exp, axis=0)
    """, VALUES, "columns"),
    Answer("softmax", "the logarithm of the probabilities (not a known mistake)", """
    def softmax(x):
        x_exp = np.exp(x)
        return np.log(x_exp / np.sum(x_exp, axis=1, keepdims=True))
    """, VALUES),
    # L1
    Answer("L1", "forgot the absolute value", """
    def L1(yhat, y):
        return np.sum(y - yhat)
    """, VALUES, "no_abs"),
    Answer("L1", "mean instead of sum", """
    def L1(yhat, y):
        return np.mean(np.abs(y - yhat))
    """, VALUES, "mean"),
    Answer("L1", "returns the vector of differences", """
    def L1(yhat, y):
        return np.abs(y - yhat)
    """, NOT_NUMBER, "not_summed"),
    Answer("L1", "Euclidean distance", """
    def L1(yhat, y):
        return np.sqrt(np.sum((y - yhat) ** 2))
    """, VALUES, "euclidean"),
    _memorised("L1", "L1_CASES", "0.0"),
    Answer("L1", "absolute value of the sum", """
    def L1(yhat, y):
        return abs(np.sum(yhat - y))
    """, VALUES, "no_abs"),
    Answer("L1", "squares instead of absolute values", """
    def L1(yhat, y):
        return np.sum((y - yhat) ** 2)
    """, VALUES, "squares"),
    Answer("L1", "an array of one element (keepdims)", """
    def L1(yhat, y):
        return np.sum(np.abs(y - yhat), keepdims=True)
    """, NOT_NUMBER, "one_element"),
    Answer("L1", "the example's value, hard-coded", """
    def L1(yhat, y):
        return 1.1
    """, VALUES, "example_value"),
    Answer("L1", "the largest difference (not a known mistake)", """
    def L1(yhat, y):
        return np.max(np.abs(y - yhat))
    """, VALUES),
    Answer("L1", "a sum over axis 0 with keepdims", """
    def L1(yhat, y):
        return np.abs(y - yhat).sum(axis=0, keepdims=True)
    """, NOT_NUMBER, "one_element"),
    Answer("L1", "half the sum (not a known mistake)", """
    def L1(yhat, y):
        return np.sum(np.abs(y - yhat)) / 2
    """, VALUES),
    Answer("L1", "difference of the absolute values (not a known mistake)", """
    def L1(yhat, y):
        return np.sum(np.abs(y) - np.abs(yhat))
    """, VALUES),
    # L2
    Answer("L2", "takes the square root", """
    def L2(yhat, y):
        return np.linalg.norm(y - yhat)
    """, VALUES, "sqrt"),
    Answer("L2", "absolute instead of squared", """
    def L2(yhat, y):
        return np.sum(np.abs(y - yhat))
    """, VALUES, "abs"),
    Answer("L2", "mean instead of sum", """
    def L2(yhat, y):
        return np.mean((y - yhat) ** 2)
    """, VALUES, "mean"),
    Answer("L2", "returns the squares", """
    def L2(yhat, y):
        return (y - yhat) ** 2
    """, NOT_NUMBER, "not_summed"),
    _memorised("L2", "L2_CASES", "0.0"),
    Answer("L2", "square of the sum", """
    def L2(yhat, y):
        return np.sum(y - yhat) ** 2
    """, VALUES, "square_of_sum"),
    Answer("L2", "a 1×1 matrix from a row times a column", """
    def L2(yhat, y):
        d = (y - yhat).reshape(1, -1)
        return np.dot(d, d.T)
    """, NOT_NUMBER, "one_element"),
    Answer("L2", "forgot to return", """
    def L2(yhat, y):
        loss = np.dot(y - yhat, y - yhat)
    """, NOT_NUMBER, NO_RETURN),
    Answer("L2", "the example's value, hard-coded", """
    def L2(yhat, y):
        return 0.43
    """, VALUES, "example_value"),
    Answer("L2", "the product of the vectors (not a known mistake)", """
    def L2(yhat, y):
        return np.dot(y, yhat)
    """, VALUES),
    Answer("L2", "the square root by ** 0.5", """
    def L2(yhat, y):
        return np.sum(np.abs(y - yhat) ** 2) ** 0.5
    """, VALUES, "sqrt"),
    Answer("L2", "half the sum of squares (not a known mistake)", """
    def L2(yhat, y):
        return np.dot(y - yhat, y - yhat) / 2
    """, VALUES),
    Answer("L2", "difference of the squares (not a known mistake)", """
    def L2(yhat, y):
        return np.sum(y ** 2 - yhat ** 2)
    """, VALUES),
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
