"""The kernel's half of a hidden test: run the student's function, print plain data.

Nothing here decides a grade. A hidden test cell calls :func:`record` with the
student's function and the hidden inputs; it runs the function on the public
cases and on those inputs and prints one line of JSON: what came back (numbers,
shape, dtype, type) or the name of the exception, and the inputs as they were
after the call. The grading pipeline reads that line in its own process and
judges it there (see ``graders.verdicts``), so no verdict depends on anything the
student's code could have changed inside the kernel. Forging the line means
computing the right answers, that is, solving the exercise.
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

PREFIX = "GRADERS-RECORD "


def record(function_name: str, function: Callable, hidden_inputs: Sequence[Any]) -> None:
    """Print the results of ``function`` on the public cases and the hidden inputs."""
    from .numpy_basics import CASES

    entry = {
        "function": function_name,
        "public": [run(function, case.args) for case in CASES[function_name]],
        "hidden": [run(function, as_args(inputs)) for inputs in hidden_inputs],
    }
    sys.stdout.write(PREFIX + json.dumps(entry) + "\n")
    sys.stdout.flush()


def as_args(inputs: Any) -> tuple:
    """Hidden inputs are given as one argument, or as a tuple of arguments."""
    return inputs if isinstance(inputs, tuple) else (inputs,)


def run(function: Callable, args: tuple) -> dict:
    """Call the function on a copy of the arguments; describe the outcome as plain data."""
    args = copy.deepcopy(args)
    try:
        value = function(*args)
    except Exception as error:
        return {"error": f"{type(error).__name__}: {error}"[:300]}
    return {"value": plain(value), "args_after": [plain(arg) for arg in args]}


def plain(value: Any) -> dict:
    """A value as JSON-ready data: kind, type name, and numbers where there are any."""
    type_name = type(value).__name__
    if isinstance(value, bool):
        return {"kind": "other", "type": type_name}
    if isinstance(value, int | float | np.integer | np.floating):
        return {"kind": "scalar", "type": type_name, "data": float(value)}
    if isinstance(value, np.ndarray) and value.dtype.kind in "iuf":
        return {
            "kind": "ndarray",
            "type": type_name,
            "dtype": str(value.dtype),
            "shape": list(value.shape),
            "data": np.asarray(value, dtype=float).tolist(),
        }
    return {"kind": "other", "type": type_name}
