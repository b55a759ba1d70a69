"""Can any submission cheat, spy, sabotage a classmate, swamp the grader, or get lost?

A class of attackers and broken files (tests/redteam/attacks*.py) is graded beside
honest students by the real pipeline: ``python -m graders.grade``, which takes
each submission in as untrusted files and runs ``nbgrader autograde`` with the
course's configuration. Then: no attacker scores more than its code deserves,
every honest student (graded before and after the attackers) keeps the right
score, each attacker's reason is in the report, submitted files are untouched, no
secret, hidden test or script reaches an output, feedback or the instructor's
terminal and CSV files, outputs and memory stay bounded, nothing the attackers
started is still running, and grading again changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import nbformat
import pytest
from nbgrader.api import Gradebook

from course import ASSIGNMENT, NOTEBOOK
from graders.assignments import find
from graders.course_setup import complete_answers, make_submission, released_course
from graders.safe_text import for_csv, for_terminal
from redteam.attacks import ATTACKS as BASE_ATTACKS
from redteam.attacks import wrong_answers
from redteam.attacks_files import ESCAPE_ID, FILE_ATTACKS, FORMULA_IDS, HIDDEN_SOURCE_MARKS
from redteam.attacks_records import RECORD_ATTACKS
from redteam.attacks_sandbox import SANDBOX_ATTACKS, remove_planted

FUNCTIONS = find(ASSIGNMENT).functions
ATTACKS = [*BASE_ATTACKS, *FILE_ATTACKS, *RECORD_ATTACKS, *SANDBOX_ATTACKS]
NOTEBOOK_TIMEOUT = 30
# What one worker may hold, whatever a submission does (item: the grader's own memory).
WORKER_MEMORY_MB = 1024
FULL = 2.0 * len(FUNCTIONS)
WARNING_ANSWER = '''
import warnings

def sigmoid(x):
    warnings.warn("this answer prints a warning to stderr")
    return 1 / (1 + np.exp(-x))
'''


def honest_students() -> dict[str, tuple[dict[str, str], float]]:
    complete = complete_answers(ASSIGNMENT)
    partly = {**complete, "softmax": wrong_answers()["softmax"]}
    return {
        "aa_first": (complete, FULL),  # graded before every attacker
        "zz_blank": ({}, 0.0),
        "zz_partly": (partly, FULL - 2),
        "zz_warns_on_stderr": ({**complete, "sigmoid": WARNING_ANSWER}, FULL),
        "zz_last": (complete, FULL),  # graded after every attacker
    }


def digest_tree(folder: Path) -> dict[str, str]:
    """Every entry as it is on disk, links and pipes included, never followed or opened."""
    digests = {}
    for top, dirs, files in os.walk(folder):  # does not follow links
        for name in dirs + files:
            path = Path(top, name)
            key, info = str(path.relative_to(folder)), path.lstat()
            if stat.S_ISLNK(info.st_mode):
                digests[key] = f"link to {os.readlink(path)}"
            elif stat.S_ISREG(info.st_mode):
                digests[key] = hashlib.sha256(path.read_bytes()).hexdigest()
            elif not stat.S_ISDIR(info.st_mode):
                digests[key] = f"special file {stat.S_IFMT(info.st_mode):o}"
    return digests


def scores(course: Path) -> dict[str, tuple[float, ...]]:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {
            submission.student.id: tuple(
                grade.score for notebook in submission.notebooks for grade in notebook.grades
            )
            for submission in gradebook.find_assignment(ASSIGNMENT).submissions
        }


def grade(course: Path, *students: str) -> subprocess.CompletedProcess:
    """Grade with the real command; its temporary files go to a folder of the test's own."""
    flags = [arg for student in students for arg in ("--student", student)]
    return subprocess.run(
        [sys.executable, "-m", "graders.grade", ASSIGNMENT, "--timeout", "5",
         "--notebook-timeout", str(NOTEBOOK_TIMEOUT), *flags],
        cwd=course, capture_output=True, text=True, timeout=1800,
        env={**os.environ, "TMPDIR": str(scratch_of(course))},
    )


