"""Do the public checks pass right answers, fail wrong ones, and say why?"""

from __future__ import annotations

import ast
import subprocess
import sys

import numpy as np
import pytest

import graders
from course import ASSIGNMENT, ROOT
from graders.compare import Case, run_cases
from graders.course_setup import authoring, reference_functions

REFERENCE = reference_functions(ASSIGNMENT)
bank = authoring(ASSIGNMENT, "answer_bank")
ALTERNATIVE_CORRECT, FUNCTIONS, WRONG, Answer = (
    bank.ALTERNATIVE_CORRECT, bank.FUNCTIONS, bank.WRONG, bank.Answer)

CHECKS = {name: getattr(graders, f"{name}_test") for name in FUNCTIONS}


@pytest.mark.parametrize("function", FUNCTIONS)
def test_reference_answer_passes_with_one_line(function, capsys):
    """Does a correct answer pass, with one short line of output?"""
    CHECKS[function](REFERENCE[function])
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert out.startswith(f"✓ {function}_test: all ") and "全部" in out


@pytest.mark.parametrize("answer", ALTERNATIVE_CORRECT, ids=lambda a: a.id)
def test_other_correct_answers_pass(answer: Answer):
    """Is every correct way of writing the function accepted?"""
    CHECKS[answer.function](answer.load())


@pytest.mark.parametrize("answer", [a for a in WRONG if a.problem], ids=lambda a: a.id)
def test_wrong_answer_fails_and_names_the_problem(answer: Answer):
    """Does each typical mistake fail, with a message naming the problem?"""
    with pytest.raises(AssertionError) as failure:
        CHECKS[answer.function](answer.load())
    message = str(failure.value)
    assert answer.problem in message
    assert "expected / 期望" in message
    assert "✗ Case" in message and "用例" in message


def test_failure_message_shows_expected_and_got_with_shape_and_dtype():
    """Does a failure show the case, the expected and the returned value, shape and dtype?"""
    with pytest.raises(AssertionError) as failure:
        graders.image2vector_test(lambda image: image.reshape(-1))
    message = str(failure.value)
    assert "3×3×2" in message
    assert "ndarray shape (18, 1) dtype float64" in message
    assert "ndarray shape (18,) dtype float64" in message
    assert "shape should be (18, 1), got (18,)" in message
    assert "目标形状最后要加上 1" in message


def test_student_error_is_explained_with_the_students_own_frames_only():
    """When the student's code raises, are the error and its line shown, the checker's not?"""

    def sigmoid(x):
        return undefined_name * x  # noqa: F821

    with pytest.raises(AssertionError) as failure:
        graders.sigmoid_test(sigmoid)
    message = str(failure.value)
    assert message.startswith("sigmoid_test: your function raised NameError on 5 of 5 cases")
    assert "NameError: name 'undefined_name' is not defined" in message
    assert "in sigmoid\n      return undefined_name * x" in message
    assert "compare.py" not in message and "numpy_basics.py" not in message
    assert isinstance(failure.value.student_error, NameError)
    assert failure.value.__cause__ is None and failure.value.__suppress_context__


def test_in_place_modification_is_reported():
    """Is an answer that overwrites the caller's array told so, even if its values are right?"""

    def normalize_rows(x):
        x = np.asarray(x, dtype=float) if x.dtype.kind != "f" else x
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        return x

    with pytest.raises(AssertionError) as failure:
        graders.normalize_rows_test(normalize_rows)
    message = str(failure.value)
    assert "modified in place" in message and "原地修改" in message
    assert "values differ" not in message


def test_every_failing_case_is_reported_not_only_the_first():
    """Does one run list all the failing cases?"""
    with pytest.raises(AssertionError) as failure:
        graders.L1_test(lambda yhat, y: 0.0)
    message = str(failure.value)
    assert "3 of 4 cases failed" in message
    assert message.count("✗ Case") == 3


def test_passing_the_result_instead_of_the_function_is_explained():
    """Does a student who calls the function inside the check get a clear message?"""
    with pytest.raises(AssertionError, match="pass the function itself"):
        graders.sigmoid_test(0.5)


def test_nan_results_are_named():
    """Is a nan or inf result named as such rather than as a plain difference?"""
    case = Case("x", (np.array([1.0]),), [0.5])
    with pytest.raises(AssertionError, match="nan or inf"):
        run_cases("demo_test", lambda x: x / 0, [case])


