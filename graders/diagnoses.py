"""Name the mistake behind a wrong answer, from what the function gave back.

A :class:`Misconception` is a known wrong way to write an exercise: what it gets
wrong, what to fix (in English and Chinese) and the line of the lesson that
explains it. It also says what that mistake *returns* on a given input, as a
:data:`Prediction`: a value, an exception, "the right answer" (the mistake makes
no difference here) or "cannot say". :func:`diagnose` compares those predictions
with what the student's function actually did on every case, and names a
misconception only when it accounts for every failing case and contradicts none;
otherwise it names nothing, and the student gets the plain expected-vs-got
report. One right diagnosis beats five generic hints, and a wrong one is worse
than none.

Predictions are computed from the case's inputs and its right answer
(:class:`Call`), never by a correct implementation of an exercise: this package
is installed on students' machines. Where a mistake needs the right answer of
*another* exercise (an L2 written as the L1), :meth:`Call.answer` asks the
caller, who knows it as literal data (public cases) or from the reference
solution (the grader's own process).

The same code serves the public checks, where it sees the student's objects, and
the out-of-kernel verdicts, where it sees a record: both describe what came back
as an :class:`Observed`.
"""

from __future__ import annotations

import copy
import enum
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

# Scalars the graded functions may legitimately return (a NumPy scalar or a 0-d array
# are as good as a Python float).
SCALAR_TYPES = (int, float, np.integer, np.floating)
# How close a result must be to a prediction to count as that mistake.
RTOL, ATOL = 1e-5, 1e-8
# The name a record gives an exception whose class is not in its vocabulary.
UNNAMED_ERROR = "other"
# The catalogue's key for a function still as its stub left it (raising NotImplementedError).
NOT_WRITTEN = "not_written"


def is_scalar(value: Any) -> bool:
    """A single real number: a Python or NumPy number, or a 0-d numeric array (not a bool)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, np.ndarray):
        return value.ndim == 0 and np.issubdtype(value.dtype, np.number)
    return isinstance(value, SCALAR_TYPES)


class PredictionUnknownError(Exception):
    """Raised by a prediction that cannot say what the mistake gives on this input."""


class NotAValue(enum.Enum):
    """Predictions that are not a value."""

    CORRECT = "the mistake gives the right answer here"
    UNKNOWN = "what the mistake gives here is not known"


CORRECT = NotAValue.CORRECT
UNKNOWN = NotAValue.UNKNOWN


@dataclass(frozen=True)
class Returns:
    """The mistake returns ``value``; ``args_after``, if given, is what the inputs then hold."""

    value: Any
    args_after: tuple | None = None


@dataclass(frozen=True)
class Raises:
    """The mistake raises an exception of one of these classes (or of a subclass)."""

    names: frozenset[str]


@dataclass(frozen=True)
class Kind:
    """A result known only by the name of its type (e.g. a list)."""

    type_name: str


@dataclass(frozen=True)
class OneElement:
    """Any array of one element (shape (1,), (1, 1)…) holding this number."""

    value: float


# A prediction: one of these, or a tuple of them (any one will do).
Prediction = Returns | Raises | NotAValue | tuple


@dataclass(frozen=True)
class Lesson:
    """The line of the lesson that explains a mistake, quoted in both languages.

    ``section`` is the notebook's section number (0: its introduction). A formula
    is quoted once, readably, with ``anchor`` the notebook's own (LaTeX) text.
    """

    section: int
    en: str
    zh: str = ""
    anchor: str | None = None

    def line(self) -> str:
        where = ("lesson, introduction · 课文开头" if self.section == 0
                 else f"lesson §{self.section} · 课文第 {self.section} 节")
        quotes = f"“{self.en}”" + (f" · “{self.zh}”" if self.zh else "")
        return f"{where}: {quotes}"


@dataclass(frozen=True)
class Call:
    """One case as the diagnosis sees it: the inputs and the right answer."""

    args: tuple
    want: Any
    # The right answer of another exercise on these inputs, or None if not known.
    answers: Callable[[str, tuple], Any] | None = None

    def answer(self, function: str) -> Any:
        """The right answer of ``function`` on these inputs (PredictionUnknownError if unknown)."""
        value = self.answers(function, self.args) if self.answers is not None else None
        if value is None:
            raise PredictionUnknownError(function)
        return value


@dataclass(frozen=True)
class Observed:
    """What the student's function did on one case.

    ``errors`` holds the names of the raised exception's class and its bases (empty
    if it returned); ``value`` is what it returned (a :class:`Kind` when only the
    type is known); ``passed`` is the case's own verdict.
    """

    passed: bool
    value: Any = None
    errors: frozenset[str] = frozenset()
    args_after: tuple = ()


@dataclass(frozen=True)
class Misconception:
    """A known mistake: its name, what to fix, the lesson's line, and what it returns."""

    key: str
    fix: str  # "English · 中文", beginning with what to change
    predict: Callable[[Call], Prediction]
    lesson: Lesson | None = None

    def lines(self) -> list[str]:
        """The diagnosis as it is shown: the fix, then the lesson's line."""
        return [self.fix] if self.lesson is None else [self.fix, f"    {self.lesson.line()}"]


def diagnose(catalogue: Sequence[Misconception], calls: Sequence[Call],
             observed: Sequence[Observed]) -> Misconception | None:
    """The one misconception that explains what the function did, or None.

    A misconception is named when, on every case, what it predicts agrees with
    what came back, and it explains at least one failing case (a failing case it
    cannot predict is allowed, one it contradicts is not). When several qualify,
    the one that explains most failing cases wins; a tie names nothing.
    """
    if all(o.passed for o in observed):
        return None
    scored = []
    for misconception in catalogue:
        explained = _explained(misconception, calls, observed)
        if explained:
            scored.append((explained, misconception))
    if not scored:
        return None
    best = max(count for count, _ in scored)
    winners = [m for count, m in scored if count == best]
    return winners[0] if len(winners) == 1 else None


