"""The value model: what a graded function may return, described as plain data and compared.

One model serves both halves of a test. In the student's kernel, :func:`describe`
turns what a function returned (or left in its arguments) into JSON-ready data; in
the grader's process, :func:`read` checks that data against a strict schema and
rebuilds it with the grader's own Python and NumPy; :func:`differences` says what
differs from the right answer, part by part, with a tolerance per part. The public
checks call :func:`differences` too, in the kernel, on the student's real objects.

A value is a number (Python or NumPy, integer or float), a bool, a string, None, a
NumPy array of bool, integer or float dtype, or a tuple, list or dict (with string
keys) of values, nested. Anything else, and anything beyond the bounds below, is of
kind "other": known only by the name of its type, from a fixed vocabulary
(:data:`TYPE_NAMES`), and :class:`Other` once read.

Describing trusts nothing the value says of itself: classes are named by identity
(``type()``, never ``isinstance`` or ``__class__``), an ndarray subclass is read
through a base-class view, and numbers, strings and items are read by the built-in
types' own C-level methods, never by an override of ``__float__``, ``__iter__`` or
``items`` (an ndarray subclass can make ``.shape`` say anything). Reading trusts
nothing of the record: exact key sets, exact JSON types, bounded sizes, and an
array's shape must be the shape of its numbers; a record that does not fit raises
:class:`RecordError` with the key of the reason. Non-finite numbers travel as the
strings ``"nan"``, ``"inf"`` and ``"-inf"``, so that a record is strict JSON.

What :func:`differences` says holds only the grader's own words and bounded facts
(shapes, dtypes, counts, a three-digit difference, the expected dict's keys): never a
string or a dict key of the student's.
"""

from __future__ import annotations

import math
import types
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .diagnoses import is_scalar

# The bounds of one described value, all its parts together; beyond them, a part is "other".
MAX_NUMBERS = 10**6  # numbers: scalars and array elements
MAX_ITEMS = 10_000  # items of its tuples, lists and dicts
MAX_DEPTH = 16  # tuples, lists and dicts inside one another
MAX_NDIM = 32  # dimensions of one array (NumPy allows 64)
MAX_STRING = 1_000  # characters of one string or dict key
MAX_NAME = 64  # characters of a type name in a record
# What a part of a value is called when its type is not in the vocabulary.
OTHER = "other"
NON_FINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
# Differing parts of one tuple, list or dict that are described; the rest are counted.
MAX_PARTS_SHOWN = 5


@dataclass(frozen=True)
class Tolerance:
    """How closely numbers must match: NumPy's ``allclose`` terms, and whether dtypes must."""

    rtol: float = 1e-6
    atol: float = 1e-12
    check_dtype: bool = True


# A function's tolerances: one for the whole result, or one per part of it, by path
# (``""`` the whole result, ``"[1]"`` its second item, ``'[0]["dw"]'`` a key of its first).
Tolerances = Tolerance | Mapping[str, Tolerance]


def tolerance_at(tolerances: Tolerances, path: str, default: Tolerance) -> Tolerance:
    """The tolerance of the part at ``path``: the one given for the longest path leading to it."""
    if isinstance(tolerances, Tolerance):
        return tolerances
    leading = [given for given in tolerances if _leads_to(given, path)]
    return tolerances[max(leading, key=len)] if leading else default


def _leads_to(given: str, path: str) -> bool:
    """Is ``path`` the part at ``given``, or inside it? (``[1]`` leads to ``[1]["dw"]``, not
    to ``[10]``.)"""
    return path == given or (path.startswith(given) and path[len(given)] == "[")


