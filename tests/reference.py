"""Reference implementations of the graded functions, for the test-suite only.

They are kept out of the installed ``graders`` package on purpose: students have
that package installed, and it must not hand them the answers.
"""

import math

import numpy as np


def basic_sigmoid(x):
    return 1 / (1 + math.exp(-x))


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_derivative(x):
    s = sigmoid(x)
    return s * (1 - s)


def image2vector(image):
    return image.reshape(image.shape[0] * image.shape[1] * image.shape[2], 1)


def normalize_rows(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def softmax(x):
    x_exp = np.exp(x)
    return x_exp / np.sum(x_exp, axis=1, keepdims=True)


def L1(yhat, y):
    return np.sum(np.abs(y - yhat))


def L2(yhat, y):
    return np.sum((y - yhat) ** 2)
