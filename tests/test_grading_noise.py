"""Does grading leave the instructor only messages and files that mean something?

nbgrader's feedback steps once logged "Config option `display_data_priority` not
recognized" for every student, and SQLite's write-ahead log of the class runner's
gradebook showed up in `git status`. (The false alarm about hidden tests' checksums is
tested for `nbgrader autograde` in test_autograde.py, and for the formgrader's Autograde
button in browser/test_formulas.py.)
"""

from __future__ import annotations

import logging
import subprocess

import pytest
from nbconvert.exporters import HTMLExporter
from nbgrader.preprocessors import ClearHiddenTests as NbgraderClearHiddenTests

from course import ASSIGNMENT, ROOT
from graders.course_setup import (
    complete_answers,
    make_submission,
    released_course,
    run_tool,
    submit,
)
from graders.feedback import ClearHiddenTests, FeedbackFromVerdicts

UNRECOGNISED = "Config option `display_data_priority` not recognized"


def test_gradebook_files_sqlite_writes_beside_it_are_ignored_by_git():
    """Are the gradebook's journal, write-ahead log and shared memory files ignored?"""
    names = ["gradebook.db", "gradebook.db-journal", "gradebook.db-wal", "gradebook.db-shm"]
    result = subprocess.run(["git", "check-ignore", *names], cwd=ROOT, capture_output=True,
                            text=True, check=False)
    assert sorted(result.stdout.split()) == sorted(names), result


def test_feedback_steps_accept_what_the_html_exporter_configures(caplog):
    """Do the course's feedback steps take the HTML exporter's configuration without the
    warning that nbgrader's own ClearHiddenTests gives (the cause, shown)?"""
    exporter = HTMLExporter()  # configures display_data_priority for every nbconvert class
    with caplog.at_level(logging.WARNING):
        NbgraderClearHiddenTests(parent=exporter)
    assert UNRECOGNISED in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        ClearHiddenTests(parent=exporter)
        FeedbackFromVerdicts(parent=exporter)
    assert caplog.text == ""


@pytest.fixture(scope="module")
def feedback_log(tmp_path_factory, sandbox_ready) -> str:
    """What `nbgrader generate_feedback` prints for one graded student."""
    course, release = released_course(tmp_path_factory.mktemp("course"), ASSIGNMENT)
    submit(course, "ada", ASSIGNMENT, make_submission(release, complete_answers(ASSIGNMENT)))
    run_tool("nbgrader", "autograde", ASSIGNMENT, cwd=course)
    result = run_tool("nbgrader", "generate_feedback", ASSIGNMENT, cwd=course)
    assert (course / "feedback" / "ada" / ASSIGNMENT).is_dir()
    return result.stdout + result.stderr


def test_generate_feedback_logs_no_warning(feedback_log):
    """Does a real `nbgrader generate_feedback` run log only INFO lines?"""
    assert "GenerateFeedbackApp | INFO" in feedback_log  # nbgrader's own log was captured
    assert UNRECOGNISED not in feedback_log
    assert [line for line in feedback_log.splitlines() if "| INFO]" not in line] == []
