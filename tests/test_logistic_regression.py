"""Does assignment 2 (logistic regression) grade right answers right and wrong ones wrong?

Its answer bank (solutions/02_logistic_regression/authoring/answer_bank.py) goes
through the public checks, in-process, and through the hidden test cells of the
solution notebook, their records judged as the grading pipeline judges them
(``graders.course_setup``), as tests/test_public_checks.py, tests/test_hidden_tests.py
and tests/test_diagnoses.py do for assignment 1. Then the catalogue of
misconceptions, and the notebook's shape.
"""

from __future__ import annotations

import ast
import re
import textwrap

import numpy as np
import pytest

import graders.logistic_regression as checks
from graders.course_setup import (
    authoring,
    cell_by_id,
    course_root,
    judge_hidden,
    named_misconception,
    public_message,
    read,
    reference,
    reference_functions,
    run_test_cell,
    source_notebook,
)
from graders.datasets import DIGITS
from graders.diagnoses import UNKNOWN, Call

ASSIGNMENT = "02_logistic_regression"
SOLUTION = source_notebook(ASSIGNMENT)
REFERENCE = reference_functions(ASSIGNMENT)
bank = authoring(ASSIGNMENT, "answer_bank")
ALTERNATIVE_CORRECT, FUNCTIONS, WRONG, Answer = (
    bank.ALTERNATIVE_CORRECT, bank.FUNCTIONS, bank.WRONG, bank.Answer)
FAILING = [a for a in WRONG if a.problem]
CATALOGUE = checks.MISCONCEPTIONS
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def public_report(answer: Answer) -> str | None:
    return public_message(ASSIGNMENT, answer.function, answer.load())


def hidden_verdict(answer: Answer):
    return judge_hidden(ASSIGNMENT, answer.function, answer.load(), textwrap.dedent(answer.source))


def named_anywhere(function: str, message: str) -> list[str]:
    return [m.key for m in CATALOGUE[function] if m.fix in message]


# 1. The reference and the other right answers.

@pytest.mark.parametrize("function", FUNCTIONS)
def test_the_reference_passes_its_public_check_with_one_line(function, capsys):
    """Does the solution notebook's answer pass its public check, printing one short line?"""
    getattr(checks, f"{function}_test")(REFERENCE[function])
    out = capsys.readouterr().out
    assert out.startswith(f"✓ {function}_test: all ") and out.count("\n") == 1


@pytest.mark.parametrize("function", FUNCTIONS)
def test_the_reference_passes_its_hidden_tests(function):
    """Does the solution notebook's answer pass its hidden test cell?"""
    verdict = judge_hidden(ASSIGNMENT, function, REFERENCE[function])
    assert verdict.passed, verdict.message


@pytest.mark.parametrize("answer", ALTERNATIVE_CORRECT, ids=lambda a: a.id)
def test_every_correct_form_passes_both_checks(answer: Answer):
    """Is every other correct way of writing the function accepted, publicly and hidden?"""
    assert public_report(answer) is None
    verdict = hidden_verdict(answer)
    assert verdict.passed, verdict.message


def _with_cost(kind, cost):
    return {"float": float, "np.float64": np.float64, "0-d array": np.array,
            "np.squeeze of (1, 1)": lambda c: np.squeeze(np.full((1, 1), c))}[kind](float(cost))


COST_KINDS = ["float", "np.float64", "0-d array", "np.squeeze of (1, 1)"]


@pytest.mark.parametrize("kind", COST_KINDS)
def test_a_cost_may_be_any_kind_of_number(kind):
    """Is a cost accepted as a float, an np.float64 or a 0-d array, by propagate's and
    optimize's checks alike, and one of shape (1, 1) refused?"""
    right_propagate, right_optimize = REFERENCE["propagate"], REFERENCE["optimize"]

    def propagate(w, b, X, Y):
        grads, cost = right_propagate(w, b, X, Y)
        return grads, _with_cost(kind, cost)

    def optimize(*args, **kwargs):
        params, grads, costs = right_optimize(*args, **kwargs)
        return params, grads, [_with_cost(kind, cost) for cost in costs]

    for function, answer in (("propagate", propagate), ("optimize", optimize)):
        assert public_message(ASSIGNMENT, function, answer) is None
        assert judge_hidden(ASSIGNMENT, function, answer).passed

    def unsqueezed(w, b, X, Y):
        grads, cost = right_propagate(w, b, X, Y)
        return grads, np.full((1, 1), float(cost))

    assert "expected a single number" in public_message(ASSIGNMENT, "propagate", unsqueezed)
    assert not judge_hidden(ASSIGNMENT, "propagate", unsqueezed).passed


