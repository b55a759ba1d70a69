"""Run a student's function on a list of cases and explain every difference.

A public check is data (a list of :class:`Case`) plus one call of :func:`run_cases`.
Each case is run on a private copy of its inputs; the check then looks, in order, at
whether the function raised, changed its input, returned the right kind of object,
shape and dtype, and finally the values. Every failing case is reported (not only
the first), in English and in Chinese, and the check raises ``AssertionError`` so
that nbgrader and pytest count it as a failure.
"""

from __future__ import annotations

import copy
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

# Scalars the graded functions may legitimately return (a NumPy scalar or a 0-d array
# are as good as a Python float).
_SCALAR_TYPES = (int, float, np.integer, np.floating)


@dataclass(frozen=True)
class Case:
    """One input for a student's function and the answer it must give.

    ``expected`` is literal data (a number or nested lists), never computed by a
    reference implementation: the package is installed on students' machines.
    ``hint`` says, in both languages, which mistake this case is there to catch.
    """

    name: str
    args: tuple[Any, ...]
    expected: Any
    hint: str = ""
    rtol: float = 1e-6
    atol: float = 1e-12
    # Off where the input's own dtype is the right answer (reshaping uint8 pixels).
    check_dtype: bool = True

    @property
    def expects_array(self) -> bool:
        return isinstance(self.expected, list | tuple | np.ndarray)


@dataclass
class Failure:
    """Why one case failed, ready to be printed."""

    case: Case
    index: int
    problems: list[str]
    got: Any = None
    error: BaseException | None = None

    def describe(self, total: int) -> str:
        lines = [f"✗ Case {self.index}/{total} · 用例 {self.index}/{total}: {self.case.name}"]
        lines.append(f"    input / 输入:     {_short_args(self.case.args)}")
        lines.append(f"    expected / 期望:  {describe_value(_as_expected(self.case))}")
        if self.error is None:
            lines.append(f"    got / 得到:       {describe_value(self.got)}")
        else:
            lines.append(f"    raised / 抛出:    {type(self.error).__name__}: {self.error}")
            lines.extend("      " + line for line in _student_frames(self.error))
        lines.extend(f"    problem / 问题:   {problem}" for problem in self.problems)
        if self.case.hint:
            lines.append(f"    hint / 提示:      {self.case.hint}")
        return "\n".join(lines)


def run_cases(check_name: str, function: Callable[..., Any], cases: Sequence[Case]) -> None:
    """Call ``function`` on every case; print one line on success, raise otherwise."""
    if not callable(function):
        raise AssertionError(
            f"{check_name}: expected a function, got {type(function).__name__}. "
            f"Pass the function itself, without calling it, e.g. {check_name}(my_function).\n"
            f"{check_name}：需要传入函数本身（不要加括号调用），例如 {check_name}(my_function)。"
        )
    failures = [
        failure
        for index, case in enumerate(cases, start=1)
        if (failure := _run_case(function, case, index)) is not None
    ]
    total = len(cases)
    if not failures:
        print(f"✓ {check_name}: all {total} cases passed · 全部 {total} 个用例通过")
        return

    header = (
        f"{check_name}: {len(failures)} of {total} cases failed · "
        f"{total} 个用例中有 {len(failures)} 个未通过"
    )
    body = "\n\n".join(failure.describe(total) for failure in failures)
    first_error = next((f.error for f in failures if f.error is not None), None)
    # Chaining keeps the student's own traceback visible above our explanation.
    raise AssertionError(f"{header}\n\n{body}") from first_error


def _run_case(function: Callable[..., Any], case: Case, index: int) -> Failure | None:
    args = copy.deepcopy(case.args)
    try:
        got = function(*args)
    except Exception as error:
        return Failure(case, index, ["your function raised an error · 函数运行时出错"], error=error)

    problems = [
        f"input argument {position} was modified in place; work on a copy or build a new array · "
        f"第 {position} 个输入参数被原地修改了；请返回新数组，不要改动输入"
        for position, (before, after) in enumerate(zip(case.args, args, strict=True), start=1)
        if not _same(before, after)
    ]
    problems.extend(compare(got, _as_expected(case), case.rtol, case.atol, case.check_dtype))
    return Failure(case, index, problems, got=got) if problems else None


