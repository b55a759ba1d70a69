"""Do the explorers respond to their sliders, and to students' mistakes, as they should?

Headless: the figures use matplotlib's Agg canvas, and slider values are set
from Python, which runs the same callbacks a browser's slider move does.
"""

from __future__ import annotations

import subprocess
import sys
from types import SimpleNamespace

import numpy as np
import pytest

from course import ASSIGNMENT
from graders.course_setup import reference_functions
from graders.explorers import explore_normalize_rows, explore_sigmoid, explore_softmax
from test_explorer_maths import columns, whole_matrix_sum  # softmax over the wrong axes

reference = SimpleNamespace(**reference_functions(ASSIGNMENT))


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
            raise ZeroDivisionError("oops")
        return reference.sigmoid(x)

    explorer = sigmoid_explorer(sigmoid=sigmoid)
    assert explorer.note.value.startswith("<b>⚠ Your sigmoid raised ZeroDivisionError: oops")
    assert "你的 sigmoid 出错了" in explorer.note.value
    assert "oops" in explorer.error_text and "Traceback" in explorer.error_text
    state["broken"] = False
    explorer.x0.value = 2.0  # the student fixed it; the next move works again
    assert explorer.error_text == ""
    assert "✓" in explorer.note.value


def stub(x):
    raise NotImplementedError


def drawn(line) -> int:
    return len(line.get_data()[0])


def test_a_stub_derivative_leaves_the_sigmoid_drawn_and_is_named():
    """Does an unwritten sigmoid_derivative leave σ and the numerical slope drawn, and say so?"""
    explorer = sigmoid_explorer(derivative=stub)
    assert drawn(explorer.sigma_line) == drawn(explorer.numeric_line) == len(explorer.x)
    assert drawn(explorer.derivative_line) == drawn(explorer.tangent) == 0
    assert explorer.point.get_data()[1][0] == pytest.approx(reference.sigmoid(1.0))
    note = explorer.note.value
    assert note.startswith("<b>✎ sigmoid_derivative is not written yet</b>")
    assert "sigmoid_derivative 还没有写完" in note and "✓" not in note
    assert "<b>—</b>" in explorer.slope_label.value and "0.1966" in explorer.slope_label.value
    assert explorer.error_text == ""  # a stub is no bug: no traceback to read


def test_a_stub_sigmoid_leaves_a_derivative_that_stands_alone_drawn():
    """Is a derivative written without the student's sigmoid drawn while sigmoid is a stub?"""
    explorer = sigmoid_explorer(sigmoid=stub)
    assert drawn(explorer.derivative_line) == len(explorer.x)
    assert drawn(explorer.sigma_line) == drawn(explorer.point) == 0
    assert explorer.note.value.startswith("<b>✎ sigmoid is not written yet</b>")
    assert "sigmoid_derivative" not in explorer.note.value


def test_a_sigmoid_for_arrays_only_keeps_its_curve_and_is_named():
    """Does a sigmoid that fails on the single number x₀ keep its curve, with its name?"""
    def sigmoid(x):
        len(x)  # a 0-d array has no len
        return reference.sigmoid(x)

    explorer = sigmoid_explorer(sigmoid=sigmoid)
    assert drawn(explorer.sigma_line) == len(explorer.x) and drawn(explorer.point) == 0
    assert explorer.note.value.startswith("<b>⚠ Your sigmoid raised TypeError")


def test_a_wrong_sigmoid_with_its_own_derivative_gets_no_tick():
    """Is σ(x) = 1/(1 + eˣ) refused even though its derivative follows its slope?"""
    def sigmoid(x):
        return 1 / (1 + np.exp(x))

    def sigmoid_derivative(x):
        s = sigmoid(x)
        return -s * (1 - s)

    explorer = sigmoid_explorer(sigmoid, sigmoid_derivative)
    assert "✓" not in explorer.note.value
    assert "Your sigmoid is not 1 / (1 + e⁻ˣ)" in explorer.note.value
    assert "disagrees" not in explorer.note.value


def test_dragging_the_point_moves_x0_by_the_distance_dragged():
    """Does a drag on the figure from the point move x₀ by the data distance, not further?"""
    from matplotlib.backend_bases import MouseEvent

    explorer = sigmoid_explorer()
    canvas, to_pixels = explorer.canvas, explorer.ax.transData.transform

    def mouse(kind, x, y=0.5):
        px, py = to_pixels((x, y))
        canvas.callbacks.process(kind, MouseEvent(kind, canvas, px, py, button=1))

    mouse("button_press_event", 1.0)
    mouse("motion_notify_event", 0.4)
    mouse("motion_notify_event", -0.5)
    mouse("button_release_event", -0.5)
    assert explorer.x0.value == pytest.approx(-0.5)
    mouse("motion_notify_event", 5.0)  # released: moving on does nothing
    assert explorer.x0.value == pytest.approx(-0.5)
    mouse("button_press_event", 4.0)  # far from the point: no drag
    mouse("motion_notify_event", 6.0)
    assert explorer.x0.value == pytest.approx(-0.5)


def px(size: str) -> float:
    assert size.endswith("px"), size
    return float(size.removesuffix("px"))


def test_the_x0_slider_has_the_scale_of_the_x_axis():
    """Does one unit along the x₀ slider's track take as many pixels as on the figure's axis?"""
    from graders.explorers import widgets as w

    explorer = sigmoid_explorer()
    slider = explorer.x0
    track = (px(slider.layout.width) - px(slider.style.description_width) - w.DESCRIPTION_GAP_PX
             - 2 * w.SLIDER_TRACK_INSET_PX - w.READOUT_PX)
    assert track / (slider.max - slider.min) == pytest.approx(explorer.pixels_per_unit(), rel=0.01)
    assert 30 < explorer.pixels_per_unit() < 60  # a 120-pixel drag moves x₀ by 2 to 4


