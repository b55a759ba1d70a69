"""Does `python -m graders.grade` grade a whole class in parallel, losing nobody?

Real nbgrader, real kernels in the sandbox, real gradebooks: SQLite under four
parallel workers, PostgreSQL (two graders writing at once), and a Dask cluster.
"""

from __future__ import annotations

import csv
import html
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from course import ASSIGNMENT, ROOT
from graders.assignments import find
from graders.course_setup import (
    authoring,
    complete_answers,
    generate_assignment,
    make_submission,
    released_course,
    submit,
    submit_class,
)
from graders.grade import GRADEBOOK_INDEXES
from plugins import TINY_CHECKS, registered, tiny_notebook, write_source
from servers import dask_cluster, postgres_server

bank = authoring(ASSIGNMENT, "answer_bank")
FUNCTIONS, WRONG = bank.FUNCTIONS, bank.WRONG

FULL = 2.0 * len(FUNCTIONS)


def grade(course: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "graders.grade", *args, "--no-progress"],
        cwd=course, capture_output=True, text=True, timeout=1800, env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def report(course: Path, assignment: str = ASSIGNMENT) -> dict[str, dict]:
    with (course / "reports" / assignment / "grading-report.csv").open() as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}


def totals(db_url: str, assignment: str = ASSIGNMENT) -> dict[str, float]:
    with Gradebook(db_url) as gradebook:
        return {s.student.id: s.score for s in gradebook.find_assignment(assignment).submissions}


def small_class_mistake():
    """A typical mistake in normalize_rows that the public check sees and the catalogue names."""
    return next(a for a in WRONG if a.function == "normalize_rows" and a.problem
                and a.misconception)


def small_class() -> dict[str, object]:
    complete = complete_answers(ASSIGNMENT)
    mistake = small_class_mistake()
    return {
        "ada": complete,
        "blank": {},
        "columns": {**complete, "normalize_rows": mistake.source},
        "corrupt": b"{ not a notebook",
    }


LOOPS_FOREVER = "def softmax(x):\n    while True:  # forgot the loop's exit\n        pass\n"


EXPECTED = {"ada": FULL, "blank": 0.0, "columns": FULL - 2, "corrupt": 0.0}


def test_a_class_gets_grades_feedback_csv_and_a_report(tmp_path, sandbox_ready):
    """Does one command grade, write feedback and grades, and draw the class report?"""
    course, _ = released_course(tmp_path / "course", ASSIGNMENT)
    submit_class(course, ASSIGNMENT, {**small_class(), "loops": {**complete_answers(ASSIGNMENT),
                                                                 "softmax": LOOPS_FOREVER}})
    result = grade(course, ASSIGNMENT, "--jobs", "2", "--timeout", "5")
    out = result.stdout

    assert totals(f"sqlite:///{course / 'gradebook.db'}") == {**EXPECTED, "loops": FULL - 2}
    rows = report(course)
    assert rows["corrupt"]["status"] == "not graded"
    assert "not valid JSON" in rows["corrupt"]["reason"]
    failed = "failed tests: test_normalize_rows, test_normalize_rows_hidden"
    assert failed in rows["columns"]["reason"]
    for student in ("ada", "blank", "columns", "loops"):
        page = course / "feedback" / student / ASSIGNMENT / "numpy_basics.html"
        assert "BEGIN HIDDEN TESTS" not in page.read_text(encoding="utf-8")
    # (The lesson's own example cell calls softmax too, before the tests do.)
    stopped = "ran past the time limit and was stopped: cell 42 (t_x = np.array("
    assert stopped in rows["loops"]["reason"]
    assert "test_softmax, test_softmax_hidden; failed tests" in rows["loops"]["reason"]
    page = (course / "feedback" / "loops" / ASSIGNMENT / "numpy_basics.html").read_text()
    assert "ran longer than 5 s and was stopped" in page and "KeyboardInterrupt" not in page
    assert "Timeout" not in result.stderr and "Interrupting" not in result.stderr, result.stderr
    assert "Warning" not in result.stderr, result.stderr  # the instructor's terminal is clean
    with (course / "reports" / ASSIGNMENT / "grades.csv").open() as handle:
        grades = {r["student_id"]: float(r["score"]) for r in csv.DictReader(handle)}
        assert grades == {**EXPECTED, "loops": FULL - 2}
    page = (course / "reports" / ASSIGNMENT / "class-report.html").read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == 2
    # The class report counts the student whose mistake the catalogue knows under its fix.
    mistake = small_class_mistake()
    catalogue = {m.key: m for m in find(ASSIGNMENT).misconceptions["normalize_rows"]}
    fix = catalogue[mistake.misconception].fix.split(" · ")[0]
    assert f"<li>misconception: {html.escape(fix)} <b>× 1</b></li>" in page
    for label in ("grading report (CSV)", "grades (CSV)", "feedback (HTML)", "class report"):
        assert label in out
    assert "1 scored 0 because they could not be graded: corrupt" in out
    assert "[ExportApp" not in out + result.stderr  # nbgrader's export, run in process, is quiet


def tiny_course(folder: Path, students: int) -> Path:
    """A one-cell assignment, so that a hundred real gradings take a minute, not ten."""
    course = folder / "course"
    course.mkdir()
    (course / "nbgrader_config.py").write_text((ROOT / "nbgrader_config.py").read_text())
    write_source(course, "tiny", "tiny", tiny_notebook())
    release = generate_assignment(course, "tiny")
    for number in range(students):
        body = "2 * x" if number % 2 else "x"  # odd students are right
        answer = f"def double(x):\n    return {body}"
        submit(course, f"s{number:03d}", "tiny", make_submission(release, {"double": answer}))
    return course


