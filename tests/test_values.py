"""Does the value model carry every kind of result from the kernel to the grader, and compare it?

``graders.values`` describes a value in the student's kernel, reads it back in the
grader's process against a strict schema, and says what differs from the right
answer, part by part. Here: round trips of every kind, the bounds, hostile objects
and hostile records, tolerances per part, and that no text of the student's reaches
a message.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from graders.values import (
    MAX_DEPTH,
    MAX_ITEMS,
    MAX_NUMBERS,
    MAX_STRING,
    OTHER,
    Other,
    RecordError,
    Tolerance,
    describe,
    differences,
    read,
    same,
    tolerance_at,
)

SECRET = "SECRET-student-text"
EXACT = Tolerance(rtol=0.0, atol=0.0)
DEFAULT = Tolerance()


def round_trip(value):
    """The value as the grader rebuilds it, through strict JSON as the record line carries it."""
    return read(json.loads(json.dumps(describe(value), allow_nan=False)))


def nested(depth: int, inner=0.5):
    """``inner`` inside ``depth`` tuples."""
    for _ in range(depth):
        inner = (inner,)
    return inner


# 1. Every kind survives the trip, as the grader's own objects.

VALUES = {
    "None": None,
    "a bool": True,
    "a NumPy bool": np.bool_(False),
    "an int": 3,
    "a float": 0.25,
    "a NumPy int8": np.int8(-7),
    "a NumPy uint64": np.uint64(7),
    "a NumPy float32": np.float32(0.5),
    "a string": "cat",
    "an empty string": "",
    "a float array": np.array([[0.5], [1.5]]),
    "a 0-d array": np.array(2.5),
    "an int array": np.array([1, -2, 3], dtype=np.int16),
    "a uint8 image": np.arange(24, dtype=np.uint8).reshape(2, 3, 4),
    "a bool array": np.array([[True, False, True]]),
    "an empty array": np.zeros((0, 3)),
    "a tuple": (np.zeros((2, 1)), 0.0),
    "a list of floats": [0.693, 0.5, 0.25],
    "an empty list": [],
    "a dict": {"dw": np.ones((2, 1)), "db": 0.25},
    "initialize_with_zeros": (np.zeros((3, 1)), 0.0),
    "propagate": ({"dw": np.array([[0.99], [2.39]]), "db": 0.0015}, 5.8),
    "optimize": ({"w": np.ones((2, 1)), "b": 1.5}, {"dw": np.ones((2, 1)), "db": 0.1},
                 [0.69, 0.5, 0.41]),
    "predict": np.array([[1.0, 0.0, 1.0]]),
    "nested to the depth bound": nested(MAX_DEPTH - 2, {"key": [None, "text", False]}),
}


@pytest.mark.parametrize("value", VALUES.values(), ids=VALUES)
def test_every_kind_survives_the_record(value):
    """Is what the grader rebuilds the same value, of the same kind, as the kernel had?"""
    rebuilt = round_trip(value)
    assert same(value, rebuilt) and same(rebuilt, value)
    assert differences(rebuilt, value, EXACT, EXACT) == []
    assert _kinds(rebuilt) == _kinds(value)


def _kinds(value):
    """The shape of a value as the model sees it: containers kept, leaves by kind."""
    if isinstance(value, tuple | list):
        return type(value).__name__, [_kinds(item) for item in value]
    if isinstance(value, dict):
        return {key: _kinds(item) for key, item in value.items()}
    if isinstance(value, np.ndarray):
        return "ndarray", value.dtype.name, value.shape
    if type(value) in (bool, np.bool_):
        return "bool"
    if isinstance(value, int | float | np.integer | np.floating):
        return "number"
    return type(value).__name__


def test_non_finite_numbers_travel_as_strict_json():
    """Are nan and infinities carried by strict JSON, in scalars and in arrays?"""
    value = (math.nan, np.array([np.inf, -np.inf, 1.0]))
    plain = describe(value)
    assert json.loads(json.dumps(plain, allow_nan=False)) == plain
    number, array = round_trip(value)
    assert math.isnan(number) and array.tolist() == [math.inf, -math.inf, 1.0]


OTHERS = {
    "a complex number": (1j, "complex"),
    "a set": ({1, 2}, "set"),
    "a function": (lambda: 0, "function"),
    "bytes": (b"abc", "bytes"),
    "an array of strings": (np.array(["a", "b"]), "ndarray"),
    "a complex array": (np.array([1j]), "ndarray"),
    "an int too large for a float": (10**400, "int"),
    "an object of the student's class": (type(SECRET, (), {})(), OTHER),
    "a string too long": ("x" * (MAX_STRING + 1), "str"),
    "a dict with a key that is not a string": ({1: 0.5}, "dict"),
    "a dict with a key too long": ({"k" * (MAX_STRING + 1): 0.5}, "dict"),
    "a list of too many items": ([0.0] * (MAX_ITEMS + 1), "list"),
    "tuples nested too deep": (nested(MAX_DEPTH + 1), "tuple"),
}


@pytest.mark.parametrize("value, type_name", OTHERS.values(), ids=OTHERS)
def test_what_the_model_does_not_hold_is_other(value, type_name):
    """Is a value outside the model, or beyond its bounds, known only by its type's name?"""
    plain = describe(value)
    while plain["kind"] == "tuple":  # the part that is too deep
        (plain,) = plain["items"]
    assert plain == {"kind": "other", "type": type_name}
    assert SECRET not in json.dumps(describe(value))


