"""Can any submission cheat, spy, sabotage a classmate, or get lost?

A class of attackers and broken files (tests/redteam/attacks.py) is graded beside
honest students by the real pipeline: ``python -m graders.grade``, which runs
``nbgrader autograde`` with the course's configuration for each student. Then:
no attacker scores more than its code deserves, every honest student (graded
before and after the attackers) keeps the right score, each attacker's reason is
in the report, submitted files are untouched, nothing the attackers started is
still running, and grading again changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from course import (
    ASSIGNMENT,
    NOTEBOOK,
    complete_answers,
    copy_course,
    make_submission,
    read,
    run_tool,
)
from graders.sandbox import SandboxUnavailableError, check_sandbox
from redteam.attacks import ATTACKS, wrong_answers
from wrong_answers import FUNCTIONS

FULL = 2.0 * len(FUNCTIONS)
WARNING_ANSWER = '''
import warnings

def sigmoid(x):
    warnings.warn("this answer prints a warning to stderr")
    return 1 / (1 + np.exp(-x))
'''


def honest_students() -> dict[str, tuple[dict[str, str], float]]:
    complete = complete_answers()
    partly = {**complete, "softmax": wrong_answers()["softmax"]}
    return {
        "aa_first": (complete, FULL),  # graded before every attacker
        "zz_blank": ({}, 0.0),
        "zz_partly": (partly, FULL - 2),
        "zz_warns_on_stderr": ({**complete, "sigmoid": WARNING_ANSWER}, FULL),
        "zz_last": (complete, FULL),  # graded after every attacker
    }


def digest_tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def scores(course: Path) -> dict[str, tuple[float, ...]]:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {
            submission.student.id: tuple(
                grade.score for notebook in submission.notebooks for grade in notebook.grades
            )
            for submission in gradebook.find_assignment(ASSIGNMENT).submissions
        }


def grade(course: Path, *students: str) -> subprocess.CompletedProcess:
    flags = [arg for student in students for arg in ("--student", student)]
    return subprocess.run(
        [sys.executable, "-m", "graders.grade", ASSIGNMENT, "--timeout", "5", *flags],
        cwd=course, capture_output=True, text=True, timeout=1800,
    )


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    try:
        check_sandbox()
    except SandboxUnavailableError as error:
        pytest.skip(f"the red-team suite needs the grading sandbox: {error}")
    course = copy_course(tmp_path_factory.mktemp("redteam"))
    run_tool("nbgrader", "generate_assignment", ASSIGNMENT, cwd=course)
    release = read(course / "notebooks" / ASSIGNMENT / NOTEBOOK)
    submitted = course / "submitted"
    for student, (answers, _) in honest_students().items():
        folder = submitted / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(make_submission(release, answers), folder / NOTEBOOK)
    base = make_submission(release, wrong_answers())
    for attack in ATTACKS:
        folder = submitted / attack.name / ASSIGNMENT
        folder.mkdir(parents=True)
        made = attack.make(base)
        if isinstance(made, bytes):
            (folder / attack.filename).write_bytes(made)
        elif made is not None:
            nbformat.write(made, folder / attack.filename)
    before = digest_tree(submitted)
    result = grade(course)
    assert result.returncode == 0, result.stdout + result.stderr
    with (course / "reports" / ASSIGNMENT / "grading-report.csv").open() as handle:
        report = {row["student"]: row for row in csv.DictReader(handle)}
    return course, before, report, scores(course)


def test_there_are_enough_attacks_in_every_family():
    """Does the suite hold at least 25 attacks across the families it promises?"""
    assert len(ATTACKS) >= 25
    assert {attack.family for attack in ATTACKS} >= {
        "tests", "metadata", "monkeypatch", "ipython", "always-equal", "read", "write",
        "persistence", "resources", "kernel", "file",
    }


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda attack: attack.name)
def test_attacker_gains_nothing_and_the_reason_is_reported(graded_class, attack):
    """Does each attack score no more than its code deserves, with its reason in the report?"""
    course, _, report, table = graded_class
    row = report[attack.name]
    assert float(row["score"]) <= attack.allowed, row
    assert float(row["max_score"]) == FULL
    assert attack.reason in row["reason"], row
    cells = table[attack.name]
    assert all(score is not None for score in cells), "no score may be left empty"
    hidden = scores_by_cell(course, attack.name)
    assert all(score == 0 for cell, score in hidden.items() if cell.endswith("_hidden"))


def scores_by_cell(course: Path, student: str) -> dict[str, float]:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(ASSIGNMENT, student)
        return {grade.name: grade.score for nb in submission.notebooks for grade in nb.grades}


@pytest.mark.parametrize("student", list(honest_students()))
def test_honest_students_keep_their_scores(graded_class, student):
    """Does every honest student, before and after the attackers, get exactly their due?"""
    _, _, report, _ = graded_class
    assert float(report[student]["score"]) == honest_students()[student][1], report[student]


def test_submitted_files_are_untouched(graded_class):
    """Are all submitted files byte for byte as handed in, attackers' included?"""
    course, before, _, _ = graded_class
    assert digest_tree(course / "submitted") == before


def test_nothing_the_attackers_started_is_still_running(graded_class):
    """Are all processes started by graded code gone once grading is over?"""
    out = subprocess.run(["ps", "-eo", "uid="], capture_output=True, text=True, check=True)
    assert not [uid for uid in out.stdout.split() if 61000 <= int(uid) < 62000]


def test_secrets_do_not_reach_the_attackers_outputs(graded_class):
    """Did reading the solutions or the gradebook show the attacker nothing?"""
    course, _, _, _ = graded_class
    for attacker in ("reads_the_solutions", "reads_the_gradebook"):
        text = (course / "autograded" / attacker / ASSIGNMENT / NOTEBOOK).read_text()
        assert "SQLite format" not in text and "BEGIN SOLUTION" not in text
        assert "solutions found: []" in text or "cannot read" in text


def test_regrading_gives_the_same_gradebook(graded_class):
    """Does grading some students again, attackers included, change no score at all?"""
    course, _, _, table = graded_class
    again = grade(course, "aa_first", "zz_partly", "corrupt_json", "exits_the_kernel",
                  "forges_public_records")
    assert again.returncode == 0, again.stdout + again.stderr
    assert scores(course) == table
