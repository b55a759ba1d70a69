"""Can a hostile record crash the grading step, fool a verdict, or put its own text in one?

A hidden test cell only records what the student's function returned
(``graders.record``); the grader reads that record in its own process
(``graders.verdicts``). Everything in a record comes from a kernel the student
controls, so here records are forged, malformed and oversized on purpose.
"""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest

import course
import graders.verdicts as verdicts
import reference as answers
from graders import record as recorder
from graders.verdicts import MAX_LINE_CHARS, Verdict, parse_records

SECRET = "SECRET-hidden-source-### BEGIN HIDDEN TESTS"
UNREADABLE = "could not be read"


def true_record(function: str) -> dict:
    """The record the reference answer prints in its hidden test cell."""
    printed = course.run_test_cell(f"test_{function}_hidden",
                                   {function: getattr(answers, function)})
    (entry,) = parse_records(printed)[function]
    return entry


def judge(entry, function: str = "sigmoid", part: str = "hidden") -> Verdict:
    return course.reference().judge(function, entry, part)


def judge_line(line: str, function: str = "sigmoid") -> Verdict:
    entries = parse_records(line).get(function, [])
    assert len(entries) == 1, entries
    return judge(entries[0], function)


def with_first_value(**fields) -> dict:
    """sigmoid's true record, its first hidden value (the 7-vector) changed."""
    entry = true_record("sigmoid")
    entry["hidden"][1]["value"].update(fields)
    return entry


def test_true_records_pass_both_parts():
    """Does the reference answer's record pass, public and hidden part, for every function?"""
    for function in course.reference().functions:
        entry = true_record(function)
        assert judge(entry, function, "public").passed
        assert judge(entry, function, "hidden").passed


# 1. Malformed records fail with a plain reason and never crash the grading step.

MALFORMED_VALUES = {
    "data is a string": {"data": "abc"},
    "shape holds a string": {"shape": ["x"]},
    "ragged data": {"shape": [2, 2], "data": [[1.0, 2.0], [3.0]]},
    "data is a dict": {"shape": [2], "data": {"0": 1.0, "1": 2.0}},
    "shape is a dict": {"shape": {"0": 7}},
    "huge shape": {"shape": [10**9, 10**9]},
    "shape of 40 dimensions": {"shape": [1] * 40},
    "negative dimension": {"shape": [-7]},
    "shape disagrees with the data": {"shape": [7, 1]},
    "unknown kind": {"kind": "tensor"},
    "unknown dtype": {"dtype": "object"},
    "dtype is a list": {"dtype": ["float64"]},
    "bool where a number is due": {"shape": [1], "data": [True]},
    "null where a number is due": {"shape": [1], "data": [None]},
    "fractional data with an integer dtype": {"dtype": "int64"},
    "integer data out of its dtype's range": {"dtype": "uint8", "shape": [1], "data": [300.0]},
    "huge integer": {"shape": [1], "data": [10**400]},
    "extra field": {"comment": "hello"},
    "type name is not a string": {"type": 7},
    "type name too long": {"type": "x" * 1000},
}


@pytest.mark.parametrize("fields", MALFORMED_VALUES.values(), ids=MALFORMED_VALUES)
def test_a_malformed_value_fails_with_a_plain_reason(fields):
    """Is a record with non-numbers, wrong shapes or unknown fields a failed test, not a crash?"""
    verdict = judge(with_first_value(**fields))
    assert not verdict.passed
    assert UNREADABLE in verdict.message and "无法读取" in verdict.message


def _drop(key):
    def change(entry):
        del entry[key]
    return change


def _set(path, value):
    def change(entry):
        target = entry
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
    return change


MALFORMED_ENTRIES = {
    "no hidden part": _drop("hidden"),
    "hidden part is a dict": _set(["hidden"], {"0": 1}),
    "one result too few": lambda entry: entry["hidden"].pop(),
    "another function's name": _set(["function"], "softmax"),
    "result is a list": _set(["hidden", 0], [1.0]),
    "args_after is not a list": _set(["hidden", 0, "args_after"], {"0": 1}),
    "too many args_after": _set(["hidden", 0, "args_after"], [{"kind": "other", "type": "int"}]
                                * 100),
    "error is not a string": _set(["hidden", 0], {"error": ["ValueError"]}),
    "error is a long text": _set(["hidden", 0], {"error": "ValueError: " + "x" * 500}),
    "error beside a value": lambda entry: entry["hidden"][0].update(error="ValueError"),
    "scalar is NaN": _set(["hidden", 0, "value", "data"], float("nan")),
    "scalar is infinite": _set(["hidden", 0, "value", "data"], float("inf")),
    "scalar is a bool": _set(["hidden", 0, "value", "data"], True),
}