def test_the_bounds_hold_for_all_parts_together():
    """Do two arrays that each fit, but not together, leave the second one unrecorded?"""
    half = np.zeros(MAX_NUMBERS // 2 + 1)
    first, second = describe((half, half))["items"]
    assert first["kind"] == "ndarray" and second == {"kind": "other", "type": "ndarray"}
    assert isinstance(round_trip((half, half))[1], Other)


def test_a_list_that_holds_itself_is_recorded_to_the_depth_bound():
    """Does a list that contains itself end in "other" at the depth bound, not in a crash?"""
    loop: list = []
    loop.append(loop)
    plain = describe(loop)
    for _ in range(MAX_DEPTH):
        (plain,) = plain["items"]
    assert plain == {"kind": "other", "type": "list"}


# 2. Describing reads what CPython and NumPy hold, never what an object says of itself.

class LyingDict(dict):
    def items(self):
        return [("dw", 0.0)]

    def keys(self):
        return ["dw"]

    def __iter__(self):
        return iter(["dw"])

    def __len__(self):
        return 1


class LyingTuple(tuple):
    def __iter__(self):
        return iter([0.0])

    def __len__(self):
        return 1

    def __getitem__(self, index):
        return 0.0


class LyingString(str):
    def __str__(self):
        return "right answer"


class LyingFloat(float):
    def __float__(self):
        return 0.5


def test_containers_are_read_by_the_built_in_types_own_methods():
    """Are a dict, a tuple and a string read as they are, whatever their overrides say?"""
    assert round_trip(LyingDict(a=1.0, b=2.0)) == {"a": 1.0, "b": 2.0}
    assert round_trip(LyingTuple((1.0, 2.0))) == (1.0, 2.0)
    assert round_trip(LyingString("cat")) == "cat"
    assert round_trip([LyingFloat(3.0)]) == [3.0]
    assert describe(LyingDict())["type"] == OTHER  # the student's class is not named


# 3. Reading a hostile record raises RecordError with a reason, and nothing else.

ARRAY = {"kind": "ndarray", "type": "ndarray", "dtype": "float64", "shape": [2], "data": [1.0, 2.0]}
HALF = {"kind": "scalar", "type": "float", "data": 0.5}
HOSTILE = {
    "not a dict": ([HALF], "field"),
    "an unknown kind": ({**HALF, "kind": "tensor"}, "field"),
    "a missing key": ({"kind": "scalar", "type": "float"}, "field"),
    "an extra key": ({**HALF, "comment": SECRET}, "field"),
    "a type name that is not a string": ({**HALF, "type": 7}, "field"),
    "a type name too long": ({**HALF, "type": "x" * 65}, "field"),
    "a bool where a number is due": ({**HALF, "data": True}, "number"),
    "a string where a number is due": ({**HALF, "data": SECRET}, "number"),
    "a number where a bool is due": ({"kind": "bool", "type": "bool", "data": 1}, "field"),
    "a number where a string is due": ({"kind": "str", "type": "str", "data": 1}, "field"),
    "a string too long": ({"kind": "str", "type": "str", "data": "x" * (MAX_STRING + 1)},
                          "size"),
    "None with a type": ({"kind": "none", "type": "NoneType"}, "field"),
    "items that are not a list": ({"kind": "tuple", "type": "tuple", "items": {"0": HALF}},
                                  "field"),
    "a dict key that is not a string": ({"kind": "dict", "type": "dict", "items": [[7, HALF]]},
                                        "field"),
    "a dict item that is not a pair": ({"kind": "dict", "type": "dict",
                                        "items": [["a", HALF, HALF]]}, "field"),
    "a dict key twice": ({"kind": "dict", "type": "dict", "items": [["a", HALF], ["a", HALF]]},
                         "field"),
    "a dict key too long": ({"kind": "dict", "type": "dict",
                             "items": [["k" * (MAX_STRING + 1), HALF]]}, "field"),
    "nesting too deep": (json.loads(json.dumps(describe(nested(MAX_DEPTH + 3))).replace(
        '{"kind": "other", "type": "tuple"}',
        '{"kind": "tuple", "type": "tuple", "items": [{"kind": "tuple", "type": "tuple", '
        '"items": []}]}')), "depth"),
    "too many items": ({"kind": "list", "type": "list", "items": [HALF] * (MAX_ITEMS + 1)},
                       "size"),
    "too many numbers in all": ({"kind": "list", "type": "list", "items": [
        {**ARRAY, "shape": [MAX_NUMBERS // 2 + 1], "data": [0.0] * (MAX_NUMBERS // 2 + 1)}] * 2},
        "size"),
    "a shape its data does not have": ({**ARRAY, "shape": [3]}, "shape"),
    "a huge shape": ({**ARRAY, "shape": [10**9, 10**9]}, "size"),
    "an unknown dtype": ({**ARRAY, "dtype": "object"}, "field"),
    "a bool array holding 2": ({**ARRAY, "dtype": "bool", "data": [1.0, 2.0]}, "number"),
    "an integer array holding a fraction": ({**ARRAY, "dtype": "int64", "data": [1.5, 2.0]},
                                            "number"),
}


@pytest.mark.parametrize("plain, reason", HOSTILE.values(), ids=HOSTILE)
def test_a_record_that_does_not_fit_raises_record_error_with_its_reason(plain, reason):
    """Is every malformed, oversized or too deep value refused with the reason it broke?"""
    with pytest.raises(RecordError) as refused:
        read(plain)
    assert refused.value.reason == reason


def test_a_value_at_every_bound_is_still_read():
    """Does the reader accept what the describer makes at its bounds (and so a true record)?"""
    numbers = MAX_ITEMS - 3 - (MAX_DEPTH - 1)  # the items the tuples leave
    at_bounds = (nested(MAX_DEPTH - 1, "x" * MAX_STRING), [0.0] * numbers,
                 np.zeros(MAX_NUMBERS - numbers))
    assert same(round_trip(at_bounds), at_bounds)
    beyond = (*at_bounds[:2], np.zeros(MAX_NUMBERS - numbers + 1))
    assert isinstance(round_trip(beyond)[2], Other)


# 4. What differs: assignment 1's words for one array or number, a path for a part.

def test_one_array_or_number_is_compared_as_before():
    """Are the messages for a single result the ones the public checks always gave?"""
    want = np.array([[0.5], [1.0]])
    assert differences(np.array([0.5, 1.0]), want, DEFAULT, DEFAULT) == [
        "shape should be (2, 1), got (2,) · 形状应为 (2, 1)，实际为 (2,)"]
    assert differences([0.5, 1.0], want, DEFAULT, DEFAULT) == [
        "expected a NumPy array, got list · 应返回 NumPy 数组，实际返回 list"]
    assert differences(np.array([[0.5], [2.0]]), want, DEFAULT, DEFAULT) == [
        "values differ (largest difference 1) · 数值不一致（最大差 1）"]
    assert differences(np.array([[1], [1]]), np.ones((2, 1)), DEFAULT, DEFAULT) == [
        "dtype should be floating point, got int64 (integer division or an integer array?) · "
        "数据类型应为浮点数，实际为 int64"]
    assert differences(np.array([[np.nan], [1.0]]), want, DEFAULT, DEFAULT) == [
        "result contains nan or inf (overflow, or dividing by zero?) · "
        "结果中有 nan 或 inf（溢出或除以零？）"]
    assert differences(np.ones(3), 0.5, DEFAULT, DEFAULT) == [
        "expected a single number, got ndarray of shape (3,) · 应返回一个数，实际返回 ndarray"]
    assert differences(None, 0.5, DEFAULT, DEFAULT) == [
        "expected a single number, got None (is a return missing?) · "
        "应返回一个数，实际返回 None（是否缺少 return？）"]
    assert differences(True, 1.0, DEFAULT, DEFAULT) == [
        "expected a single number, got bool · 应返回一个数，实际返回 bool"]


PROPAGATE = ({"dw": np.array([[0.99], [2.39]]), "db": 0.0015}, 5.8)


def test_a_wrong_part_is_named_by_its_path():
    """Does a message about a part begin with where it is in the result?"""
    got = ({"dw": np.array([0.99, 2.39]), "db": 0.0015}, 5.8)
    assert differences(got, PROPAGATE, DEFAULT, DEFAULT) == [
        'result[0]["dw"]: shape should be (2, 1), got (2,) · 形状应为 (2, 1)，实际为 (2,)']
    got = ({"dw": np.array([[0.99], [2.39]]), "db": 0.5}, 6.8)
    assert differences(got, PROPAGATE, DEFAULT, DEFAULT) == [
        'result[0]["db"]: values differ (largest difference 0.498) · 数值不一致（最大差 0.498）',
        "result[1]: values differ (largest difference 1) · 数值不一致（最大差 1）"]


def test_a_tuple_and_a_list_of_the_same_items_are_as_good():
    """Is [grads, cost] accepted where (grads, cost) is expected, and the other way round?"""
    assert differences(list(PROPAGATE), PROPAGATE, DEFAULT, DEFAULT) == []
    assert differences(PROPAGATE, list(PROPAGATE), DEFAULT, DEFAULT) == []


def test_the_wrong_number_or_kind_of_parts_is_said_first():
    """Is a tuple of the wrong length, or no tuple at all, said without comparing parts?"""
    assert differences((PROPAGATE[0],), PROPAGATE, DEFAULT, DEFAULT) == [
        "expected a tuple of 2 items, got a tuple of 1 item · 应返回含 2 项的 tuple，"
        "实际返回含 1 项的 tuple"]
    assert differences(np.zeros(2), PROPAGATE, DEFAULT, DEFAULT) == [
        "expected a tuple of 2 items, got ndarray · 应返回含 2 项的 tuple，实际返回 ndarray"]
    assert differences((np.zeros(2), 5.8), PROPAGATE, DEFAULT, DEFAULT) == [
        'result[0]: expected a dict with keys "dw", "db", got ndarray · '
        '应返回含键 "dw", "db" 的 dict，实际返回 ndarray']


def test_a_dict_names_its_missing_keys_and_counts_the_others():
    """Are missing keys named (the grader's words) and unexpected ones only counted?"""
    got = ({"dW": np.array([[0.99], [2.39]]), SECRET: 0.0015, "db": 0.0015}, 5.8)
    assert differences(got, PROPAGATE, DEFAULT, DEFAULT) == [
        'result[0]: missing key "dw" · 缺少键 "dw"',
        "result[0]: 2 unexpected keys · 多了 2 个键"]


def test_strings_bools_and_none_are_compared_exactly():
    """Is a string compared without being quoted, a bool and None exactly?"""
    assert differences(SECRET, "cat", DEFAULT, DEFAULT) == [
        "the string differs from the expected one · 字符串与期望的不一致"]
    assert differences("cat", "cat", DEFAULT, DEFAULT) == []
    assert differences(False, True, DEFAULT, DEFAULT) == [
        "should be True, got False · 应为 True，实际为 False"]
    assert differences(1, True, DEFAULT, DEFAULT) == [
        "expected True or False, got int · 应返回 True 或 False，实际返回 int"]
    assert differences(np.bool_(True), True, DEFAULT, DEFAULT) == []
    assert differences(0.0, None, DEFAULT, DEFAULT) == [
        "expected None, got float · 应返回 None，实际返回 float"]


def test_a_list_of_costs_is_compared_element_wise():
    """Is a list of numbers one comparison, element by element, not a list of messages?"""
    costs = [0.693, 0.5, 0.41]
    assert differences([0.693, 0.5, 0.41 + 1e-9], costs, DEFAULT, DEFAULT) == []
    assert differences([0.693, 0.6, 0.51], costs, DEFAULT, DEFAULT) == [
        "values differ (largest difference 0.1) · 数值不一致（最大差 0.1）"]
    assert differences(np.array(costs), costs, DEFAULT, DEFAULT) == [
        "expected a list of 3 items, got ndarray · 应返回含 3 项的 list，实际返回 ndarray"]


def test_many_differing_parts_are_counted_beyond_the_first_few():
    """Does a result whose many parts differ list a few and count the rest?"""
    want = tuple(np.full(2, float(i)) for i in range(8))
    got = tuple(np.full(3, float(i)) for i in range(8))
    found = differences(got, want, DEFAULT, DEFAULT)
    assert len(found) == 6 and found[-1] == "… and 3 more parts differ · 另有 3 个部分不一致"


def test_each_part_has_its_own_tolerance():
    """Is the cost within 1e-6, grads["dw"] within 1e-6, and every other part exact?"""
    tolerances = {"[1]": Tolerance(rtol=1e-6), '[0]["dw"]': Tolerance(rtol=1e-6)}
    close = ({"dw": np.array([[0.99], [2.39 * (1 + 1e-7)]]), "db": 0.0015}, 5.8 * (1 + 1e-7))
    assert differences(close, PROPAGATE, tolerances, EXACT) == []
    assert len(differences(close, PROPAGATE, EXACT, EXACT)) == 2
    off_db = ({"dw": np.array([[0.99], [2.39]]), "db": 0.0015 * (1 + 1e-7)}, 5.8)
    assert [problem.split(":")[0] for problem in differences(off_db, PROPAGATE, tolerances,
                                                             EXACT)] == ['result[0]["db"]']
    costs = ({"w": 1.0}, [0.69, 0.5])
    assert differences(({"w": 1.0}, [0.69 * (1 + 1e-7), 0.5]), costs,
                       {"[1]": Tolerance(rtol=1e-6)}, EXACT) == []


def test_a_tolerance_leads_only_to_the_parts_inside_its_path():
    """Does the tolerance of [1] apply to [1]["dw"] but not to [10]?"""
    one, root = Tolerance(rtol=1.0), Tolerance(rtol=2.0)
    tolerances = {"[1]": one, "": root}
    assert tolerance_at(tolerances, "[1]", EXACT) == one
    assert tolerance_at(tolerances, '[1]["dw"]', EXACT) == one
    assert tolerance_at(tolerances, "[10]", EXACT) == root
    assert tolerance_at({"[1]": one}, "[10]", EXACT) == EXACT


def test_a_part_the_kernel_could_not_record_is_named_from_the_vocabulary():
    """Is an Other named by the grader's words for its type, never by the recorded text?"""
    assert differences(Other("NoneType"), np.zeros(2), DEFAULT, DEFAULT) == [
        "expected a NumPy array, got None (is a return missing?) · "
        "应返回 NumPy 数组，实际返回 None（是否缺少 return？）"]
    assert differences((Other(SECRET), 1.0), (np.zeros(2), 1.0), DEFAULT, DEFAULT) == [
        "result[0]: expected a NumPy array, got an object of another type · "
        "应返回 NumPy 数组，实际返回 其他类型的对象"]


def test_no_text_of_the_student_reaches_a_message():
    """Whatever strings and keys a result holds, do they stay out of every message?"""
    hostile = [SECRET, {SECRET: SECRET}, [SECRET], (SECRET, {SECRET: [SECRET]}),
               {"dw": SECRET, "db": {SECRET: 1}}, np.array([SECRET])]
    wants = [PROPAGATE, PROPAGATE[0], "cat", 0.5, np.zeros(2), [0.5], True, None]
    for got in hostile:
        for want in wants:
            for value in (got, round_trip(got)):
                assert SECRET not in " ".join(differences(value, want, DEFAULT, DEFAULT))


# 5. An input left as it was.

def test_same_tells_an_input_left_alone_from_one_modified():
    """Is an input unchanged as numbers (2 and 2.0, nan and nan), and changed in any part?"""
    assert same(2, 2.0) and same(math.nan, math.nan) and same(True, True)
    assert same({"w": np.array([1.0, np.nan])}, {"w": np.array([1.0, np.nan])})
    assert not same({"w": np.zeros(2)}, {"w": np.ones(2)})
    assert not same({"w": np.zeros(2)}, {"w": np.zeros(2), "b": 0.0})
    assert not same([1.0, 2.0], [1.0])
    assert not same(np.zeros(2), np.zeros((2, 1)))
    assert not same(np.zeros(2), Other("ndarray"))
    assert not same(True, 1.0) and not same("cat", "dog")
    assert same(np.array(["a", "b"]), np.array(["a", "b"]))  # outside the model, still told
    assert same(Other("set"), round_trip({1, 2}))  # an input described as other, both sides


def test_a_0d_array_where_a_number_is_due_is_a_number_on_either_side():
    """Is a right answer written as a 0-d array (np.squeeze of a cost) matched by any number?"""
    for want in (np.array(0.25), np.squeeze(np.array([[0.25]])), 0.25, np.float64(0.25)):
        for got in (0.25, np.float64(0.25), np.array(0.25), round_trip(np.array(0.25))):
            assert differences(got, want, DEFAULT, DEFAULT) == []
        assert differences(np.array([[0.25]]), want, DEFAULT, DEFAULT) == [
            "expected a single number, got ndarray of shape (1, 1) · "
            "应返回一个数，实际返回 ndarray"]
    assert differences(({"db": 0.5}, 0.3), ({"db": np.array(0.5)}, np.array(0.25)),
                       DEFAULT, DEFAULT)[0].startswith("result[1]: values differ")