def scratch_of(course: Path) -> Path:
    folder = course.parent / f"{course.name}-tmp"
    folder.mkdir(exist_ok=True)
    return folder


class Graded(NamedTuple):
    course: Path
    before: dict[str, str]  # digests of everything submitted
    report: dict[str, dict]  # grading-report.csv by (escaped) student id
    table: dict[str, tuple]  # cell scores in the gradebook by student
    result: subprocess.CompletedProcess  # what the instructor's terminal showed
    outcomes: list[dict]  # grading-report.json: timings and the workers' memory


def odd_id_students() -> dict[str, float]:
    """Honest, complete work under ids that are formulas or escape sequences."""
    return {**{student: FULL for student in FORMULA_IDS}, ESCAPE_ID: 0.0}


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory, sandbox_ready):
    course, release = released_course(tmp_path_factory.mktemp("redteam"), ASSIGNMENT)
    submitted = course / "submitted"
    honest = {**{s: answers for s, (answers, _) in honest_students().items()},
              **dict.fromkeys(odd_id_students(), complete_answers(ASSIGNMENT))}
    for student, answers in honest.items():
        folder = submitted / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(make_submission(release, answers), folder / NOTEBOOK)
    base = make_submission(release, wrong_answers())
    try:
        for attack in ATTACKS:
            folder = submitted / attack.name / ASSIGNMENT
            folder.mkdir(parents=True)
            made = attack.make(base)
            if isinstance(made, bytes):
                (folder / attack.filename).write_bytes(made)
            elif made is not None:
                nbformat.write(made, folder / attack.filename)
            if attack.plant is not None:
                attack.plant(folder, course)
        before = digest_tree(submitted)
        result = grade(course)
    finally:
        remove_planted()  # copies of the course placed elsewhere on the machine
    assert result.returncode == 0, result.stdout + result.stderr
    with (course / "reports" / ASSIGNMENT / "grading-report.csv").open() as handle:
        report = {row["student"]: row for row in csv.DictReader(handle)}
    left = list(scratch_of(course).iterdir())
    assert not left, f"grading left temporary files behind: {left}"
    outcomes = json.loads((course / "reports" / ASSIGNMENT / "grading-report.json").read_text())
    return Graded(course, before, report, scores(course), result, outcomes)


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
    course, _, report, table, _, _ = graded_class
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
    assert float(graded_class.report[student]["score"]) == honest_students()[student][1], (
        graded_class.report[student])


@pytest.mark.parametrize("student", list(odd_id_students()), ids=ascii)
def test_hostile_ids_are_graded_or_refused_and_always_escaped(graded_class, student):
    """Is work under a formula id graded, an id with escapes refused, and both shown safely?"""
    row = graded_class.report[for_csv(for_terminal(student))]
    assert float(row["score"]) == odd_id_students()[student], row
    if student == ESCAPE_ID:
        assert "control characters" in row["reason"] and student not in graded_class.table


def test_csv_files_hold_no_formulas(graded_class):
    """Does no cell of grades.csv or grading-report.csv start a spreadsheet formula?"""
    for name in ("grades.csv", "grading-report.csv"):
        path = graded_class.course / "reports" / ASSIGNMENT / name
        cells = [cell for row in csv.reader(path.open(encoding="utf-8")) for cell in row]
        formulas = [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")
                    and not cell.lstrip("+-").replace(".", "", 1).isdigit()]
        assert not formulas, (name, formulas)
        assert any(cell == "'=2+5" for cell in cells), name
        assert "\x1b" not in path.read_text(encoding="utf-8"), name


def test_the_terminal_gets_no_escape_sequences(graded_class):
    """Does nothing a student wrote (kernel stderr, ids) reach the instructor's terminal raw?"""
    shown = graded_class.result.stdout + graded_class.result.stderr
    assert "\x1b" not in shown and "\x07" not in shown, ascii(shown[-2000:])
    assert "owned title" not in shown and "graded 99 of 99" not in shown


