"""The grader's half of a hidden test: judge, in the grader's own process, what a kernel recorded.

The kernel only prints plain data (``graders.record``). Here, with the grader's
own NumPy, the expected values are computed from the instructor's reference
solution (the answer cells of the nbgrader source notebook) on the same inputs,
and compared with the record. A missing, duplicated or malformed record fails,
as does an input the student's function modified.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import math
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import numpy as np

from . import record as recorder
from .compare import compare
from .numpy_basics import CASES

HIDDEN_MARKER = "### BEGIN HIDDEN TESTS"
# How closely a hidden result must match, by function (default: DEFAULT_TOLERANCE).
DEFAULT_TOLERANCE = {"rtol": 1e-6, "atol": 1e-12, "check_dtype": True}
HIDDEN_TOLERANCE = {
    # 1 − σ(x) loses digits for large x; every correct formula stays within 1e-5.
    "sigmoid_derivative": {**DEFAULT_TOLERANCE, "rtol": 1e-5},
    # Reshaping copies values exactly and keeps the image's own dtype.
    "image2vector": {"rtol": 0.0, "atol": 0.0, "check_dtype": False},
}

_capture_lock = threading.Lock()


@dataclass(frozen=True)
class Verdict:
    passed: bool
    message: str = ""


@dataclass(frozen=True)
class HiddenTest:
    """What the trusted source notebook says one hidden cell records."""

    function: str
    inputs: list[tuple]


class Reference:
    """The instructor's solution and hidden inputs, read from the nbgrader source notebook."""

    def __init__(self, source_notebook: Path):
        nb = nbformat.read(source_notebook, as_version=4)
        self.functions = _solution_functions(nb)
        self.hidden_tests: dict[str, HiddenTest] = {}
        for cell in nb.cells:
            if cell.cell_type == "code" and HIDDEN_MARKER in cell.source:
                for test in _captured_hidden_tests(cell.source, self.functions):
                    self.hidden_tests[test.function] = test

    def judge(self, function: str, entry: dict | None, part: str) -> Verdict:
        """Judge the ``public`` or ``hidden`` part of a function's record."""
        if entry is None:
            return Verdict(False, f"no result was recorded for {function}: the test did not run "
                                  "to its end · 没有记录到结果：测试没有运行完")
        if part == "public":
            cases = CASES[function]
            inputs = [case.args for case in cases]
            tolerances = [
                {"rtol": case.rtol, "atol": case.atol, "check_dtype": case.check_dtype}
                for case in cases
            ]
        else:
            inputs = self.hidden_tests[function].inputs
            tolerances = [HIDDEN_TOLERANCE.get(function, DEFAULT_TOLERANCE)] * len(inputs)
        results = entry.get(part)
        if not isinstance(results, list) or len(results) != len(inputs):
            return Verdict(False, f"the record of {function} is incomplete or malformed · "
                                  "记录不完整")
        problems = []
        for index, (args, result, tolerance) in enumerate(
            zip(inputs, results, tolerances, strict=True), start=1
        ):
            expected = self.functions[function](*copy.deepcopy(args))
            for problem in _problems(args, result, expected, tolerance):
                problems.append(f"{part} case {index}/{len(inputs)} "
                                f"({_describe_args(args)}): {problem}")
        if problems:
            return Verdict(False, "\n".join(problems))
        return Verdict(True)


def parse_records(text: str) -> dict[str, list[dict]]:
    """All record lines in a cell's printed output, by function (malformed ones dropped)."""
    found: dict[str, list[dict]] = {}
    for line in text.splitlines():
        if line.startswith(recorder.PREFIX):
            try:
                entry = json.loads(line[len(recorder.PREFIX):])
                found.setdefault(str(entry["function"]), []).append(entry)
            except (ValueError, KeyError, TypeError):
                continue
    return found


def single_record(records: dict[str, list[dict]], function: str) -> tuple[dict | None, str]:
    """The one record of a function, or None and why it cannot be trusted."""
    entries = records.get(function, [])
    if len(entries) > 1:
        return None, (f"{len(entries)} records of {function} were printed where one was "
                      "expected: output was forged · 输出被伪造")
    return (entries[0], "") if entries else (None, "")


def _problems(args: tuple, result: Any, expected: Any, tolerance: dict) -> list[str]:
    if not isinstance(result, dict):
        return ["the record is malformed"]
    if "error" in result:
        return [f"your function raised {str(result['error'])[:200]}"]
    try:
        got = _rebuild(result["value"])
        after = [_rebuild(arg) for arg in result["args_after"]]
    except (KeyError, TypeError, ValueError):
        return ["the record is malformed"]
    problems = []
    if len(after) != len(args) or any(
        not np.array_equal(np.asarray(a, dtype=float), np.asarray(b, dtype=float))
        for a, b in zip(after, args, strict=False)
    ):
        problems.append("your function modified its input in place · 函数修改了输入")
    if isinstance(expected, np.ndarray) and not tolerance["check_dtype"]:
        expected = expected.astype(float)
    problems.extend(compare(got, _as_float(expected), tolerance["rtol"], tolerance["atol"],
                            tolerance["check_dtype"]))
    return problems


def _as_float(expected: Any) -> Any:
    if isinstance(expected, np.ndarray):
        return expected.astype(float)
    return float(expected)


class _Other:
    """Stands for a returned object that was not numbers; only its type name is known."""

    def __init__(self, type_name: str):
        self.type_name = type_name


def _rebuild(plain: dict) -> Any:
    kind = plain["kind"]
    if kind == "scalar":
        return float(plain["data"])
    if kind == "ndarray":
        data = np.array(plain["data"], dtype=float).reshape([int(n) for n in plain["shape"]])
        dtype = np.dtype(str(plain["dtype"]))
        if dtype.kind not in "iuf":
            raise ValueError("not a numeric dtype")
        return data.astype(dtype)
    return type(str(plain["type"]), (_Other,), {})(str(plain["type"]))


def _describe_args(args: tuple) -> str:
    shapes = ", ".join(
        f"shape {np.shape(arg)}" if np.ndim(arg) else "a number" for arg in args
    )
    return f"input of {shapes}"


def _solution_functions(nb) -> dict[str, Callable]:
    namespace: dict[str, Any] = {"np": np, "math": math, "__name__": "reference"}
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution"):
            exec(compile(cell.source, f"<reference {cell.metadata.nbgrader['grade_id']}>",
                         "exec"), namespace)
    return {name: value for name, value in namespace.items() if name in CASES}


@contextlib.contextmanager
def _capturing_records() -> Iterator[list[HiddenTest]]:
    """Make ``graders.record.record`` note its inputs instead of running anything."""
    captured: list[HiddenTest] = []

    def capture(function_name, function, hidden_inputs):
        captured.append(HiddenTest(function_name,
                                   [recorder.as_args(i) for i in hidden_inputs]))

    with _capture_lock:
        original = recorder.record
        recorder.record = capture
        try:
            yield captured
        finally:
            recorder.record = original


def _captured_hidden_tests(source: str, functions: dict[str, Callable]) -> list[HiddenTest]:
    """Run a trusted hidden cell with the reference functions, noting what it records."""
    namespace = {"np": np, "math": math, **functions}
    with _capturing_records() as captured, contextlib.redirect_stdout(io.StringIO()):
        exec(compile(source, "<hidden test>", "exec"), namespace)
    return captured
