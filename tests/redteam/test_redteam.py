"""Can any submission cheat, spy, sabotage a classmate, swamp the grader, or get lost?

For each assignment of ``solutions/``, a class of attackers and broken files
(tests/redteam/attacks*.py, aimed at it through its ``redteam.targets.Target``) is
graded beside honest students by the real pipeline: ``python -m graders.grade``, which takes
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
from string import Template
from typing import NamedTuple

import nbformat
import pytest
from nbgrader.api import Gradebook

from graders.course_setup import assignment_ids, make_submission, released_course
from graders.safe_text import for_csv, for_terminal
from redteam.attacks import Attack, attacks
from redteam.attacks_files import ESCAPE_ID, FORMULA_IDS, HIDDEN_SOURCE_MARKS, file_attacks
from redteam.attacks_records import record_attacks
from redteam.attacks_sandbox import remove_planted, sandbox_attacks
from redteam.targets import Target, target

ASSIGNMENTS = assignment_ids()
NOTEBOOK_TIMEOUT = 30
# What one worker may hold, whatever a submission does (item: the grader's own memory).
WORKER_MEMORY_MB = 1024
# The solution's answer, warning on stderr at every call: a correct answer all the same.
WARNING_ANSWER = """
$solved

import warnings
_quiet_$name = $name

def $name(*args, **kwargs):
    warnings.warn("this answer prints a warning to stderr")
    return _quiet_$name(*args, **kwargs)
"""


def every_attack(aimed_at: Target) -> dict[str, Attack]:
    """The whole suite, aimed at one assignment, by name."""
    built = [*attacks(aimed_at), *file_attacks(aimed_at), *record_attacks(aimed_at),
             *sandbox_attacks(aimed_at)]
    return {attack.name: attack for attack in built}


# The same attacks face every assignment: the names are the first one's.
ATTACK_NAMES = list(every_attack(target(ASSIGNMENTS[0])))


def honest_students(aimed_at: Target) -> dict[str, tuple[dict[str, str], float]]:
    """Students and their due: complete, blank, one answer wrong, a correct answer that warns."""
    complete, full = dict(aimed_at.complete), aimed_at.full
    wrong = aimed_at.roles.independent  # a wrong answer to it costs its own points only
    warns = aimed_at.roles.elementwise
    warning = Template(WARNING_ANSWER).substitute(name=warns, solved=aimed_at.solved(warns))
    return {
        "aa_first": (complete, full),  # graded before every attacker
        "zz_blank": ({}, 0.0),
        "zz_partly": ({**complete, wrong: aimed_at.wrong[wrong]}, full - aimed_at.points_of(wrong)),
        "zz_warns_on_stderr": ({**complete, warns: warning}, full),
        "zz_last": (complete, full),  # graded after every attacker
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


def scores(course: Path, assignment_id: str) -> dict[str, tuple[float, ...]]:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {
            submission.student.id: tuple(
                grade.score for notebook in submission.notebooks for grade in notebook.grades
            )
            for submission in gradebook.find_assignment(assignment_id).submissions
        }


def scores_by_cell(course: Path, assignment_id: str, student: str) -> dict[str, float]:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(assignment_id, student)
        return {grade.name: grade.score for nb in submission.notebooks for grade in nb.grades}


def grade(course: Path, assignment_id: str, *students: str) -> subprocess.CompletedProcess:
    """Grade with the real command; its temporary files go to a folder of the test's own."""
    flags = [arg for student in students for arg in ("--student", student)]
    return subprocess.run(
        [sys.executable, "-m", "graders.grade", assignment_id, "--timeout", "5",
         "--notebook-timeout", str(NOTEBOOK_TIMEOUT), *flags],
        cwd=course, capture_output=True, text=True, timeout=1800,
        env={**os.environ, "TMPDIR": str(scratch_of(course))},
    )


def scratch_of(course: Path) -> Path:
    folder = course.parent / f"{course.name}-tmp"
    folder.mkdir(exist_ok=True)
    return folder


