"""Does nbgrader's formgrader show a class the course graded, as an instructor uses it?

A class of three hands in assignment 1 in a throw-away course: alice (every answer)
and bob (half of them) through nbgrader's exchange (release_assignment, their own
fetch and submit, collect), carol from a learning platform (her files placed in
submitted/ by hand). The course's class runner grades them. Then JupyterLab runs in the
course, as an instructor starts it there, and in Chromium: the formgrader, opened in
JupyterLab (its Nbgrader menu, or the address /lab?formgrader=true), shows each score and
no exchange warning; its Preview link shows the student version; a manual score is saved
and survives a reload; feedback is generated and released, students who submitted
through the exchange fetch theirs, with the manual score, and carol is named as one whose
feedback goes back through her platform. The formgrader opened as a page of its own
still meets an upstream bug on Preview (an expected failure, strict: it will say when
upstream fixed it). Screenshots are kept in test-artifacts/browser/ (formgrader-*.png).
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from browser.conftest import ARTIFACTS, lab_server, require_browser, server_problems
from course import ASSIGNMENT, NOTEBOOK, SOLUTION
from graders.assignments import find
from graders.conventions import parse_test_id
from graders.course_setup import (
    BIN,
    complete_answers,
    grade_id,
    graded_cells,
    make_submission,
    read,
    released_course,
    run_tool,
    submit,
    tool_env,
)

pytestmark = pytest.mark.browser

COURSE_ID = "numpy-dl-basics"
NOTEBOOK_ID = Path(NOTEBOOK).stem
FUNCTIONS = find(ASSIGNMENT).functions
# Who answered what, and how their work reached the instructor.
ANSWERED = {"alice": FUNCTIONS, "bob": FUNCTIONS[: len(FUNCTIONS) // 2],
            "carol": FUNCTIONS[:-2]}
THROUGH_EXCHANGE = ("alice", "bob")
# The cell bob gets a point for by hand: a public check of a function he did not write.
OVERRIDDEN = f"test_{FUNCTIONS[-1]}"


def points(answered: tuple[str, ...]) -> float:
    """The score the answers earn: the points of every test cell of each answered function."""
    tests = [(parse_test_id(grade_id(cell)), cell) for cell in graded_cells(read(SOLUTION))]
    return sum(cell.metadata.nbgrader.points for test, cell in tests
               if test and test.function in answered)


MAX_SCORE = points(FUNCTIONS)


@dataclass
class GradedClass:
    course: Path
    exchange: Path
    homes: dict[str, Path]  # the folder each exchange student works in

    def as_student(self, student: str, *args: str) -> subprocess.CompletedProcess:
        """Run nbgrader as a student on the same machine: in their folder, with their own
        Jupyter data (nbgrader's cache of their submissions), and the machine's
        configuration naming the course's exchange, as the README says to set it."""
        home = self.homes[student]
        env = {**tool_env(), "JUPYTER_CONFIG_DIR": str(home.parent / "machine"),
               "JUPYTER_DATA_DIR": str(home / ".jupyter-data")}
        result = subprocess.run([str(BIN / "nbgrader"), *args, f"--course={COURSE_ID}"],
                                cwd=home, env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        return result


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory, sandbox_ready) -> GradedClass:
    """The course released, handed in through both ways, collected and graded by the course."""
    require_browser()
    base = tmp_path_factory.mktemp("formgrader")
    course, release = released_course(base / "course", ASSIGNMENT)
    exchange = course / "exchange"  # where the course's nbgrader_config.py puts it
    machine = base / "students" / "machine"
    machine.mkdir(parents=True)
    (machine / "nbgrader_config.py").write_text(f"c.Exchange.root = {str(exchange)!r}\n")
    graded = GradedClass(course, exchange,
                         {name: base / "students" / name for name in THROUGH_EXCHANGE})
    complete = complete_answers(ASSIGNMENT)

    run_tool("nbgrader", "release_assignment", ASSIGNMENT, cwd=course)
    for student in THROUGH_EXCHANGE:
        graded.homes[student].mkdir()
        graded.as_student(student, "fetch_assignment", ASSIGNMENT)
        fetched = graded.homes[student] / ASSIGNMENT / NOTEBOOK
        answers = {name: complete[name] for name in ANSWERED[student]}
        nbformat.write(make_submission(read(fetched), answers), fetched)
        graded.as_student(student, "submit", ASSIGNMENT, f"--student={student}")
    run_tool("nbgrader", "collect", ASSIGNMENT, cwd=course)
    submit(course, "carol", ASSIGNMENT,
           make_submission(release, {name: complete[name] for name in ANSWERED["carol"]}))

    grading = subprocess.run([str(BIN / "python"), "-m", "graders.grade", ASSIGNMENT,
                              "--jobs", "2", "--no-progress"], cwd=course, env=tool_env(),
                             capture_output=True, text=True, timeout=600)
    assert grading.returncode == 0, grading.stdout + grading.stderr
    return graded


@pytest.fixture(scope="module")
def instructor_lab(graded_class, tmp_path_factory):
    """JupyterLab started in the course by `jupyter lab`, on a machine with no nbgrader set-up."""
    root_flag = ["--allow-root"] if os.geteuid() == 0 else []
    with lab_server(["jupyter", "lab", *root_flag], graded_class.course,
                    tmp_path_factory.mktemp("instructor-lab")) as lab:
        yield lab


def open_formgrader(page, lab, address: str = "/lab"):
    """Open the formgrader in JupyterLab, from its Nbgrader menu unless the address opens it
    (``/lab?formgrader=true``, as the README gives it); returns the formgrader's frame."""
    page.goto(f"{lab.url}{address}")
    if "formgrader" not in address:
        page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
        page.locator(".lm-Menu-itemLabel", has_text="Formgrader").first.click()
    formgrader = page.frame_locator("#formgrader-iframe iframe")
    formgrader.locator("h1", has_text="Manage Assignments").wait_for(timeout=60_000)
    return formgrader


def assignment_row(formgrader):
    row = formgrader.locator("tr", has=formgrader.locator("td", has_text=ASSIGNMENT))
    row.locator("td.num-submissions").wait_for()
    return row


def error_dialog(page, timeout_ms: float = 3000) -> str | None:
    """The text of a JupyterLab error dialog, if one opens within the time given."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    dialog = page.locator(".jp-Dialog")
    try:
        dialog.wait_for(timeout=timeout_ms)
    except PlaywrightTimeout:  # no dialog, as it should be
        return None
    return dialog.inner_text()


def show_submissions(formgrader) -> None:
    """Go to Manual Grading's list of the notebook's submissions, with their scores."""
    formgrader.get_by_role("link", name="Manual Grading").click()
    formgrader.get_by_role("link", name=ASSIGNMENT).click()
    formgrader.get_by_role("link", name=NOTEBOOK_ID).click()
    formgrader.locator("td.score").first.wait_for()


def class_scores(formgrader) -> list[str]:
    show_submissions(formgrader)
    return sorted(formgrader.locator("td.score").all_inner_texts())


def show_submission(formgrader, student: str) -> None:
    """Open one student's submission from the list, as an instructor finds it by name."""
    show_submissions(formgrader)
    formgrader.get_by_role("button", name="Show All Names").click()  # the students' ids
    formgrader.locator("a.name-shown", has_text=student).click()


def console_errors(page) -> list[str]:
    """The page's console errors, but for MathJax's: nbgrader's submission page loads it from a
    CDN, in vain on a machine without internet, and needs none (formulas are MathML here:
    nbgrader_config.py, tests/browser/test_formulas.py)."""
    return [error for error in page.console_errors if "mathjax" not in error.lower()]


def shown(score: float) -> str:
    """A score as the formgrader writes it: 16 / 16, 8.5 / 16."""
    return f"{score:g} / {MAX_SCORE:g}"


def test_the_formgrader_shows_the_graded_class_without_exchange_warnings(
        instructor_lab, browser_page):
    """Does the formgrader list the class with the scores it earned, and no exchange error?"""
    page = browser_page
    formgrader = open_formgrader(page, instructor_lab)
    row = assignment_row(formgrader)
    assert row.locator("td.num-submissions").inner_text().strip() == str(len(ANSWERED))
    assert formgrader.locator("#warning-exchange").count() == 0
    page.screenshot(path=ARTIFACTS / "formgrader-assignments.png")

    expected = sorted(shown(points(answered)) for answered in ANSWERED.values())
    assert class_scores(formgrader) == expected
    page.screenshot(path=ARTIFACTS / "formgrader-submissions.png")

    assert page.console_errors == []
    assert "Unwritable directory" not in instructor_lab.log_text()
    assert server_problems(instructor_lab) == []


def test_preview_shows_the_student_version_without_an_error(instructor_lab, browser_page):
    """Does the Preview link show notebooks/<assignment>, with no "File Load Error" dialog?"""
    page = browser_page
    formgrader = open_formgrader(page, instructor_lab, "/lab?formgrader=true")
    assignment_row(formgrader).locator("td.preview a").click()
    listing = page.locator(".jp-FileBrowser .jp-DirListing-item", has_text=NOTEBOOK)
    listing.wait_for(timeout=30_000)
    assert error_dialog(page) is None
    crumbs = "".join(page.locator(".jp-FileBrowser .jp-BreadCrumbs").inner_text().split())
    assert crumbs == f"/notebooks/{ASSIGNMENT}/", crumbs
    page.screenshot(path=ARTIFACTS / "formgrader-preview.png")
    assert page.console_errors == []


def test_a_manual_score_persists_and_feedback_reaches_the_students(
        instructor_lab, browser_page, graded_class):
    """Is a score set by hand saved, shown after a reload, and in the feedback students fetch,
    with feedback released to those who used the exchange and the others named?"""
    from playwright.sync_api import expect  # imported here: without Playwright, tests skip

    page = browser_page
    formgrader = open_formgrader(page, instructor_lab)
    show_submission(formgrader, "bob")
    score = formgrader.locator(f"input.score#{OVERRIDDEN}")
    expect(score).to_have_attribute("placeholder", "0")  # bob did not write that function
    with page.expect_response(lambda r: "/formgrader/api/grade/" in r.url
                              and r.request.method == "PUT") as saved:
        score.fill("1")
        score.press("Tab")
    assert saved.value.ok
    show_submission(formgrader, "bob")  # the page loaded again, its scores from the gradebook
    expect(score).to_have_value("1")
    formgrader.locator(".live-notebook span.name-hidden").click()  # whose page it is
    expect(formgrader.locator(".live-notebook a.name-shown")).to_have_text("bob")
    score.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "formgrader-manual-score.png")
    bob = points(ANSWERED["bob"]) + 1
    assert shown(bob) in class_scores(formgrader)

    formgrader.get_by_role("link", name="Manage Assignments").click()
    assignment_row(formgrader).locator("td.generate-feedback a").click()
    success = formgrader.locator(".modal.in", has_text="Successfully generated feedback")
    success.wait_for(timeout=180_000)
    success.get_by_role("button", name="OK").click()
    success.wait_for(state="detached")
    assignment_row(formgrader).locator("td.release-feedback a").click()
    released = formgrader.locator(".modal.in", has_text="Successfully released feedback")
    released.wait_for(timeout=60_000)
    expect(released).to_have_css("opacity", "1")  # faded in, for the screenshot
    log = released.locator("pre").inner_text()
    page.screenshot(path=ARTIFACTS / "formgrader-feedback-released.png")
    assert "Feedback not released for carol: their work did not come through" in log, log
    assert (graded_class.course / "feedback" / "carol" / ASSIGNMENT / f"{NOTEBOOK_ID}.html"
            ).is_file(), "carol's feedback page, to upload to her platform"
    outbound = graded_class.exchange / COURSE_ID / "feedback"
    assert len(list(outbound.glob("*.html"))) == len(THROUGH_EXCHANGE), "one page each"

    for student in THROUGH_EXCHANGE:
        graded_class.as_student(student, "fetch_feedback", ASSIGNMENT, f"--student={student}")
        pages = list((graded_class.homes[student] / ASSIGNMENT / "feedback").glob(
            f"*/{NOTEBOOK_ID}.html"))
        assert len(pages) == 1, pages
        earned = bob if student == "bob" else points(ANSWERED[student])
        heading = f"{NOTEBOOK_ID} (Score: {earned:.1f} / {MAX_SCORE:.1f})"
        assert heading in pages[0].read_text(encoding="utf-8"), student
    assert console_errors(page) == []
    assert server_problems(instructor_lab) == []


# Last: the error it meets leaves a 404 in the server's log, which the tests above check.
@pytest.mark.xfail(strict=True, reason=(
    "upstream: opened as a page of its own (/formgrader), nbgrader's Preview links to the "
    "Notebook UI's /tree/notebooks/<id>, and Notebook 7 reads any path with /notebooks/ "
    "in it as a notebook to open (jupyter/notebook#7216). The README tells instructors to "
    "open the formgrader from JupyterLab; when this passes, that advice can go."))
def test_preview_from_the_formgrader_page_of_its_own(instructor_lab, browser_page):
    """Opened at /formgrader, outside JupyterLab, does Preview show the folder without error?"""
    page = browser_page
    page.goto(f"{instructor_lab.url}/formgrader/manage_assignments")
    with page.context.expect_page() as opened:
        assignment_row(page).locator("td.preview a").click()
    tree = opened.value
    tree.locator(".jp-DirListing-item", has_text=NOTEBOOK).wait_for(timeout=30_000)
    problem = error_dialog(tree)
    tree.screenshot(path=ARTIFACTS / "formgrader-preview-own-page.png")
    assert problem is None, problem