def test_messages_have_no_terminal_colour_codes():
    """Are messages plain text, readable in a notebook, a feedback page and a terminal?"""
    with pytest.raises(AssertionError) as failure:
        graders.softmax_test(lambda x: x)
    assert "\x1b[" not in str(failure.value)


def test_the_installed_package_contains_no_graded_function():
    """Does the package students install define none of the functions they must write?"""
    defined = set()
    for path in (ROOT / "graders").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defined |= {
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        }
    assert not defined & set(FUNCTIONS)


def test_importing_the_checks_loads_no_plotting_library():
    """Is `import graders` free of matplotlib, ipywidgets and IPython, so grading stays fast?"""
    code = ("import sys, graders; "
            "print(sorted({'matplotlib', 'ipywidgets', 'IPython'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# Functions that return several things (the next assignment's propagate, optimize).

W, B = np.array([[1.0], [2.0]]), 2.0
X, Y = np.array([[1.0, 2.0, -1.0], [3.0, 4.0, -3.2]]), np.array([[1.0, 0.0, 1.0]])
PROPAGATE_CASE = Case(
    "the example of the notes · 笔记中的例子", (W, B, X, Y),
    ({"dw": np.array([[0.9984560146379561], [2.395072388486207]]), "db": 0.001455578136784208},
     5.801545319394553))


def propagate(w, b, X, Y):
    A = 1 / (1 + np.exp(-(w.T @ X + b)))
    m = X.shape[1]
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    return {"dw": X @ (A - Y).T / m, "db": np.sum(A - Y) / m}, cost


def test_a_tuple_with_a_dict_inside_passes_when_right(capsys):
    """Does a right (grads, cost) pass, NumPy scalars as good as floats?"""
    run_cases("propagate_test", propagate, [PROPAGATE_CASE])
    assert capsys.readouterr().out.startswith("✓ propagate_test: all 1 cases passed")


def test_each_wrong_part_is_named_by_its_place_in_the_result():
    """Are a wrong shape in the dict and a list for the cost each named by their path?"""
    def flat_dw(w, b, X, Y):
        grads, cost = propagate(w, b, X, Y)
        return {"dw": grads["dw"].ravel(), "db": grads["db"], "dW": 0}, [cost]

    with pytest.raises(AssertionError) as failure:
        run_cases("propagate_test", flat_dw, [PROPAGATE_CASE])
    message = str(failure.value)
    assert "    expected / 期望:  tuple of 2: ({'dw': ndarray shape (2, 1) dtype float64, " \
           "'db': float 0.0014555781}, float 5.8015453)" in message
    assert "    got / 得到:       tuple of 2: ({'dw': ndarray shape (2,) dtype float64, " in message
    assert "problem / 问题:   result[0]: 1 unexpected key · 多了 1 个键" in message
    assert 'problem / 问题:   result[0]["dw"]: shape should be (2, 1), got (2,) · ' in message
    assert "problem / 问题:   result[1]: expected a single number, got list · " in message


def test_a_dict_argument_changed_in_place_is_reported():
    """Is an update that writes into the caller's dict of parameters told so?"""
    def update(parameters, rate):
        parameters["w"] -= rate
        return parameters

    case = Case("one step · 一步", ({"w": np.ones((2, 1)), "b": 0.0}, 0.5),
                {"w": np.full((2, 1), 0.5), "b": 0.0})
    with pytest.raises(AssertionError) as failure:
        run_cases("update_test", update, [case])
    message = str(failure.value)
    assert "input argument 1 was modified in place" in message
    assert "values differ" not in message


def test_inside_a_tuple_values_are_taken_as_written():
    """Is a top-level list an array of the case's dtype, but a list inside a tuple a list?"""
    assert Case("c", (), [1, 2]).want.dtype == np.float64
    assert Case("c", (), 1).want == 1.0 and type(Case("c", (), 1).want) is float
    params, costs = Case("c", (), ({"w": np.zeros(2)}, [0.69, 0.5])).want
    assert costs == [0.69, 0.5] and isinstance(params["w"], np.ndarray)
    assert Case("c", (), True).want is True and Case("c", (), None).want is None
