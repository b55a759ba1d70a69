"""Does the course work for a self-learner in a real JupyterLab, in a real browser?

`make solutions` (run in a student's clone, see conftest.py) opens the self-learner's
own copy of the worked solutions. One walk through it: run all cells, find no error
output and no console error, see each hidden test cell say in a sentence what it
recorded (never the raw record the grader reads), move the sigmoid explorer's x₀
slider by keyboard and by mouse drag and see the printed slope and the figure change
(a drag moves x₀ by the distance dragged, at the x-axis's scale, on the slider or on
the figure), see every slider's label whole, the softmax readout and text agree, and
ipympl's toolbar stay off the axes, then use nbgrader's own JupyterLab tools
(validate button, assignment list).
Screenshots are kept in test-artifacts/browser/.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from browser.conftest import (
    ARTIFACTS,
    CUT_LABELS,
    ERROR_OUTPUTS,
    HIDDEN_OUTPUTS,
    RUN_FINISHED,
    TAG_CELLS,
    WORK_SOLUTION,
    canvas_pixels,
    changed_fraction,
    open_notebook,
    server_problems,
)
from course import ASSIGNMENT
from graders.course_setup import BIN, tool_env
from graders.explorers.widgets import TOOLBAR_MARGIN_PX

pytestmark = pytest.mark.browser

EXPLORER = '[data-test-cell="explore_sigmoid"]'
SOFTMAX = '[data-test-cell="explore_softmax"]'
NORMALIZE = '[data-test-cell="explore_normalize_rows"]'

def bbox(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def x0_of(text: str) -> float:
    return float(re.search(r"x₀ = (-?[0-9.]+)", text).group(1))


def sigmoid_geometry() -> tuple[float, float]:
    """The sigmoid figure's pixels per unit of x, and the pixel of x = −7, as Python lays it out."""
    from graders.course_setup import reference_functions
    from graders.explorers.widgets import SigmoidExplorer

    reference = reference_functions(ASSIGNMENT)
    explorer = SigmoidExplorer(reference["sigmoid"], reference["sigmoid_derivative"],
                               interactive=False)
    scale = explorer.pixels_per_unit()
    return scale, float(explorer.ax.transData.transform((-7, 0))[0])


def toolbar_clear_of_axes(page, cell: str, name: str) -> None:
    """Hover the figure so ipympl shows its toolbar; it must stay in the figure's free strip."""
    canvas = bbox(page, f"{cell} .jupyter-matplotlib-canvas-div canvas")
    page.mouse.move(canvas["x"] + canvas["width"] / 2, canvas["y"] + canvas["height"] / 2)
    page.wait_for_timeout(800)  # the toolbar fades in
    page.locator(cell).screenshot(path=ARTIFACTS / f"{name}-toolbar.png")
    toolbar = bbox(page, f"{cell} .jupyter-matplotlib-toolbar")
    assert toolbar is not None and toolbar["width"] > 0
    assert toolbar["x"] >= canvas["x"] + canvas["width"] - TOOLBAR_MARGIN_PX, (toolbar, canvas)
    assert toolbar["x"] + toolbar["width"] <= canvas["x"] + canvas["width"] + 4, (toolbar, canvas)


def slope_text(page) -> str:
    return page.locator(f"{EXPLORER} .widget-html-content", has_text="slope at").inner_text()


def wait_for_new_slope(page, old: str) -> str:
    page.wait_for_function(
        """([selector, old]) => [...document.querySelectorAll(selector)]
              .some(e => e.innerText.includes('slope at') && e.innerText !== old)""",
        arg=[f"{EXPLORER} .widget-html-content", old], timeout=15_000,
    )
    page.wait_for_timeout(500)  # let the canvas receive the redrawn image
    return slope_text(page)