def test_sqlite_takes_a_hundred_submissions_from_four_workers(tmp_path, sandbox_ready):
    """With 4 workers writing one SQLite gradebook, is no grading lost to a locked database?"""
    with registered(tmp_path, "tiny_checks", TINY_CHECKS, ["tiny"]) as env:
        course = tiny_course(tmp_path, 100)
        grade(course, "tiny", "--jobs", "4", "--no-class-report", env=env)
    rows = report(course, "tiny")
    assert len(rows) == 100
    assert not [r for r in rows.values() if "locked" in r["reason"] or r["status"] != "graded"]
    scores = totals(f"sqlite:///{course / 'gradebook.db'}", "tiny")
    assert scores == {f"s{n:03d}": float(n % 2) for n in range(100)}


def test_a_worker_grading_many_students_stays_the_same(tmp_path, sandbox_ready):
    """After 60 students in one worker: memory flat, no open file or scratch folder left
    behind by any student, nothing left in the temporary folder, the last students as fast
    as the first."""
    temporary = Path(tempfile.gettempdir())
    before = set(temporary.iterdir())
    with registered(tmp_path, "tiny_checks", TINY_CHECKS, ["tiny"]) as env:
        course = tiny_course(tmp_path, 60)
        grade(course, "tiny", "--jobs", "1", "--no-class-report", env=env)
    assert {path for path in set(temporary.iterdir()) - before
            if path.name.startswith(("graders-", "intake-"))} == set()
    outcomes = sorted(json.loads((course / "reports" / "tiny" / "grading-report.json")
                                 .read_text()), key=lambda outcome: outcome["student"])
    assert all(outcome["status"] == "graded" for outcome in outcomes)
    assert len({outcome["worker"]["pid"] for outcome in outcomes}) == 1
    warm = [outcome["worker"] for outcome in outcomes[10:]]
    assert {state["open_files"] for state in warm} == {warm[0]["open_files"]}
    assert {outcome["worker"]["scratch_entries"] for outcome in outcomes} == {0}
    assert warm[-1]["rss_mb"] - warm[0]["rss_mb"] < 2, [state["rss_mb"] for state in warm]
    seconds = [outcome["seconds"]["total"] for outcome in outcomes]
    assert statistics.median(seconds[-20:]) < 1.5 * statistics.median(seconds[10:30]), seconds


def test_a_students_grades_are_found_without_reading_the_whole_gradebook(tmp_path,
                                                                         sandbox_ready):
    """nbgrader looks up each student's grades, comments and submissions: once the class is
    graded, does the gradebook answer those lookups from an index rather than by reading
    every row of the class (a student would cost more the larger the class)?"""
    with registered(tmp_path, "tiny_checks", TINY_CHECKS, ["tiny"]) as env:
        course = tiny_course(tmp_path, 3)
        grade(course, "tiny", "--jobs", "1", "--no-class-report", env=env)
    with sqlite3.connect(course / "gradebook.db") as connection:
        for name, (table, column) in GRADEBOOK_INDEXES.items():
            plan = " ".join(str(row) for row in connection.execute(
                f"EXPLAIN QUERY PLAN SELECT * FROM {table} WHERE {column} = 'x'"))
            assert f"USING INDEX {name}" in plan, plan


@pytest.fixture
def postgres_url():
    with postgres_server() as url:
        yield url


def test_postgresql_gradebook_with_two_graders_writing_at_once(tmp_path, postgres_url,
                                                               sandbox_ready):
    """Against a real PostgreSQL server, do two graders at once leave every score right?"""
    course, _ = released_course(tmp_path / "course", ASSIGNMENT, db_url=postgres_url)
    submit_class(course, ASSIGNMENT, small_class())
    commands = [
        [sys.executable, "-m", "graders.grade", ASSIGNMENT, "--db-url", postgres_url,
         "--jobs", "1", "--no-progress", "--no-class-report",
         *[arg for student in group for arg in ("--student", student)]]
        for group in (["ada", "blank"], ["columns", "corrupt"])
    ]
    running = [subprocess.Popen(command, cwd=course, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True) for command in commands]
    outputs = [process.communicate(timeout=900)[0] for process in running]
    assert [process.returncode for process in running] == [0, 0], outputs
    assert totals(postgres_url) == EXPECTED


def test_dask_cluster_grades_the_class(tmp_path, postgres_url, sandbox_ready):
    """With a Dask scheduler and two workers on 127.0.0.1, is the class graded the same?"""
    course, _ = released_course(tmp_path / "course", ASSIGNMENT, db_url=postgres_url)
    submit_class(course, ASSIGNMENT, small_class())
    temporary = Path(tempfile.gettempdir())
    before = set(temporary.glob("intake-*"))
    with dask_cluster(tmp_path) as scheduler:
        grade(course, ASSIGNMENT, "--db-url", postgres_url, "--scheduler", scheduler)
    assert totals(postgres_url) == EXPECTED
    assert report(course)["corrupt"]["status"] == "not graded"
    # A Dask worker stages submissions in the temporary folder: gone when it ends.
    assert set(temporary.glob("intake-*")) - before == set()


def test_the_batch_is_refused_up_front_when_the_sandbox_cannot_start(monkeypatch):
    """Without root, is the whole batch refused with the reason, before any student is graded?"""
    import os

    from graders.grade import load_config, sandbox_unavailable

    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    assert "needs root" in sandbox_unavailable(load_config(ROOT))
    monkeypatch.setenv("GRADERS_UNSAFE_NO_SANDBOX", "1")
    assert sandbox_unavailable(load_config(ROOT)) == ""