def _explained(misconception: Misconception, calls: Sequence[Call],
               observed: Sequence[Observed]) -> int:
    """How many failing cases the misconception explains; 0 if it contradicts any case."""
    explained = 0
    for call, seen in zip(calls, observed, strict=True):
        prediction = _prediction(misconception, call)
        fits, explains = _fits(prediction, call, seen)
        if not fits:
            return 0
        explained += explains
    return explained


def _prediction(misconception: Misconception, call: Call) -> Prediction:
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return misconception.predict(call)
    except Exception:  # PredictionUnknownError, or a prediction that does not apply here
        return UNKNOWN


def _fits(prediction: Prediction, call: Call, seen: Observed) -> tuple[bool, bool]:
    """Whether what came back agrees with the prediction, and whether it explains a failure."""
    if isinstance(prediction, tuple):
        results = [_fits(alternative, call, seen) for alternative in prediction]
        return any(f for f, _ in results), any(f and e for f, e in results)
    if prediction is UNKNOWN:
        return True, False
    if prediction is CORRECT:
        return seen.passed, False
    if isinstance(prediction, Raises):
        return bool(prediction.names & seen.errors), not seen.passed
    if seen.errors:
        return False, False
    after = call.args if prediction.args_after is None else prediction.args_after
    fits = same_value(seen.value, prediction.value) and len(after) == len(seen.args_after) \
        and all(same_value(a, b) for a, b in zip(seen.args_after, after, strict=True))
    return fits, fits and not seen.passed


def same_value(got: Any, predicted: Any) -> bool:
    """Whether a result is (close to) a predicted one: same kind, shape and numbers (part by
    part for a tuple, list or dict)."""
    if isinstance(predicted, Kind):
        name = got.type_name if isinstance(got, Kind) else type(got).__name__
        return name == predicted.type_name
    if predicted is None or got is None:
        return got is None and predicted is None
    if isinstance(predicted, OneElement):
        return (isinstance(got, np.ndarray) and got.ndim >= 1 and got.size == 1
                and _close(got.ravel()[0], predicted.value))
    if isinstance(predicted, tuple | list):  # as differences() has it, either will do
        return isinstance(got, tuple | list) and len(got) == len(predicted) and all(
            same_value(part, want) for part, want in zip(got, predicted, strict=True))
    if isinstance(predicted, dict):
        return isinstance(got, dict) and set(got) == set(predicted) and all(
            same_value(got[key], want) for key, want in predicted.items())
    if isinstance(predicted, bool | np.bool_):  # an argument such as print_cost=True
        return isinstance(got, bool | np.bool_) and bool(got) == bool(predicted)
    if isinstance(predicted, np.ndarray) and predicted.ndim > 0:
        return isinstance(got, np.ndarray) and got.shape == predicted.shape and \
            _close(got, predicted)
    if is_scalar(predicted):
        return is_scalar(got) and _close(got, predicted)
    return False


def _close(a: Any, b: Any) -> bool:
    try:
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        return False
    return bool(np.allclose(a, b, rtol=RTOL, atol=ATOL, equal_nan=True))


def exception_names(error: BaseException) -> frozenset[str]:
    """The names of an exception's class and of its bases."""
    return frozenset(cls.__name__ for cls in type(error).__mro__)


# Ways to write a prediction.

def runs(wrong: Callable[..., Any],
         inputs: Callable[[Call], tuple] = lambda call: call.args) -> Callable[[Call], Prediction]:
    """Predict by running a small NumPy function that makes the mistake.

    It runs on a copy of the case's inputs, or on what ``inputs`` makes of the case
    (e.g. σ(x) for a mistake in σ'); what it raises is what the mistake raises.
    """

    def predict(call: Call) -> Prediction:
        args = copy.deepcopy(inputs(call))
        try:
            value = wrong(*args)
        except PredictionUnknownError:
            raise
        except Exception as error:
            return Raises(exception_names(error))
        return Returns(value)

    return predict


def from_answer(wrong: Callable[..., Any]) -> Callable[[Call], Prediction]:
    """Predict from the right answer: ``wrong(want, *args)`` is what the mistake returns."""
    return lambda call: Returns(wrong(np.asarray(call.want), *call.args))


def always(value: Any) -> Callable[[Call], Prediction]:
    """The mistake returns the same thing whatever the input."""
    return lambda call: Returns(value)


def raises(*names: str) -> Callable[[Call], Prediction]:
    """The mistake raises one of these exceptions whatever the input."""
    return lambda call: Raises(frozenset(names))


# What every assignment's introduction says about the stubs; every exercise's catalogue
# ends with the two mistakes of ``stub_misconceptions``.
STUB_LESSON = Lesson(
    0, "Write your code wherever you see `# YOUR CODE HERE` (delete the "
       "`raise NotImplementedError()`)",
    "在每个 `# YOUR CODE HERE` 处写代码（删掉 `raise NotImplementedError()`）")


def stub_misconceptions(function: str) -> list[Misconception]:
    """The two mistakes of any exercise: its stub left as it was, and no ``return``."""
    return [
        Misconception(
            NOT_WRITTEN,
            f"write {function}: replace `raise NotImplementedError()` with your code · "
            f"请实现 {function}：把 `raise NotImplementedError()` 换成你的代码",
            raises("NotImplementedError"), STUB_LESSON),
        Misconception(
            "no_return",
            f"return the result: {function} returns None (is `return` missing, or does it "
            f"print instead?) · 请返回结果：{function} 返回了 None（是否缺少 return，或只是 "
            "print 了？）",
            always(None)),
    ]