@pytest.mark.parametrize("change", MALFORMED_ENTRIES.values(), ids=MALFORMED_ENTRIES)
def test_a_malformed_entry_fails_with_a_plain_reason(change):
    """Is a record whose structure is wrong a failed test that says it could not be read?"""
    entry = true_record("sigmoid")
    change(entry)
    verdict = judge(entry)
    assert not verdict.passed
    assert UNREADABLE in verdict.message


@pytest.mark.parametrize("entry", [[], "record", 7, 1.5, True, {}, {"function": "sigmoid"},
                                   object(), {"function": "sigmoid", "unreadable": True}],
                         ids=repr)
def test_an_entry_of_any_type_fails_without_raising(entry):
    """Whatever is passed as the entry, is the verdict a failure rather than an exception?"""
    verdict = judge(entry)
    assert not verdict.passed and UNREADABLE in verdict.message


def test_a_record_nested_100000_deep_is_a_failed_test():
    """Does a record nested 100,000 deep fail its test instead of crashing the decoder?"""
    body = '{"function": "sigmoid", "public": ' + "[" * 100_000 + "]" * 100_000 + "}"
    verdict = judge_line(recorder.PREFIX + body)
    assert not verdict.passed
    assert "too deeply nested" in verdict.message and "嵌套过深" in verdict.message


def test_a_record_line_longer_than_the_bound_is_a_failed_test():
    """Is a record line longer than MAX_LINE_CHARS refused before it is decoded?"""
    body = json.dumps(true_record("sigmoid"))

    def padded_to(length: int) -> str:  # spaces before the closing brace change no value
        return recorder.PREFIX + body[:-1] + " " * (length - len(body)) + "}"

    assert judge_line(padded_to(MAX_LINE_CHARS)).passed
    verdict = judge_line(padded_to(MAX_LINE_CHARS + 1))
    assert not verdict.passed and "too long" in verdict.message


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_literals_are_refused(constant):
    """Is a record that is not strict JSON (NaN, Infinity) refused?"""
    entry = true_record("basic_sigmoid")
    line = recorder.PREFIX + json.dumps(entry).replace("0.", f"{constant}, 0.", 1)
    verdict = judge_line(line, "basic_sigmoid")
    assert not verdict.passed and UNREADABLE in verdict.message


def test_lines_that_name_no_function_are_dropped():
    """Is a record line that is neither JSON nor names a function ignored, like any output?"""
    assert parse_records(f"{recorder.PREFIX}[1, 2\n{recorder.PREFIX}{{}}\n"
                         f'{recorder.PREFIX}{{"function": 7}}\n') == {}


def test_every_mutation_of_a_true_record_is_judged_without_raising():
    """Whatever one field of a true record is replaced with, is the verdict a plain one?"""
    hostile = [None, True, -1, 10**30, 1e308, "abc", SECRET, [], {}, [[1.0, 2.0], [3.0]],
               {"kind": "other", "type": SECRET}]
    original = true_record("L1")
    paths = list(_paths(original))
    assert len(paths) > 50
    for path in paths:
        for value in hostile:
            entry = copy.deepcopy(original)
            _set(path, value)(entry)
            for part in ("public", "hidden"):
                verdict = judge(entry, "L1", part)
                assert isinstance(verdict, Verdict)
                assert SECRET not in verdict.message, (path, value)


def _paths(node, prefix=()):
    """Every place in a record, except list items after the second (they repeat the first)."""
    items = node.items() if isinstance(node, dict) else enumerate(node[:2])
    for key, child in items:
        yield [*prefix, key]
        if isinstance(child, dict | list):
            yield from _paths(child, (*prefix, key))


def test_judge_never_raises_even_when_its_own_comparison_breaks(monkeypatch):
    """If reading a record fails in an unforeseen way, is it a failed test with a reason?"""
    def broken(*args, **kwargs):
        raise MemoryError("unforeseen")

    monkeypatch.setattr(verdicts, "compare", broken)
    verdict = judge(true_record("sigmoid"))
    assert not verdict.passed
    assert UNREADABLE in verdict.message and "无法读取" in verdict.message
    assert "unforeseen" not in verdict.message


# 2. Values are described from what NumPy says about the data.

class LyingShape(np.ndarray):
    """An array that claims to be a column vector, whatever its data is."""

    @property
    def shape(self):
        return (self.size, 1)

    @property
    def dtype(self):
        return np.dtype("float64")

    def tolist(self):
        return [[0.0]] * self.size


def test_a_lying_ndarray_subclass_is_recorded_as_numpy_sees_it():
    """Does the record give the data's real shape, dtype and numbers, not the subclass's claims?"""
    lying = np.arange(6, dtype=np.int8).view(LyingShape)
    assert lying.shape == (6, 1)
    assert recorder.plain(lying) == {"kind": "ndarray", "type": recorder.OTHER,
                                     "dtype": "int8", "shape": [6],
                                     "data": [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]}