def test_normalize_rows_explorer_lands_the_rows_on_the_unit_circle():
    """Do the normalised rows follow the sliders and end on the unit circle?"""
    explorer = explore_normalize_rows(reference.normalize_rows, interactive=False)
    x_slider, y_slider = explorer.sliders[1]
    x_slider.value, y_slider.value = 0.0, -3.0
    _, (x_end, y_end) = (None, [d[1] for d in explorer.after[1].get_data()])
    assert (x_end, y_end) == pytest.approx((0.0, -1.0))
    assert explorer.before[1].get_data()[1][1] == -3.0
    assert "✓" in explorer.note.value


def by_columns(x):
    return x / np.linalg.norm(x, axis=0, keepdims=True)


def whole_matrix_norm(x):
    return x / np.linalg.norm(x)


def no_keepdims(x):
    return x / np.linalg.norm(x, axis=1)


@pytest.mark.parametrize("wrong", [by_columns, whole_matrix_norm, np.abs])
def test_normalize_rows_explorer_flags_rows_off_the_circle(wrong):
    """Does normalising columns, the whole matrix, or nothing leave a visible, named error?"""
    explorer = explore_normalize_rows(wrong, interactive=False)
    assert explorer.note.value.startswith("<b>⚠ Row lengths after normalize_rows:")
    assert "✓" not in explorer.note.value


def test_normalize_rows_explorer_names_a_missing_keepdims():
    """Does dividing by a (3,) vector of lengths fail visibly instead of passing on a square?"""
    explorer = explore_normalize_rows(no_keepdims, interactive=False)
    assert explorer.note.value.startswith("<b>⚠ Your normalize_rows raised ValueError")
    assert all(drawn(line) == 0 for line in explorer.after)


def test_normalize_rows_explorer_gives_no_verdict_on_a_zero_row():
    """With a row at (0, 0), does even a right normalize_rows get neither ✓ nor ⚠?"""
    explorer = explore_normalize_rows(reference.normalize_rows, interactive=False)
    for slider in explorer.sliders[2]:
        slider.value = 0.0
    assert explorer.note.value.startswith("row 3 = (0, 0) has no direction")
    assert "✓" not in explorer.note.value and "⚠" not in explorer.note.value
    explorer.sliders[2][0].value = 1.0
    assert "✓" in explorer.note.value


def test_softmax_explorer_flags_probabilities_that_do_not_sum_to_one():
    """Does a softmax without the division show a note that probabilities must sum to 1?"""
    explorer = explore_softmax(np.exp, interactive=False)
    assert "must sum to 1" in explorer.note.value


@pytest.mark.parametrize("wrong", [whole_matrix_sum, columns])
def test_softmax_explorer_catches_a_sum_over_the_wrong_axis(wrong):
    """Does a sum over the whole matrix, or over columns, get a ⚠ at every temperature?"""
    explorer = explore_softmax(wrong, interactive=False)
    for temperature in (0.1, 1.0, 10.0):
        explorer.temperature.value = temperature
        assert explorer.note.value.startswith("<b>⚠ T = "), explorer.note.value
        assert "each row's probabilities must sum to 1" in explorer.note.value


def test_softmax_explorer_catches_a_missing_keepdims_and_a_constant():
    """Is a sum without keepdims an error on two rows, and a constant 1/n refused?"""
    def no_keepdims(x):
        e = np.exp(x)
        return e / np.sum(e, axis=1)

    explorer = explore_softmax(no_keepdims, interactive=False)
    assert explorer.note.value.startswith("<b>⚠ Your softmax raised ValueError")
    assert all(bar.get_height() == 0 for bars in explorer.bars for bar in bars)
    explorer = explore_softmax(lambda x: np.full_like(x, 0.2), interactive=False)
    assert "not proportional to e^(x / T)" in explorer.note.value
    assert "✓" not in explorer.note.value


def test_softmax_explorer_text_says_what_the_readout_shows():
    """Do the readout and the note print the same temperature, and is the figure drawn for it?"""
    explorer = explore_softmax(reference.softmax, interactive=False)
    slider = explorer.temperature
    slider.value = 10 ** -0.25  # 0.5623…: once read as 0.562 on the slider, 0.56 in the text
    shown = format(slider.value, slider.readout_format)
    assert shown == "0.56" and f"T = {shown}:" in explorer.note.value
    heights = [bar.get_height() for bar in explorer.bars[0]]
    np.testing.assert_allclose(heights, reference.softmax(explorer.SCORES[:1] / 0.56)[0])
    assert slider.style.description_width == "initial"  # "temperature T", not "temperat…"
    assert explorer.note.value.startswith("✓")


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


def test_the_toolbar_sits_beside_the_axes_not_on_them():
    """Is ipympl's toolbar on the right, in a strip that no axes reach into?"""
    from graders.explorers import widgets as w

    explorers = [explore_sigmoid(reference.sigmoid, reference.sigmoid_derivative),
                 explore_normalize_rows(reference.normalize_rows),
                 explore_softmax(reference.softmax)]
    for explorer in explorers:
        assert explorer.canvas.toolbar_position == "right"
        assert explorer.canvas.header_visible is False
        figure = explorer.figure
        strip = w.TOOLBAR_MARGIN_PX / (figure.get_figwidth() * figure.dpi)
        renderer = figure.canvas.get_renderer()
        for ax in figure.axes:
            right = ax.get_tightbbox(renderer).x1 / (figure.get_figwidth() * figure.dpi)
            assert right <= 1 - strip + 1e-3, (type(explorer).__name__, right)


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
