"""Does a failing check name the student's mistake, and only when it is sure?

Each wrong answer of the bank (solutions/01_numpy_basics/authoring/answer_bank.py)
carries the misconception its message must name, or None for a mistake the catalogue
does not know, which must get no guessed hint. The public check (in the kernel) and
the out-of-kernel verdict of the hidden test (from the record, against the reference)
are both asked.
"""

from __future__ import annotations

import re
import textwrap

import numpy as np
import pytest

import graders
from course import ASSIGNMENT, RELEASE, SOLUTION
from graders.course_setup import authoring, read, reference, reference_functions
from graders.numpy_basics import MISCONCEPTIONS
from graders.undefined import why_undefined
from graders.verdicts import answer_sources
from messages import hidden_verdict, named_anywhere, named_first, public_report

REFERENCE = reference_functions(ASSIGNMENT)
bank = authoring(ASSIGNMENT, "answer_bank")
FUNCTIONS, WRONG, Answer = bank.FUNCTIONS, bank.WRONG, bank.Answer

FAILING = [a for a in WRONG if a.problem]
UNKNOWN_MISTAKES = [a for a in FAILING if not a.misconception]
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("answer", FAILING, ids=lambda a: a.id)
def test_the_public_check_names_the_mistake_or_nothing(answer: Answer):
    """Does the public check begin with the answer's misconception, or name none if unknown?"""
    message = public_report(answer)
    assert message is not None
    assert named_first(answer.function, message) == answer.misconception
    if answer.misconception is None:
        assert named_anywhere(answer.function, message) == []
        assert "lesson" not in message and "课文" not in message


@pytest.mark.parametrize("answer", [a for a in WRONG if a.misconception or not a.problem],
                         ids=lambda a: a.id)
def test_the_hidden_verdict_names_the_mistake_whenever_it_has_a_record(answer: Answer):
    """Does the out-of-kernel verdict name the same misconception, when a record exists?"""
    verdict = hidden_verdict(answer)
    recorded = verdict.kind != "not_recorded"
    assert not verdict.passed
    named = named_first(answer.function, verdict.message)
    if recorded or answer.misconception == "not_written":
        assert named == answer.misconception
    else:  # the hidden cell stopped before recording: nothing to diagnose from
        assert named is None


@pytest.mark.parametrize("answer", UNKNOWN_MISTAKES, ids=lambda a: a.id)
def test_an_unknown_mistake_gets_no_guessed_hint_from_the_verdict(answer: Answer):
    """Is a mistake the catalogue does not know reported plainly by the hidden verdict too?"""
    verdict = hidden_verdict(answer)
    assert not verdict.passed
    assert named_anywhere(answer.function, verdict.message) == []


def _markdown_by_section(path) -> dict[int, str]:
    """Each section's markdown (bold marks removed), by the number of its ``## N.`` heading."""
    sections: dict[int, str] = {0: ""}
    current = 0
    for cell in read(path).cells:
        if cell.cell_type != "markdown":
            continue
        heading = re.search(r"^## (\d+)\.", cell.source, re.MULTILINE)
        if heading:
            current = int(heading[1])
        sections[current] = sections.get(current, "") + "\n" + cell.source.replace("**", "")
    return sections


LESSONS = sorted({(f, m.key, m.lesson) for f, ms in MISCONCEPTIONS.items() for m in ms
                  if m.lesson is not None}, key=lambda item: item[:2])


@pytest.mark.parametrize("notebook", [SOLUTION, RELEASE], ids=["solution", "student"])
def test_every_lesson_line_is_quoted_from_its_section(notebook):
    """Is each line of the lesson a diagnosis quotes really in that section of the notebook?"""
    sections = _markdown_by_section(notebook)
    for function, key, lesson in LESSONS:
        text = sections[lesson.section]
        for quote in ([lesson.anchor] if lesson.anchor else [lesson.en, lesson.zh]):
            assert quote in text, f"{function}: {key}: {quote!r} not in §{lesson.section}"


