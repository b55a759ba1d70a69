"""Public checks for the course "NumPy basics for deep learning".

Import the checks in a notebook and call each with your own function::

    from graders import sigmoid_test
    sigmoid_test(sigmoid)

This package stays light on purpose: importing it loads NumPy only, never
matplotlib or ipywidgets, so grading a notebook pays nothing for the plots.
"""

from . import numpy_basics
from .numpy_basics import *  # noqa: F403 (the public checks, listed in its __all__)

__all__ = numpy_basics.__all__