# Classes whose names may be shown to the student, found by identity (a class can
# be given any name, and a metaclass can even fake ``__eq__``).
_NUMPY_SCALARS = {t for t in np.sctypeDict.values() if isinstance(t, type)}
_KNOWN_TYPES = {
    int, float, complex, bool, str, bytes, bytearray, list, tuple, dict, set, frozenset,
    range, map, filter, zip, type(None), types.FunctionType, types.GeneratorType,
    np.ndarray, np.matrix, np.ma.MaskedArray, *_NUMPY_SCALARS,
}
TYPE_NAMES = frozenset(cls.__name__ for cls in _KNOWN_TYPES)
_TYPE_BY_ID = {id(cls): cls.__name__ for cls in _KNOWN_TYPES}
# Real number types (not bool): a value whose class derives from one is read by that
# class's own C-level conversion, never by an override of ``__float__`` or ``__array__``.
_NUMBER_TYPES = {
    id(t): t for t in [int, float, *(t for t in _NUMPY_SCALARS if np.dtype(t).kind in "iuf")]
}
# Array dtypes the model holds as numbers; any other array is "other".
ARRAY_DTYPES = frozenset(
    np.dtype(code).name for code in "?" + np.typecodes["AllInteger"] + np.typecodes["Float"]
)
# A class's MRO as CPython holds it (a metaclass can make ``cls.__mro__`` run its own code).
_mro = type.__dict__["__mro__"].__get__

# The schema: the exact keys of each kind of described value.
_KEYS = {
    "none": {"kind"},
    "bool": {"kind", "type", "data"},
    "scalar": {"kind", "type", "data"},
    "str": {"kind", "type", "data"},
    "ndarray": {"kind", "type", "dtype", "shape", "data"},
    "tuple": {"kind", "type", "items"},
    "list": {"kind", "type", "items"},
    "dict": {"kind", "type", "items"},  # items: [key, value] pairs, in the dict's order
    "other": {"kind", "type"},
}


@dataclass(frozen=True)
class Other:
    """Stands for a part of a value outside the model; only its type's name is known."""

    type_name: str


class RecordError(ValueError):
    """A described value that does not follow the schema; ``reason`` says which rule it broke.

    The reasons are keys that the grader words for students (``graders.verdicts``):
    "field", "number", "shape", "size", "depth".
    """

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class _Budget:
    """What one value may still hold, all its parts together (describing and reading alike)."""

    numbers: int = MAX_NUMBERS
    items: int = MAX_ITEMS

    def spend(self, numbers: int = 0, items: int = 0) -> bool:
        """Take this much from the budget, if it is there."""
        if numbers > self.numbers or items > self.items:
            return False
        self.numbers -= numbers
        self.items -= items
        return True


# The kernel's side: describe a value as JSON-ready data.

def describe(value: Any) -> dict:
    """A value as JSON-ready data: its kind, its type's name, and its contents (see the module)."""
    return _describe(value, _Budget(), depth=0)


def _describe(value: Any, budget: _Budget, depth: int) -> dict:
    cls = type(value)  # type() cannot be fooled, unlike isinstance() and __class__
    type_name = _TYPE_BY_ID.get(id(cls), OTHER)
    try:
        bases = _mro(cls)
        base_ids = {id(base) for base in bases}
        if value is None:
            return {"kind": "none"}
        if cls is bool or cls is np.bool_:  # neither can be subclassed
            return {"kind": "bool", "type": type_name, "data": bool(value)}
        if id(np.ndarray) in base_ids:
            return _describe_array(np.asarray(value), type_name, budget)
        number_type = next((_NUMBER_TYPES[id(t)] for t in bases if id(t) in _NUMBER_TYPES), None)
        if number_type is not None and budget.spend(numbers=1):
            return {"kind": "scalar", "type": type_name,
                    "data": _number(number_type.__float__(value))}
        if id(str) in base_ids:
            text = str.__str__(value)  # an exact str, whatever the subclass says
            if len(text) <= MAX_STRING:
                return {"kind": "str", "type": type_name, "data": text}
        elif depth < MAX_DEPTH:
            return _describe_container(value, base_ids, type_name, budget, depth)
    except Exception:  # whatever went wrong, the value is not one the model holds
        pass
    return {"kind": "other", "type": type_name}


