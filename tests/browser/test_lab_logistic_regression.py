"""Does assignment 2 (logistic regression) work for a self-learner in a real JupyterLab?

`make solutions` (run in a student's clone, see conftest.py) copies every worked
solution to work/solutions/; this walk opens assignment 2's copy. Run all cells:
no error output, no console error, and each hidden test cell says in a sentence
what it recorded. Both figures (markdown attachments) load. The learning-rate
explorer: at the default α its note says ✓; a jump by keyboard to the largest α
trains again, the note says ⚠ and names the rate the slider shows, the curve
changes, and the key keeps the earlier rate's row in its colour beside the new
one. The weights explorer: stepping by keyboard past the examples the model gets
wrong (they come first) reaches one it gets right, and the figure follows.
Screenshots are kept in test-artifacts/browser/, named lr-*.
"""

from __future__ import annotations

import re
import time

import numpy as np
import pytest
from matplotlib.colors import to_rgb

from browser.conftest import (
    ARTIFACTS,
    CUT_LABELS,
    ERROR_OUTPUTS,
    HIDDEN_OUTPUTS,
    RENDERED_IMAGES,
    RUN_FINISHED,
    TAG_CELLS,
    canvas_pixels,
    changed_fraction,
    open_notebook,
    server_problems,
)
from graders.course_setup import read, reference_functions, source_notebook

pytestmark = pytest.mark.browser

ASSIGNMENT_ID = "02_logistic_regression"
SOURCE = source_notebook(ASSIGNMENT_ID)
WORK_NOTEBOOK = f"work/solutions/{ASSIGNMENT_ID}/{SOURCE.name}"
HIDDEN_CELLS = 7
RATE = '[data-test-cell="explore_learning_rate"]'
WEIGHTS = '[data-test-cell="explore_weights"]'
# Generous: a training in the kernel takes up to a second on a busy two-core machine.
WAIT_MS = 60_000

CELL_TEXT = """id => window.jupyterapp.shell.currentWidget.content.widgets
  .find(c => c.model.id === id).model.outputs.toJSON().map(o => o.text || '').join('')"""


def html_texts(page, cell: str) -> list[str]:
    return [e.inner_text() for e in page.locator(f"{cell} .widget-html-content").all()]


def note_of(page, cell: str, marker: str) -> str:
    """The explorer's HTML text that contains ``marker`` (its note, or its count)."""
    return next(text for text in html_texts(page, cell) if marker in text)


def readout(page, cell: str) -> str:
    return page.locator(f"{cell} .widget-readout").first.inner_text().strip()


def settled_canvas(page, cell: str, before: np.ndarray, timeout: float = 30) -> np.ndarray:
    """The figure's pixels once they differ from ``before`` and hold still for a moment."""
    deadline = time.monotonic() + timeout
    last = before
    while time.monotonic() < deadline:
        page.wait_for_timeout(300)
        now = canvas_pixels(page, cell)
        if changed_fraction(before, now) > 0 and changed_fraction(last, now) == 0:
            return now
        last = now
    return last


def press(page, cell: str, key: str, times: int = 1) -> None:
    """Focus the explorer's slider handle and press a key, as a keyboard user does."""
    page.locator(f"{cell} .widget-slider .noUi-handle").first.focus()
    for _ in range(times):
        page.keyboard.press(key)


def expected_key(rates: list[float]) -> list[tuple[tuple[int, ...], tuple | None]]:
    """Each key row's place on the figure (left, top, right, bottom pixels) and its colour.

    The explorer is built in this process, with the reference optimize and the same
    data, and moved through the same rates; a row it hides has colour None.
    """
    from graders.datasets import load_digits_task
    from graders.explorers.training_widgets import LearningRateExplorer

    train_x, train_y, *_ = load_digits_task()
    explorer = LearningRateExplorer(reference_functions(ASSIGNMENT_ID)["optimize"],
                                    train_x.reshape(train_x.shape[0], -1).T / 16, train_y,
                                    interactive=False)
    for rate in rates:
        explorer.rate.value = rate
    explorer.canvas.draw()
    renderer = explorer.canvas.get_renderer()
    height = explorer.figure.get_figheight() * explorer.figure.dpi
    rows = []
    for row in explorer.rows:
        shown = row.get_visible()
        row.set_visible(True)  # a hidden text has no extent; its slot has the same place
        box = row.get_window_extent(renderer)
        row.set_visible(shown)
        place = (int(box.x0), int(height - box.y1), int(box.x1) + 1, int(height - box.y0) + 1)
        colour = tuple(round(255 * c) for c in to_rgb(row.get_color())) if shown else None
        rows.append((place, colour))
    return rows