# 2. The wrong answers.

@pytest.mark.parametrize("answer", FAILING, ids=lambda a: a.id)
def test_the_public_check_fails_a_mistake_naming_it_or_nothing(answer: Answer):
    """Does each typical mistake fail its public check, the report beginning with its
    misconception (or naming none when the catalogue does not know it)?"""
    message = public_report(answer)
    assert message is not None and answer.problem in message
    assert "expected / 期望" in message and "✗ Case" in message
    first = message.splitlines()[0]
    assert first.startswith(f"{answer.function}_test: ") and CJK.search(first)
    assert named_misconception(ASSIGNMENT, answer.function, message) == answer.misconception
    if answer.misconception is None:
        assert named_anywhere(answer.function, message) == []


@pytest.mark.parametrize("answer", WRONG, ids=lambda a: a.id)
def test_the_hidden_tests_fail_every_mistake(answer: Answer):
    """Does every wrong answer fail its hidden test, named as the public check names it
    whenever a record exists?"""
    verdict = hidden_verdict(answer)
    assert not verdict.passed
    named = named_misconception(ASSIGNMENT, answer.function, verdict.message)
    if verdict.kind != "not_recorded" or answer.misconception == "not_written":
        assert named == answer.misconception, verdict.message
    else:  # the hidden cell stopped before recording: nothing to diagnose from
        assert named is None


def test_copying_the_public_expected_values_passes_public_checks_only():
    """Is an answer memorised from the public cases caught by the hidden tests alone?"""
    memorised = [a for a in WRONG if a.problem is None]
    assert {a.function for a in memorised} == set(FUNCTIONS)
    for answer in memorised:
        run_test_cell(ASSIGNMENT, f"test_{answer.function}", {answer.function: answer.load()})
        assert not hidden_verdict(answer).passed


def test_the_bank_holds_enough_answers():
    """Does the bank hold 5 correct forms and 8 mistakes for propagate and optimize, and a
    few of each for the other functions?"""
    for function in FUNCTIONS:
        right = sum(a.function == function for a in ALTERNATIVE_CORRECT)
        wrong = sum(a.function == function for a in WRONG)
        least = (5, 8) if function in ("propagate", "optimize") else (2, 5)
        assert right >= least[0] and wrong >= least[1], (function, right, wrong)


# 3. The catalogue of misconceptions (tests/test_catalogues.py checks it against the bank).

def test_a_wrong_answer_that_looks_like_a_known_one_on_one_case_is_not_named():
    """Is predict always answering 1 left undiagnosed, though it fails the w = 0 case as
    `>= 0.5` does (elsewhere the threshold makes no difference, and it does)?"""
    message = public_message(ASSIGNMENT, "predict", lambda w, b, X: np.ones((1, X.shape[1])))
    assert message is not None and named_anywhere("predict", message) == []


def test_one_step_uphill_is_told_from_the_answer_alone():
    """Is `w += learning_rate * dw` diagnosed on the one-step case from 2·w₀ − w₁, without
    running any gradient descent, and left unknown after more steps?"""
    one_step, many = checks.OPTIMIZE_CASES[1], checks.OPTIMIZE_CASES[0]
    ascends = next(m for m in CATALOGUE["optimize"] if m.key == "ascends")
    uphill, _ = ascends.predict(Call(one_step.args, one_step.want))
    w0, w1 = one_step.args[0], one_step.want[0]["w"]
    assert np.allclose(uphill.value[0]["w"], 2 * w0 - w1)
    assert ascends.predict(Call(many.args, many.want)) is UNKNOWN


def _markdown_by_section() -> dict[int, str]:
    """Each section's markdown (bold marks removed), by the number of its ``## N.`` heading."""
    sections: dict[int, str] = {0: ""}
    current = 0
    for cell in read(SOLUTION).cells:
        if cell.cell_type != "markdown":
            continue
        heading = re.search(r"^## (\d+)\.", cell.source, re.MULTILINE)
        if heading:
            current = int(heading[1])
        sections[current] = sections.get(current, "") + "\n" + cell.source.replace("**", "")
    return sections


