"""Do the reports read the final grades, hand-set ones included, and show students' names?

A real class: the demo's (`tools/demo.py` builds it and imports its class list with
`nbgrader db student import`), plus a corrupt notebook nobody listed, graded by
`python -m graders.grade`. Then grades are set by hand through nbgrader's Gradebook
API, the field the formgrader's score box writes (``Grade.manual_score``), and
`python -m graders.report` rewrites the reports from the gradebook.
"""

from __future__ import annotations

import csv
import html
import json
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest
from nbgrader.api import Gradebook

from course import ASSIGNMENT, NOTEBOOK, ROOT
from graders.assignments import find
from graders.course_setup import authoring, demo_class, submit

DEMO_SIZE = 4  # a complete answer, the answer bank's first mistake, one partly done, a blank
DEMO = demo_class(ASSIGNMENT, DEMO_SIZE)
MISTAKE = next(student for student in DEMO if student.startswith("mistake_"))
WRONG = authoring(ASSIGNMENT, "answer_bank").WRONG[0]  # the mistake student's answer
PARTLY = next(student for student in DEMO if student.startswith("partly_"))
# The first function the partly done student left undone.
UNDONE = find(ASSIGNMENT).functions[len(DEMO[PARTLY])]
FULL = 2.0 * len(find(ASSIGNMENT).functions)
CLASS_SIZE = DEMO_SIZE + 1  # and the corrupt notebook


class Reports(NamedTuple):
    """What an instructor opens in reports/<assignment>/, read back."""

    rows: dict[str, dict]  # grading-report.csv, by student
    lines: dict[str, dict]  # grading-report.json, by student
    grades: dict[str, dict]  # grades.csv (nbgrader's export), by student
    page: str  # class-report.html


def read_reports(course: Path) -> Reports:
    folder = course / "reports" / ASSIGNMENT
    with (folder / "grading-report.csv").open(encoding="utf-8") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    lines = {line["student"]: line for line in
             json.loads((folder / "grading-report.json").read_text(encoding="utf-8"))}
    with (folder / "grades.csv").open(encoding="utf-8") as handle:
        grades = {row["student_id"]: row for row in csv.DictReader(handle)}
    return Reports(rows, lines, grades, (folder / "class-report.html").read_text(encoding="utf-8"))


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def graded(tmp_path_factory, sandbox_ready) -> tuple[Path, Reports]:
    """The demo class (and a corrupt notebook), graded; its reports as grading wrote them."""
    course = tmp_path_factory.mktemp("reports") / "demo"
    run([sys.executable, "tools/demo.py", "--assignment", ASSIGNMENT, "--size", str(DEMO_SIZE),
         "--folder", str(course), "--build-only"], cwd=ROOT)
    submit(course, "corrupt", ASSIGNMENT, b"{ not a notebook")
    run([sys.executable, "-m", "graders.grade", ASSIGNMENT, "--jobs", "2", "--timeout", "5",
         "--no-progress"], cwd=course)
    return course, read_reports(course)


@pytest.fixture(scope="module")
def hand_graded(graded) -> tuple[Reports, str]:
    """Grades set by hand, then `python -m graders.report`: its reports and what it printed.

    The mistake's two tests are given full marks, the partly done student's first
    undone public check half a point.
    """
    course, _ = graded
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        notebook = Path(NOTEBOOK).stem
        for cell in (f"test_{WRONG.function}", f"test_{WRONG.function}_hidden"):
            gradebook.find_grade(cell, notebook, ASSIGNMENT, MISTAKE).manual_score = 1.0
        gradebook.find_grade(f"test_{UNDONE}", notebook, ASSIGNMENT, PARTLY).manual_score = 0.5
        gradebook.db.commit()
    printed = run([sys.executable, "-m", "graders.report", ASSIGNMENT], cwd=course).stdout
    return read_reports(course), printed


def misconception_line(count: int) -> str:
    """The class report's line for the mistake student's misconception, touching ``count``."""
    catalogue = {m.key: m for m in find(ASSIGNMENT).misconceptions[WRONG.function]}
    fix = catalogue[WRONG.misconception].fix.split(" · ")[0]
    return f"<li>misconception: {html.escape(fix)} <b>× {count}</b></li>"


def passing(lines: dict[str, dict], test: str) -> int:
    """How many submissions have full marks in a test, by the JSON report."""
    return sum(line["status"] == "graded" and test not in line["failed_tests"]
               for line in lines.values())


def test_the_demo_class_list_puts_names_and_emails_in_grades_csv(graded):
    """After the demo's `nbgrader db student import`, does grades.csv name every student?"""
    course, reports = graded
    with (course / "class_list.csv").open(encoding="utf-8") as handle:
        class_list = {row["id"]: row for row in csv.DictReader(handle)}
    assert list(class_list) == list(DEMO)
    for student, listed in class_list.items():
        row = reports.grades[student]
        assert (row["first_name"], row["last_name"], row["email"]) == (
            listed["first_name"], listed["last_name"], listed["email"]), row
        assert listed["first_name"] and listed["last_name"] and "@" in listed["email"]
        name = html.escape(f"{listed['last_name']}, {listed['first_name']}")
        assert f"<td>{html.escape(student)}</td><td>{name}</td>" in reports.page
    assert any(not name.isascii() for row in class_list.values() for name in row.values())
    # Someone who handed work in without being on the list is graded, nameless.
    assert reports.grades["corrupt"]["last_name"] == "" and "corrupt" not in class_list


