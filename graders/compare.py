"""Run a student's function on a list of cases and explain every difference.

A public check is data (a list of :class:`Case`, and the exercise's catalogue of
misconceptions) plus one call of :func:`run_cases`. Each case is run on a private
copy of its inputs; the check then looks, in order, at whether the function
raised, changed its input, returned the right kind of object, shape, values and
dtype, part by part for a tuple, list or dict (``graders.values.differences``, as
the out-of-kernel verdicts do). When something fails, the report begins with what
to fix: the one misconception that explains every failing case
(``graders.diagnoses``) if there is one, else the plain facts; then every failing
case (not only the first), expected against got, in English and in Chinese; then
where the student's own code raised, if it did. The check raises
:class:`CheckFailed`, an ``AssertionError`` so that nbgrader and pytest count it as
a failure, whose traceback in IPython is that report alone: none of the checker's
own frames.
"""

from __future__ import annotations

import copy
import linecache
import sys
import sysconfig
import traceback
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .diagnoses import Call, Misconception, Observed, diagnose, exception_names, is_scalar
from .values import Tolerance, differences, same

# Frames from here are not the student's: this package, the standard library, installed
# packages (NumPy's internals, IPython's machinery).
_NOT_STUDENTS = tuple(sorted({str(Path(__file__).resolve().parent), *(
    sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib", "purelib", "platlib"))}))
# At most this many distinct errors of the student's code are shown with their frames.
MAX_TRACEBACKS = 2


@dataclass(frozen=True)
class Case:
    """One input for a student's function and the answer it must give.

    ``expected`` is literal data, never computed by a reference implementation: the
    package is installed on students' machines. A number means a float, and a list
    (of numbers, or of lists) an array of ``dtype`` (an image keeps its own when
    reshaped). For a function that returns several things, ``expected`` is a tuple
    or a dict whose arrays are written ``np.array(...)``; inside it, every value is
    taken as written (a list stays a list). ``rtol``, ``atol`` and ``check_dtype``
    hold for every part of the answer.
    """

    name: str
    args: tuple[Any, ...]
    expected: Any
    rtol: float = 1e-6
    atol: float = 1e-12
    # Off where the input's own dtype is the right answer (reshaping uint8 pixels).
    check_dtype: bool = True
    dtype: str = "float64"

    @property
    def want(self) -> Any:
        """The right answer as a correct function returns it."""
        if isinstance(self.expected, list | np.ndarray):
            return np.array(self.expected, dtype=self.dtype)
        if is_scalar(self.expected):
            return float(self.expected)
        return self.expected

    @property
    def tolerance(self) -> Tolerance:
        """How closely every part of the answer must match."""
        return Tolerance(self.rtol, self.atol, self.check_dtype)


class CheckFailed(AssertionError):  # noqa: N818 (a failed check, as pytest and nbgrader say)
    """A failed public check, whose message is the whole report.

    IPython (and so Jupyter, nbclient and nbgrader) shows ``_render_traceback_``
    instead of a traceback: the report, which already holds the student's own
    frames, without the checker's.
    """

    def _render_traceback_(self) -> list[str]:
        return str(self).splitlines()


@dataclass
class Result:
    """What the student's function did on one case, and what is wrong with it."""

    case: Case
    index: int
    problems: list[str]
    got: Any = None
    error: BaseException | None = None
    args_after: tuple = field(default=())

    @property
    def observed(self) -> Observed:
        errors = exception_names(self.error) if self.error is not None else frozenset()
        return Observed(not self.problems, self.got, errors, self.args_after)

    def describe(self, total: int) -> str:
        lines = [f"✗ Case {self.index}/{total} · 用例 {self.index}/{total}: {self.case.name}"]
        lines.append(f"    input / 输入:     {_short_args(self.case.args)}")
        lines.append(f"    expected / 期望:  {describe_value(self.case.want)}")
        if self.error is not None:  # the error says it all; where, at the end of the report
            lines.append(f"    raised / 抛出:    {_error_line(self.error)}")
            return "\n".join(lines)
        lines.append(f"    got / 得到:       {describe_value(self.got)}")
        lines.extend(f"    problem / 问题:   {problem}" for problem in self.problems)
        return "\n".join(lines)


def run_cases(
    check_name: str,
    function: Callable[..., Any],
    cases: Sequence[Case],
    *,
    misconceptions: Sequence[Misconception] = (),
    answers: Callable[[str, tuple], Any] | None = None,
    functions: Collection[str] = (),
) -> None:
    """Call ``function`` on every case; print one line on success, raise otherwise.

    ``misconceptions`` is the exercise's catalogue of known mistakes, ``answers``
    gives the right answer of another exercise on the same inputs (for mistakes
    that mix two exercises up), and ``functions`` names all the exercises, so that
    a call of one that is not defined is recognised.
    """
    if not callable(function):
        raise CheckFailed(
            f"{check_name}: pass the function itself, without calling it, e.g. "
            f"{check_name}(my_function); got {type(function).__name__} · "
            f"{check_name}：需要传入函数本身（不要加括号调用），例如 {check_name}(my_function)。"
        )
    results = [_run_case(function, case, index) for index, case in enumerate(cases, start=1)]
    failures = [result for result in results if result.problems]
    total = len(cases)
    if not failures:
        print(f"✓ {check_name}: all {total} cases passed · 全部 {total} 个用例通过")
        return
    calls = [Call(result.case.args, result.case.want, answers) for result in results]
    try:
        diagnosis = diagnose(misconceptions, calls, [result.observed for result in results])
    except Exception:  # whatever the function returned, the plain report still stands
        diagnosis = None
    report = [*_headline(check_name, failures, total, diagnosis, functions), ""]
    report.append("\n\n".join(failure.describe(total) for failure in failures))
    report.extend(_student_tracebacks(failures))
    error = CheckFailed("\n".join(report))
    error.student_error = next((f.error for f in failures if f.error is not None), None)
    raise error from None  # the student's frames are in the report; the checker's are noise


def _headline(check_name: str, failures: list[Result], total: int,
              diagnosis: Misconception | None, functions: Collection[str]) -> list[str]:
    """What to fix, first: the diagnosis, an undefined exercise, an error, or the count."""
    count = (f"{len(failures)} of {total} cases failed · "
             f"{total} 个用例中有 {len(failures)} 个未通过")
    if diagnosis is not None:
        first, *lesson = diagnosis.lines()
        return [f"{check_name}: {first}", *lesson, count]
    errors = [f.error for f in failures if f.error is not None]
    missing = {getattr(e, "name", None) for e in errors if isinstance(e, NameError)}
    missing &= set(functions)
    if missing and len(errors) == len(failures):
        name = sorted(missing)[0]
        return [f"{check_name}: your function calls {name}, which is not defined: run the answer "
                f"cell of {name} above first (Shift+Enter), then this cell again · "
                f"你的函数调用了 {name}，但它还没有定义：请先运行上面 {name} 的答案单元格"
                f"（Shift+Enter），再运行本单元格", count]
    kinds = sorted({type(e).__name__ for e in errors})
    if errors and len(errors) == len(failures) and len(kinds) == 1:
        return [f"{check_name}: your function raised {kinds[0]} on {len(errors)} of {total} cases: "
                f"fix the line shown at the end · 你的函数在 {total} 个用例中有 {len(errors)} "
                f"个抛出 {kinds[0]}：请修改最后指出的那一行"]
    return [f"{check_name}: {len(failures)} of {total} cases failed: compare what each expected "
            f"with what your function returned · {total} 个用例中有 {len(failures)} 个未通过："
            f"请对照每个用例的期望值与实际结果"]


def _run_case(function: Callable[..., Any], case: Case, index: int) -> Result:
    args = copy.deepcopy(case.args)
    try:
        got = function(*args)
    except Exception as error:
        return Result(case, index, ["your function raised an error · 函数运行时出错"],
                      error=error, args_after=args)

    problems = [
        f"input argument {position} was modified in place; work on a copy or build a new array · "
        f"第 {position} 个输入参数被原地修改了；请返回新数组，不要改动输入"
        for position, (before, after) in enumerate(zip(case.args, args, strict=True), start=1)
        if not same(before, after)
    ]
    problems.extend(differences(got, case.want, case.tolerance, case.tolerance))
    return Result(case, index, problems, got=got, args_after=args)


def describe_value(value: Any) -> str:
    """Type, shape, dtype and a short printout of a value, as a student would type it.

    A tuple, list or dict that is not just numbers is shown briefly: each part's type,
    and its shape or its number.
    """
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        return f"ndarray shape {value.shape} dtype {value.dtype}: {_numbers(value)}"
    if is_scalar(value):
        return f"{type(value).__name__}: {_number(value)}"
    if isinstance(value, list | tuple):
        try:
            numbers = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            numbers = None
        if numbers is not None and numbers.ndim > 0:
            return f"{type(value).__name__} of {len(value)}: {_clip(_numbers(numbers))}"
    if isinstance(value, list | tuple | dict):
        return f"{type(value).__name__} of {len(value)}: {_clip(_brief(value, depth=0))}"
    return f"{type(value).__name__}: {_clip(repr(value))}"


def _brief(value: Any, depth: int) -> str:
    """A part of a value in a few words: an array's shape and dtype, a number, a short repr."""
    if isinstance(value, np.ndarray):
        return f"ndarray shape {value.shape} dtype {value.dtype}"
    if is_scalar(value):
        return f"{type(value).__name__} {_number(value)}"
    if isinstance(value, list | tuple | dict) and depth >= 2:
        return f"{type(value).__name__} of {len(value)}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_clip(repr(key), 40)}: {_brief(item, depth + 1)}"
                               for key, item in value.items()) + "}"
    if isinstance(value, list | tuple):
        parts = ", ".join(_brief(item, depth + 1) for item in value)
        return f"[{parts}]" if isinstance(value, list) else f"({parts})"
    return _clip(repr(value), 40)


def _numbers(array: np.ndarray) -> str:
    text = np.array2string(array, precision=8, threshold=12, edgeitems=3, separator=", ")
    return " ".join(text.split())


def _number(value: Any) -> str:
    """A number as one would type it: 3, 0.25, 0.0, 2.0611536e-09 (not np.float64(…))."""
    if isinstance(value, int | np.integer):
        return str(int(value))
    text = f"{float(value):.8g}"
    return text if any(c in text for c in ".enai") else text + ".0"


def _short_args(args: tuple[Any, ...]) -> str:
    return ", ".join(_clip(describe_value(arg)) for arg in args)


def _clip(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _error_line(error: BaseException) -> str:
    message = str(error)
    return f"{type(error).__name__}: {_clip(message)}" if message else type(error).__name__


def _student_tracebacks(failures: list[Result]) -> list[str]:
    """Where the student's code raised: its own frames only, once per distinct error."""
    lines: list[str] = []
    seen: set[tuple] = set()
    for failure in failures:
        if failure.error is None or len(seen) == MAX_TRACEBACKS:
            continue
        frames = student_frames(failure.error.__traceback__)
        key = (type(failure.error), tuple(frames[-1:]))
        if key in seen:
            continue
        seen.add(key)
        lines += ["", f"Where your code raised it (case {failure.index}) · "
                      f"你的代码出错的位置（用例 {failure.index}）:"]
        lines += [f"  {frame}" for frame in frames]
        lines.append(f"  {_error_line(failure.error)}")
    return lines


def student_frames(tb) -> list[str]:
    """The frames of a traceback in the student's code, as IPython names them, with their line.

    Frames of this package, of the standard library and of installed packages are left
    out: the line to fix is the student's.
    """
    frames = []
    for frame in traceback.extract_tb(tb):
        if frame.filename.startswith(_NOT_STUDENTS):
            continue
        where = f"{_file_label(frame.filename)}, line {frame.lineno}, in {frame.name}"
        line = frame.line or linecache.getline(frame.filename, frame.lineno or 0).strip()
        frames.append(f"{where}\n      {line}" if line else where)
    return frames


def _file_label(filename: str) -> str:
    """'Cell In[7]' for a notebook cell (as IPython says it), else the file's name."""
    try:
        ipython = sys.modules.get("IPython")  # loaded in a kernel; never loaded from here
        shell = ipython.get_ipython() if ipython is not None else None
        label = shell.compile.format_code_name(filename) if shell is not None else None
    except Exception:  # no IPython, or one without cell names: the plain file name will do
        label = None
    return f"{label[0]} {label[1]}" if label else f'File "{filename}"'
