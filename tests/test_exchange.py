"""Where is nbgrader's exchange, what does collect take from it, who gets feedback through it?

The course's nbgrader_config.py keeps the exchange beside the course unless the
machine's own configuration names one; graders.exchange collects from the inbound
folder only each student's own folders and regular files, releases feedback to the
students who submitted through the exchange and names the others. All run here
through the real nbgrader (the formgrader's buttons: tests/browser/test_formgrader.py;
students as real accounts on JupyterHub: tests/hub/test_hub_loop.py).
"""

from __future__ import annotations

import datetime
import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course import ASSIGNMENT
from graders.course_setup import BIN, copy_course, run_tool, tool_env
from graders.exchange import EXCHANGE_RECEIPTS

COURSE_ID = "numpy-dl-basics"
NOTEBOOK = "numpy_basics.ipynb"
# Collect checks a folder's owner against the account its name gives: this student id is
# the account running the tests, which owns what it submits ("alice" is no account here).
ME = pwd.getpwuid(os.getuid()).pw_name
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


def nbgrader_as(student: str, course: Path, home: Path, *args: str) -> None:
    """An nbgrader command of a student's, in their home, with the course's exchange."""
    machine = home / "machine"
    machine.mkdir(parents=True, exist_ok=True)
    (machine / "nbgrader_config.py").write_text(f"c.Exchange.root = {str(course / 'exchange')!r}\n")
    env = {**tool_env(), "JUPYTER_CONFIG_DIR": str(machine),
           "JUPYTER_DATA_DIR": str(home / ".jupyter-data")}
    subprocess.run([str(BIN / "nbgrader"), *args, ASSIGNMENT, f"--course={COURSE_ID}",
                    f"--student={student}"], cwd=home, env=env, check=True, capture_output=True)


@pytest.fixture
def released(course) -> Path:
    """The course with its assignment released to the exchange."""
    run_tool("nbgrader", "generate_assignment", ASSIGNMENT, cwd=course)
    run_tool("nbgrader", "release_assignment", ASSIGNMENT, cwd=course)
    return course


def test_a_student_fetches_the_feedback_released_for_their_submission(released, tmp_path):
    """Through the exchange end to end: does `fetch_feedback` find what was released?"""
    course, home = released, tmp_path / "alice"
    nbgrader_as("alice", course, home, "fetch_assignment")
    nbgrader_as("alice", course, home, "submit")
    run_tool("nbgrader", "collect", ASSIGNMENT, cwd=course)
    submitted = course / "submitted" / "alice" / ASSIGNMENT
    receipts = {name: (submitted / name).read_text() for name in EXCHANGE_RECEIPTS}
    feedback_page(course, "alice", receipts)  # as generate_feedback copies them
    run_tool("nbgrader", "release_feedback", ASSIGNMENT, cwd=course)
    nbgrader_as("alice", course, home, "fetch_feedback")
    fetched = list((home / ASSIGNMENT / "feedback").glob("*/numpy_basics.html"))
    assert [page.read_text() for page in fetched] == ["<p>feedback for alice</p>"]


def submit(course: Path, tmp_path: Path) -> Path:
    """ME fetches and submits the assignment; returns their folder in the exchange's inbound."""
    home = tmp_path / "student"
    nbgrader_as(ME, course, home, "fetch_assignment")
    nbgrader_as(ME, course, home, "submit")
    (folder,) = (course / "exchange" / COURSE_ID / "inbound").glob(f"{ME}+{ASSIGNMENT}+*")
    return folder


def forge(course: Path, name: str, minutes_later: int) -> Path:
    """An inbound folder made by hand, named as nbgrader names one, later than any so far."""
    stamp = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=minutes_later)
    folder = (course / "exchange" / COURSE_ID / "inbound" /
              f"{name}+{ASSIGNMENT}+{stamp:%Y-%m-%d %H:%M:%S.%f} UTC+forged{minutes_later}")
    folder.mkdir()
    return folder