class Graded(NamedTuple):
    target: Target  # the assignment the class handed in
    attacks: dict[str, Attack]  # the attacks aimed at it, by name (= student id)
    course: Path
    before: dict[str, str]  # digests of everything submitted
    report: dict[str, dict]  # grading-report.csv by (escaped) student id
    table: dict[str, tuple]  # cell scores in the gradebook by student
    result: subprocess.CompletedProcess  # what the instructor's terminal showed
    outcomes: list[dict]  # grading-report.json: timings and the workers' memory

    @property
    def reports(self) -> Path:
        return self.course / "reports" / self.target.id

    def graded_notebook(self, student: str) -> str:
        return (self.course / "autograded" / student / self.target.id
                / self.target.notebook).read_text()


def odd_id_students(aimed_at: Target) -> dict[str, float]:
    """Honest, complete work under ids that are formulas or escape sequences."""
    return {**dict.fromkeys(FORMULA_IDS, aimed_at.full), ESCAPE_ID: 0.0}


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def aimed_at(request) -> Target:
    """Each assignment in turn: the class of each is graded once, for all tests of the file."""
    return target(request.param)


@pytest.fixture(scope="module")
def graded_class(aimed_at, tmp_path_factory, sandbox_ready) -> Graded:
    assignment = aimed_at.id
    course, release = released_course(tmp_path_factory.mktemp("redteam"), assignment)
    submitted = course / "submitted"
    honest = {**{s: answers for s, (answers, _) in honest_students(aimed_at).items()},
              **dict.fromkeys(odd_id_students(aimed_at), aimed_at.complete)}
    for student, answers in honest.items():
        folder = submitted / student / assignment
        folder.mkdir(parents=True)
        nbformat.write(make_submission(release, answers), folder / aimed_at.notebook)
    base = make_submission(release, aimed_at.wrong)
    planned = every_attack(aimed_at)
    try:
        for attack in planned.values():
            folder = submitted / attack.name / assignment
            folder.mkdir(parents=True)
            made, path = attack.make(base), folder / (attack.filename or aimed_at.notebook)
            if isinstance(made, bytes):
                path.write_bytes(made)
            elif made is not None:
                nbformat.write(made, path)
            if attack.plant is not None:
                attack.plant(folder, course)
        before = digest_tree(submitted)
        result = grade(course, assignment)
    finally:
        remove_planted()  # copies of the course placed elsewhere on the machine
    assert result.returncode == 0, result.stdout + result.stderr
    reports = course / "reports" / assignment
    with (reports / "grading-report.csv").open() as handle:
        report = {row["student"]: row for row in csv.DictReader(handle)}
    left = list(scratch_of(course).iterdir())
    assert not left, f"grading left temporary files behind: {left}"
    outcomes = json.loads((reports / "grading-report.json").read_text())
    return Graded(aimed_at, planned, course, before, report, scores(course, assignment), result,
                  outcomes)


def test_there_are_enough_attacks_in_every_family(aimed_at):
    """Does the suite aim at least 25 attacks, across the families it promises, at each
    assignment, and the same ones at every assignment?"""
    planned = every_attack(aimed_at)
    assert list(planned) == ATTACK_NAMES
    assert len(planned) >= 25
    assert {attack.family for attack in planned.values()} >= {
        "tests", "metadata", "monkeypatch", "ipython", "always-equal", "read", "write",
        "persistence", "resources", "kernel", "file",
    }


@pytest.mark.parametrize("name", ATTACK_NAMES)
def test_attacker_gains_nothing_and_the_reason_is_reported(graded_class, name):
    """Does each attack score no more than its code deserves, with its reason in the report?"""
    attack, row = graded_class.attacks[name], graded_class.report[name]
    assert float(row["score"]) <= attack.allowed, row
    assert float(row["max_score"]) == graded_class.target.full
    assert attack.reason in row["reason"], row
    cells = graded_class.table[name]
    assert all(score is not None for score in cells), "no score may be left empty"
    hidden = scores_by_cell(graded_class.course, graded_class.target.id, name)
    assert all(score == 0 for cell, score in hidden.items() if cell.endswith("_hidden"))


@pytest.mark.parametrize("student", list(honest_students(target(ASSIGNMENTS[0]))))
def test_honest_students_keep_their_scores(graded_class, student):
    """Does every honest student, before and after the attackers, get exactly their due?"""
    due = honest_students(graded_class.target)[student][1]
    assert float(graded_class.report[student]["score"]) == due, graded_class.report[student]


