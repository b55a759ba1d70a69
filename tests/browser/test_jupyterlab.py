"""Does the course work for a student in a real JupyterLab, in a real browser?

One walk through the solution notebook (working answers): open it, run all cells,
find no error output and no console error, move the sigmoid explorer's x₀ slider
by keyboard and by mouse drag and see the printed slope and the figure change,
then use nbgrader's own JupyterLab tools (validate button, assignment list).
Screenshots are kept in test-artifacts/browser/.
"""

from __future__ import annotations

import io
import subprocess

import numpy as np
import pytest
from PIL import Image

from browser.conftest import ARTIFACTS
from course import ASSIGNMENT, BIN, NOTEBOOK, tool_env

pytestmark = pytest.mark.browser

NOTEBOOK_PATH = f"solutions/{ASSIGNMENT}/{NOTEBOOK}"
EXPLORER = '[data-test-cell="explore_sigmoid"]'

NOTEBOOK_READY = """path => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernel = w && w.sessionContext && w.sessionContext.session
      && w.sessionContext.session.kernel;
  return Boolean(w && w.context && w.context.path === path && kernel
      && kernel.status === 'idle');
}"""

# Tag every cell's node with its notebook id, so selectors can find one cell.
TAG_CELLS = """() => {
  for (const cell of window.jupyterapp.shell.currentWidget.content.widgets) {
    cell.node.setAttribute('data-test-cell', cell.model.id);
  }
}"""

RUN_FINISHED = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const code = w.content.widgets.filter(c => c.model.type === 'code');
  const errored = code.some(c => c.model.outputs.toJSON().some(o => o.output_type === 'error'));
  const done = code.every(c => c.model.executionCount !== null);
  return (errored || done) && w.sessionContext.session.kernel.status === 'idle';
}"""

ERROR_OUTPUTS = """() => window.jupyterapp.shell.currentWidget.content.widgets
  .filter(c => c.model.type === 'code')
  .flatMap(c => c.model.outputs.toJSON()
    .filter(o => o.output_type === 'error')
    .map(o => `${c.model.id}: ${o.ename}: ${o.evalue}`))"""


def canvas_pixels(page) -> np.ndarray:
    png = page.locator(f"{EXPLORER} .jupyter-matplotlib-canvas-div canvas").first.screenshot()
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


def changed_fraction(before: np.ndarray, after: np.ndarray) -> float:
    if before.shape != after.shape:
        return 1.0
    return float(np.mean(np.any(before != after, axis=-1)))


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


def test_student_runs_the_notebook_and_moves_the_explorer(lab_url, browser_page):
    """Run all, no errors anywhere; the x₀ slider moves the slope and the figure."""
    page = browser_page
    page.goto(f"{lab_url}/lab/tree/{NOTEBOOK_PATH}")
    page.wait_for_function(NOTEBOOK_READY, arg=NOTEBOOK_PATH, timeout=90_000)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(RUN_FINISHED, timeout=120_000)
    page.evaluate(TAG_CELLS)
    assert page.evaluate(ERROR_OUTPUTS) == []

    page.locator(f"{EXPLORER} .jupyter-matplotlib-canvas-div canvas").first.wait_for()
    page.locator(EXPLORER).scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    page.locator(EXPLORER).screenshot(path=ARTIFACTS / "explorer-before.png")
    start_text, start_pixels = slope_text(page), canvas_pixels(page)
    assert "slope at x₀ = 1.00" in start_text and "0.1966" in start_text

    # Keyboard: focus the x₀ handle (the first slider) and step it to the right.
    handle = page.locator(f"{EXPLORER} .widget-slider .noUi-handle").first
    handle.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    keyed_text = wait_for_new_slope(page, start_text)
    keyed_pixels = canvas_pixels(page)
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
    dragged_pixels = canvas_pixels(page)
    page.locator(EXPLORER).screenshot(path=ARTIFACTS / "explorer-after-drag.png")
    assert dragged_text != keyed_text
    assert changed_fraction(keyed_pixels, dragged_pixels) > 0.002
    page.screenshot(path=ARTIFACTS / "notebook.png")

    assert page.console_errors == []


def test_nbgrader_validate_button_and_assignment_list_work(lab_url, browser_page):
    """Can a student validate from the toolbar and open the assignment list without errors?"""
    page = browser_page
    page.goto(f"{lab_url}/lab/tree/{NOTEBOOK_PATH}")
    page.wait_for_function(NOTEBOOK_READY, arg=NOTEBOOK_PATH, timeout=90_000)

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