@pytest.mark.parametrize("answer", FAILING, ids=lambda a: a.id)
def test_messages_begin_with_what_to_fix_in_both_languages(answer: Answer):
    """Does each report start with one bilingual line saying what to fix, then the cases?"""
    message = public_report(answer)
    first = message.splitlines()[0]
    assert first.startswith(f"{answer.function}_test: ")
    assert " · " in first and CJK.search(first)
    assert "Case" in message and "用例" in message
    if answer.misconception:
        assert len(re.findall(r"hint / 提示", message)) == 0
        lesson = message.splitlines()[1]
        assert lesson.strip().startswith("lesson") or answer.misconception in {
            m.key for m in MISCONCEPTIONS[answer.function] if m.lesson is None}


def test_the_expected_line_shows_what_a_correct_answer_returns():
    """Is the right answer for a uint8 image shown as uint8, as reshaping keeps the dtype?"""
    with pytest.raises(AssertionError) as failure:
        graders.image2vector_test(lambda image: image.reshape(-1))
    assert "expected / 期望:  ndarray shape (3, 1) dtype uint8: [[255], [128], [ 0]]" in str(
        failure.value)


def test_numbers_are_shown_as_a_student_would_type_them():
    """Is a NumPy scalar shown as 0.6557, not np.float64(0.6557)?"""
    with pytest.raises(AssertionError) as failure:
        graders.L1_test(lambda yhat, y: np.float64(0.6557))
    message = str(failure.value)
    assert "got / 得到:       float64: 0.6557" in message
    assert "expected / 期望:  float: 0.0" in message
    assert "np.float64(" not in message


def test_a_function_that_calls_an_undefined_exercise_is_told_to_run_its_cell():
    """Does sigmoid_derivative calling a sigmoid never defined say to run sigmoid's cell?"""
    namespace: dict = {}
    exec("def sigmoid_derivative(x):\n    s = sigmoid(x)\n    return s * (1 - s)\n", namespace)
    with pytest.raises(AssertionError) as failure:
        graders.sigmoid_derivative_test(namespace["sigmoid_derivative"])
    first = str(failure.value).splitlines()[0]
    assert first.startswith("sigmoid_derivative_test: your function calls sigmoid, which is not "
                            "defined: run the answer cell of sigmoid above first")
    assert "请先运行上面 sigmoid 的答案单元格" in first


def test_two_mistakes_at_once_get_no_diagnosis():
    """Is an answer with two known mistakes (axis=0 and in place) left undiagnosed?"""
    answer = Answer("normalize_rows", "two mistakes", """
    def normalize_rows(x):
        x /= np.linalg.norm(x, axis=0, keepdims=True)
        return x
    """, "modified")
    message = public_report(answer)
    assert named_anywhere("normalize_rows", message) == []


# Why a function is not defined, from its answer cell's source (never run).

STUB = '''
def sigmoid(x):
    """Compute the sigmoid."""
    # YOUR CODE HERE
    raise NotImplementedError()
    return s
'''

SOURCES = {
    "a syntax error": ("def sigmoid(x):\n    s = 1 / (1 + np.exp(-x)\n    return s\n",
                       ("syntax", 2)),
    "an indentation error": ("def sigmoid(x):\ns = 1\n", ("syntax", 2)),
    "renamed": ("def Sigmoid(x):\n    return 1 / (1 + np.exp(-x))\n", ("no_def", 0)),
    "deleted": ("# YOUR CODE HERE\n", ("no_def", 0)),
    "indented inside another function": (
        "def helper():\n    def sigmoid(x):\n        return x\n", ("no_def", 0)),
    "the stub": (STUB, ("not_written", 2)),
    "written": ("def sigmoid(x):\n    return 1 / (1 + np.exp(-x))\n", None),
    "defined under an if": ("if True:\n    def sigmoid(x):\n        return x\n", None),
    "defined through globals()": ("globals()['sigmoid'] = abs\n", None),
    "an IPython magic": ("%precision 3\ndef sigmoid(x):\n    return x\n", None),
    "a stub whose raise comes after a return": (
        "def sigmoid(x):\n    return 1 / (1 + np.exp(-x))\n    raise NotImplementedError()\n",
        None),
}