def test_a_scalar_subclass_is_recorded_by_its_real_value():
    """Is a float subclass whose __float__ lies recorded by the number it really holds?"""
    class Lying(float):
        def __float__(self):
            return 0.5

        def __array__(self, *args, **kwargs):
            return np.array(0.5)

    class Claims:  # isinstance(Claims(), float) is True; it holds no number at all
        __class__ = float

        def __float__(self):
            return 0.5

    assert recorder.plain(Lying(3.0))["data"] == 3.0
    assert recorder.plain(Claims()) == {"kind": "other", "type": recorder.OTHER}
    assert recorder.plain(True) == {"kind": "other", "type": "bool"}


def test_a_forged_shape_that_does_not_match_the_data_fails():
    """Can a forged record claim a shape its numbers do not have?"""
    entry = true_record("image2vector")
    value = entry["hidden"][0]["value"]
    value["data"] = [row[0] for row in value["data"]]  # the right numbers, as a flat list
    verdict = judge(entry, "image2vector")
    assert not verdict.passed
    assert "shape does not match its numbers" in verdict.message


def test_non_finite_results_survive_the_record_and_are_named():
    """Is a nan result carried by strict JSON and reported as nan, not as unreadable?"""
    printed = course.run_test_cell("test_sigmoid_hidden", {"sigmoid": lambda x: x * np.nan})
    line = printed.splitlines()[-1]
    json.loads(line[len(recorder.PREFIX):], parse_constant=_refuse)  # strict JSON
    verdict = judge(parse_records(printed)["sigmoid"][0])
    assert not verdict.passed and "nan or inf" in verdict.message


def _refuse(name):
    raise AssertionError(f"{name} in a record line")


# 3. A verdict says nothing the kernel chose.

def test_the_record_keeps_only_known_exception_names():
    """Does the kernel record an exception's class, only if built in, and never its message?"""
    class OwnError(Exception):
        pass

    def raises(error):
        def function(x):
            raise error
        return function

    assert recorder.run(raises(ValueError(SECRET)), (1,)) == {"error": "ValueError"}
    assert recorder.run(raises(OwnError(SECRET)), (1,)) == {"error": recorder.OTHER}
    named = type(SECRET, (Exception,), {})
    assert recorder.run(raises(named()), (1,)) == {"error": recorder.OTHER}
    masked = type("ValueError", (Exception,), {})  # a class named like a built-in one
    assert recorder.run(raises(masked()), (1,)) == {"error": recorder.OTHER}
    assert recorder.plain(type(SECRET, (), {})()) == {"kind": "other", "type": recorder.OTHER}


def test_exits_and_interrupts_carry_no_text_out_of_the_record():
    """Is SystemExit recorded by its class, and an interrupt re-raised without their text?"""
    def exits(x):
        raise SystemExit(SECRET)

    def interrupted(x):
        raise KeyboardInterrupt(SECRET)

    assert recorder.run(exits, (1,)) == {"error": "SystemExit"}
    with pytest.raises(KeyboardInterrupt) as stopped:
        recorder.run(interrupted, (1,))
    assert SECRET not in str(stopped.value) and stopped.value.__suppress_context__


@pytest.mark.parametrize("result, says", [
    ({"error": f"ValueError: {SECRET}"}, "an exception of its own class"),
    ({"error": SECRET[:60]}, "an exception of its own class"),
    ({"error": "ZeroDivisionError"}, "raised ZeroDivisionError"),
    ({"value": {"kind": "other", "type": SECRET[:60]}, "args_after": []},
     "got an object of another type"),
    ({"value": {"kind": "other", "type": "list"}, "args_after": []}, "got list"),
    ({"value": {"kind": "other", "type": "NoneType"}, "args_after": []}, "is a return missing"),
])
def test_verdicts_say_only_the_graders_words(result, says):
    """Is an exception or type name shown only from a fixed vocabulary, never as recorded?"""
    entry = true_record("sigmoid")
    entry["hidden"][1] = result
    verdict = judge(entry)
    assert not verdict.passed
    assert says in verdict.message
    assert "SECRET" not in verdict.message


def test_a_public_failure_gives_the_case_and_no_guessed_hint():
    """Does a failed public part say which case failed, and guess no mistake it cannot know?"""
    entry = true_record("sigmoid")
    entry["public"][2]["value"]["data"] = [[0.0] * 3] * 2  # the matrix with negative values
    verdict = judge(entry, part="public")
    assert not verdict.passed
    assert verdict.message.startswith("sigmoid: 1 of 5 public cases failed · 5 个公开用例中有 1 个")
    assert "public case 3/5 · 公开用例 3/5: a 2×3 matrix with negative values" in verdict.message
    assert "hint" not in verdict.message and "lesson" not in verdict.message


def test_a_missing_record_suggests_why():
    """When no record was printed, does the message say what usually stops a hidden cell?"""
    verdict = judge(None)
    assert not verdict.passed
    assert "no result was recorded for sigmoid" in verdict.message
    assert "raise an error" in verdict.message and "出错" in verdict.message