def _describe_array(array: np.ndarray, type_name: str, budget: _Budget) -> dict:
    """An array through a base-class view: NumPy's own shape, dtype and data."""
    if array.dtype.name in ARRAY_DTYPES and array.ndim <= MAX_NDIM and \
            budget.spend(numbers=array.size):
        return {"kind": "ndarray", "type": type_name, "dtype": array.dtype.name,
                "shape": list(array.shape), "data": _numbers(array)}
    return {"kind": "other", "type": "ndarray"}


def _describe_container(value: Any, base_ids: set[int], type_name: str, budget: _Budget,
                        depth: int) -> dict:
    """A tuple, list or dict, its items read by the built-in type's own methods."""
    other = {"kind": "other", "type": type_name}
    base = next((base for base in (tuple, list, dict) if id(base) in base_ids), None)
    if base is None or not budget.spend(items=base.__len__(value)):
        return other
    if base is dict:
        pairs = list(dict.items(value))
        if not all(type(key) is str and len(key) <= MAX_STRING for key, _ in pairs):
            return other
        items = [[key, _describe(item, budget, depth + 1)] for key, item in pairs]
    else:
        items = [_describe(item, budget, depth + 1) for item in list(base.__iter__(value))]
    return {"kind": base.__name__, "type": type_name, "items": items}


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


# The grader's side: read a described value back, against the schema.

def read(plain: Any) -> Any:
    """The value a record describes, rebuilt; :class:`RecordError` if it does not fit the schema.

    Tuples, lists, dicts, strings, None, bools, floats and ndarrays come back as
    themselves, a part of kind "other" as an :class:`Other`.
    """
    return _read(plain, _Budget(), depth=0)


def expect(condition: bool, reason: str) -> None:
    """Raise :class:`RecordError` for this reason unless the record meets the condition."""
    if not condition:
        raise RecordError(reason)


def is_name(text: Any) -> bool:
    """A name as a record may hold one: a string of at most MAX_NAME characters."""
    return type(text) is str and len(text) <= MAX_NAME


def _read(plain: Any, budget: _Budget, depth: int) -> Any:
    expect(type(plain) is dict and type(plain.get("kind")) is str, "field")
    kind = plain["kind"]
    expect(kind in _KEYS and set(plain) == _KEYS[kind], "field")
    if kind == "none":
        return None
    expect(is_name(plain["type"]), "field")
    if kind == "other":
        return Other(plain["type"])
    if kind == "bool":
        expect(type(plain["data"]) is bool, "field")
        return plain["data"]
    if kind == "scalar":
        expect(budget.spend(numbers=1), "size")
        return _read_number(plain["data"])
    if kind == "str":
        expect(type(plain["data"]) is str, "field")
        expect(len(plain["data"]) <= MAX_STRING, "size")
        return plain["data"]
    if kind == "ndarray":
        return _read_array(plain, budget)
    expect(depth < MAX_DEPTH, "depth")
    items = plain["items"]
    expect(type(items) is list, "field")
    expect(budget.spend(items=len(items)), "size")
    if kind == "dict":
        return _read_dict(items, budget, depth)
    values = [_read(item, budget, depth + 1) for item in items]
    return tuple(values) if kind == "tuple" else values


def _read_dict(pairs: list, budget: _Budget, depth: int) -> dict:
    read_pairs = {}
    for pair in pairs:
        expect(type(pair) is list and len(pair) == 2, "field")
        key, item = pair
        expect(type(key) is str and len(key) <= MAX_STRING and key not in read_pairs, "field")
        read_pairs[key] = _read(item, budget, depth + 1)
    return read_pairs


def _read_array(plain: dict, budget: _Budget) -> np.ndarray:
    expect(type(plain["dtype"]) is str and plain["dtype"] in ARRAY_DTYPES, "field")
    dtype = np.dtype(plain["dtype"])
    shape = _read_shape(plain["shape"])
    expect(budget.spend(numbers=math.prod(shape)), "size")
    numbers: list[float] = []
    _flatten(plain["data"], shape, numbers)
    array = np.array(numbers, dtype=float).reshape(shape)
    if dtype.kind in "biu":
        low, high = (0, 1) if dtype.kind == "b" else (np.iinfo(dtype).min, np.iinfo(dtype).max)
        expect(bool(np.all(np.isfinite(array)) and np.all(array == np.round(array))
                     and np.all((array >= low) & (array <= high))), "number")
    with np.errstate(all="ignore"):
        return array.astype(dtype)