def test_nbgrader_lab_extensions_are_installed_and_enabled():
    """Does `jupyter labextension list` show nbgrader's extensions enabled and OK?"""
    out = subprocess.run([str(BIN / "jupyter"), "labextension", "list"], env=tool_env(),
                         capture_output=True, text=True, check=True)
    listing = out.stdout + out.stderr
    line = next(line for line in listing.splitlines() if "nbgrader" in line)
    assert "enabled" in line and "OK" in line, listing
    assert "jupyter-matplotlib" in listing and "jupyterlab-manager" in listing


def test_make_solutions_opens_the_self_learners_own_copy(solutions_lab, checkout):
    """Does `make solutions` open a copy of the solutions in work/, which git ignores?"""
    assert solutions_lab.open_path == WORK_SOLUTION
    copy = checkout.student / WORK_SOLUTION
    assert copy.read_bytes() == (checkout.student / "solutions" / ASSIGNMENT
                                 / "numpy_basics.ipynb").read_bytes()
    ignored = subprocess.run(["git", "check-ignore", "-q", WORK_SOLUTION],
                             cwd=checkout.student, check=False)
    assert ignored.returncode == 0, f"git does not ignore {WORK_SOLUTION}"


def test_self_learner_runs_the_notebook_and_moves_the_explorer(solutions_lab, browser_page):
    """Run all, no errors anywhere, hidden cells speak plainly; the x₀ slider moves the figure."""
    page = browser_page
    open_notebook(page, solutions_lab, WORK_SOLUTION)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(RUN_FINISHED, timeout=120_000)
    page.evaluate(TAG_CELLS)
    assert page.evaluate(ERROR_OUTPUTS) == []

    hidden = page.evaluate(HIDDEN_OUTPUTS)
    assert len(hidden) == 8, hidden
    for cell, printed in hidden.items():
        function = cell.removeprefix("test_").removesuffix("_hidden")
        assert printed.startswith(f"✓ recorded {function} on "), (cell, printed)
        assert "hidden tests are judged when your work is graded" in printed, (cell, printed)
        assert "GRADERS-RECORD" not in printed and "{" not in printed, (cell, printed)
    page.locator('[data-test-cell="test_sigmoid_hidden"]').scroll_into_view_if_needed()
    page.locator('[data-test-cell="test_sigmoid_hidden"]').screenshot(
        path=ARTIFACTS / "hidden-cell-output.png")

    page.locator(f"{EXPLORER} .jupyter-matplotlib-canvas-div canvas").first.wait_for()
    page.locator(EXPLORER).scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    page.locator(EXPLORER).screenshot(path=ARTIFACTS / "explorer-before.png")
    start_text, start_pixels = slope_text(page), canvas_pixels(page, EXPLORER)
    assert "slope at x₀ = 1.00" in start_text and "0.1966" in start_text

    # Keyboard: focus the x₀ handle (the first slider) and step it to the right.
    handle = page.locator(f"{EXPLORER} .widget-slider .noUi-handle").first
    handle.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    keyed_text = wait_for_new_slope(page, start_text)
    keyed_pixels = canvas_pixels(page, EXPLORER)
    page.locator(EXPLORER).screenshot(path=ARTIFACTS / "explorer-after-keyboard.png")
    assert "slope at x₀ = 1.50" in keyed_text, keyed_text
    assert changed_fraction(start_pixels, keyed_pixels) > 0.002

    # Mouse: drag the same handle well to the left, past 0.
    box = handle.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] - 120, box["y"] + box["height"] / 2, steps=12)
    page.mouse.up()
    dragged_text = wait_for_new_slope(page, keyed_text)
    dragged_pixels = canvas_pixels(page, EXPLORER)
    page.locator(EXPLORER).screenshot(path=ARTIFACTS / "explorer-after-drag.png")
    assert dragged_text != keyed_text
    assert changed_fraction(keyed_pixels, dragged_pixels) > 0.002
    # The x₀ track has the x-axis's scale: a 120-pixel drag moves x₀ by 120 pixels' worth
    # of x (about 3), not across the whole range as a narrow slider did.
    scale, left_px = sigmoid_geometry()
    assert x0_of(dragged_text) == pytest.approx(1.5 - 120 / scale, abs=0.4), dragged_text
    track = bbox(page, f"{EXPLORER} .widget-slider .noUi-target")
    canvas = bbox(page, f"{EXPLORER} .jupyter-matplotlib-canvas-div canvas")
    assert track["width"] / 14 == pytest.approx(scale, rel=0.05), (track, scale)
    assert track["x"] - canvas["x"] == pytest.approx(left_px, abs=8), (track, canvas, left_px)

    # Drag the point on the figure itself: x₀ follows the pointer, in x's units.
    x_px = canvas["x"] + left_px + (x0_of(dragged_text) + 7) * scale
    y_px = canvas["y"] + canvas["height"] / 2
    page.mouse.move(x_px, y_px)
    page.mouse.down()
    page.mouse.move(x_px + 2 * scale, y_px, steps=8)
    page.mouse.up()
    figure_text = wait_for_new_slope(page, dragged_text)
    assert x0_of(figure_text) == pytest.approx(x0_of(dragged_text) + 2, abs=0.3), figure_text

    assert page.evaluate(CUT_LABELS, EXPLORER) == []
    toolbar_clear_of_axes(page, EXPLORER, "explorer-sigmoid")
    page.screenshot(path=ARTIFACTS / "notebook.png")

    # Softmax: the whole "temperature T" label, and one temperature in readout and text.
    page.locator(SOFTMAX).scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    assert page.evaluate(CUT_LABELS, SOFTMAX) == []
    handle = page.locator(f"{SOFTMAX} .widget-slider .noUi-handle").first
    handle.focus()
    for _ in range(5):
        page.keyboard.press("ArrowLeft")
    page.wait_for_function(
        "s => [...document.querySelectorAll(s)].some(e => /T = 0\\.56:/.test(e.innerText))",
        arg=f"{SOFTMAX} .widget-html-content", timeout=15_000)
    readout = page.locator(f"{SOFTMAX} .widget-readout").first.inner_text().strip()
    note = page.locator(f"{SOFTMAX} .widget-html-content", has_text="T = ").inner_text()
    page.locator(SOFTMAX).screenshot(path=ARTIFACTS / "explorer-softmax.png")
    assert readout == "0.56" and "T = 0.56:" in note and note.startswith("✓"), (readout, note)
    toolbar_clear_of_axes(page, SOFTMAX, "explorer-softmax")

    page.locator(NORMALIZE).scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    page.locator(NORMALIZE).screenshot(path=ARTIFACTS / "explorer-normalize-rows.png")
    assert page.evaluate(CUT_LABELS, NORMALIZE) == []
    assert page.locator(f"{NORMALIZE} .widget-html-content",
                        has_text="Every row").inner_text().startswith("✓")

    assert page.console_errors == []
    assert server_problems(solutions_lab) == []


def test_nbgrader_validate_button_and_assignment_list_work(solutions_lab, browser_page):
    """Can a student validate from the toolbar and open the assignment list without errors?"""
    page = browser_page
    open_notebook(page, solutions_lab, WORK_SOLUTION)

    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .validate-button").first.click()
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for(timeout=120_000)
    page.wait_for_function(
        "() => /passes all the tests|failed|error/i.test("
        "document.querySelector('.jp-Dialog').innerText)", timeout=120_000,
    )
    page.screenshot(path=ARTIFACTS / "validate.png")
    assert "Success! Your notebook passes all the tests." in dialog.inner_text()
    dialog.locator("button").last.click()

    page.evaluate("() => window.jupyterapp.commands.execute('nbgrader:open-assignment-list')")
    panel = page.locator("#nbgrader-assignment-list, .nbgrader-AssignmentList, "
                         "[id*='assignment-list']").first
    panel.wait_for(timeout=30_000)
    released = page.locator("#released_assignments_list")
    released.get_by_text(ASSIGNMENT).wait_for(timeout=30_000)
    page.screenshot(path=ARTIFACTS / "assignment-list.png")
    assert "numpy-dl-basics" in released.inner_text()
    assert page.console_errors == []
    assert server_problems(solutions_lab) == []