@pytest.mark.parametrize("student", [*FORMULA_IDS, ESCAPE_ID], ids=ascii)
def test_hostile_ids_are_graded_or_refused_and_always_escaped(graded_class, student):
    """Is work under a formula id graded, an id with escapes refused, and both shown safely?"""
    row = graded_class.report[for_csv(for_terminal(student))]
    assert float(row["score"]) == odd_id_students(graded_class.target)[student], row
    if student == ESCAPE_ID:
        assert "control characters" in row["reason"] and student not in graded_class.table


def test_csv_files_hold_no_formulas(graded_class):
    """Does no cell of grades.csv or grading-report.csv start a spreadsheet formula?"""
    for name in ("grades.csv", "grading-report.csv"):
        path = graded_class.reports / name
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
    assert len(handed_back) >= len(honest_students(graded_class.target))
    graded = sorted((course / "autograded").rglob("*"))
    names = {path.name for path in graded}
    assert not names & {"secret_0", "secret_1", "secret_2", "gradebook.db", "config.py",
                        "solution.txt", "zeros", "pipe", "socket", "data.bin"}
    for path in handed_back:
        text = path.read_text(encoding="utf-8")
        for mark in (*HIDDEN_SOURCE_MARKS, "SQLite format", "c.CourseDirectory", "PATH=",
                     "RUNNING ", "INPUT ["):
            assert mark not in text, (path, mark)
        assert not re.search(r"\broot:[^:\s<]*:\d+:", text), (path, "a line of /etc/shadow")
        # Honest answers are the solution's own source; an attacker's must not be.
        if path.relative_to(course / "feedback").parts[0] in graded_class.attacks:
            assert "BEGIN SOLUTION" not in text, path


def test_feedback_runs_no_script_a_student_wrote(graded_class):
    """Is the feedback HTML sanitised: no student script, event handler or javascript: link?"""
    aimed_at = graded_class.target
    path = (graded_class.course / "feedback" / "puts_script_in_markdown_and_outputs"
            / aimed_at.id / aimed_at.notebook.replace(".ipynb", ".html"))
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


def test_no_submission_holds_a_worker_past_the_notebooks_time_limit(graded_class):
    """Does the time limit of a whole notebook bound what each student costs the grader?"""
    # The limit, plus the last cell's own stop and the kernel's interrupt.
    bound = NOTEBOOK_TIMEOUT + 10
    seconds = {outcome["student"]: round(outcome["seconds"].get("execution", 0), 1)
               for outcome in graded_class.outcomes}
    assert not {student: took for student, took in seconds.items() if took > bound}


def test_submitted_files_are_untouched(graded_class):
    """Are all submitted files byte for byte as handed in, attackers' included?"""
    assert digest_tree(graded_class.course / "submitted") == graded_class.before


def test_nothing_the_attackers_started_is_still_running(graded_class):
    """Are all processes started by graded code gone once grading is over?"""
    out = subprocess.run(["ps", "-eo", "uid="], capture_output=True, text=True, check=True)
    assert not [uid for uid in out.stdout.split() if 61000 <= int(uid) < 62000]


def test_secrets_do_not_reach_the_attackers_outputs(graded_class):
    """Did reading the solutions or the gradebook show the attacker nothing?"""
    for attacker in ("reads_the_solutions", "reads_the_gradebook"):
        text = graded_class.graded_notebook(attacker)
        assert "SQLite format" not in text and "BEGIN SOLUTION" not in text
        assert "solutions found: []" in text or "cannot read" in text
    elsewhere = graded_class.graded_notebook("reads_another_course_copy")
    assert "solutions found elsewhere: []" in elsewhere
    assert "keyring secret: 0 bytes" in graded_class.graded_notebook("reads_a_keyring_secret")


def test_regrading_gives_the_same_gradebook(graded_class):
    """Does grading some students again, attackers included, change no score at all?"""
    course, assignment = graded_class.course, graded_class.target.id
    again = grade(course, assignment, "aa_first", "zz_partly", "corrupt_json",
                  "exits_the_kernel", "forges_public_records", "links_to_a_classmates_notebook")
    assert again.returncode == 0, again.stdout + again.stderr
    assert scores(course, assignment) == graded_class.table