def _read_shape(shape: Any) -> tuple[int, ...]:
    expect(type(shape) is list and len(shape) <= MAX_NDIM, "shape")
    expect(all(type(n) is int and n >= 0 for n in shape), "shape")
    expect(math.prod(max(n, 1) for n in shape) <= MAX_NUMBERS, "size")
    return tuple(shape)


def _flatten(data: Any, shape: tuple[int, ...], numbers: list[float]) -> None:
    """Append the numbers of ``data`` to ``numbers``, checking it has exactly this shape."""
    if not shape:
        numbers.append(_read_number(data))
        return
    expect(type(data) is list and len(data) == shape[0], "shape")
    if len(shape) == 1:
        numbers.extend(_read_number(x) for x in data)
    else:
        for item in data:
            _flatten(item, shape[1:], numbers)


def _read_number(x: Any) -> float:
    """A finite JSON number, or one of the strings the kernel writes for nan and infinities."""
    if type(x) is float and math.isfinite(x):
        return x
    if type(x) is int and abs(x) <= 2**64:
        return float(x)
    if type(x) is str and x in NON_FINITE:
        return NON_FINITE[x]
    raise RecordError("number")


# Both sides: what differs between a value and the right one.

def differences(got: Any, expected: Any, tolerances: Tolerances, default: Tolerance,
                path: str = "") -> list[str]:
    """What differs between ``got`` and ``expected``, coarse to fine (empty when they match).

    Tuples, lists and dicts are compared part by part, each part with its own
    tolerance (``tolerance_at(tolerances, path, default)``); a message about a part
    begins with where it is, e.g. ``result[0]["dw"]: shape should be ...``. A tuple
    and a list of the same items are as good as each other; a list of numbers is
    compared element-wise as one array. For one array or number the checks are type,
    shape, values and dtype, and stop at the first that fails, since a wrong shape
    makes the value comparison meaningless; an integer dtype is named beside wrong
    values, as it often explains them. Strings are compared without being quoted,
    and of a dict's keys only the expected ones are named.
    """
    if isinstance(expected, tuple | list):
        return _sequence_differences(got, expected, tolerances, default, path)
    if isinstance(expected, dict):
        return _dict_differences(got, expected, tolerances, default, path)
    return [_at(path, problem)
            for problem in _leaf_differences(got, expected,
                                             tolerance_at(tolerances, path, default))]


def _at(path: str, problem: str) -> str:
    """A problem of the part at ``path`` (of the whole result when the path is empty)."""
    return f"result{path}: {problem}" if path else problem


def _sequence_differences(got: Any, expected: tuple | list, tolerances: Tolerances,
                          default: Tolerance, path: str) -> list[str]:
    kind, count = ("tuple" if isinstance(expected, tuple) else "list"), len(expected)
    if not isinstance(got, tuple | list):
        english, chinese = _got_words(got)
        return [_at(path, f"expected a {kind} of {_items(count)}, got {english} · "
                          f"应返回含 {count} 项的 {kind}，实际返回 {chinese}")]
    if len(got) != count:
        name = type(got).__name__
        return [_at(path, f"expected a {kind} of {_items(count)}, got a {name} of "
                          f"{_items(len(got))} · 应返回含 {count} 项的 {kind}，实际返回含 "
                          f"{len(got)} 项的 {name}")]
    if all(map(is_scalar, expected)) and all(map(is_scalar, got)):
        tolerance = tolerance_at(tolerances, path, default)
        return [_at(path, problem) for problem in _value_differences(
            np.asarray(got, dtype=float), np.asarray(expected, dtype=float), tolerance)]
    return _some_parts([
        differences(item, want, tolerances, default, f"{path}[{index}]")
        for index, (item, want) in enumerate(zip(got, expected, strict=True))
    ])


