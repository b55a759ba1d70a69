"""Assignment 2's bank of answers to its exercises, right and wrong, as source code.

The same format as assignment 1's bank (``solutions/01_numpy_basics/authoring/
answer_bank.py``): answers are source text, which the tests ``exec`` into functions
and feed to the public checks and the hidden tests, and which
``tools/answer_bank_report.py`` runs to tell what the checks catch.

``WRONG`` holds the mistakes students typically make; ``problem`` is a fragment
the public check's message must contain (``None`` when the public check cannot
see the mistake and only the hidden tests can), and ``misconception`` the key of
the catalogue entry (``graders.logistic_regression.MISCONCEPTIONS``) its message
must name, or ``None`` for a mistake the catalogue does not know, which must get
no guessed hint. ``ALTERNATIVE_CORRECT`` holds other correct ways to write each
function, which every check must accept. The reference answer itself is not here:
it is the solution notebook's (``graders.course_setup.reference_functions``).

An answer that calls another exercise (``optimize`` calls ``propagate``) gets the
solution notebook's answer to it, so that each answer is judged alone.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from graders.course_setup import (
    DTYPE,
    LIST_LENGTH,
    MISSING_KEY,
    MODIFIED,
    NOT_ARRAY,
    NOT_DICT,
    NOT_NUMBER,
    NOT_TUPLE,
    RAISED,
    SHAPE,
    VALUES,
    BankAnswer,
)
from graders.logistic_regression import ASSIGNMENT

# The bank answers every graded function of the assignment, in the notebook's order.
FUNCTIONS = ASSIGNMENT.functions


class Answer(BankAnswer):
    assignment = ASSIGNMENT.id
    imports: ClassVar = {"np": np}  # what the notebook's set-up cells import


def _memorised(function: str, fallback: str) -> Answer:
    """An answer that looks the public cases up instead of computing anything."""
    source = f"""
    def {function}(*args):
        import copy

        from graders.logistic_regression import CASES
        for case in CASES["{function}"]:
            if len(args) == len(case.args) and all(
                    np.shape(a) == np.shape(b) and np.array_equal(a, b)
                    for a, b in zip(args, case.args)):
                return copy.deepcopy(case.want)
        return {fallback}
    """
    return Answer(function, "copies the public checks' expected values", source, None)


NOT_WRITTEN = "not_written"
NO_RETURN = "no_return"

WRONG: list[Answer] = [
    # flatten_and_scale
    Answer("flatten_and_scale", "divided by the batch's own maximum", """
    def flatten_and_scale(images):
        X = images.reshape(images.shape[0], -1).T
        return X / X.max()
    """, VALUES, "batch_max"),
    Answer("flatten_and_scale", "divided by 255, as for photos", """
    def flatten_and_scale(images):
        return images.reshape(images.shape[0], -1).T / 255
    """, VALUES, "by_255"),
    Answer("flatten_and_scale", "not scaled", """
    def flatten_and_scale(images):
        return images.reshape(images.shape[0], -1).T
    """, VALUES, "not_scaled"),
    Answer("flatten_and_scale", "floor division by 16", """
    def flatten_and_scale(images):
        return images.reshape(images.shape[0], -1).T // 16
    """, VALUES, "floor_division"),
    Answer("flatten_and_scale", "reshape(num_px * num_px, m) without transposing", """
    def flatten_and_scale(images):
        m = images.shape[0]
        return images.reshape(images.shape[1] * images.shape[2], m) / 16
    """, VALUES, "wrong_order"),
    Answer("flatten_and_scale", "one example per row", """
    def flatten_and_scale(images):
        return images.reshape(images.shape[0], -1) / 16
    """, SHAPE, "examples_as_rows"),
    Answer("flatten_and_scale", "the data set's 64 pixels hard-coded", """
    def flatten_and_scale(images):
        return images.reshape(images.shape[0], 64).T / 16
    """, RAISED, "hard_coded_64"),
    Answer("flatten_and_scale", "left as the stub", """
    def flatten_and_scale(images):
        # YOUR CODE HERE
        raise NotImplementedError()
        return X
    """, RAISED, NOT_WRITTEN),
    Answer("flatten_and_scale", "forgot to return", """
    def flatten_and_scale(images):
        X = images.reshape(images.shape[0], -1).T / 16
    """, NOT_ARRAY, NO_RETURN),
    _memorised("flatten_and_scale", "np.zeros((np.size(args[0][0]), len(args[0])))"),
    Answer("flatten_and_scale", "each image by its own maximum (not a known mistake)", """
    def flatten_and_scale(images):
        X = images.reshape(images.shape[0], -1).T
        return X / X.max(axis=0)
    """, VALUES),
    Answer("flatten_and_scale", "a loop over the example's two images (not a known mistake)", """
    def flatten_and_scale(images):
        return np.array([images[i].ravel() for i in range(2)]).T / 16
    """, SHAPE),
    Answer("flatten_and_scale", "divided in place (not a known mistake)", """
    def flatten_and_scale(images):
        X = images.reshape(images.shape[0], -1).T
        X /= 16
        return X
    """, RAISED),
    # sigmoid
    Answer("sigmoid", "math.exp cannot take an array", """
    import math

    def sigmoid(z):
        return 1 / (1 + math.exp(-z))
    """, RAISED, "math_exp"),
    Answer("sigmoid", "sign flipped in exp", """
    def sigmoid(z):
        return 1 / (1 + np.exp(z))
    """, VALUES, "exp_sign"),
    Answer("sigmoid", "forgot 1 / (1 + ...)", """
    def sigmoid(z):
        return np.exp(-z)
    """, VALUES, "exp_only"),
    Answer("sigmoid", "returns its input unchanged", """
    def sigmoid(z):
        return z
    """, VALUES, "returns_input"),
    Answer("sigmoid", "left as the stub", """
    def sigmoid(z):
        # YOUR CODE HERE
        raise NotImplementedError()
        return s
    """, RAISED, NOT_WRITTEN),
    Answer("sigmoid", "prints instead of returning", """
    def sigmoid(z):
        print(1 / (1 + np.exp(-z)))
    """, NOT_NUMBER, NO_RETURN),
    _memorised("sigmoid", "np.full(np.shape(args[0]), 0.5)"),
    Answer("sigmoid", "1 / 1 + ..., precedence (not a known mistake)", """
    def sigmoid(z):
        return 1 / 1 + np.exp(-z)
    """, VALUES),
    # initialize_with_zeros
    Answer("initialize_with_zeros", "w a 1-D array", """
    def initialize_with_zeros(dim):
        return np.zeros(dim), 0.0
    """, SHAPE, "flat_w"),
    Answer("initialize_with_zeros", "w a row", """
    def initialize_with_zeros(dim):
        return np.zeros((1, dim)), 0.0
    """, SHAPE, "row_w"),
    Answer("initialize_with_zeros", "b an array of shape (1, 1)", """
    def initialize_with_zeros(dim):
        return np.zeros((dim, 1)), np.zeros((1, 1))
    """, NOT_NUMBER, "b_array"),
    Answer("initialize_with_zeros", "b an array of shape (1,)", """
    def initialize_with_zeros(dim):
        w = np.zeros((dim, 1))
        b = np.zeros(1)
        return w, b
    """, NOT_NUMBER, "b_array"),
    Answer("initialize_with_zeros", "left as the stub", """
    def initialize_with_zeros(dim):
        # YOUR CODE HERE
        raise NotImplementedError()
        return w, b
    """, RAISED, NOT_WRITTEN),
    Answer("initialize_with_zeros", "forgot to return", """
    def initialize_with_zeros(dim):
        w = np.zeros((dim, 1))
        b = 0.0
    """, NOT_TUPLE, NO_RETURN),
    _memorised("initialize_with_zeros", "(np.zeros((2, 1)), 0.0)"),
    Answer("initialize_with_zeros", "integer zeros (not a known mistake)", """
    def initialize_with_zeros(dim):
        return np.zeros((dim, 1), dtype=int), 0
    """, DTYPE),
    Answer("initialize_with_zeros", "a square matrix of zeros (not a known mistake)", """
    def initialize_with_zeros(dim):
        return np.zeros((dim, dim)), 0.0
    """, SHAPE),
    Answer("initialize_with_zeros", "returns w alone (not a known mistake)", """
    def initialize_with_zeros(dim):
        return np.zeros((dim, 1))
    """, NOT_TUPLE),
    # propagate
    Answer("propagate", "forgot the 1/m everywhere", """
    def propagate(w, b, X, Y):
        A = sigmoid(np.dot(w.T, X) + b)
        cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))
        grads = {"dw": np.dot(X, (A - Y).T), "db": np.sum(A - Y)}
        return grads, cost
    """, VALUES, "no_1_over_m"),
    Answer("propagate", "forgot the 1/m in the gradients", """
    def propagate(w, b, X, Y):
        m = X.shape[1]
        A = sigmoid(np.dot(w.T, X) + b)
        cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
        grads = {"dw": np.dot(X, (A - Y).T), "db": np.sum(A - Y)}
        return grads, cost
    """, VALUES, "no_1_over_m"),
    Answer("propagate", "m = X.shape[0], the number of features", """
    def propagate(w, b, X, Y):
        m = X.shape[0]
        A = sigmoid(np.dot(w.T, X) + b)
        cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
        grads = {"dw": np.dot(X, (A - Y).T) / m, "db": np.sum(A - Y) / m}
        return grads, cost
    """, VALUES, "m_is_features"),
    Answer("propagate", "np.dot(w, X) without transposing w", """
    def propagate(w, b, X, Y):
        m = X.shape[1]
        A = sigmoid(np.dot(w, X) + b)
        cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
        grads = {"dw": np.dot(X, (A - Y).T) / m, "db": np.sum(A - Y) / m}
        return grads, cost
    """, RAISED, "w_not_transposed"),
    Answer("propagate", "the cost's minus sign forgotten", """
    def propagate(w, b, X, Y):
        m = X.shape[1]
        A = sigmoid(np.dot(w.T, X) + b)
        cost = np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
        grads = {"dw": np.dot(X, (A - Y).T) / m, "db": np.sum(A - Y) / m}
        return grads, cost
    """, VALUES, "cost_sign"),
    Answer("propagate", "Y - A in the gradients", """
    def propagate(w, b, X, Y):
        m = X.shape[1]
        A = sigmoid(np.dot(w.T, X) + b)
        cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
        dZ = Y - A
        grads = {"dw": np.dot(X, dZ.T) / m, "db": np.sum(dZ) / m}
        return grads, cost
    """, VALUES, "gradient_sign"),
    Answer("propagate", "dw as a row, np.dot(A - Y, X.T)", """
    def propagate(w, b, X, Y):
        m = X.shape[1]
        A = sigmoid(np.dot(w.T, X) + b)
        cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
        grads = {"dw": np.dot(A - Y, X.T) / m, "db": np.sum(A - Y) / m}
        return grads, cost
    """, SHAPE, "dw_transposed"),
    Answer("propagate", "db kept as an array with keepdims", """
    def propagate(w, b, X, Y):
        m = X.shape[1]
        A = sigmoid(np.dot(w.T, X) + b)
        cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
        grads = {"dw": np.dot(X, (A - Y).T) / m, "db": np.sum(A - Y, axis=1, keepdims=True) / m}
        return grads, cost
    """, NOT_NUMBER, "db_array"),
    Answer("propagate", "the cost an array of shape (1, 1), not squeezed", """
    def propagate(w, b, X, Y):
        m = X.shape[1]
        A = sigmoid(np.dot(w.T, X) + b)
        cost = -(np.dot(Y, np.log(A).T) + np.dot(1 - Y, np.log(1 - A).T)) / m
        grads = {"dw": np.dot(X, (A - Y).T) / m, "db": np.sum(A - Y) / m}
        return grads, cost
    """, NOT_NUMBER, "cost_array"),
    Answer("propagate", "left as the stub", """
    def propagate(w, b, X, Y):
        m = X.shape[1]
        # YOUR CODE HERE
        raise NotImplementedError()
        cost = np.squeeze(np.array(cost))
        grads = {"dw": dw, "db": db}
        return grads, cost
    """, RAISED, NOT_WRITTEN),
    Answer("propagate", "forgot to return", """
    def propagate(w, b, X, Y):
        m = X.shape[1]
        A = sigmoid(np.dot(w.T, X) + b)
        cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
        grads = {"dw": np.dot(X, (A - Y).T) / m, "db": np.sum(A - Y) / m}
    """, NOT_TUPLE, NO_RETURN),
    _memorised("propagate", '({"dw": np.zeros(np.shape(args[0])), "db": 0.0}, 0.6931471805599453)'),
    Answer("propagate", "no sigmoid: A = wᵀX + b (not a known mistake)", """
    def propagate(w, b, X, Y):
        m = X.shape[1]
        A = np.dot(w.T, X) + b
        cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
        grads = {"dw": np.dot(X, (A - Y).T) / m, "db": np.sum(A - Y) / m}
        return grads, cost
    """, VALUES),
    Answer("propagate", "dw by a loop over the example's two features (not a known mistake)", """
    def propagate(w, b, X, Y):
        m = X.shape[1]
        A = sigmoid(np.dot(w.T, X) + b)
        cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
        dw = np.zeros((2, 1))
        for j in range(2):
            dw[j, 0] = np.sum(X[j] * (A - Y)[0]) / m
        return {"dw": dw, "db": np.sum(A - Y) / m}, cost
    """, SHAPE),
    Answer("propagate", "w * X element-wise (not a known mistake)", """
    def propagate(w, b, X, Y):
        m = X.shape[1]
        A = sigmoid(w * X + b)
        cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
        grads = {"dw": np.dot(X, (A - Y).T) / m, "db": np.sum(A - Y) / m}
        return grads, cost
    """, VALUES),
    # optimize
    Answer("optimize", "w += learning_rate * dw, uphill", """
    def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
        costs = []
        for i in range(num_iterations):
            grads, cost = propagate(w, b, X, Y)
            dw, db = grads["dw"], grads["db"]
            w += learning_rate * dw
            b += learning_rate * db
            if i % 100 == 0:
                costs.append(cost)
        return {"w": w, "b": b}, {"dw": dw, "db": db}, costs
    """, VALUES, "ascends"),
    Answer("optimize", "w = w + learning_rate * dw, uphill", """
    def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
        costs = []
        for i in range(num_iterations):
            grads, cost = propagate(w, b, X, Y)
            dw, db = grads["dw"], grads["db"]
            w = w + learning_rate * dw
            b = b + learning_rate * db
            if i % 100 == 0:
                costs.append(cost)
        return {"w": w, "b": b}, {"dw": dw, "db": db}, costs
    """, VALUES, "ascends"),
    Answer("optimize", "w -= learning_rate * dw on the caller's w", """
    def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
        costs = []
        for i in range(num_iterations):
            grads, cost = propagate(w, b, X, Y)
            dw, db = grads["dw"], grads["db"]
            w -= learning_rate * dw
            b -= learning_rate * db
            if i % 100 == 0:
                costs.append(cost)
        return {"w": w, "b": b}, {"dw": dw, "db": db}, costs
    """, MODIFIED, "in_place"),
    Answer("optimize", "b never updated", """
    def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
        costs = []
        for i in range(num_iterations):
            grads, cost = propagate(w, b, X, Y)
            dw, db = grads["dw"], grads["db"]
            w = w - learning_rate * dw
            if i % 100 == 0:
                costs.append(cost)
        return {"w": w, "b": b}, {"dw": dw, "db": db}, costs
    """, VALUES, "b_not_updated"),
    Answer("optimize", "the update computed but not kept", """
    def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
        costs = []
        for i in range(num_iterations):
            grads, cost = propagate(w, b, X, Y)
            dw, db = grads["dw"], grads["db"]
            new_w = w - learning_rate * dw
            new_b = b - learning_rate * db
            if i % 100 == 0:
                costs.append(cost)
        return {"w": w, "b": b}, {"dw": dw, "db": db}, costs
    """, VALUES, "never_updated"),
    Answer("optimize", "the cost recorded at every iteration", """
    def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
        costs = []
        for i in range(num_iterations):
            grads, cost = propagate(w, b, X, Y)
            dw, db = grads["dw"], grads["db"]
            w = w - learning_rate * dw
            b = b - learning_rate * db
            costs.append(cost)
        return {"w": w, "b": b}, {"dw": dw, "db": db}, costs
    """, LIST_LENGTH, "every_iteration"),
    Answer("optimize", "left as the stub", """
    def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
        costs = []
        # YOUR CODE HERE
        raise NotImplementedError()
        params = {"w": w, "b": b}
        grads = {"dw": dw, "db": db}
        return params, grads, costs
    """, RAISED, NOT_WRITTEN),
    Answer("optimize", "forgot to return", """
    def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
        costs = []
        for i in range(num_iterations):
            grads, cost = propagate(w, b, X, Y)
            w = w - learning_rate * grads["dw"]
            b = b - learning_rate * grads["db"]
            if i % 100 == 0:
                costs.append(cost)
        params = {"w": w, "b": b}
    """, NOT_TUPLE, NO_RETURN),
    _memorised("optimize", '({"w": args[0], "b": args[1]}, '
                           '{"dw": np.zeros(np.shape(args[0])), "db": 0.0}, [0.6931471805599453])'),
    Answer("optimize", "100 iterations whatever num_iterations is (not a known mistake)", """
    def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
        costs = []
        for i in range(100):
            grads, cost = propagate(w, b, X, Y)
            dw, db = grads["dw"], grads["db"]
            w = w - learning_rate * dw
            b = b - learning_rate * db
            if i % 100 == 0:
                costs.append(cost)
        return {"w": w, "b": b}, {"dw": dw, "db": db}, costs
    """, VALUES),
    Answer("optimize", "the default learning rate hard-coded (not a known mistake)", """
    def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
        costs = []
        for i in range(num_iterations):
            grads, cost = propagate(w, b, X, Y)
            dw, db = grads["dw"], grads["db"]
            w = w - 0.009 * dw
            b = b - 0.009 * db
            if i % 100 == 0:
                costs.append(cost)
        return {"w": w, "b": b}, {"dw": dw, "db": db}, costs
    """, VALUES),
    Answer("optimize", "the cost recorded after every 100th step (not a known mistake)", """
    def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
        costs = []
        for i in range(num_iterations):
            grads, cost = propagate(w, b, X, Y)
            dw, db = grads["dw"], grads["db"]
            w = w - learning_rate * dw
            b = b - learning_rate * db
            if (i + 1) % 100 == 0:
                costs.append(cost)
        return {"w": w, "b": b}, {"dw": dw, "db": db}, costs
    """, LIST_LENGTH),
    Answer("optimize", "the first iteration's gradients returned (not a known mistake)", """
    def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
        costs = []
        first = None
        for i in range(num_iterations):
            grads, cost = propagate(w, b, X, Y)
            first = first or grads
            w = w - learning_rate * grads["dw"]
            b = b - learning_rate * grads["db"]
            if i % 100 == 0:
                costs.append(cost)
        return {"w": w, "b": b}, first, costs
    """, VALUES),
    Answer("optimize", "params returned as a tuple (not a known mistake)", """
    def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
        costs = []
        for i in range(num_iterations):
            grads, cost = propagate(w, b, X, Y)
            w = w - learning_rate * grads["dw"]
            b = b - learning_rate * grads["db"]
            if i % 100 == 0:
                costs.append(cost)
        return (w, b), grads, costs
    """, NOT_DICT),
    # predict
    Answer("predict", ">= 0.5", """
    def predict(w, b, X):
        A = sigmoid(np.dot(w.T, X) + b)
        return (A >= 0.5).astype(float)
    """, VALUES, "half_is_one"),
    Answer("predict", "a 1-D array of predictions", """
    def predict(w, b, X):
        A = sigmoid(np.dot(w.T, X) + b)
        return (A > 0.5).astype(float).ravel()
    """, SHAPE, "flat"),
    Answer("predict", "the labels swapped", """
    def predict(w, b, X):
        A = sigmoid(np.dot(w.T, X) + b)
        return np.where(A > 0.5, 0.0, 1.0)
    """, VALUES, "inverted"),
    Answer("predict", "np.dot(w, X) without transposing w", """
    def predict(w, b, X):
        A = sigmoid(np.dot(w, X) + b)
        return (A > 0.5).astype(float)
    """, RAISED, "w_not_transposed"),
    Answer("predict", "left as the stub", """
    def predict(w, b, X):
        # YOUR CODE HERE
        raise NotImplementedError()
        return Y_prediction
    """, RAISED, NOT_WRITTEN),
    Answer("predict", "forgot to return", """
    def predict(w, b, X):
        A = sigmoid(np.dot(w.T, X) + b)
        Y_prediction = (A > 0.5).astype(float)
    """, NOT_ARRAY, NO_RETURN),
    _memorised("predict", "np.zeros((1, np.shape(args[2])[1]))"),
    Answer("predict", "the probabilities, not thresholded (not a known mistake)", """
    def predict(w, b, X):
        return sigmoid(np.dot(w.T, X) + b)
    """, VALUES),
    Answer("predict", "a loop over the example's three columns (not a known mistake)", """
    def predict(w, b, X):
        A = sigmoid(np.dot(w.T, X) + b)
        Y_prediction = np.zeros((1, X.shape[1]))
        for i in range(3):
            Y_prediction[0, i] = 1.0 if A[0, i] > 0.5 else 0.0
        return Y_prediction
    """, VALUES),
    # model
    Answer("model", "b an array of shape (1, 1)", """
    def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5,
              print_cost=False):
        w, b = np.zeros((X_train.shape[0], 1)), np.zeros((1, 1))
        params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate)
        w, b = params["w"], params["b"]
        return {"costs": costs, "Y_prediction_test": predict(w, b, X_test),
                "Y_prediction_train": predict(w, b, X_train), "w": w, "b": b,
                "learning_rate": learning_rate, "num_iterations": num_iterations}
    """, NOT_NUMBER, "b_array"),
    Answer("model", "left as the stub", """
    def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5,
              print_cost=False):
        # YOUR CODE HERE
        raise NotImplementedError()
        d = {"costs": costs}
        return d
    """, RAISED, NOT_WRITTEN),
    Answer("model", "forgot to return", """
    def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5,
              print_cost=False):
        w, b = initialize_with_zeros(X_train.shape[0])
        params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate)
        w, b = params["w"], params["b"]
        d = {"costs": costs, "Y_prediction_test": predict(w, b, X_test),
             "Y_prediction_train": predict(w, b, X_train), "w": w, "b": b,
             "learning_rate": learning_rate, "num_iterations": num_iterations}
    """, NOT_DICT, NO_RETURN),
    _memorised("model", '{"costs": [0.6931471805599453], '
                        '"Y_prediction_test": np.zeros((1, np.shape(args[2])[1])), '
                        '"Y_prediction_train": np.zeros((1, np.shape(args[0])[1])), '
                        '"w": np.zeros((np.shape(args[0])[0], 1)), "b": 0.0, '
                        '"learning_rate": args[5], "num_iterations": args[4]}'),
    Answer("model", "optimize's defaults, not num_iterations and learning_rate "
                    "(not a known mistake)", """
    def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5,
              print_cost=False):
        w, b = initialize_with_zeros(X_train.shape[0])
        params, grads, costs = optimize(w, b, X_train, Y_train)
        w, b = params["w"], params["b"]
        return {"costs": costs, "Y_prediction_test": predict(w, b, X_test),
                "Y_prediction_train": predict(w, b, X_train), "w": w, "b": b,
                "learning_rate": learning_rate, "num_iterations": num_iterations}
    """, VALUES),
    Answer("model", "never trains: predicts with the initial parameters (not a known mistake)", """
    def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5,
              print_cost=False):
        w, b = initialize_with_zeros(X_train.shape[0])
        params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate)
        return {"costs": costs, "Y_prediction_test": predict(w, b, X_test),
                "Y_prediction_train": predict(w, b, X_train), "w": params["w"],
                "b": params["b"], "learning_rate": learning_rate,
                "num_iterations": num_iterations}
    """, VALUES),
    Answer("model", "trains on the test set (not a known mistake)", """
    def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5,
              print_cost=False):
        w, b = initialize_with_zeros(X_test.shape[0])
        params, grads, costs = optimize(w, b, X_test, Y_test, num_iterations, learning_rate)
        w, b = params["w"], params["b"]
        return {"costs": costs, "Y_prediction_test": predict(w, b, X_test),
                "Y_prediction_train": predict(w, b, X_train), "w": w, "b": b,
                "learning_rate": learning_rate, "num_iterations": num_iterations}
    """, VALUES),
    Answer("model", "the training and test predictions swapped (not a known mistake)", """
    def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5,
              print_cost=False):
        w, b = initialize_with_zeros(X_train.shape[0])
        params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate)
        w, b = params["w"], params["b"]
        return {"costs": costs, "Y_prediction_test": predict(w, b, X_train),
                "Y_prediction_train": predict(w, b, X_test), "w": w, "b": b,
                "learning_rate": learning_rate, "num_iterations": num_iterations}
    """, SHAPE),
    Answer("model", "no costs in the dict (not a known mistake)", """
    def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5,
              print_cost=False):
        w, b = initialize_with_zeros(X_train.shape[0])
        params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate)
        w, b = params["w"], params["b"]
        return {"Y_prediction_test": predict(w, b, X_test),
                "Y_prediction_train": predict(w, b, X_train), "w": w, "b": b,
                "learning_rate": learning_rate, "num_iterations": num_iterations}
    """, MISSING_KEY),
]


ALTERNATIVE_CORRECT: list[Answer] = [
    # flatten_and_scale
    Answer("flatten_and_scale", "np.reshape with the number of pixels, then .T", """
    def flatten_and_scale(images):
        m, height, width = images.shape
        return np.reshape(images, (m, height * width)).T / 16.0
    """),
    Answer("flatten_and_scale", "float32, multiplied by 1/16", """
    def flatten_and_scale(images):
        return images.reshape(len(images), -1).astype(np.float32).T * (1 / 16)
    """),
    Answer("flatten_and_scale", "a column per image, stacked", """
    def flatten_and_scale(images):
        return np.stack([image.ravel() for image in images], axis=1) / 16
    """),
    # sigmoid
    Answer("sigmoid", "np.tanh form", """
    def sigmoid(z):
        return 0.5 * (1 + np.tanh(z / 2))
    """),
    Answer("sigmoid", "exp(z) / (1 + exp(z))", """
    def sigmoid(z):
        e = np.exp(np.asarray(z, dtype=float))
        return e / (1 + e)
    """),
    # initialize_with_zeros
    Answer("initialize_with_zeros", "np.zeros([dim, 1]) and an int 0", """
    def initialize_with_zeros(dim):
        return np.zeros([dim, 1]), 0
    """),
    Answer("initialize_with_zeros", "np.float64 b, a list of (w, b)", """
    def initialize_with_zeros(dim):
        return [np.zeros(dim).reshape(-1, 1), np.float64(0)]
    """),
    # propagate: five ways or more
    Answer("propagate", "@ and np.mean", """
    def propagate(w, b, X, Y):
        A = sigmoid(w.T @ X + b)
        cost = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
        dZ = A - Y
        return {"dw": X @ dZ.T / X.shape[1], "db": np.mean(dZ)}, cost
    """),
    Answer("propagate", "the cost by np.dot, squeezed to a 0-d array", """
    def propagate(w, b, X, Y):
        m = X.shape[1]
        A = sigmoid(np.dot(w.T, X) + b)
        cost = -(np.dot(Y, np.log(A).T) + np.dot(1 - Y, np.log(1 - A).T)) / m
        cost = np.squeeze(cost)
        grads = {"dw": np.dot(X, (A - Y).T) / m, "db": np.sum(A - Y) / m}
        return grads, cost
    """),
    Answer("propagate", "Python floats for db and the cost", """
    def propagate(w, b, X, Y):
        m = X.shape[1]
        A = sigmoid(np.dot(w.T, X) + b)
        losses = -(Y * np.log(A) + (1 - Y) * np.log(1 - A))
        grads = {"dw": np.dot(X, (A - Y).T) / m, "db": float(np.sum(A - Y)) / m}
        return grads, float(np.sum(losses)) / m
    """),
    Answer("propagate", "a loop over the examples", """
    def propagate(w, b, X, Y):
        n, m = X.shape
        dw, db, cost = np.zeros((n, 1)), 0.0, 0.0
        for i in range(m):
            x, y = X[:, i:i + 1], Y[0, i]
            a = sigmoid(float(np.dot(w.T, x)[0, 0]) + b)
            cost -= y * np.log(a) + (1 - y) * np.log(1 - a)
            dw += x * (a - y)
            db += a - y
        return {"dw": dw / m, "db": db / m}, cost / m
    """),
    Answer("propagate", "the log of the right class's probability", """
    def propagate(w, b, X, Y):
        m = X.shape[1]
        A = sigmoid(np.dot(X.T, w).T + b)
        cost = -np.sum(np.log(np.where(Y == 1, A, 1 - A))) / m
        return {"dw": np.dot(X, (A - Y).T) / m, "db": np.sum(A - Y) / m}, np.float64(cost)
    """),
    Answer("propagate", "keepdims, then .item()", """
    def propagate(w, b, X, Y):
        m = X.shape[1]
        A = sigmoid(np.matmul(w.T, X) + b)
        cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A), keepdims=True) / m
        db = np.sum(A - Y, axis=1, keepdims=True) / m
        return {"dw": np.matmul(X, (A - Y).T) / m, "db": db.item()}, cost.item()
    """),
    # optimize: five ways or more
    Answer("optimize", "deep copies, then in-place updates", """
    import copy

    def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
        w = copy.deepcopy(w)
        b = copy.deepcopy(b)
        costs = []
        for i in range(num_iterations):
            grads, cost = propagate(w, b, X, Y)
            dw = grads["dw"]
            db = grads["db"]
            w -= learning_rate * dw
            b -= learning_rate * db
            if i % 100 == 0:
                costs.append(cost)
                if print_cost:
                    print("Cost after iteration %i: %f" % (i, cost))
        return {"w": w, "b": b}, {"dw": dw, "db": db}, costs
    """),
    Answer("optimize", "w.copy(), np.subtract with out=", """
    def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
        w = w.copy()
        costs = []
        for i in range(num_iterations):
            grads, cost = propagate(w, b, X, Y)
            np.subtract(w, learning_rate * grads["dw"], out=w)
            b = b - learning_rate * grads["db"]
            if i % 100 == 0:
                costs.append(float(cost))
        return {"w": w, "b": b}, grads, costs
    """),
    Answer("optimize", "a params dict updated in the loop", """
    def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
        params = {"w": w, "b": b}
        costs = []
        for i in range(num_iterations):
            grads, cost = propagate(params["w"], params["b"], X, Y)
            params = {key: params[key] - learning_rate * grads["d" + key] for key in params}
            if not i % 100:
                costs.append(cost)
        return params, grads, costs
    """),
    Answer("optimize", "a while loop, costs as np.float64", """
    def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
        costs, i = [], 0
        while i < num_iterations:
            grads, cost = propagate(w, b, X, Y)
            w, b = w - learning_rate * grads["dw"], b - learning_rate * grads["db"]
            if i % 100 == 0:
                costs.append(np.float64(cost))
            i += 1
        return {"w": w, "b": b}, {"dw": grads["dw"], "db": grads["db"]}, costs
    """),
    Answer("optimize", "costs as 0-d arrays, a tuple of results as a list", """
    def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
        costs = []
        for i in range(num_iterations):
            grads, cost = propagate(w, b, X, Y)
            if i % 100 == 0:
                costs.append(np.array(float(cost)))
            w = w - learning_rate * grads["dw"]
            b = b - learning_rate * grads["db"]
        return [{"w": w, "b": b}, grads, costs]
    """),
    Answer("optimize", "costs kept at every step, every 100th returned", """
    def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
        every = []
        for _ in range(num_iterations):
            grads, cost = propagate(w, b, X, Y)
            every.append(cost)
            w = w - learning_rate * grads["dw"]
            b = b - learning_rate * grads["db"]
        return {"w": w, "b": b}, grads, every[::100]
    """),
    # predict
    Answer("predict", "the loop of the notes", """
    def predict(w, b, X):
        m = X.shape[1]
        Y_prediction = np.zeros((1, m))
        w = w.reshape(X.shape[0], 1)
        A = sigmoid(np.dot(w.T, X) + b)
        for i in range(A.shape[1]):
            if A[0, i] > 0.5:
                Y_prediction[0, i] = 1
            else:
                Y_prediction[0, i] = 0
        return Y_prediction
    """),
    Answer("predict", "np.where, integers", """
    def predict(w, b, X):
        return np.where(sigmoid(w.T @ X + b) > 0.5, 1, 0)
    """),
    Answer("predict", "booleans", """
    def predict(w, b, X):
        return sigmoid(w.T @ X + b) > 0.5
    """),
    Answer("predict", "np.round, which rounds 0.5 to 0", """
    def predict(w, b, X):
        return np.round(sigmoid(np.dot(w.T, X) + b))
    """),
    Answer("predict", "z > 0, without the sigmoid", """
    def predict(w, b, X):
        return (np.dot(w.T, X) + b > 0).astype(int)
    """),
    # model
    Answer("model", "keyword arguments, and accuracies printed", """
    def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5,
              print_cost=False):
        w, b = initialize_with_zeros(dim=X_train.shape[0])
        params, _, costs = optimize(w, b, X_train, Y_train, num_iterations=num_iterations,
                                    learning_rate=learning_rate, print_cost=print_cost)
        d = {"costs": costs, "w": params["w"], "b": params["b"],
             "learning_rate": learning_rate, "num_iterations": num_iterations}
        d["Y_prediction_test"] = predict(d["w"], d["b"], X_test)
        d["Y_prediction_train"] = predict(d["w"], d["b"], X_train)
        if print_cost:
            print("train accuracy:", np.mean(d["Y_prediction_train"] == Y_train))
        return d
    """),
    Answer("model", "dict(...) in another order", """
    def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5,
              print_cost=False):
        params, grads, costs = optimize(*initialize_with_zeros(len(X_train)), X_train, Y_train,
                                        num_iterations, learning_rate)
        return dict(w=params["w"], b=params["b"], costs=costs, learning_rate=learning_rate,
                    num_iterations=num_iterations,
                    Y_prediction_train=predict(params["w"], params["b"], X_train),
                    Y_prediction_test=predict(params["w"], params["b"], X_test))
    """),
]
