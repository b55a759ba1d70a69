"""Do the notebook's hidden tests accept every correct answer and catch every wrong one?

A hidden test cell only records what the student's function returns; the grading
pipeline judges the record outside the kernel. Here the cells are taken from the
solution notebook, run in-process against answers from the bank, and their records
judged by the same code (``graders.verdicts``), which is much faster than a kernel
per answer; tests/test_autograde.py runs them through a real ``nbgrader autograde``.
"""

from __future__ import annotations

import pytest

import reference
from course import judge_hidden, run_test_cell
from wrong_answers import ALTERNATIVE_CORRECT, FUNCTIONS, WRONG, Answer


def run_hidden(function: str, implementation) -> None:
    verdict = judge_hidden(function, implementation)
    if not verdict.passed:
        raise AssertionError(verdict.message)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_reference_answer_passes_the_hidden_tests(function):
    """Does the reference answer pass its hidden test cell?"""
    run_hidden(function, getattr(reference, function))


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
        run_test_cell(f"test_{answer.function}", {answer.function: answer.load()})
        with pytest.raises(AssertionError):
            run_hidden(answer.function, answer.load())
