"""Do the notebook's hidden tests accept every correct answer and catch every wrong one?

A hidden test cell only records what the student's function returns; the grading
pipeline judges the record outside the kernel. Here the cells are taken from the
solution notebook, run in-process against answers from the bank, and their records
judged by the same code (``graders.verdicts``), which is much faster than a kernel
per answer; tests/test_autograde.py runs them through a real ``nbgrader autograde``.
"""

from __future__ import annotations

import numpy as np
import pytest

from course import ASSIGNMENT, SOLUTION
from graders.course_setup import (
    authoring,
    cell_by_id,
    judge_hidden,
    read,
    reference_functions,
    run_test_cell,
)

REFERENCE = reference_functions(ASSIGNMENT)
bank = authoring(ASSIGNMENT, "answer_bank")
ALTERNATIVE_CORRECT, FUNCTIONS, WRONG, Answer = (
    bank.ALTERNATIVE_CORRECT, bank.FUNCTIONS, bank.WRONG, bank.Answer)


def run_hidden(function: str, implementation) -> None:
    verdict = judge_hidden(ASSIGNMENT, function, implementation)
    if not verdict.passed:
        raise AssertionError(verdict.message)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_reference_answer_passes_the_hidden_tests(function):
    """Does the reference answer pass its hidden test cell?"""
    run_hidden(function, REFERENCE[function])


@pytest.mark.parametrize("answer", ALTERNATIVE_CORRECT, ids=lambda a: a.id)
def test_other_correct_answers_pass_the_hidden_tests(answer: Answer):
    """Is every correct way of writing the function accepted by the hidden tests?"""
    run_hidden(answer.function, answer.load())


@pytest.mark.parametrize("answer", WRONG, ids=lambda a: a.id)
def test_wrong_answers_fail_the_hidden_tests(answer: Answer):
    """Does every wrong answer, including the ones public checks let through, fail?"""
    with pytest.raises(AssertionError):
        run_hidden(answer.function, answer.load())


def test_copying_the_public_expected_values_passes_public_checks_only():
    """Is a memorised answer caught by the hidden tests even though public checks pass it?"""
    memorised = [a for a in WRONG if a.problem is None]
    assert {a.function for a in memorised} == set(FUNCTIONS)
    for answer in memorised:
        run_test_cell(ASSIGNMENT, f"test_{answer.function}", {answer.function: answer.load()})
        with pytest.raises(AssertionError):
            run_hidden(answer.function, answer.load())


class LyingShape(np.ndarray):
    """An array whose ``.shape`` claims whatever the exercise asks for."""

    claimed: tuple = ()

    @property
    def shape(self):
        return self.claimed


def lying(values, claimed):
    array = np.asarray(values).view(LyingShape)
    array.claimed = claimed
    return array


LIARS = {
    # The right numbers, flat, claiming to be a column vector.
    "image2vector": (lambda image: lying(np.ravel(image), (image.size, 1)),
                     np.arange(12.0).reshape(2, 2, 3)),
    # The right numbers, flat, claiming the input's shape.
    "sigmoid": (lambda x: lying(np.ravel(1 / (1 + np.exp(-x))), np.shape(x)),
                np.arange(6.0).reshape(2, 3)),
    "normalize_rows": (lambda x: lying(np.ravel(x / np.linalg.norm(x, axis=1, keepdims=True)),
                                       np.shape(x)),
                       np.arange(1.0, 7.0).reshape(2, 3)),
}


@pytest.mark.parametrize("function", LIARS)
def test_an_ndarray_subclass_whose_shape_lies_fails(function):
    """Does a result whose .shape lies fail, judged by the shape NumPy gives its data?"""
    liar, example = LIARS[function]
    right = REFERENCE[function](example)
    # Believed, the lie would pass: the right numbers and the claimed shape.
    assert liar(example).shape == right.shape
    assert np.array_equal(np.asarray(liar(example)), np.ravel(right))
    with pytest.raises(AssertionError, match="shape should be"):
        run_hidden(function, liar)


def hidden_source(function: str) -> str:
    """What a function can read in the kernel: ``get_ipython().user_ns['In'][-1]``."""
    return cell_by_id(read(SOLUTION), f"test_{function}_hidden").source


def smuggler(how: str):
    """A sigmoid that passes the cell's first call, then hides the cell's source in its result."""
    source = hidden_source("sigmoid")

    def sigmoid(x):
        if np.shape(x) == (2, 2):  # the call before the hidden part
            return 1 / (1 + np.exp(-x))
        if how == "exception":
            raise ValueError(source)
        if how == "exception class":
            raise type(source[:1000], (Exception,), {})()
        return type(source, (), {})()

    return sigmoid


@pytest.mark.parametrize("how", ["exception", "exception class", "type name"])
def test_nothing_of_the_hidden_source_reaches_the_verdict(how):
    """Can a function put the hidden cell's source into the message students get back?"""
    verdict = judge_hidden(ASSIGNMENT, "sigmoid", smuggler(how))
    assert not verdict.passed
    assert {"exception": "raised ValueError", "exception class": "of its own class",
            "type name": "an object of another type"}[how] in verdict.message
    for line in hidden_source("sigmoid").splitlines()[2:]:
        if line.strip():
            assert line.strip() not in verdict.message
    assert "default_rng" not in verdict.message and "record(" not in verdict.message
