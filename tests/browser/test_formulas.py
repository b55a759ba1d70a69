"""Do formulas show without internet in nbgrader's pages, and does nothing a student wrote run?

One student hands in the course's notebook with a markdown cell of their own: formulas,
and HTML meant to run script. The real `nbgrader autograde` and `generate_feedback` grade
it. Then headless Chromium, every request that would leave this machine aborted (a machine
without internet), opens

- the feedback file from disk, as a student opens a file downloaded from a learning platform;
- the submission in nbgrader's formgrader, in a Jupyter server started on 127.0.0.1.

In each, every formula of the notebook is MathML that the browser laid out (fractions
stacked), no TeX or `$$` is left in the text, and nothing the student wrote runs. The
request the formgrader's Autograde button sends regrades the student with no false alarm
in its log. Screenshots: test-artifacts/browser/formulas-*.png.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from browser.conftest import ARTIFACTS, lab_server, require_browser
from course import ASSIGNMENT, NOTEBOOK
from graders.course_setup import (
    complete_answers,
    make_submission,
    read,
    released_course,
    run_tool,
    submit,
)
from test_feedback import formulas_in

pytestmark = pytest.mark.browser

STUDENT = "ada"
# The student's own note: two formulas, then what would run if the page let it. (A
# `javascript:` link is clicked by the test; the last line confuses HTML and MathML parsers.)
NOTE = "\n\n".join([
    r"My summary · 我的总结: $\hat{y} = \sigma(w^T x + b)$, and",
    r"$$L_1 = \sum_{i=0}^{m-1} \lvert y^{(i)} - \hat{y}^{(i)} \rvert$$",
    """<img src="x" onerror="window.owned = 'onerror'">""",
    """<a href="javascript:window.owned = 'link'">click me</a>""",
    r"""$\text{<img src=y onerror=window.owned='tex'>}$""",
    """<math><mtext><table><mglyph><style><!--</style>"""
    """<img title="--&gt;&lt;img src=1 onerror=window.owned='mxss'&gt;">""",
])

# How Chromium lays out each <math> (MathML Core: "math" or "block math"; an element it
# did not know would be "inline"), and whether each fraction's numerator sits above its
# denominator.
LAID_OUT = """() => ({
  displays: [...document.querySelectorAll('math')].map(m => getComputedStyle(m).display),
  stacked: [...document.querySelectorAll('mfrac')].map(f => {
    const [top, bottom] = [...f.children].map(c => c.getBoundingClientRect());
    return top.height > 0 && bottom.height > 0 && top.bottom <= bottom.top + 1;
  }),
  texts: [...document.querySelectorAll('math')].map(m => m.textContent),
  page: document.body.innerText,
})"""


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory, sandbox_ready) -> Path:
    """A course in which the student's notebook, note included, is graded and fed back."""
    require_browser()
    course, release = released_course(tmp_path_factory.mktemp("course"), ASSIGNMENT)
    notebook = make_submission(release, complete_answers(ASSIGNMENT))
    notebook.cells.append(nbformat.v4.new_markdown_cell(NOTE))
    submit(course, STUDENT, ASSIGNMENT, notebook)
    run_tool("nbgrader", "autograde", ASSIGNMENT, cwd=course)
    run_tool("nbgrader", "generate_feedback", ASSIGNMENT, cwd=course)
    return course


def expected_math(course: Path) -> int:
    """How many <math> the page should hold: one per formula nbconvert finds in the
    student's markdown (what MathJax would typeset), and the note's own <math> element."""
    notebook = read(course / "submitted" / STUDENT / ASSIGNMENT / NOTEBOOK)
    return NOTE.count("<math>") + sum(len(formulas_in(cell.source)) for cell in notebook.cells
                                      if cell.cell_type == "markdown")


def without_internet(page) -> list[str]:
    """Abort every request that would leave this machine; the list fills with their URLs."""
    tried: list[str] = []

    def route(route) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:", "http://127.0.0.1:")):
            route.continue_()
        else:
            tried.append(url)
            route.abort("internetdisconnected")

    page.route("**/*", route)
    return tried


def check_formulas_and_safety(page, expected: int, name: str) -> None:
    """Every formula laid out as MathML, no TeX left, and nothing of the student's ran."""
    page.get_by_text("click me").click()
    seen = page.evaluate(LAID_OUT)

    page.locator("math[display=block]").first.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / f"formulas-{name}.png")
    note = page.locator("p", has_text="My summary").first
    note.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / f"formulas-{name}-student-note.png")

    assert len(seen["displays"]) == expected
    assert set(seen["displays"]) == {"math", "block math"}
    assert seen["stacked"] and all(seen["stacked"]), seen["stacked"]
    for tex in ("$$", "\\frac", "\\sum", "\\lvert", "\\bigl", "\\text"):
        assert tex not in seen["page"], tex
    # The sigmoid, the L1 loss and the student's own formula, as their characters read.
    assert "σ(x)=11+e−x" in seen["texts"]
    assert any("∑" in text and "m−1" in text and "|" in text for text in seen["texts"])
    assert "y^=σ(wTx+b)" in seen["texts"]
    assert page.evaluate("() => window.owned") is None  # set by any payload that ran


def test_feedback_file_shows_formulas_offline_and_runs_nothing(graded_course, browser_page):
    """Opened from disk with no internet, does the feedback show every formula as MathML?"""
    page = browser_page
    tried = without_internet(page)
    feedback = graded_course / "feedback" / STUDENT / ASSIGNMENT / NOTEBOOK.replace(
        ".ipynb", ".html")
    page.goto(feedback.as_uri())
    page.wait_for_load_state("load")
    check_formulas_and_safety(page, expected_math(graded_course), "feedback")
    # Only nbgrader's template asked the internet for something (MathJax), in vain.
    assert all("mathjax" in url.lower() for url in tried), tried


@pytest.fixture(scope="module")
def formgrader_url(graded_course, tmp_path_factory) -> Iterator[str]:
    """A Jupyter server, and so nbgrader's formgrader, started in the course on 127.0.0.1."""
    root_flag = ["--allow-root"] if os.geteuid() == 0 else []
    with lab_server(["jupyter", "server", *root_flag], graded_course,
                    tmp_path_factory.mktemp("formgrader")) as server:
        yield server.url


def test_formgrader_shows_formulas_offline_and_runs_nothing(graded_course, formgrader_url,
                                                            browser_page):
    """With no internet, does the formgrader's submission page show every formula?"""
    with Gradebook(f"sqlite:///{graded_course / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission_notebook(
            NOTEBOOK.removesuffix(".ipynb"), ASSIGNMENT, STUDENT).id
    page = browser_page
    without_internet(page)
    page.goto(f"{formgrader_url}/formgrader/submissions/{submission}/")
    page.wait_for_load_state("load")
    check_formulas_and_safety(page, expected_math(graded_course), "formgrader")


def test_formgrader_autograde_button_raises_no_false_alarm(formgrader_url, browser_page):
    """Does the formgrader's Autograde (its request) regrade with no checksum warning?"""
    response = browser_page.request.post(
        f"{formgrader_url}/formgrader/api/submission/{ASSIGNMENT}/{STUDENT}/autograde",
        timeout=300_000)
    result = response.json()
    assert result["success"], result.get("error")
    log = result["log"]
    assert "Sanitizing" in log and "Autograding" in log  # nbgrader's own log, both steps
    assert "has changed!" not in log, log
