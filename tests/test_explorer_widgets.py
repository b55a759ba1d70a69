"""Do the explorers respond to their sliders, and to students' mistakes, as they should?

Headless: the figures use matplotlib's Agg canvas, and slider values are set
from Python, which runs the same callbacks a browser's slider move does.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import reference
from graders.explorers import explore_normalize_rows, explore_sigmoid, explore_softmax


def sigmoid_explorer(sigmoid=reference.sigmoid, derivative=reference.sigmoid_derivative):
    return explore_sigmoid(sigmoid, derivative, interactive=False)


def test_moving_x0_moves_the_tangent_and_the_printed_slope():
    """Does moving x₀ move the point, the tangent line and the printed slope?"""
    explorer = sigmoid_explorer()
    explorer.x0.value = 0.0
    assert "<b>0.2500</b>" in explorer.slope_label.value
    assert explorer.point.get_data()[0][0] == 0.0
    x, y = explorer.tangent.get_data()
    np.testing.assert_allclose(y, 0.5 + 0.25 * x)

    explorer.x0.value = 4.0
    assert "x₀ = 4.00" in explorer.slope_label.value
    assert f"<b>{reference.sigmoid_derivative(4.0):.4f}</b>" in explorer.slope_label.value
    _, y_far = explorer.tangent.get_data()
    assert np.ptp(y_far) < np.ptp(y) / 10  # the slope vanishes far from 0


def test_steepness_rescales_the_curves_by_the_chain_rule():
    """Does k = 2 draw σ(2x), with a peak slope of 2 × 0.25 = 0.5?"""
    explorer = sigmoid_explorer()
    explorer.k.value = 2.0
    x, sigma = explorer.sigma_line.get_data()
    np.testing.assert_allclose(sigma, reference.sigmoid(2 * x))
    assert explorer.derivative_line.get_data()[1].max() == pytest.approx(0.5, abs=1e-3)
    assert "✓" in explorer.note.value


def test_a_wrong_derivative_shows_two_curves_that_disagree():
    """Does a wrong sigmoid_derivative draw apart from the numerical slope, with a note?"""
    def wrong_derivative(x):
        s = reference.sigmoid(x)
        return s * (1 + s)

    explorer = sigmoid_explorer(derivative=wrong_derivative)
    _, yours = explorer.derivative_line.get_data()
    _, numeric = explorer.numeric_line.get_data()
    assert np.max(np.abs(yours - numeric)) > 0.5
    assert "disagrees" in explorer.note.value and "不一致" in explorer.note.value


def test_a_raising_function_shows_its_error_and_the_explorer_lives_on():
    """Does a function that raises put its error in the output area, not kill the explorer?"""
    state = {"broken": True}

    def sigmoid(x):
        if state["broken"]:
            raise NotImplementedError("not written yet")
        return reference.sigmoid(x)

    explorer = sigmoid_explorer(sigmoid=sigmoid)
    assert "NotImplementedError" in explorer.note.value
    assert "not written yet" in explorer.error_text
    state["broken"] = False
    explorer.x0.value = 2.0  # the student fixed it; the next move works again
    assert explorer.error_text == ""
    assert "✓" in explorer.note.value


def test_normalize_rows_explorer_lands_the_rows_on_the_unit_circle():
    """Do the normalised rows follow the sliders and end on the unit circle?"""
    explorer = explore_normalize_rows(reference.normalize_rows, interactive=False)
    x_slider, y_slider = explorer.sliders[1]
    x_slider.value, y_slider.value = 0.0, -3.0
    _, (x_end, y_end) = (None, [d[1] for d in explorer.after[1].get_data()])
    assert (x_end, y_end) == pytest.approx((0.0, -1.0))
    assert explorer.before[1].get_data()[1][1] == -3.0
    assert "✓" in explorer.note.value


def test_normalize_rows_explorer_flags_rows_off_the_circle():
    """Does normalising columns instead of rows leave a visible, named error?"""
    def by_columns(x):
        return x / np.linalg.norm(x, axis=0, keepdims=True)

    explorer = explore_normalize_rows(by_columns, interactive=False)
    assert "should all be 1" in explorer.note.value


def test_softmax_explorer_bars_follow_the_temperature():
    """Do the bars sharpen as the temperature falls and always sum to 1?"""
    explorer = explore_softmax(reference.softmax, interactive=False)
    warm = [bar.get_height() for bar in explorer.bars]
    explorer.temperature.value = 0.2
    cold = [bar.get_height() for bar in explorer.bars]
    assert max(cold) > max(warm)
    assert sum(cold) == pytest.approx(1.0)
    assert "T = 0.20" in explorer.note.value


def test_softmax_explorer_flags_probabilities_that_do_not_sum_to_one():
    """Does a softmax without the division show a note that probabilities must sum to 1?"""
    explorer = explore_softmax(np.exp, interactive=False)
    assert "must sum to 1" in explorer.note.value


def test_the_display_carries_a_static_image_for_pages_without_widgets():
    """Does the displayed bundle hold the widget and a PNG fallback of the figure?"""
    bundle = sigmoid_explorer()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["image/png"].startswith("iVBORw0KGgo")  # base64 of the PNG signature


def test_the_interactive_figure_is_an_ipympl_widget():
    """In a notebook, is the canvas an ipympl widget inside the explorer's box?"""
    from ipympl.backend_nbagg import Canvas

    explorer = explore_sigmoid(reference.sigmoid, reference.sigmoid_derivative)
    assert isinstance(explorer.canvas, Canvas)
    assert explorer.canvas in explorer.widget().children


def test_under_nbgrader_nothing_is_imported_or_drawn():
    """While nbgrader grades, do the explorers return at once without loading matplotlib?"""
    code = (
        "import sys\n"
        "from graders.explorers import explore_sigmoid, explore_softmax\n"
        "assert explore_sigmoid(None, None) is None and explore_softmax(None) is None\n"
        "print(sorted({'matplotlib', 'ipywidgets', 'ipympl'} & set(sys.modules)))\n"
    )
    env = {"NBGRADER_EXECUTION": "autograde", "PATH": ""}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