def test_before_any_hand_grading_the_reports_are_the_autograder_s(graded):
    """Straight after grading, do the reports show the autograder's failures and no hand?"""
    _, reports = graded
    tests = f"test_{WRONG.function}, test_{WRONG.function}_hidden"
    assert reports.rows[MISTAKE]["reason"] == f"failed tests: {tests}"
    assert float(reports.rows[MISTAKE]["score"]) == FULL - 2
    assert misconception_line(1) in reports.page
    assert "none set by hand" in reports.page
    assert not any(line["set_by_hand"] for line in reports.lines.values())


def test_a_grade_set_by_hand_reaches_the_grading_report(graded, hand_graded):
    """Does grading-report.csv give the final scores, and say which grades were set by hand?"""
    _, before = graded
    after, printed = hand_graded
    public, hidden = f"test_{WRONG.function}", f"test_{WRONG.function}_hidden"
    assert after.rows[MISTAKE]["reason"] == f"set by hand: {public} 0 → 1, {hidden} 0 → 1"
    assert float(after.rows[MISTAKE]["score"]) == FULL
    partly = after.rows[PARTLY]
    assert float(partly["score"]) == float(before.rows[PARTLY]["score"]) + 0.5
    # Half a point is still below full marks: a failed test, set by hand.
    assert f"failed tests: test_{UNDONE}, test_{UNDONE}_hidden" in partly["reason"]
    assert partly["reason"].endswith(f"; set by hand: test_{UNDONE} 0 → 0.5")
    assert {student: float(row["score"]) for student, row in after.rows.items()} == {
        student: float(row["score"]) for student, row in after.grades.items()}
    assert f"{MISTAKE} ({public} 0 → 1, {hidden} 0 → 1)" in printed
    assert f"reports rewritten from the gradebook's final grades ({CLASS_SIZE} students)" in printed


def test_the_json_keeps_what_only_grading_knew(graded, hand_graded):
    """Are the reasons a submission could not be graded, and the timings, still there?"""
    _, before = graded
    after, _ = hand_graded
    assert after.lines["corrupt"]["status"] == "not graded"
    assert "not valid JSON" in after.lines["corrupt"]["reason"]
    assert after.rows["corrupt"]["reason"] == before.rows["corrupt"]["reason"]
    for student, line in after.lines.items():
        assert line["seconds"] == before.lines[student]["seconds"] != {}, student
        assert line["worker_peak_mb"] == before.lines[student]["worker_peak_mb"], student
    mistake = after.lines[MISTAKE]
    assert mistake["score"] == FULL and mistake["failed_tests"] == []
    assert [(cell["cell"], cell["auto_score"], cell["manual_score"])
            for cell in mistake["set_by_hand"]] == [(f"test_{WRONG.function}", 0.0, 1.0),
                                                    (f"test_{WRONG.function}_hidden", 0.0, 1.0)]


def test_the_class_report_counts_the_final_grades(graded, hand_graded):
    """Do the totals, pass rates and common failures of class-report.html follow the hand?"""
    _, before = graded
    after, _ = hand_graded
    mean = sum(float(row["score"]) for row in after.rows.values()) / CLASS_SIZE
    assert f"{CLASS_SIZE} submissions · mean {mean:.1f} of {FULL:g}" in after.page
    public, hidden = f"test_{WRONG.function}", f"test_{WRONG.function}_hidden"
    rates_before = (passing(before.lines, public) / CLASS_SIZE,
                    passing(before.lines, hidden) / CLASS_SIZE)
    assert f"{WRONG.function} {rates_before[0]:.0%} / {rates_before[1]:.0%}" in before.page
    rates_after = (rates_before[0] + 1 / CLASS_SIZE, rates_before[1] + 1 / CLASS_SIZE)
    assert f"{WRONG.function} {rates_after[0]:.0%} / {rates_after[1]:.0%}" in after.page
    # Full marks by hand: the mistake is no longer among the failures.
    assert misconception_line(1) not in after.page
    assert f"<b>3 set by hand · 手动评分</b>, for {MISTAKE}, {PARTLY}" in after.page
    assert (f"<td>{FULL:g}/{FULL:g}</td><td>graded</td><td>set by hand: {public} 0 → 1, "
            f"{hidden} 0 → 1</td>") in after.page


def test_without_a_gradebook_nothing_is_written_and_the_reason_is_given(tmp_path):
    """Does `python -m graders.report` refuse plainly, leaving no empty gradebook behind?"""
    (tmp_path / "nbgrader_config.py").write_text((ROOT / "nbgrader_config.py").read_text())
    result = subprocess.run([sys.executable, "-m", "graders.report", ASSIGNMENT],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.startswith("No report written: there is no gradebook at "), result.stderr
    assert not (tmp_path / "gradebook.db").exists()
    assert not (tmp_path / "reports").exists()


def test_make_report_is_the_report_command():
    """Does `make report A=<id>` run `python -m graders.report <id>`?"""
    # (--no-print-directory: run under `make test`, make would add its "Entering directory".)
    result = subprocess.run(["make", "--no-print-directory", "-n", "report", f"A={ASSIGNMENT}"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    # Its last command (before it, make may reinstall the course if pyproject.toml changed).
    assert result.stdout.splitlines()[-1] == (
        f"{ROOT / '.venv' / 'bin' / 'python'} -m graders.report {ASSIGNMENT}"), result.stdout
