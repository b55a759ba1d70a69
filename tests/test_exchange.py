"""Where is nbgrader's exchange, and who gets feedback through it?

The course's nbgrader_config.py keeps the exchange beside the course unless the
machine's own configuration names one; graders.exchange releases feedback to the
students who submitted through the exchange and names the others. Both run here
through the real nbgrader (the formgrader's buttons: tests/browser/test_formgrader.py).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from course import ASSIGNMENT
from graders.course_setup import BIN, copy_course, run_tool, tool_env
from graders.exchange import EXCHANGE_RECEIPTS

COURSE_ID = "numpy-dl-basics"
# The exchange nbgrader ends up with, as any nbgrader command loads its configuration.
EXCHANGE_ROOT = ("from nbgrader.apps.nbgraderapp import NbGraderApp\n"
                 "app = NbGraderApp()\napp.load_config_file()\nprint(app.config.Exchange.root)")


def exchange_root(course: Path, machine: Path) -> str:
    result = subprocess.run([sys.executable, "-c", EXCHANGE_ROOT], cwd=course,
                            env={**tool_env(), "JUPYTER_CONFIG_DIR": str(machine)},
                            capture_output=True, text=True, check=True)
    return result.stdout.strip()


@pytest.fixture
def course(tmp_path) -> Path:
    return copy_course(tmp_path / "course")


def test_the_exchange_is_beside_the_course_where_the_machine_names_none(course, tmp_path):
    """With no exchange in the machine's configuration, is it exchange/ in the course, made?"""
    machine = tmp_path / "machine"
    machine.mkdir()
    assert exchange_root(course, machine) == str(course / "exchange")
    assert (course / "exchange").is_dir()


def test_an_exchange_the_machine_names_is_kept(course, tmp_path):
    """Does the exchange of /etc/jupyter (here: the machine's config folder) win over the
    course's, although the course's file is read last?"""
    machine = tmp_path / "machine"
    machine.mkdir()
    (machine / "nbgrader_config.py").write_text("c.Exchange.root = '/srv/nbgrader/exchange'\n")
    assert exchange_root(course, machine) == "/srv/nbgrader/exchange"
    assert not (course / "exchange").exists()


def feedback_page(course: Path, student: str, receipts: dict[str, str]) -> Path:
    """A student's generated feedback, with the receipts their submission came with."""
    folder = course / "feedback" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    (folder / "numpy_basics.html").write_text(f"<p>feedback for {student}</p>")
    for name, text in receipts.items():
        (folder / name).write_text(text)
    return folder


def test_feedback_goes_to_exchange_submissions_and_the_others_are_named(course):
    """In a class where some work came from a platform, is the exchange's feedback released,
    and are the others named, where nbgrader alone stops at the first with an error?"""
    def receipts(secret: str) -> dict[str, str]:
        return {"timestamp.txt": "2026-01-05 10:00:00.000000 UTC",
                "submission_secret.txt": secret}

    feedback_page(course, "alice", receipts("alice's secret"))
    feedback_page(course, "carol", {})  # from a learning platform: no receipts
    linked = feedback_page(course, "dave", {"timestamp.txt": "2026-01-05 10:00:00.000000 UTC"})
    (linked / "submission_secret.txt").symlink_to(course / "nbgrader_config.py")
    feedback_page(course, "zoe", receipts("zoe's secret"))  # after the others, in glob order

    released = run_tool("nbgrader", "release_feedback", ASSIGNMENT, cwd=course)
    log = released.stdout + released.stderr
    outbound = course / "exchange" / COURSE_ID / "feedback"
    assert len(list(outbound.glob("*.html"))) == 2, log  # alice's and zoe's
    assert "Releasing feedback for student 'alice'" in log
    assert "Releasing feedback for student 'zoe'" in log
    assert "Feedback not released for carol, dave: their work did not come through" in log
    assert " or ".join(EXCHANGE_RECEIPTS) in log
    assert str(course / "feedback" / "<student>" / ASSIGNMENT / "*.html") in log


def test_a_student_fetches_the_feedback_released_for_their_submission(course, tmp_path):
    """Through the exchange end to end: does `fetch_feedback` find what was released?"""
    run_tool("nbgrader", "generate_assignment", ASSIGNMENT, cwd=course)
    run_tool("nbgrader", "release_assignment", ASSIGNMENT, cwd=course)
    home, machine = tmp_path / "alice", tmp_path / "machine"
    home.mkdir()
    machine.mkdir()
    (machine / "nbgrader_config.py").write_text(f"c.Exchange.root = {str(course / 'exchange')!r}\n")
    env = {**tool_env(), "JUPYTER_CONFIG_DIR": str(machine),
           "JUPYTER_DATA_DIR": str(home / ".jupyter-data")}

    def as_alice(*args: str) -> None:
        subprocess.run([str(BIN / "nbgrader"), *args, ASSIGNMENT, f"--course={COURSE_ID}",
                        "--student=alice"], cwd=home, env=env, check=True, capture_output=True)

    as_alice("fetch_assignment")
    as_alice("submit")
    run_tool("nbgrader", "collect", ASSIGNMENT, cwd=course)
    submitted = course / "submitted" / "alice" / ASSIGNMENT
    receipts = {name: (submitted / name).read_text() for name in EXCHANGE_RECEIPTS}
    feedback_page(course, "alice", receipts)  # as generate_feedback copies them
    run_tool("nbgrader", "release_feedback", ASSIGNMENT, cwd=course)
    as_alice("fetch_feedback")
    fetched = list((home / ASSIGNMENT / "feedback").glob("*/numpy_basics.html"))
    assert [page.read_text() for page in fetched] == ["<p>feedback for alice</p>"]
