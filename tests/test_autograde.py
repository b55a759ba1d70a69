"""Does a real nbgrader round trip give every simulated student the right grade?

One course copy is released, several students submit, and ``nbgrader autograde``,
``generate_feedback`` and ``export`` run for real; the scores are read back from
the gradebook and from the exported CSV.
"""

from __future__ import annotations

import csv
import hashlib
import html
import re

import pytest
from nbgrader.api import Gradebook
from nbgrader.preprocessors import ClearHiddenTests

from graders.course_setup import (
    assignment_ids,
    authoring,
    complete_answers,
    make_submission,
    notebook_name,
    read,
    released_course,
    run_tool,
    source_notebook,
    submit,
)

POINTS_PER_FUNCTION = 2  # one public-check cell and one hidden-test cell, a point each


def students(assignment_id: str) -> dict[str, tuple[dict[str, str], dict[str, float]]]:
    """Each student's answers and the score expected for each function.

    Drawn from the assignment's answer bank: a wrong answer that its public check sees
    fails that check and the hidden tests; one only the hidden tests see (answers that
    copy the public checks' expected values, say) keeps the public check's point.
    """
    bank = authoring(assignment_id, "answer_bank")
    functions, wrong_answers = bank.FUNCTIONS, bank.WRONG
    complete = complete_answers(assignment_id)
    # Functions no other answer calls: a mistake there costs that exercise alone.
    leaves = [function for function in functions
              if not any(f"{function}(" in source for other, source in complete.items()
                         if other != function)]
    full = {function: POINTS_PER_FUNCTION for function in functions}
    seen = {a.function: a.source for a in reversed(wrong_answers) if a.problem}
    unanswered = leaves[-1]
    twice_wrong = [function for function in leaves[:-1] if function in seen][-2:]
    partly = {**complete, **{function: seen[function] for function in twice_wrong}}
    del partly[unanswered]  # left unanswered: the stub raises NotImplementedError
    memorised = {a.function: a.source for a in wrong_answers
                 if a.problem is None and a.function in leaves}
    return {
        "ada": (complete, full),
        "blank": ({}, dict.fromkeys(functions, 0)),
        "partly": (partly, {**full, **dict.fromkeys([*twice_wrong, unanswered], 0)}),
        # Public checks pass (a point each); every hidden test fails.
        "copycat": ({**complete, **memorised},
                    {**full, **dict.fromkeys(memorised, POINTS_PER_FUNCTION - 1)}),
    }


@pytest.fixture(scope="module", params=assignment_ids())
def graded_course(request, tmp_path_factory, sandbox_ready):
    assignment_id = request.param
    course, release = released_course(tmp_path_factory.mktemp("course"), assignment_id)
    notebook = notebook_name(assignment_id)
    digests = {}
    for student, (answers, _) in students(assignment_id).items():
        folder = submit(course, student, assignment_id, make_submission(release, answers))
        (folder / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC")
        digests[student] = hashlib.sha256((folder / notebook).read_bytes()).hexdigest()
    autograde = run_tool("nbgrader", "autograde", assignment_id, cwd=course)
    run_tool("nbgrader", "generate_feedback", assignment_id, cwd=course)
    run_tool("nbgrader", "export", cwd=course)
    return assignment_id, course, digests, autograde.stdout + autograde.stderr


def test_each_student_gets_the_expected_score_per_exercise(graded_course):
    """Does the gradebook hold the expected score for every exercise of every student?"""
    assignment_id, course, _, _ = graded_course
    notebook = notebook_name(assignment_id).removesuffix(".ipynb")
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for student, (_, expected) in students(assignment_id).items():
            for function, points in expected.items():
                score = sum(
                    gradebook.find_grade(cell, notebook, assignment_id, student).score
                    for cell in (f"test_{function}", f"test_{function}_hidden")
                )
                assert score == points, f"{student}: {function}"
            total = gradebook.find_submission(assignment_id, student).score
            assert total == sum(expected.values()), student


def test_exported_grades_match_the_gradebook(graded_course):
    """Does `nbgrader export` write each student's total?"""
    assignment_id, course, _, _ = graded_course
    with (course / "grades.csv").open(newline="") as handle:
        rows = {row["student_id"]: float(row["score"]) for row in csv.DictReader(handle)
                if row["assignment"] == assignment_id}
    assert rows == {student: float(sum(expected.values()))
                    for student, (_, expected) in students(assignment_id).items()}


def test_submitted_files_are_never_modified(graded_course):
    """Are the students' submitted notebooks byte for byte as they handed them in?"""
    assignment_id, course, digests, _ = graded_course
    for student, digest in digests.items():
        path = course / "submitted" / student / assignment_id / notebook_name(assignment_id)
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


def hidden_lines(assignment_id: str) -> list[str]:
    """The code lines of the source notebook's hidden tests that say something, and that no
    visible cell also has (an import the student's own cells make is no secret)."""
    delimiters = ClearHiddenTests()
    begin, end = delimiters.begin_test_delimeter, delimiters.end_test_delimeter
    hidden, visible = [], set()
    for cell in read(source_notebook(assignment_id)).cells:
        before, found, rest = cell.source.partition(begin)
        secret, _, after = rest.partition(end) if found else ("", "", "")
        hidden += [line.strip() for line in secret.splitlines() if len(line.strip()) > 12]
        visible |= {line.strip() for line in (before + after).splitlines()}
    return [line for line in hidden if line not in visible]


def test_feedback_is_written_and_hides_the_hidden_tests(graded_course):
    """Does every student get an HTML feedback page that shows no line of a hidden test?"""
    assignment_id, course, _, _ = graded_course
    secret = hidden_lines(assignment_id)
    assert secret
    page_name = notebook_name(assignment_id).replace(".ipynb", ".html")
    for student in students(assignment_id):
        page = html.unescape((course / "feedback" / student / assignment_id / page_name)
                             .read_text(encoding="utf-8"))
        assert "Hidden tests" in page
        text = re.sub(r"<[^>]+>", "", page)  # code is highlighted token by token
        assert not [line for line in secret if line in text]


def test_autograde_raises_no_false_alarm(graded_course):
    """Does plain `nbgrader autograde` keep quiet about the hidden tests' checksums?"""
    *_, log = graded_course
    assert "AutogradeApp" in log  # nbgrader's own log was captured
    assert "has changed!" not in log