@pytest.mark.parametrize("source, expected", SOURCES.values(), ids=SOURCES)
def test_why_an_answer_cell_leaves_its_function_undefined(source, expected):
    """Does reading the answer cell tell a syntax error, a missing def or a stub, and only those?"""
    why = why_undefined(textwrap.dedent(source), "sigmoid")
    assert (None if why is None else (why.kind, why.line)) == expected


def test_a_huge_or_deeply_nested_answer_cell_never_crashes_the_reading():
    """Is an answer cell too long, or nested too deep to parse, read without a crash?"""
    assert why_undefined("x = 1\n" * 100_000, "sigmoid") is None
    nested = why_undefined("x = " + "[" * 40_000 + "]" * 40_000, "sigmoid")
    assert nested is None or nested.kind == "syntax"


# The out-of-kernel verdict when nothing was recorded: from the answer cell as submitted.

def judge_missing(answer_cell: str, function: str = "sigmoid"):
    return reference(ASSIGNMENT).judge(function, None, "hidden", answer_cell)


def test_a_syntax_error_in_the_answer_cell_is_named_with_its_line_and_nothing_of_it():
    """Does the verdict say the answer cell did not run, where, in the grader's words only?"""
    verdict = judge_missing("def sigmoid(x):\n    s = 1 / (1 + np.exp(-x)  # SECRET\n"
                            "    return s\n")
    assert not verdict.passed
    assert verdict.message.startswith("sigmoid was not defined: its answer cell has a syntax "
                                      "error at line 2, so the cell did not run")
    assert "第 2 行有语法错误" in verdict.message
    assert "SECRET" not in verdict.message and "np.exp" not in verdict.message


def test_an_answer_cell_without_the_function_is_told_so():
    """Does a renamed function get 'the answer cell does not define it', without its text?"""
    verdict = judge_missing("def Sigmoid(x):\n    return 'SECRET'\n")
    assert verdict.message.startswith("sigmoid was not defined: its answer cell does not "
                                      "define it at its top level")
    assert "SECRET" not in verdict.message and "Sigmoid" not in verdict.message


def test_a_stub_left_as_it_was_is_told_to_be_written():
    """Does an untouched stub get the catalogue's 'write it' line, with the lesson's?"""
    verdict = judge_missing(textwrap.dedent(STUB))
    first, lesson = verdict.message.splitlines()[:2]
    assert first.startswith("sigmoid: write sigmoid: replace `raise NotImplementedError()`")
    assert lesson.strip().startswith("lesson, introduction · 课文开头")


def test_a_missing_record_with_a_plausible_answer_cell_keeps_the_usual_causes():
    """When the answer cell looks fine, does the verdict list the usual causes, not a guess?"""
    verdict = judge_missing("def sigmoid(x):\n    return 1 / (1 + math.exp(-x))\n")
    assert verdict.message.startswith("no result was recorded for sigmoid")
    assert "raise an error" in verdict.message and "答案单元格是否出错" in verdict.message


def test_answer_cells_are_found_by_their_nbgrader_id():
    """Does answer_sources give each function's answer cell, as the grader needs it?"""
    sources = answer_sources(read(RELEASE))
    assert set(FUNCTIONS) <= set(sources)
    assert all(why_undefined(sources[f], f).kind == "not_written" for f in FUNCTIONS)


def test_a_result_numpy_cannot_read_still_gets_the_plain_report():
    """Does an object that breaks NumPy's conversion leave the report intact, undiagnosed?"""

    class Weird:
        def __array__(self, *args, **kwargs):
            raise RuntimeError("boom")

    with pytest.raises(AssertionError) as failure:
        graders.sigmoid_test(lambda x: Weird())
    assert str(failure.value).startswith("sigmoid_test: 5 of 5 cases failed")