def test_every_lesson_line_is_quoted_from_its_section():
    """Is each line of the lesson a diagnosis quotes really in that section of the notebook?"""
    sections = _markdown_by_section()
    for function, catalogue in CATALOGUE.items():
        for misconception in catalogue:
            lesson = misconception.lesson
            if lesson is None:
                continue
            for quote in [lesson.anchor] if lesson.anchor else [lesson.en, lesson.zh]:
                assert quote in sections[lesson.section], (function, misconception.key, quote)


# 4. The checks module and the notebook.

def test_the_installed_checks_define_no_graded_function():
    """Does the module students install define none of the functions they must write?"""
    tree = ast.parse((course_root() / "graders" / "logistic_regression.py").read_text("utf-8"))
    defined = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
    assert not defined & set(FUNCTIONS)


def test_the_grading_sandbox_is_shown_the_digits():
    """Does the assignment declare the data file its notebook reads, and does it exist?"""
    assert DIGITS in checks.ASSIGNMENT.data_files and DIGITS.is_file()


def test_the_model_is_tested_on_the_real_digits_and_on_a_synthetic_set():
    """Do the hidden inputs of model hold the whole digits training set and a set of blobs?"""
    inputs = reference(ASSIGNMENT).source_hidden_tests["model"].inputs
    shapes = [args[0].shape for args in inputs]
    assert shapes[0] == (64, 264) and shapes[1][0] == 4


def test_the_hidden_inputs_take_a_float_b_and_integer_labels():
    """Are propagate's hidden inputs of several shapes, with Python float b and integer Y?"""
    inputs = reference(ASSIGNMENT).source_hidden_tests["propagate"].inputs
    assert len({args[2].shape for args in inputs}) == len(inputs)
    assert any(type(args[1]) is float for args in inputs)
    assert any(args[3].dtype.kind in "iu" for args in inputs)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_each_exercise_has_a_hint_a_public_check_and_hidden_tests(function):
    """Does each exercise give a size hint, a public check and a hidden test cell, graded?"""
    nb = read(SOLUTION)
    answer = cell_by_id(nb, function)
    assert re.search(r"\(≈ \d+ lines? of code · 约 \d+ 行代码\)", answer.source)
    assert answer.metadata["nbgrader"] == {"grade": False, "grade_id": function, "locked": False,
                                           "schema_version": 3, "solution": True, "task": False}
    public = cell_by_id(nb, f"test_{function}")
    assert public.source.splitlines()[1] == f"{function}_test({function})"
    hidden = cell_by_id(nb, f"test_{function}_hidden")
    assert "### BEGIN HIDDEN TESTS" in hidden.source and "### END HIDDEN TESTS" in hidden.source
    for cell in (public, hidden):
        assert cell.source.startswith('"""') and cell.metadata["nbgrader"]["points"] == 1
        assert cell.metadata["nbgrader"]["locked"] and cell.metadata["nbgrader"]["grade"]


def test_the_notebook_is_bilingual_and_stripped():
    """Does every text cell explain in Chinese and English, and no code cell keep outputs?"""
    for cell in read(SOLUTION).cells:
        if cell.cell_type == "markdown":
            assert CJK.search(cell.source) and LATIN_WORD.search(cell.source), cell.id
        else:
            assert cell.outputs == [] and cell.execution_count is None, cell.id


def test_the_explorers_are_wired_to_the_students_functions():
    """Do the two explorer cells call the explorers with the student's own functions?"""
    nb = read(SOLUTION)
    assert cell_by_id_of(nb, "explore_learning_rate") == (
        "from graders.explorers import explore_learning_rate\n\n"
        "explore_learning_rate(optimize, train_set_x, train_y)")
    assert cell_by_id_of(nb, "explore_weights") == (
        "from graders.explorers import explore_weights\n\n"
        'explore_weights(predict, logistic_regression_model["w"], '
        'logistic_regression_model["b"], test_set_x, test_y, classes)')
    for name in ("explore_learning_rate", "explore_weights"):
        before = nb.cells[[cell.id for cell in nb.cells].index(name) - 1]
        assert before.cell_type == "markdown" and "试一试 · Try it" in before.source


def cell_by_id_of(nb, cell_id: str) -> str:
    """The source of the cell with this notebook id (cells without nbgrader metadata)."""
    return next(cell.source for cell in nb.cells if cell.id == cell_id)
