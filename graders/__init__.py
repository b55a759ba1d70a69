"""Public checks for the course "NumPy basics for deep learning".

Import the checks in a notebook and call each with your own function::

    from graders import sigmoid_test
    sigmoid_test(sigmoid)

This package stays light on purpose: importing it loads NumPy only, never
matplotlib or ipywidgets, so grading a notebook pays nothing for the plots.
"""

from .numpy_basics import (
    L1_test,
    L2_test,
    basic_sigmoid_test,
    image2vector_test,
    normalize_rows_test,
    sigmoid_derivative_test,
    sigmoid_test,
    softmax_test,
)

__all__ = [
    "L1_test",
    "L2_test",
    "basic_sigmoid_test",
    "image2vector_test",
    "normalize_rows_test",
    "sigmoid_derivative_test",
    "sigmoid_test",
    "softmax_test",
]
