"""Does a real nbgrader round trip give every simulated student the right grade?

One course copy is released, several students submit, and ``nbgrader autograde``,
``generate_feedback`` and ``export`` run for real; the scores are read back from
the gradebook and from the exported CSV.
"""

from __future__ import annotations

import csv
import hashlib

import pytest
from nbgrader.api import Gradebook

from course import ASSIGNMENT, NOTEBOOK
from graders.course_setup import (
    authoring,
    complete_answers,
    make_submission,
    released_course,
    run_tool,
    submit,
)

bank = authoring(ASSIGNMENT, "answer_bank")
FUNCTIONS, WRONG = bank.FUNCTIONS, bank.WRONG

POINTS_PER_FUNCTION = 2  # one public-check cell and one hidden-test cell, a point each


def wrong(function: str, label: str) -> str:
    return next(a.source for a in WRONG if a.function == function and a.label == label)


def students() -> dict[str, tuple[dict[str, str], dict[str, float]]]:
    """Each student's answers and the score expected for each function."""
    full = {function: POINTS_PER_FUNCTION for function in FUNCTIONS}
    partly = {
        **complete_answers(ASSIGNMENT),
        "normalize_rows": wrong("normalize_rows", "norms of the columns (axis=0)"),
        "L2": wrong("L2", "takes the square root"),
    }
    del partly["sigmoid_derivative"]  # left unanswered: the stub raises NotImplementedError
    memorised = {a.function: a.source for a in WRONG if a.problem is None}
    return {
        "ada": (complete_answers(ASSIGNMENT), full),
        "blank": ({}, dict.fromkeys(FUNCTIONS, 0)),
        "partly": (partly, {**full, "normalize_rows": 0, "L2": 0, "sigmoid_derivative": 0}),
        # Public checks pass (a point each); every hidden test fails.
        "copycat": (memorised, dict.fromkeys(FUNCTIONS, 1)),
    }


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory, sandbox_ready):
    course, release = released_course(tmp_path_factory.mktemp("course"), ASSIGNMENT)
    digests = {}
    for student, (answers, _) in students().items():
        folder = submit(course, student, ASSIGNMENT, make_submission(release, answers))
        (folder / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC")
        digests[student] = hashlib.sha256((folder / NOTEBOOK).read_bytes()).hexdigest()
    autograde = run_tool("nbgrader", "autograde", ASSIGNMENT, cwd=course)
    run_tool("nbgrader", "generate_feedback", ASSIGNMENT, cwd=course)
    run_tool("nbgrader", "export", cwd=course)
    return course, digests, autograde.stdout + autograde.stderr


@pytest.mark.parametrize("student", list(students()))
def test_each_student_gets_the_expected_score_per_exercise(graded_course, student):
    """Does the gradebook hold the expected score for every exercise of every student?"""
    course, _, _ = graded_course
    _, expected = students()[student]
    notebook = NOTEBOOK.removesuffix(".ipynb")
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for function in FUNCTIONS:
            score = sum(
                gradebook.find_grade(cell, notebook, ASSIGNMENT, student).score
                for cell in (f"test_{function}", f"test_{function}_hidden")
            )
            assert score == expected[function], f"{student}: {function}"
        total = gradebook.find_submission(ASSIGNMENT, student).score
    assert total == sum(expected.values())


def test_exported_grades_match_the_gradebook(graded_course):
    """Does `nbgrader export` write each student's total?"""
    course, _, _ = graded_course
    with (course / "grades.csv").open(newline="") as handle:
        rows = {row["student_id"]: float(row["score"]) for row in csv.DictReader(handle)}
    assert rows == {
        student: float(sum(expected.values())) for student, (_, expected) in students().items()
    }


def test_submitted_files_are_never_modified(graded_course):
    """Are the students' submitted notebooks byte for byte as they handed them in?"""
    course, digests, _ = graded_course
    for student, digest in digests.items():
        path = course / "submitted" / student / ASSIGNMENT / NOTEBOOK
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


def test_feedback_is_written_and_hides_the_hidden_tests(graded_course):
    """Does every student get an HTML feedback page that does not show hidden test code?"""
    course, _, _ = graded_course
    for student in students():
        page = course / "feedback" / student / ASSIGNMENT / NOTEBOOK.replace(".ipynb", ".html")
        html = page.read_text(encoding="utf-8")
        assert "Hidden tests" in html
        assert "BEGIN HIDDEN TESTS" not in html
        assert "default_rng(5)" not in html


def test_autograde_raises_no_false_alarm(graded_course):
    """Does plain `nbgrader autograde` keep quiet about the hidden tests' checksums?"""
    _, _, log = graded_course
    assert "AutogradeApp" in log  # nbgrader's own log was captured
    assert "has changed!" not in log