def compare(
    got: Any, expected: Any, rtol: float = 1e-6, atol: float = 1e-12, check_dtype: bool = True
) -> list[str]:
    """List what differs between ``got`` and ``expected`` (empty when they match).

    The checks go from coarse to fine (type, shape, dtype, values) and stop at the
    first that fails, since a wrong shape makes the value comparison meaningless.
    """
    if isinstance(expected, np.ndarray):
        if not isinstance(got, np.ndarray):
            return [wrong_kind(True, type(got).__name__)]
        if got.shape != expected.shape:
            return [
                f"shape should be {expected.shape}, got {got.shape} · "
                f"形状应为 {expected.shape}，实际为 {got.shape}"
            ]
        if check_dtype and not np.issubdtype(got.dtype, np.floating):
            return [
                f"dtype should be floating point, got {got.dtype} (integer division or an "
                f"integer array?) · 数据类型应为浮点数，实际为 {got.dtype}"
            ]
    elif not _is_scalar(got):
        shape = f" of shape {np.shape(got)}" if isinstance(got, np.ndarray) else ""
        return [wrong_kind(False, type(got).__name__ + shape, type(got).__name__)]

    got_values = np.asarray(got, dtype=float)
    if np.allclose(got_values, expected, rtol=rtol, atol=atol, equal_nan=False):
        return []
    finite = np.isfinite(got_values)
    if not finite.all():
        return [
            "result contains nan or inf (overflow, or dividing by zero?) · "
            "结果中有 nan 或 inf（溢出或除以零？）"
        ]
    worst = float(np.max(np.abs(got_values - expected)))
    return [f"values differ (largest difference {worst:.3g}) · 数值不一致（最大差 {worst:.3g}）"]


def wrong_kind(expects_array: bool, got: str, got_zh: str | None = None) -> str:
    """Why a result of the wrong kind fails; ``got`` (and ``got_zh``) say what came back."""
    got_zh = got if got_zh is None else got_zh
    if expects_array:
        return f"expected a NumPy array, got {got} · 应返回 NumPy 数组，实际返回 {got_zh}"
    return f"expected a single number, got {got} · 应返回一个数，实际返回 {got_zh}"


def describe_value(value: Any) -> str:
    """Type, shape, dtype and a short printout of a value, for a failure message."""
    if isinstance(value, np.ndarray):
        text = np.array2string(value, precision=8, threshold=12, edgeitems=3, separator=", ")
        text = " ".join(text.split())
        return f"ndarray shape {value.shape} dtype {value.dtype}: {text}"
    if _is_scalar(value):
        return f"{type(value).__name__}: {value!r}"
    return f"{type(value).__name__}: {_clip(repr(value))}"


def _as_expected(case: Case) -> Any:
    if case.expects_array:
        return np.array(case.expected, dtype=float)
    return float(case.expected)


def _is_scalar(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, np.ndarray):
        return value.ndim == 0 and np.issubdtype(value.dtype, np.number)
    return isinstance(value, _SCALAR_TYPES)


def _same(before: Any, after: Any) -> bool:
    if isinstance(before, np.ndarray):
        return (
            isinstance(after, np.ndarray)
            and before.dtype == after.dtype
            and np.array_equal(before, after)
        )
    return bool(before == after)


def _short_args(args: tuple[Any, ...]) -> str:
    return ", ".join(_clip(describe_value(arg)) for arg in args)


def _clip(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _student_frames(error: BaseException) -> list[str]:
    """The last frames of the traceback: where in the student's code it broke."""
    frames = traceback.extract_tb(error.__traceback__)[1:]  # drop our own call frame
    return [
        f"at line {frame.lineno} in {frame.name}: {frame.line}" for frame in frames[-3:]
    ]