def key_problems(pixels: np.ndarray, key) -> list[str]:
    """What differs between the key the browser shows and the key the explorer means."""
    problems = []
    for slot, ((left, top, right, bottom), colour) in enumerate(key):
        area = pixels[max(top - 2, 0):bottom + 2, max(left - 2, 0):right + 2]
        inked = np.any(np.abs(area - 255) > 40, axis=-1).sum()
        if colour is None:
            if inked:
                problems.append(f"row {slot} should be empty, has {inked} inked pixels")
        elif (np.abs(area - colour).max(axis=-1) < 30).sum() < 15:
            problems.append(f"row {slot} is not drawn in {colour}")
    return problems


def rate_in(note: str) -> float:
    return float(re.search(r"α = ([0-9.]+)", note).group(1))


def check_learning_rate_explorer(page) -> None:
    """✓ at the default rate; End (the largest rate) trains again, says ⚠ and keeps 0.5's row."""
    page.locator(f"{RATE} .jupyter-matplotlib-canvas-div canvas").first.wait_for()
    page.locator(RATE).scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    page.locator(RATE).screenshot(path=ARTIFACTS / "lr-learning-rate-before.png")
    start_note, start_pixels = note_of(page, RATE, "α = "), canvas_pixels(page, RATE)
    assert abs(start_pixels.shape[1] - 800) <= 1, start_pixels.shape  # the figure at 1:1
    # Note and readout name the rate alike: "0.500".
    assert start_note.startswith(f"✓ α = {readout(page, RATE)}: the cost went from 0.693 to "), (
        start_note, readout(page, RATE))
    assert rate_in(start_note) == 0.5, start_note
    assert key_problems(start_pixels, expected_key([0.5])) == []

    # One key, one training: every arrow press is a release too, and would train each
    # rate on the way (the key keeps only the last few).
    press(page, RATE, "End")
    page.wait_for_function(
        """([selector, old]) => [...document.querySelectorAll(selector)]
              .some(e => e.innerText.includes('α = ') && e.innerText !== old)""",
        arg=[f"{RATE} .widget-html-content", start_note], timeout=WAIT_MS)
    pixels = settled_canvas(page, RATE, start_pixels)
    page.locator(RATE).screenshot(path=ARTIFACTS / "lr-learning-rate-after.png")
    shown, note = readout(page, RATE), note_of(page, RATE, "α = ")
    assert float(shown) >= 10, shown
    # The cost is lost to log 0, not the model: the note says which, first.
    assert note.startswith(f"⚠ α = {shown}: from iteration 100 the cost is nan."), (shown, note)
    assert "The model still classifies" in note and "diverged" not in note, note
    assert f"学习率 α = {shown}：从第 100 次迭代起代价为 nan" in note, note
    assert changed_fraction(start_pixels, pixels) > 0.002
    assert key_problems(pixels, expected_key([0.5, float(shown)])) == []
    assert page.evaluate(CUT_LABELS, RATE) == []