def _dict_differences(got: Any, expected: dict, tolerances: Tolerances, default: Tolerance,
                      path: str) -> list[str]:
    keys = ", ".join(f'"{key}"' for key in expected)
    if not isinstance(got, dict):
        english, chinese = _got_words(got)
        return [_at(path, f"expected a dict with keys {keys}, got {english} · "
                          f"应返回含键 {keys} 的 dict，实际返回 {chinese}")]
    problems = []
    missing = [key for key in expected if key not in got]
    if missing:
        names = ", ".join(f'"{key}"' for key in missing)
        problems.append(_at(path, f"missing key{'s' if len(missing) > 1 else ''} {names} · "
                                  f"缺少键 {names}"))
    unexpected = sum(key not in expected for key in got)  # counted, never named: the student's
    if unexpected:
        problems.append(_at(path, f"{unexpected} unexpected key"
                                  f"{'s' if unexpected > 1 else ''} · 多了 {unexpected} 个键"))
    return problems + _some_parts([
        differences(got[key], want, tolerances, default, f'{path}["{key}"]')
        for key, want in expected.items() if key in got
    ])


def _some_parts(found: list[list[str]]) -> list[str]:
    """The problems of the first few differing parts, and how many more parts differ."""
    differing = [problems for problems in found if problems]
    shown = [problem for problems in differing[:MAX_PARTS_SHOWN] for problem in problems]
    more = len(differing) - MAX_PARTS_SHOWN
    if more > 0:
        shown.append(f"… and {more} more part{'s' if more > 1 else ''} differ · "
                     f"另有 {more} 个部分不一致")
    return shown


def _items(count: int) -> str:
    return f"{count} item" if count == 1 else f"{count} items"


def _leaf_differences(got: Any, expected: Any, tolerance: Tolerance) -> list[str]:
    """What differs between one value that is not a container and the right one."""
    if isinstance(expected, np.ndarray) and expected.ndim == 0:
        expected = expected[()]  # a 0-d array is a number, and any number will do for it
    if expected is None:
        return [] if got is None else [_expected_words("None", "None", got)]
    if type(expected) is bool or type(expected) is np.bool_:
        return _bool_differences(got, bool(expected))
    if isinstance(expected, str):
        if not isinstance(got, str):
            return [_expected_words("a string", "字符串", got)]
        return [] if got == expected else [
            "the string differs from the expected one · 字符串与期望的不一致"]
    if isinstance(expected, np.ndarray):
        if not isinstance(got, np.ndarray):
            return [_wrong_kind(True, *_got_words(got))]
        if got.dtype.name not in ARRAY_DTYPES:
            return [_wrong_kind(True, f"an ndarray of {got.dtype}", f"{got.dtype} 类型的 ndarray")]
        if got.shape != expected.shape:
            return [
                f"shape should be {expected.shape}, got {got.shape} · "
                f"形状应为 {expected.shape}，实际为 {got.shape}"
            ]
    elif not is_scalar(got):
        english, chinese = _got_words(got)
        shape = f" of shape {np.shape(got)}" if isinstance(got, np.ndarray) else ""
        return [_wrong_kind(False, english + shape, chinese)]
    dtype = _dtype_differences(got, expected) if tolerance.check_dtype else []
    return _value_differences(np.asarray(got, dtype=float), np.asarray(expected, dtype=float),
                              tolerance, dtype)


def _value_differences(got: np.ndarray, expected: np.ndarray, tolerance: Tolerance,
                       dtype: list[str] | None = None) -> list[str]:
    """Numbers that differ; a wrong ``dtype``, if given, is named beside them (or alone)."""
    dtype = dtype or []
    if np.allclose(got, expected, rtol=tolerance.rtol, atol=tolerance.atol, equal_nan=False):
        return dtype
    if not np.isfinite(got).all():
        return [
            "result contains nan or inf (overflow, or dividing by zero?) · "
            "结果中有 nan 或 inf（溢出或除以零？）"
        ]
    worst = float(np.max(np.abs(got - expected)))
    return [f"values differ (largest difference {worst:.3g}) · 数值不一致（最大差 {worst:.3g}）",
            *dtype]


