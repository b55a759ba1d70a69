"""The kernel's half of a hidden test: run the student's function, print plain data.

Nothing here decides a grade. A hidden test cell calls :func:`record` with the
student's function and the hidden inputs; it runs the function on the public
cases and on those inputs and prints one line of JSON: what came back (numbers,
shape, dtype, type) or the name of the exception, and the inputs as they were
after the call. The grading pipeline reads that line in its own process and
judges it there (see ``graders.verdicts``), so no verdict depends on anything the
student's code could have changed inside the kernel. Forging the line means
computing the right answers, that is, solving the exercise.

Values are described from what NumPy and CPython hold in memory, never from the
object's own methods or attributes (an ndarray subclass can make ``.shape`` say
anything). Names travel only from fixed vocabularies (:data:`TYPE_NAMES`,
:data:`EXCEPTION_NAMES`): no text the student's code chose reaches the record.
Non-finite numbers are written as the strings ``"nan"``, ``"inf"`` and ``"-inf"``,
so that the line is strict JSON.

The JSON line is for machines: it is printed while nbgrader autogrades
(``NBGRADER_EXECUTION=autograde``) and wherever no person reads the output (plain
Python outside IPython, as the test-suite runs a hidden cell). A person running the
cell in Jupyter (a self-learner in the solution notebook, ``nbgrader validate``)
reads one sentence instead: what was recorded, and that it is judged at grading.
"""

from __future__ import annotations

import builtins
import copy
import json
import math
import os
import sys
import types
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

PREFIX = "GRADERS-RECORD "
# Most numbers one recorded value may hold; a larger array is recorded as "other".
MAX_NUMBERS = 10**6
# What the kernel writes for a type or an exception whose name is not in the vocabulary.
OTHER = "other"
NON_FINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}

# Classes whose names may be shown to the student, found by identity (a class can
# be given any name, and a metaclass can even fake ``__eq__``).
_NUMPY_SCALARS = {t for t in np.sctypeDict.values() if isinstance(t, type)}
_KNOWN_TYPES = {
    int, float, complex, bool, str, bytes, bytearray, list, tuple, dict, set, frozenset,
    range, map, filter, zip, type(None), types.FunctionType, types.GeneratorType,
    np.ndarray, np.matrix, np.ma.MaskedArray, *_NUMPY_SCALARS,
}
_KNOWN_EXCEPTIONS = {
    value for value in [*vars(builtins).values(), *vars(np.exceptions).values(),
                        np.linalg.LinAlgError]
    if isinstance(value, type) and issubclass(value, BaseException)
}
TYPE_NAMES = frozenset(cls.__name__ for cls in _KNOWN_TYPES)
EXCEPTION_NAMES = frozenset(cls.__name__ for cls in _KNOWN_EXCEPTIONS)
_TYPE_BY_ID = {id(cls): cls.__name__ for cls in _KNOWN_TYPES}
_EXCEPTION_BY_ID = {id(cls): cls.__name__ for cls in _KNOWN_EXCEPTIONS}
# Real number types (not bool): a value whose class derives from one is read by that
# class's own C-level conversion, never by an override of ``__float__`` or ``__array__``.
_NUMBER_TYPES = {
    id(t): t for t in [int, float, *(t for t in _NUMPY_SCALARS if np.dtype(t).kind in "iuf")]
}


# Set by the grader while it runs a trusted hidden cell to learn its inputs: then ``record``
# hands it the hidden inputs and runs nothing.
_capture: Callable[[str, list[tuple]], None] | None = None

# A class's MRO as CPython holds it (a metaclass can make ``cls.__mro__`` run its own code).
_mro = type.__dict__["__mro__"].__get__


def recorder(cases: Mapping[str, Sequence[Any]]) -> Callable[[str, Callable, Sequence[Any]], None]:
    """The ``record`` of one assignment, whose public cases (by function) are ``cases``.

    An assignment's module offers it to its hidden test cells::

        from graders.numpy_basics import record
        record("sigmoid", sigmoid, [hidden inputs...])
    """

    def record(function_name: str, function: Callable, hidden_inputs: Sequence[Any]) -> None:
        """Print the results of ``function`` on the public cases and the hidden inputs."""
        if _capture is not None:  # the grader reading a trusted hidden cell (graders.verdicts)
            _capture(function_name, [as_args(inputs) for inputs in hidden_inputs])
            return
        entry = {
            "function": function_name,
            "public": [run(function, case.args) for case in cases[function_name]],
            "hidden": [run(function, as_args(inputs)) for inputs in hidden_inputs],
        }
        _print(entry)

    return record