def test_no_secret_or_hidden_test_reaches_graded_files_or_feedback(graded_class):
    """Do links to secrets and prints of hidden tests leave no trace in what is handed back?"""
    course = graded_class.course
    handed_back = sorted((course / "feedback").rglob("*.html"))
    assert len(handed_back) >= len(honest_students())
    graded = sorted((course / "autograded").rglob("*"))
    names = {path.name for path in graded}
    assert not names & {"secret_0", "secret_1", "secret_2", "gradebook.db", "config.py",
                        "solution.txt", "zeros", "pipe", "socket", "data.bin"}
    attackers = {attack.name for attack in ATTACKS}
    for path in handed_back:
        text = path.read_text(encoding="utf-8")
        for mark in (*HIDDEN_SOURCE_MARKS, "SQLite format", "c.CourseDirectory", "PATH=",
                     "RUNNING ", "INPUT ["):
            assert mark not in text, (path, mark)
        assert not re.search(r"\broot:[^:\s<]*:\d+:", text), (path, "a line of /etc/shadow")
        # Honest answers are the solution's own source; an attacker's must not be.
        if path.relative_to(course / "feedback").parts[0] in attackers:
            assert "BEGIN SOLUTION" not in text, path


def test_feedback_runs_no_script_a_student_wrote(graded_class):
    """Is the feedback HTML sanitised: no student script, event handler or javascript: link?"""
    path = (graded_class.course / "feedback" / "puts_script_in_markdown_and_outputs"
            / ASSIGNMENT / NOTEBOOK.replace(".ipynb", ".html"))
    text = path.read_text(encoding="utf-8")
    # (The student's code is shown, escaped, so the words themselves may appear.)
    assert not re.search(r"<script[^>]*>[^<]*alert", text), "a student's script is in the page"
    assert not re.search(r"<[a-zA-Z][^<>]*\son[a-z]+\s*=", text), "an event handler"
    assert not re.search(r"""(href|src)\s*=\s*["']?javascript:""", text), "a javascript: link"


def test_outputs_and_the_graders_memory_stay_bounded(graded_class):
    """Do graded notebooks, feedback and each worker's memory stay small whatever is printed?"""
    course = graded_class.course
    for path in (course / "autograded").rglob("*.ipynb"):
        assert path.stat().st_size < 6 * 2**20, path
    for path in (course / "feedback").rglob("*.html"):
        assert path.stat().st_size < 2 * 2**20, path
    peak = max(outcome["worker_peak_mb"] for outcome in graded_class.outcomes)
    assert 0 < peak < WORKER_MEMORY_MB, peak


def test_submitted_files_are_untouched(graded_class):
    """Are all submitted files byte for byte as handed in, attackers' included?"""
    assert digest_tree(graded_class.course / "submitted") == graded_class.before


def test_nothing_the_attackers_started_is_still_running(graded_class):
    """Are all processes started by graded code gone once grading is over?"""
    out = subprocess.run(["ps", "-eo", "uid="], capture_output=True, text=True, check=True)
    assert not [uid for uid in out.stdout.split() if 61000 <= int(uid) < 62000]


def test_secrets_do_not_reach_the_attackers_outputs(graded_class):
    """Did reading the solutions or the gradebook show the attacker nothing?"""
    course = graded_class.course
    for attacker in ("reads_the_solutions", "reads_the_gradebook"):
        text = (course / "autograded" / attacker / ASSIGNMENT / NOTEBOOK).read_text()
        assert "SQLite format" not in text and "BEGIN SOLUTION" not in text
        assert "solutions found: []" in text or "cannot read" in text
    elsewhere = (course / "autograded" / "reads_another_course_copy" / ASSIGNMENT
                 / NOTEBOOK).read_text()
    assert "solutions found elsewhere: []" in elsewhere
    keyring = (course / "autograded" / "reads_a_keyring_secret" / ASSIGNMENT
               / NOTEBOOK).read_text()
    assert "keyring secret: 0 bytes" in keyring


def test_regrading_gives_the_same_gradebook(graded_class):
    """Does grading some students again, attackers included, change no score at all?"""
    course, table = graded_class.course, graded_class.table
    again = grade(course, "aa_first", "zz_partly", "corrupt_json", "exits_the_kernel",
                  "forges_public_records", "links_to_a_classmates_notebook")
    assert again.returncode == 0, again.stdout + again.stderr
    assert scores(course) == table
