"""Does `make lab` give a new student a working notebook of their own, in a real browser?

`make lab` runs, unchanged, in a student's clone of this working tree (see
conftest.py). It must serve the repository as its root (so nbgrader finds its
course and says nothing about server roots), open the student's own copy in work/,
show every figure, and keep the student's answers out of git's way: after they type
and save, `git status` is clean, a course update pulls without conflict, and
`make update` brings the new version without touching their file.
"""

from __future__ import annotations

import subprocess

import nbformat
import pytest

from browser.conftest import (
    ARTIFACTS,
    RENDERED_IMAGES,
    WORK,
    git,
    make,
    make_lab,
    open_notebook,
    server_problems,
)
from course import ASSIGNMENT, NOTEBOOK, RELEASE
from graders.course_setup import cell_by_id, read

pytestmark = pytest.mark.browser

# What a student types in place of the stub's `raise NotImplementedError()`.
ANSWER = "s = 1 / (1 + np.exp(-x))"
UPDATE_NOTE = "Course update: a clearer introduction · 课程更新：更清楚的引言"


@pytest.fixture(scope="module")
def student_lab(checkout, exchange, tmp_path_factory):
    """JupyterLab as `make lab` starts it in the student's clone."""
    with make_lab("lab", checkout.student, tmp_path_factory.mktemp("student-lab"),
                  exchange) as lab:
        yield lab


def figures(nb) -> dict[str, list[str]]:
    """The attachments each markdown cell shows, by cell id."""
    return {cell.id: sorted(cell.attachments) for cell in nb.cells
            if cell.cell_type == "markdown" and cell.get("attachments")}


def test_make_lab_serves_the_repository_and_opens_the_students_own_copy(student_lab, checkout):
    """Is the server's root the repository, and the opened notebook the copy in work/?"""
    assert student_lab.open_path == WORK
    assert f"Serving notebooks from local directory: {checkout.student}\n" in student_lab.log_text()
    assert (checkout.student / WORK).read_bytes() == RELEASE.read_bytes()
    ignored = subprocess.run(["git", "check-ignore", "-q", WORK], cwd=checkout.student,
                             check=False)
    assert ignored.returncode == 0, f"git does not ignore {WORK}"


def test_every_figure_shows_and_the_server_logs_no_404(student_lab, browser_page):
    """Does every image of the student's notebook load, with nothing missing on the server?"""
    page = browser_page
    open_notebook(page, student_lab, WORK)
    images = page.evaluate(RENDERED_IMAGES)
    expected = figures(read(RELEASE))
    assert len(expected) == 2, "the notebook shows two figures"
    assert sorted(image["cell"] for image in images) == sorted(expected), images
    for image in images:
        assert image["complete"] and image["width"] > 0 and image["height"] > 0, image
        assert image["src"].startswith("data:image/png;base64,"), image
        cell = page.locator(f'[data-test-cell="{image["cell"]}"]')
        cell.scroll_into_view_if_needed()
        cell.screenshot(path=ARTIFACTS / f"lab-figure-{image['cell']}.png")
    page.screenshot(path=ARTIFACTS / "lab-student-notebook.png")

    shown = {name for names in expected.values() for name in names}
    assert set(page.attachment_tries) <= shown, page.attachment_tries
    assert page.failed_requests == []
    assert page.console_errors == []
    assert server_problems(student_lab) == []


def type_answer(page) -> None:
    """Replace the stub's `raise NotImplementedError()` in the `sigmoid` cell, key by key."""
    editor = page.locator('[data-test-cell="sigmoid"] .cm-content')
    editor.scroll_into_view_if_needed()
    editor.click()
    page.keyboard.press("Control+End")  # the stub's last line: `    return s`
    page.keyboard.press("ArrowUp")
    page.keyboard.press("End")
    page.keyboard.press("Shift+Home")  # the line's text, its indentation kept
    page.keyboard.type(ANSWER)


# Run some cells by id, as Shift+Enter on each would, and wait for the kernel.
RUN_CELLS = """async ids => {
  const panel = window.jupyterapp.shell.currentWidget;
  for (const id of ids) {
    panel.content.activeCellIndex = panel.content.widgets.findIndex(c => c.model.id === id);
    await window.jupyterapp.commands.execute('notebook:run-cell');
  }
}"""

CELL_OUTPUT = """id => window.jupyterapp.shell.currentWidget.content.widgets
  .find(c => c.model.id === id).model.outputs.toJSON()
  .map(o => o.text || o.evalue || '').join('')"""


def test_a_students_answers_stay_out_of_git_and_survive_a_course_update(
        student_lab, browser_page, checkout):
    """After typing and saving in JupyterLab, is git clean, and does an update keep the answer?"""
    page = browser_page
    open_notebook(page, student_lab, WORK)
    type_answer(page)
    page.evaluate(RUN_CELLS, ["imports", "sigmoid", "test_sigmoid"])
    page.wait_for_function(
        "() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status"
        " === 'idle'", timeout=60_000)
    assert page.evaluate(CELL_OUTPUT, "test_sigmoid").startswith("✓ sigmoid_test: all ")
    page.keyboard.press("Control+s")
    page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty",
                           timeout=30_000)
    saved = (checkout.student / WORK).read_bytes()
    answer = cell_by_id(nbformat.reads(saved.decode(), as_version=4), "sigmoid").source
    assert answer.endswith(f"    # YOUR CODE HERE\n    {ANSWER}\n    return s"), answer
    assert "NotImplementedError" not in answer
    page.locator('[data-test-cell="sigmoid"]').screenshot(
        path=ARTIFACTS / "lab-student-typed-answer.png")
    assert git("status", "--porcelain", cwd=checkout.student) == ""

    # The instructor publishes a new version of the notebook.
    release = checkout.upstream / "notebooks" / ASSIGNMENT / NOTEBOOK
    nb = read(release)
    nb.cells[0].source += f"\n\n{UPDATE_NOTE}"
    nbformat.write(nb, release)
    git("commit", "-q", "-am", "A clearer introduction", cwd=checkout.upstream)

    # The student pulls it, as the README says, and asks for the new version.
    git("pull", "-q", "--ff-only", cwd=checkout.student)
    assert UPDATE_NOTE in (checkout.student / "notebooks" / ASSIGNMENT / NOTEBOOK).read_text()
    update = make("update", cwd=checkout.student)
    assert (checkout.student / WORK).read_bytes() == saved, "make update changed the student's file"
    beside = sorted((checkout.student / WORK).parent.glob("numpy_basics.update-*.ipynb"))
    assert len(beside) == 1, update.stdout
    assert str(beside[0].relative_to(checkout.student)) in update.stdout
    assert UPDATE_NOTE in beside[0].read_text(encoding="utf-8")
    assert "untouched" in update.stdout

    # Nothing remakes or overwrites the copy: make lab would open it as it is.
    assert make("--question", WORK, cwd=checkout.student).returncode == 0
    again = make("update", cwd=checkout.student)
    assert "nothing new for" in again.stdout, again.stdout
    assert (checkout.student / WORK).read_bytes() == saved
    assert git("status", "--porcelain", cwd=checkout.student) == ""
    assert page.console_errors == []
    assert server_problems(student_lab) == []
