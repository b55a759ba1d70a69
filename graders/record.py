"""The kernel's half of a hidden test: run the student's function, print plain data.

Nothing here decides a grade. A hidden test cell calls :func:`record` with the
student's function and the hidden inputs; it runs the function on the public
cases and on those inputs and prints one line of JSON: what came back, described
by the value model (``graders.values.describe``), or the name of the exception,
and the inputs as they were after the call. The grading pipeline reads that line
in its own process and judges it there (see ``graders.verdicts``), so no verdict
depends on anything the student's code could have changed inside the kernel.
Forging the line means computing the right answers, that is, solving the exercise.

Values are described from what NumPy and CPython hold in memory, never from the
object's own methods or attributes, and names travel only from fixed vocabularies
(``graders.values.TYPE_NAMES``, :data:`EXCEPTION_NAMES`): no text the student's code
chose reaches the record but the strings and dict keys of the values it describes,
which the grader never shows.

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
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from .conventions import RECORD_PREFIX
from .values import OTHER, describe

_KNOWN_EXCEPTIONS = {
    value for value in [*vars(builtins).values(), *vars(np.exceptions).values(),
                        np.linalg.LinAlgError]
    if isinstance(value, type) and issubclass(value, BaseException)
}
EXCEPTION_NAMES = frozenset(cls.__name__ for cls in _KNOWN_EXCEPTIONS)
# Found by identity: a class can be given any name, even a built-in one's.
_EXCEPTION_BY_ID = {id(cls): cls.__name__ for cls in _KNOWN_EXCEPTIONS}


# Set by the grader while it runs a trusted hidden cell to learn its inputs: then ``record``
# hands it the hidden inputs and runs nothing.
_capture: Callable[[str, list[tuple]], None] | None = None


def recorder(cases: Mapping[str, Sequence[Any]]) -> Callable[[str, Callable, Sequence[Any]], None]:
    """The ``record`` of one assignment, whose public cases (by function) are ``cases``.

    An assignment's module offers it to its hidden test cells (``record = recorder(CASES)``),
    which call it with the student's function and the hidden inputs, one per call::

        from summaries_checks import record
        record("split_sign", split_sign, [np.array([-1.0, 2.0]), ...])
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
        sys.stdout.write(RECORD_PREFIX + json.dumps(entry, allow_nan=False) + "\n")
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
        return {"value": describe(value), "args_after": [describe(arg) for arg in args]}
    except KeyboardInterrupt:
        # A real interrupt (the time limit) must stop the cell, without the student's text.
        raise KeyboardInterrupt from None
    except BaseException as error:  # SystemExit too: the cell must not fail with its message
        # Only the class, and only a known one: the message is the student's own text.
        return {"error": _EXCEPTION_BY_ID.get(id(type(error)), OTHER)}