def _dtype_differences(got: Any, expected: Any) -> list[str]:
    """An array of the wrong kind of dtype: floats where floats are due, and so on."""
    if not isinstance(expected, np.ndarray) or got.dtype.kind == expected.dtype.kind or \
            {got.dtype.kind, expected.dtype.kind} == {"i", "u"}:
        return []
    if expected.dtype.kind == "f":
        return [f"dtype should be floating point, got {got.dtype} (integer division or an "
                f"integer array?) · 数据类型应为浮点数，实际为 {got.dtype}"]
    if expected.dtype.kind == "b":
        return [f"dtype should be bool, got {got.dtype} · 数据类型应为 bool，实际为 {got.dtype}"]
    return [f"dtype should be an integer type, got {got.dtype} · "
            f"数据类型应为整数类型，实际为 {got.dtype}"]


def _bool_differences(got: Any, expected: bool) -> list[str]:
    if type(got) is not bool and type(got) is not np.bool_:
        return [_expected_words("True or False", "True 或 False", got)]
    if bool(got) != expected:
        return [f"should be {expected}, got {bool(got)} · 应为 {expected}，实际为 {bool(got)}"]
    return []


def _expected_words(english: str, chinese: str, got: Any) -> str:
    got_english, got_chinese = _got_words(got)
    return f"expected {english}, got {got_english} · 应返回 {chinese}，实际返回 {got_chinese}"


def _wrong_kind(expects_array: bool, got: str, got_zh: str) -> str:
    """Why a result of the wrong kind fails; ``got`` and ``got_zh`` say what came back."""
    if expects_array:
        return f"expected a NumPy array, got {got} · 应返回 NumPy 数组，实际返回 {got_zh}"
    return f"expected a single number, got {got} · 应返回一个数，实际返回 {got_zh}"


def _got_words(got: Any) -> tuple[str, str]:
    """What to call what came back, in English and Chinese.

    A value read from a record is one of the model's own types or an :class:`Other`,
    named only from the vocabulary; in the kernel, the student's own class is named.
    """
    if got is None:
        return _type_words("NoneType")
    if isinstance(got, Other):
        return _type_words(got.type_name)
    name = type(got).__name__
    return name, name


def _type_words(name: str) -> tuple[str, str]:
    """What to call a type known only by its name, in English and Chinese, from the vocabulary."""
    if name == "NoneType":
        return "None (is a return missing?)", "None（是否缺少 return？）"
    if name == "ndarray":  # an array the kernel did not record as numbers
        return ("an ndarray that holds no numbers or is too large to check",
                "不含数值或过大、无法检查的 ndarray")
    if name in TYPE_NAMES:
        return name, name
    return "an object of another type", "其他类型的对象"


def same(before: Any, after: Any) -> bool:
    """Does ``after`` hold exactly what ``before`` did? (An input left as it was given.)

    Numbers are equal as numbers (``2`` and ``2.0`` alike, nan equal to nan); arrays
    need the same shape too; tuples, lists and dicts the same parts.
    """
    if isinstance(before, np.ndarray):
        if not (isinstance(after, np.ndarray) and before.shape == after.shape):
            return False
        try:
            return bool(np.array_equal(before, after, equal_nan=True))
        except TypeError:  # strings or objects, where nan means nothing
            return bool(np.array_equal(before, after))
    if type(before) is bool or type(before) is np.bool_:
        return (type(after) is bool or type(after) is np.bool_) and bool(before) == bool(after)
    if is_scalar(before):
        return is_scalar(after) and bool(
            np.array_equal(float(before), float(after), equal_nan=True))
    if isinstance(before, tuple | list):
        return isinstance(after, tuple | list) and len(before) == len(after) and all(
            same(b, a) for b, a in zip(before, after, strict=True))
    if isinstance(before, dict):
        return isinstance(after, dict) and before.keys() == after.keys() and all(
            same(item, after[key]) for key, item in before.items())
    try:
        return type(before) is type(after) and bool(before == after)
    except Exception:  # an object that cannot even say whether it is equal
        return False