def check_weights_explorer(page) -> None:
    """The misclassified examples come first; stepping past them reaches a right one."""
    page.locator(f"{WEIGHTS} .jupyter-matplotlib-canvas-div canvas").first.wait_for()
    page.locator(WEIGHTS).scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    page.locator(WEIGHTS).screenshot(path=ARTIFACTS / "lr-weights-before.png")
    count = note_of(page, WEIGHTS, "misclassified")
    wrong, total = map(int, re.match(r"(\d+) of (\d+) misclassified", count).groups())
    # The notebook's own count, a few cells above, says the same.
    assert f"{wrong} of {total} test examples misclassified" in page.evaluate(
        CELL_TEXT, "misclassified"), count
    assert 0 < wrong < total, count
    start_note, start_pixels = note_of(page, WEIGHTS, "example "), canvas_pixels(page, WEIGHTS)
    first = re.match(r"✗ example (\d+): label (.+?), your predict says (.+?)\. ", start_note)
    assert first and first[2] != first[3], start_note

    # The slider's readout names the example shown, as the note does.
    assert readout(page, WEIGHTS) == first[1], (readout(page, WEIGHTS), start_note)
    press(page, WEIGHTS, "ArrowRight", wrong)
    page.wait_for_function(
        """([selector, readout]) => [...document.querySelectorAll(selector)].some(e =>
              e.innerText.startsWith(`✓ example ${document.querySelector(readout)
                                                    .innerText.trim()}:`))""",
        arg=[f"{WEIGHTS} .widget-html-content", f"{WEIGHTS} .widget-readout"],
        timeout=WAIT_MS)
    pixels = settled_canvas(page, WEIGHTS, start_pixels)
    page.locator(WEIGHTS).screenshot(path=ARTIFACTS / "lr-weights-after.png")
    note = note_of(page, WEIGHTS, "example ")
    right = re.match(r"✓ example (\d+): label (.+?), your predict says (.+?) · ", note)
    assert right and right[2] == right[3] and right[1] != first[1], note
    assert changed_fraction(start_pixels, pixels) > 0.002
    assert page.evaluate(CUT_LABELS, WEIGHTS) == []


def test_self_learner_runs_assignment_2_and_moves_both_explorers(solutions_lab, browser_page):
    """Run all: no errors, hidden cells speak plainly, figures load, both explorers respond."""
    page = browser_page
    open_notebook(page, solutions_lab, WORK_NOTEBOOK)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(RUN_FINISHED, timeout=240_000)
    page.evaluate(TAG_CELLS)
    assert page.evaluate(ERROR_OUTPUTS) == []

    hidden = page.evaluate(HIDDEN_OUTPUTS)
    assert len(hidden) == HIDDEN_CELLS, hidden
    for cell, printed in hidden.items():
        function = cell.removeprefix("test_").removesuffix("_hidden")
        assert printed.startswith(f"✓ recorded {function} on "), (cell, printed)
        assert "hidden tests are judged when your work is graded" in printed, (cell, printed)
        assert "GRADERS-RECORD" not in printed and "{" not in printed, (cell, printed)
    page.locator('[data-test-cell="test_optimize_hidden"]').scroll_into_view_if_needed()
    page.locator('[data-test-cell="test_optimize_hidden"]').screenshot(
        path=ARTIFACTS / "lr-hidden-cell-output.png")

    figures = {cell.id: sorted(cell.attachments) for cell in read(SOURCE).cells
               if cell.cell_type == "markdown" and cell.get("attachments")}
    images = page.evaluate(RENDERED_IMAGES)
    assert sorted(image["cell"] for image in images) == sorted(figures), images
    for image in images:
        assert image["complete"] and image["width"] > 0 and image["height"] > 0, image
        assert image["src"].startswith("data:image/png;base64,"), image
        figure = page.locator(f'[data-test-cell="{image["cell"]}"] .jp-MarkdownOutput img')
        figure.scroll_into_view_if_needed()
        figure.screenshot(path=ARTIFACTS / f"lr-figure-{image['cell']}.png")
    shown = {name for names in figures.values() for name in names}
    assert set(page.attachment_tries) <= shown, page.attachment_tries

    check_learning_rate_explorer(page)
    check_weights_explorer(page)

    assert page.failed_requests == []
    assert page.console_errors == []
    assert server_problems(solutions_lab) == []
