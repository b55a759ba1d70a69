"""Does a submission whose grading kills its worker process cost anyone else anything?

A worker can die mid-student: the machine's out-of-memory killer, a crash in a
library. Here the test plays that part for real: while one student's notebook
runs (a cell that sleeps), it SIGKILLs the grading worker that runs its kernel,
every time. The pool breaks; the class must still be graded right, the student
graded alone again, and only then scored 0 with the reason, with exit status 2.
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from course import ASSIGNMENT
from graders.assignments import find
from graders.course_setup import (
    complete_answers,
    make_submission,
    released_course,
    submit,
)
from redteam.attacks import with_code

FUNCTIONS = find(ASSIGNMENT).functions
FULL = 2.0 * len(FUNCTIONS)
SANDBOX_UIDS = range(61000, 62000)
KILL_AFTER_S = 8  # honest notebooks finish in about a second


def processes() -> dict[int, tuple[int, int, int]]:
    """pid -> (parent pid, uid, seconds running), from ps."""
    out = subprocess.run(["ps", "-eo", "pid=,ppid=,uid=,etimes="], capture_output=True,
                         text=True, check=True).stdout
    table = {}
    for line in out.splitlines():
        pid, ppid, uid, seconds = (int(field) for field in line.split())
        table[pid] = (ppid, uid, seconds)
    return table


def kill_workers_of_slow_kernels(grader: int) -> set[int]:
    """SIGKILL each grading worker whose sandboxed kernel has run too long."""
    table, killed = processes(), set()
    for pid, (_, uid, seconds) in table.items():
        if uid not in SANDBOX_UIDS or seconds < KILL_AFTER_S:
            continue
        ancestor = pid
        while ancestor in table and table[ancestor][0] not in (grader, 0, 1):
            ancestor = table[ancestor][0]
        if ancestor in table and table[ancestor][0] == grader:
            os.kill(ancestor, signal.SIGKILL)
            killed.add(ancestor)
    return killed


def test_a_killed_worker_costs_only_the_student_whose_grading_it_was(tmp_path, sandbox_ready):
    """Are all others graded right, the culprit retried alone then 0, and the exit status 2?"""
    course, release = released_course(tmp_path / "course", ASSIGNMENT)
    honest = [f"student_{index}" for index in range(6)]
    for student in honest:
        submit(course, student, ASSIGNMENT, make_submission(release, complete_answers(ASSIGNMENT)))
    sleeper = with_code("import time\ntime.sleep(60)", where=FUNCTIONS[0])(
        make_submission(release, {}))
    submit(course, "kills_its_worker", ASSIGNMENT, sleeper)
    # The grader's temporary files, to see that none are left (a short path, as /tmp is).
    scratch = Path(tempfile.mkdtemp(prefix="worker-death-"))

    grader = subprocess.Popen(
        [sys.executable, "-m", "graders.grade", ASSIGNMENT, "--jobs", "2", "--timeout", "90",
         "--no-progress", "--no-class-report"],
        cwd=course, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "TMPDIR": str(scratch)})
    killed: set[int] = set()
    deadline = time.monotonic() + 600
    while grader.poll() is None and time.monotonic() < deadline:
        killed |= kill_workers_of_slow_kernels(grader.pid)
        time.sleep(0.5)
    stdout, stderr = grader.communicate(timeout=60)

    assert grader.returncode == 2, stdout + stderr
    assert len(killed) == 2, "killed once in the pool, once when graded alone"
    assert "kills_its_worker" in stderr and "every other student was graded" in stderr
    reports = course / "reports" / ASSIGNMENT
    with (reports / "grading-report.csv").open() as handle:
        report = {row["student"]: row for row in csv.DictReader(handle)}
    assert "killed the grading process twice" in report["kills_its_worker"]["reason"]
    assert float(report["kills_its_worker"]["score"]) == 0
    assert {student: float(report[student]["score"]) for student in honest} == dict.fromkeys(
        honest, FULL)
    with (reports / "grades.csv").open() as handle:
        grades = {row["student_id"]: float(row["score"]) for row in csv.DictReader(handle)}
    assert grades == {**dict.fromkeys(honest, FULL), "kills_its_worker": 0.0}
    left = list(scratch.iterdir())
    assert not left, f"a killed worker's temporary files were left behind: {left}"
    scratch.rmdir()