def _print(entry: dict) -> None:
    if read_by_a_person():
        sys.stdout.write(summary(entry) + "\n")
    else:
        sys.stdout.write(PREFIX + json.dumps(entry, allow_nan=False) + "\n")
    sys.stdout.flush()


def read_by_a_person() -> bool:
    """Is this cell run in IPython (a notebook, a console), and not autograded by nbgrader?"""
    if os.environ.get("NBGRADER_EXECUTION") == "autograde":
        return False
    ipython = sys.modules.get("IPython")
    return ipython is not None and ipython.get_ipython() is not None


def summary(entry: dict) -> str:
    """One line for a person: what ran, what raised, and that the verdict comes at grading."""
    name, public, hidden = entry["function"], entry["public"], entry["hidden"]
    raised = [outcome["error"] for outcome in public + hidden if "error" in outcome]
    if raised:
        bad_public = sum("error" in outcome for outcome in public)
        bad_hidden = len(raised) - bad_public
        english = (f"✗ {name} raised {', '.join(sorted(set(raised)))} on {bad_public} of "
                   f"{len(public)} public and {bad_hidden} of {len(hidden)} hidden inputs")
        chinese = (f"{name} 在 {bad_public}/{len(public)} 个公开输入和 "
                   f"{bad_hidden}/{len(hidden)} 个隐藏输入上出错")
    else:
        english = f"✓ recorded {name} on {len(public)} public and {len(hidden)} hidden inputs"
        chinese = f"已记录 {name} 在 {len(public)} 个公开输入和 {len(hidden)} 个隐藏输入上的结果"
    return (f"{english}; the hidden tests are judged when your work is graded · "
            f"{chinese}，隐藏测试在评分时判定")


def as_args(inputs: Any) -> tuple:
    """Hidden inputs are given as one argument, or as a tuple of arguments."""
    return inputs if isinstance(inputs, tuple) else (inputs,)


def run(function: Callable, args: tuple) -> dict:
    """Call the function on a copy of the arguments; describe the outcome as plain data."""
    args = copy.deepcopy(args)
    try:
        value = function(*args)
        return {"value": plain(value), "args_after": [plain(arg) for arg in args]}
    except KeyboardInterrupt:
        # A real interrupt (the time limit) must stop the cell, without the student's text.
        raise KeyboardInterrupt from None
    except BaseException as error:  # SystemExit too: the cell must not fail with its message
        # Only the class, and only a known one: the message is the student's own text.
        return {"error": _EXCEPTION_BY_ID.get(id(type(error)), OTHER)}


def plain(value: Any) -> dict:
    """A value as JSON-ready data: kind, type name, and numbers where there are any."""
    cls = type(value)  # type() cannot be fooled, unlike isinstance() and __class__
    type_name = _TYPE_BY_ID.get(id(cls), OTHER)
    try:
        if issubclass(cls, np.ndarray):
            array = np.asarray(value)  # a base-class view: NumPy's own shape, dtype, data
            if array.dtype.kind in "iuf" and array.size <= MAX_NUMBERS:
                return {
                    "kind": "ndarray",
                    "type": type_name,
                    "dtype": array.dtype.name,
                    "shape": list(array.shape),
                    "data": _numbers(array),
                }
            return {"kind": "other", "type": "ndarray"}
        number_type = next((_NUMBER_TYPES[id(t)] for t in _mro(cls) if id(t) in _NUMBER_TYPES),
                           None)
        if number_type is not None and cls is not bool:
            return {"kind": "scalar", "type": type_name,
                    "data": _number(number_type.__float__(value))}
    except Exception:  # whatever went wrong, the value is not plain numbers
        pass
    return {"kind": "other", "type": type_name}


def _number(x: float) -> float | str:
    """A float as strict JSON allows it: finite, or one of the strings of NON_FINITE."""
    if math.isfinite(x):
        return x
    return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")


def _numbers(array: np.ndarray) -> Any:
    """Nested lists of floats (a bare float for a 0-d array), non-finite ones as strings."""
    floats = np.asarray(array, dtype=float)
    finite = np.isfinite(floats)
    if finite.all():
        return floats.tolist()
    encoded = floats.astype(object)
    encoded[~finite] = [_number(x) for x in floats[~finite]]
    return encoded.tolist()
