"""Does the engine grade any registered assignment, and fail closed on what it does not know?

Each test builds a small course of its own, with assignments registered as any
instructor's package would register them (tests/plugins.py), and grades it with
the real `python -m graders.grade` or plain `nbgrader autograde`.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from course import ROOT
from graders.course_setup import make_submission, tool_env
from plugins import TINY_CHECKS, cell, registered, tiny_notebook, write_source

pytestmark = pytest.mark.usefixtures("sandbox_ready")

RIGHT = "def double(x):\n    return 2 * x"
WRONG = "def double(x):\n    return x"


def new_course(folder: Path, config: str = "") -> Path:
    course = folder / "course"
    course.mkdir()
    shutil.copy2(ROOT / "nbgrader_config.py", course)
    if config:
        with (course / "nbgrader_config.py").open("a") as handle:
            handle.write("\n" + config)
    return course


def run(args: list[str], course: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=course, env={**tool_env(), **env}, capture_output=True,
                          text=True, timeout=900)


def nbgrader(course: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    result = run([str(Path(sys.executable).parent / "nbgrader"), *args], course, env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def grade(course: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    return run([sys.executable, "-m", "graders.grade", *args, "--no-progress", "--jobs", "1"],
               course, env)


def release_and_submit(course: Path, env: dict, assignment: str, students: dict[str, str],
                       submitted: str = "submitted") -> None:
    nbgrader(course, env, "generate_assignment", assignment, "--force")
    release = nbformat.read(course / "notebooks" / assignment / "tiny.ipynb", as_version=4)
    for student, answer in students.items():
        folder = course / submitted / student / assignment
        folder.mkdir(parents=True)
        nbformat.write(make_submission(release, {"double": answer}), folder / "tiny.ipynb")


def scores(course: Path, assignment: str) -> dict[str, float]:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {s.student.id: s.score for s in gradebook.find_assignment(assignment).submissions}


def test_a_stale_gradebook_is_refused_with_the_command_that_brings_it_up_to_date(tmp_path):
    """After a hidden input is edited but not released with the gradebook, is grading refused?"""
    course = new_course(tmp_path)
    write_source(course, "tiny", "tiny", tiny_notebook("[3, -1.5, 0.25]"))
    with registered(tmp_path, "tiny_checks", TINY_CHECKS, ["tiny"]) as env:
        release_and_submit(course, env, "tiny", {"ada": RIGHT, "bob": WRONG})
        write_source(course, "tiny", "tiny", tiny_notebook("[3, -1.5, 7]"))

        refused = grade(course, env, "tiny")
        assert refused.returncode == 1
        assert refused.stderr.startswith("Nothing graded: the gradebook's tests of tiny are "
                                         "not those of its source notebooks"), refused.stderr
        assert "test_double_hidden (tiny)" in refused.stderr
        assert "make release A=tiny" in refused.stderr
        assert scores(course, "tiny") == {}

        nbgrader(course, env, "generate_assignment", "tiny", "--force")
        graded = grade(course, env, "tiny")
        assert graded.returncode == 0, graded.stdout + graded.stderr
        assert scores(course, "tiny") == {"ada": 1.0, "bob": 0.0}


def test_plain_nbgrader_judges_the_hidden_inputs_the_kernel_ran(tmp_path):
    """Run by plain `nbgrader autograde` on a stale gradebook, does a right answer get full marks?

    The kernel runs the hidden cells the gradebook holds; the verdict must use exactly
    those inputs, not the edited ones of the source notebook.
    """
    course = new_course(tmp_path)
    write_source(course, "tiny", "tiny", tiny_notebook("[3, -1.5, 0.25]"))
    with registered(tmp_path, "tiny_checks", TINY_CHECKS, ["tiny"]) as env:
        release_and_submit(course, env, "tiny", {"ada": RIGHT, "bob": WRONG})
        # An edit that only the source notebook has: a hidden input the kernel will not run.
        write_source(course, "tiny", "tiny", tiny_notebook("[3, -1.5, 0.25, 9]"))
        nbgrader(course, env, "autograde", "tiny")
        assert scores(course, "tiny") == {"ada": 1.0, "bob": 0.0}


def test_a_graded_cell_the_engine_does_not_know_fails_and_the_instructor_is_told(tmp_path):
    """Does an unknown graded test cell fail for everyone (never nbgrader's in-kernel pass)?"""
    course = new_course(tmp_path)
    nb = tiny_notebook()
    nb.cells.append(cell("assert True  # an in-kernel check the engine cannot judge",
                         "extra_check", points=1))
    write_source(course, "tiny", "tiny", nb)
    with registered(tmp_path, "tiny_checks", TINY_CHECKS, ["tiny"]) as env:
        release_and_submit(course, env, "tiny", {"ada": RIGHT})
        result = grade(course, env, "tiny")
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stderr.count("extra_check (tiny)") == 1, result.stderr
        assert "will fail for every student" in result.stderr
        assert scores(course, "tiny") == {"ada": 1.0}  # 1 of 2: the unknown cell scores 0
        feedback = (course / "feedback" / "ada" / "tiny" / "tiny.html").read_text()
        assert "not a test the grading engine knows" in feedback


def test_an_assignment_nobody_registered_is_refused_or_fails_closed(tmp_path):
    """Is an assignment the engine does not know refused up front, and failed by nbgrader?"""
    course = new_course(tmp_path)
    write_source(course, "ghost", "tiny", tiny_notebook())
    env: dict = {}
    release_and_submit(course, env, "ghost", {"ada": RIGHT})
    refused = grade(course, env, "ghost")
    assert refused.returncode == 1
    assert refused.stderr.startswith("Nothing graded: no assignment is registered as 'ghost'")

    plain = nbgrader(course, env, "autograde", "ghost")
    assert scores(course, "ghost") == {"ada": 0.0}
    assert plain.stderr.count("no test of ghost can be judged") == 1, plain.stderr


TWO_ASSIGNMENTS = TINY_CHECKS + '''
ASSIGNMENT_2 = Assignment("tiny_2", cases=CASES)
'''


def test_every_assignment_with_submissions_is_graded_in_the_configured_folders(tmp_path):
    """Without an id, are all assignments with submissions graded, each with its own reports?"""
    course = new_course(tmp_path, config='c.CourseDirectory.submitted_directory = "handins"\n'
                        'c.CourseDirectory.autograded_directory = "marked"\n'
                        'c.CourseDirectory.feedback_directory = "returned"\n')
    for assignment in ("tiny", "tiny_2", "tiny_3"):
        write_source(course, assignment, "tiny", tiny_notebook())
    with registered(tmp_path, "tiny_checks", TWO_ASSIGNMENTS, ["tiny"]) as env:
        info = tmp_path / "plugins" / "tiny_checks-0.dist-info" / "entry_points.txt"
        info.write_text(info.read_text() + "tiny_2 = tiny_checks:ASSIGNMENT_2\n")
        release_and_submit(course, env, "tiny", {"ada": RIGHT, "bob": WRONG}, "handins")
        release_and_submit(course, env, "tiny_2", {"ada": WRONG}, "handins")
        nbgrader(course, env, "generate_assignment", "tiny_3", "--force")  # nobody submitted

        result = grade(course, env)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "tiny: graded 2 of 2" in result.stdout and "tiny_2: graded 1 of 1" in result.stdout
        assert "tiny_3" not in result.stdout
        assert scores(course, "tiny") == {"ada": 1.0, "bob": 0.0}
        assert scores(course, "tiny_2") == {"ada": 0.0}
        assert (course / "marked" / "bob" / "tiny" / "tiny.ipynb").exists()
        assert (course / "returned" / "ada" / "tiny_2" / "tiny.html").exists()
        assert not (course / "autograded").exists() and not (course / "feedback").exists()
        with (course / "reports" / "tiny_2" / "grades.csv").open() as handle:
            assert {row["assignment"] for row in csv.DictReader(handle)} == {"tiny_2"}


def test_an_assignment_module_the_kernel_cannot_import_is_refused_up_front(tmp_path):
    """If the grading kernel cannot import the assignment's module, is grading refused?

    Its hidden cells record through that module: without it, every student would fail
    every hidden test. Here the module needs another module that the grader can import
    and the sandboxed kernel cannot (it is not part of the assignment's package).
    """
    course = new_course(tmp_path)
    write_source(course, "tiny", "tiny", tiny_notebook())
    with registered(tmp_path, "broken_checks", "import helper_beside\n" + TINY_CHECKS,
                    ["tiny"]) as env:
        (tmp_path / "plugins" / "helper_beside.py").write_text("")
        release_and_submit(course, env, "tiny", {"ada": RIGHT})
        refused = grade(course, env, "tiny")
    assert refused.returncode == 1
    assert refused.stderr.startswith(
        "Nothing graded: the grading kernel cannot import broken_checks, the module of the "
        "assignment tiny, so every hidden test would fail: ModuleNotFoundError"), refused.stderr
    assert scores(course, "tiny") == {}
