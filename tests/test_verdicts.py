"""Can a hostile record crash the grading step, fool a verdict, or put its own text in one?

A hidden test cell only records what the student's function returned
(``graders.record``); the grader reads that record in its own process
(``graders.verdicts``). Everything in a record comes from a kernel the student
controls, so here records are forged, malformed and oversized on purpose. The
value model itself (describe, read, differences) is tested in tests/test_values.py;
here, whole records are judged, of assignment 1 and of a tiny assignment whose
function takes a bool and returns a tuple with a dict inside.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import sys
import textwrap
import types

import nbformat
import numpy as np
import pytest
from nbformat.v4 import new_code_cell, new_notebook

import graders.verdicts as verdicts
from course import ASSIGNMENT
from graders import record as recorder
from graders.assignments import Assignment
from graders.compare import Case
from graders.conventions import RECORD_PREFIX
from graders.course_setup import reference, reference_functions, run_test_cell
from graders.values import OTHER, Tolerance, describe
from graders.verdicts import MAX_LINE_CHARS, Reference, Verdict, parse_records

REFERENCE = reference_functions(ASSIGNMENT)
SECRET = "SECRET-hidden-source-### BEGIN HIDDEN TESTS"
UNREADABLE = "could not be read"


def true_record(function: str) -> dict:
    """The record the reference answer prints in its hidden test cell."""
    printed = run_test_cell(ASSIGNMENT, f"test_{function}_hidden",
                            {function: REFERENCE[function]})
    (entry,) = parse_records(printed)[function]
    return entry


def judge(entry, function: str = "sigmoid", part: str = "hidden") -> Verdict:
    """Judge a record as grading does, with the source notebook's own hidden inputs."""
    judged_by = reference(ASSIGNMENT)
    return judged_by.judge(function, entry, part,
                           hidden=judged_by.source_hidden_tests[function])


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
    for function in reference(ASSIGNMENT).functions:
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
    verdict = judge_line(RECORD_PREFIX + body)
    assert not verdict.passed
    assert "too deeply nested" in verdict.message and "嵌套过深" in verdict.message


def test_a_record_line_longer_than_the_bound_is_a_failed_test():
    """Is a record line longer than MAX_LINE_CHARS refused before it is decoded?"""
    body = json.dumps(true_record("sigmoid"))

    def padded_to(length: int) -> str:  # spaces before the closing brace change no value
        return RECORD_PREFIX + body[:-1] + " " * (length - len(body)) + "}"

    assert judge_line(padded_to(MAX_LINE_CHARS)).passed
    verdict = judge_line(padded_to(MAX_LINE_CHARS + 1))
    assert not verdict.passed and "too long" in verdict.message


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_literals_are_refused(constant):
    """Is a record that is not strict JSON (NaN, Infinity) refused?"""
    entry = true_record("basic_sigmoid")
    line = RECORD_PREFIX + json.dumps(entry).replace("0.", f"{constant}, 0.", 1)
    verdict = judge_line(line, "basic_sigmoid")
    assert not verdict.passed and UNREADABLE in verdict.message