def collect(course: Path, *options: str) -> str:
    """`nbgrader collect` of the assignment; returns its log."""
    result = run_tool("nbgrader", "collect", ASSIGNMENT, *options, cwd=course)
    return result.stdout + result.stderr


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, by its relative path, with its content."""
    return {str(path.relative_to(folder)): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_an_honest_submission_is_collected_as_it_was_handed_in(released, tmp_path):
    """Is a student's own submission collected whole, its notebook and receipts byte for byte?"""
    handed_in = submit(released, tmp_path)
    log = collect(released)
    collected = files_of(released / "submitted" / ME / ASSIGNMENT)
    assert collected == files_of(handed_in)
    assert set(collected) == {NOTEBOOK, *EXCHANGE_RECEIPTS}
    assert "Not collected" not in log and "Left out" not in log, log


def test_only_regular_files_are_collected_and_the_rest_is_named(released, tmp_path):
    """A student's later folder holding a link to the solution notebook, one to /etc/passwd and
    a named pipe: is none of them followed or copied, is each named, and do nbgrader's ignore
    and max_file_size still apply?"""
    submit(released, tmp_path)
    collect(released)
    later = forge(released, ME, minutes_later=1)
    (later / "timestamp.txt").write_text("2099-01-01 00:00:00.000000 UTC")
    (later / NOTEBOOK).symlink_to(released / "solutions" / ASSIGNMENT / NOTEBOOK)
    (later / "passwd").symlink_to("/etc/passwd")
    os.mkfifo(later / "pipe")
    (later / ".ipynb_checkpoints").mkdir()  # in nbgrader's CourseDirectory.ignore
    (later / ".ipynb_checkpoints" / NOTEBOOK).write_text("{}")
    (later / "big.npy").write_bytes(bytes(2000))
    log = collect(released, "--update", "--CourseDirectory.max_file_size=1")  # kB
    collected = released / "submitted" / ME / ASSIGNMENT
    assert files_of(collected) == {"timestamp.txt": b"2099-01-01 00:00:00.000000 UTC"}
    assert not [path for path in collected.rglob("*") if path.is_symlink()]
    assert (f"Left out · 未收取其中的: files not taken in: {NOTEBOOK} is a "
            "symbolic link (never followed or opened); passwd is a symbolic link (never "
            "followed or opened); pipe is a named pipe (never followed or opened)") in log, log
    assert f"(never followed or opened) — {later.name}" in log, log
    assert "Ignoring file too large" in log and "big.npy" in log, log


def test_a_link_or_a_folder_of_links_replaces_no_submission(released, tmp_path):
    """An inbound entry that is a link to the solutions' folder, and a later folder holding
    only a link to the solution notebook: is each refused, with why, and the student's
    collected submission kept?"""
    submit(released, tmp_path)
    collect(released)
    collected = released / "submitted" / ME / ASSIGNMENT
    before = files_of(collected)
    solutions = released / "solutions" / ASSIGNMENT
    linked = forge(released, ME, minutes_later=1)
    linked.rmdir()
    linked.symlink_to(solutions, target_is_directory=True)
    only_links = forge(released, ME, minutes_later=2)
    (only_links / NOTEBOOK).symlink_to(solutions / NOTEBOOK)
    log = collect(released, "--update")
    assert files_of(collected) == before
    # The reason comes first, where the formgrader's narrow log box shows it.
    assert "Not collected · 未收取: it is a symbolic link, not a folder" in log, log
    assert f"— {linked.name}" in log, log
    assert "Not collected · 未收取: it holds no regular file" in log, log
    assert f"— {only_links.name}" in log, log


@pytest.mark.skipif(os.geteuid() != 0, reason="making a folder another user owns needs root")
def test_a_folder_named_for_a_classmate_is_refused_and_their_work_kept(released, tmp_path):
    """A folder named for ME but owned by another account: is it refused, does ME's collected
    submission stay, and, collected afresh, is ME's own chosen over the later forgery?"""
    submit(released, tmp_path)
    collect(released)
    collected = released / "submitted" / ME / ASSIGNMENT
    before = files_of(collected)
    forged = forge(released, ME, minutes_later=1)
    (forged / NOTEBOOK).write_text("{}")
    (forged / "timestamp.txt").write_text("2099-01-01 00:00:00.000000 UTC")
    someone_else = 65534  # nobody
    for path in (forged, *forged.iterdir()):
        os.chown(path, someone_else, someone_else)
    log = collect(released, "--update")
    assert files_of(collected) == before
    assert f"Not collected · 未收取: it is named for {ME} but owned by " in log, log
    assert f"— {forged.name}" in log, log
    shutil.rmtree(released / "submitted")
    collect(released)
    assert files_of(collected) == before