def test_lines_that_name_no_function_are_dropped():
    """Is a record line that is neither JSON nor names a function ignored, like any output?"""
    assert parse_records(f"{RECORD_PREFIX}[1, 2\n{RECORD_PREFIX}{{}}\n"
                         f'{RECORD_PREFIX}{{"function": 7}}\n') == {}


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

    monkeypatch.setattr(verdicts, "differences", broken)
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
    assert describe(lying) == {"kind": "ndarray", "type": OTHER,
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

    assert describe(Lying(3.0))["data"] == 3.0
    assert describe(Claims()) == {"kind": "other", "type": OTHER}
    assert describe(True) == {"kind": "bool", "type": "bool", "data": True}  # not the number 1


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
    printed = run_test_cell(ASSIGNMENT, "test_sigmoid_hidden", {"sigmoid": lambda x: x * np.nan})
    line = printed.splitlines()[-1]
    json.loads(line[len(RECORD_PREFIX):], parse_constant=_refuse)  # strict JSON
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
    assert recorder.run(raises(OwnError(SECRET)), (1,)) == {"error": OTHER}
    named = type(SECRET, (Exception,), {})
    assert recorder.run(raises(named()), (1,)) == {"error": OTHER}
    masked = type("ValueError", (Exception,), {})  # a class named like a built-in one
    assert recorder.run(raises(masked()), (1,)) == {"error": OTHER}
    assert describe(type(SECRET, (), {})()) == {"kind": "other", "type": OTHER}


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


def test_a_verdict_without_hidden_inputs_fails_and_says_so():
    """Is a hidden part whose inputs the grader does not know a failed test, said plainly?"""
    verdict = reference(ASSIGNMENT).judge("sigmoid", true_record("sigmoid"), "hidden")
    assert not verdict.passed and verdict.kind == "unknown"
    assert verdict.message.startswith("no hidden inputs are known for sigmoid")
    assert "没有 sigmoid 的隐藏输入" in verdict.message
    # The public part needs none: it is judged on the assignment's public cases.
    assert reference(ASSIGNMENT).judge("sigmoid", true_record("sigmoid"), "public").passed


def test_a_failed_verdict_says_what_the_class_report_counts():
    """Does a failed verdict carry its kind and its kinds of difference, without the numbers?"""
    entry = true_record("sigmoid")
    entry["hidden"][1]["value"]["data"] = [0.0] * 7
    verdict = judge(entry)
    assert verdict.kind == "mismatch"
    assert verdict.problems == ("values differ",)
    assert judge(true_record("sigmoid")) == Verdict(True)


# 4. Any value: a function that takes a bool and returns a tuple with a dict inside.

PROPAGATE = '''
def propagate(w, b, X, Y, average):
    """The gradients of the logistic cost, and the cost; averaged over examples if asked."""
    ### BEGIN SOLUTION
    A = 1 / (1 + np.exp(-(w.T @ X + b)))
    cost = float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)))
    dw = X @ (A - Y).T
    db = float(np.sum(A - Y))
    if average:
        m = X.shape[1]
        cost, dw, db = cost / m, dw / m, db / m
    return {"dw": dw, "db": db}, cost
    ### END SOLUTION
'''

PROPAGATE_HIDDEN = '''
"""propagate: hidden tests"""
### BEGIN HIDDEN TESTS
from tiny_logistic import record
rng = np.random.default_rng(7)
X = rng.normal(size=(3, 5))
Y = (rng.random((1, 5)) > 0.5).astype(float)
record("propagate", propagate, [(rng.normal(size=(3, 1)), 0.5, X, Y, True),
                                (np.zeros((3, 1)), 0.0, X, Y, False)])
### END HIDDEN TESTS
'''

W, B = np.array([[1.0], [2.0]]), 2.0
X, Y = np.array([[1.0, 2.0, -1.0], [3.0, 4.0, -3.2]]), np.array([[1.0, 0.0, 1.0]])
TINY = Assignment(
    "tiny_logistic",
    cases={"propagate": [
        Case("the example of the notes", (W, B, X, Y, True),
             ({"dw": np.array([[0.9984560146379561], [2.395072388486207]]),
               "db": 0.001455578136784208}, 5.801545319394553)),
    ]},
    tolerances={"propagate": {"[1]": Tolerance(rtol=1e-6), '[0]["dw"]': Tolerance(rtol=1e-6)}},
)


@pytest.fixture
def tiny(tmp_path, monkeypatch) -> Reference:
    """The tiny assignment's reference, read from a source notebook written here."""
    module = types.ModuleType("tiny_logistic")  # as an assignment's module offers its record
    module.record = recorder.recorder(TINY.cases)
    monkeypatch.setitem(sys.modules, "tiny_logistic", module)
    answer = new_code_cell(textwrap.dedent(PROPAGATE), metadata={"nbgrader": {
        "solution": True, "grade": False, "grade_id": "propagate"}})
    hidden = new_code_cell(textwrap.dedent(PROPAGATE_HIDDEN), metadata={"nbgrader": {
        "solution": False, "grade": True, "grade_id": "test_propagate_hidden", "points": 1}})
    path = tmp_path / "tiny.ipynb"
    nbformat.write(new_notebook(cells=[answer, hidden]), path)
    return Reference(path, TINY)


def tiny_record(propagate) -> dict:
    """The record the hidden cell prints for this propagate, the cell run in-process."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(textwrap.dedent(PROPAGATE_HIDDEN), {"np": np, "propagate": propagate})
    (entry,) = parse_records(printed.getvalue())["propagate"]
    return entry


def judge_tiny(tiny: Reference, entry, part: str = "hidden") -> Verdict:
    return tiny.judge("propagate", entry, part, hidden=tiny.source_hidden_tests["propagate"])


def test_a_tuple_with_a_dict_inside_and_a_bool_argument_are_judged(tiny):
    """Is a right (grads, cost) answer to a call with a bool argument passed, both parts?

    (The verdicts knew numbers and arrays only: they failed it, the bool read as a
    modified input and the tuple as "expected a single number".)
    """
    right = tiny.functions["propagate"]
    assert [args[-1] for args in tiny.source_hidden_tests["propagate"].inputs] == [True, False]
    entry = tiny_record(right)
    assert judge_tiny(tiny, entry) == Verdict(True)
    assert judge_tiny(tiny, entry, "public") == Verdict(True)


def test_a_wrong_part_of_a_tuple_is_named_by_its_path(tiny):
    """Does a wrong answer fail, each wrong part named by its place in the result?"""
    right = tiny.functions["propagate"]

    def flat_dw(w, b, X, Y, average):
        grads, cost = right(w, b, X, Y, average)
        return {"dw": grads["dw"].ravel(), "db": grads["db"]}, cost

    def never_averages(w, b, X, Y, average):
        return right(w, b, X, Y, False)

    verdict = judge_tiny(tiny, tiny_record(flat_dw))
    assert not verdict.passed and verdict.kind == "mismatch"
    assert 'result[0]["dw"]: shape should be (3, 1), got (3,) · 形状应为 (3, 1)' in verdict.message
    assert "input: shape (3, 1), a number, shape (3, 5), shape (1, 5), a bool" in verdict.message
    verdict = judge_tiny(tiny, tiny_record(never_averages), "public")
    assert "1 of 1 public cases failed" in verdict.message
    for part in ('result[0]["dw"]', 'result[0]["db"]', "result[1]"):
        assert f"{part}: values differ" in verdict.message
    verdict = judge_tiny(tiny, tiny_record(never_averages))
    assert "1 of 2 hidden cases failed" in verdict.message  # right when not averaging


def test_what_a_student_returns_never_reaches_the_verdict(tiny):
    """Are the student's strings and dict keys kept out of the verdict, whatever they hold?"""
    def chatty(w, b, X, Y, average):
        return {"dw": SECRET, SECRET: 1.0}, [SECRET]

    verdict = judge_tiny(tiny, tiny_record(chatty))
    assert not verdict.passed
    assert 'result[0]["dw"]: expected a NumPy array, got str' in verdict.message
    assert "result[0]: missing key \"db\"" in verdict.message
    assert "result[0]: 1 unexpected key" in verdict.message
    assert "result[1]: expected a single number, got list" in verdict.message
    assert "SECRET" not in verdict.message


def test_a_forged_nested_record_is_a_failed_test(tiny):
    """Is a nested value that does not fit the schema a failed test with a reason, not a crash?"""
    entry = tiny_record(tiny.functions["propagate"])
    grads = entry["hidden"][0]["value"]["items"][0]
    grads["items"][0][0] = 7  # a key that is not a string
    verdict = judge_tiny(tiny, entry)
    assert not verdict.passed and verdict.kind == "unreadable"
    assert "a field is missing, unexpected or of the wrong type" in verdict.message


def test_a_misconception_predicting_a_tuple_with_a_dict_inside_is_named(tiny):
    """Is a known mistake named when it returns a (grads, cost) tuple, judged part by part?

    (The diagnosis compared numbers and arrays only: a predicted tuple, or a bool among the
    arguments the prediction leaves as they were, never fitted.)
    """
    from dataclasses import replace

    from graders.diagnoses import CORRECT, Misconception, Returns

    def never_averages(call):
        if not call.args[4]:
            return CORRECT
        m = call.args[2].shape[1]
        grads, cost = call.want
        return Returns(({"db": grads["db"] * m, "dw": grads["dw"] * m}, cost * m))

    fix = "divide by m · 要除以 m"
    known = Reference(tiny.source_notebook, replace(TINY, misconceptions={
        "propagate": [Misconception("no_average", fix, never_averages)]}))
    right = tiny.functions["propagate"]
    entry = tiny_record(lambda w, b, X, Y, average: right(w, b, X, Y, False))
    verdict = known.judge("propagate", entry, "hidden",
                          hidden=known.source_hidden_tests["propagate"])
    assert verdict.diagnosis == "no_average" and verdict.message.startswith(f"propagate: {fix}")
    # Another mistake, which the prediction does not fit part by part, gets no diagnosis.
    entry = tiny_record(lambda w, b, X, Y, average: ({"dw": 0 * w, "db": 0.0}, 0.0))
    verdict = known.judge("propagate", entry, "hidden",
                          hidden=known.source_hidden_tests["propagate"])
    assert not verdict.passed and verdict.diagnosis is None
