"""Sliders wired to matplotlib artists: the explorers the notebook shows.

The figure is built once; a slider move only changes the data of existing
artists (``set_data``, ``set_height``) and asks for a redraw with
``draw_idle``. In JupyterLab the figure is an ipympl canvas, a live widget;
elsewhere (tests, benchmarks) it is a plain Agg canvas. The displayed bundle
also carries a PNG of the figure, so a page without widget support (nbconvert
HTML, for instance) still shows a static plot.
"""

from __future__ import annotations

import base64
import contextlib
import io
import traceback
from collections.abc import Callable

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from . import maths

# How far the student's derivative may stray from the numerical slope before the
# explorer says so: far above the finite difference's own error (about 1e-10).
AGREEMENT_TOLERANCE = 1e-4

# ipympl draws its toolbar over the figure, near a corner; the figures keep a strip
# this wide free on their right, so the toolbar covers no tick label or curve.
TOOLBAR_MARGIN_PX = 44  # ipympl's buttons: 34 px, 3 px from the edge

# ipywidgets' slider geometry (its CSS): the handle's half-width beside the track
# and the gap after a slider's description.
SLIDER_TRACK_INSET_PX = 6
DESCRIPTION_GAP_PX = 8
READOUT_PX = 76  # its min-width (72 px) and left margin (4 px)

# One format for the temperature, on the slider's readout and in the text below it.
TEMPERATURE_FORMAT = ".2f"

Problem = tuple[str, Exception]


def make_canvas(figure: Figure, interactive: bool):
    """An ipympl widget canvas in a notebook, an Agg canvas otherwise."""
    if not interactive:
        return FigureCanvasAgg(figure)
    from ipympl.backend_nbagg import Canvas, FigureManager

    canvas = Canvas(figure)
    FigureManager(canvas, 0)  # gives the canvas its toolbar
    canvas.header_visible = False
    canvas.resizable = False
    canvas.toolbar_position = "right"  # in the strip the figure keeps free for it
    canvas.layout.width = "fit-content"  # so "right" is the figure's right, not the page's
    return canvas


def lay_out(figure: Figure) -> None:
    """Tight layout, leaving the toolbar's strip free on the right."""
    width_px = figure.get_figwidth() * figure.dpi
    figure.tight_layout(rect=(0, 0, 1 - TOOLBAR_MARGIN_PX / width_px, 1))


def problem_line(name: str, error: Exception) -> str:
    """One bilingual line naming the student's function that failed, and how."""
    if isinstance(error, NotImplementedError):
        return (f"<b>✎ {name} is not written yet</b> (it raises NotImplementedError): "
                f"the figure shows only what works without it · "
                f"{name} 还没有写完：图中只画出不需要它的部分")
    return (f"<b>⚠ Your {name} raised {type(error).__name__}: {_escape(str(error))}</b> "
            f"(details below) · 你的 {name} 出错了（详见下方）")


class Explorer:
    """What the three explorers share: a figure, controls, a note and an error area."""

    FUNCTION = "your function"  # the student's function, by its name in the notebook

    def __init__(self, interactive: bool, figsize: tuple[float, float]):
        self.interactive = interactive
        self.figure = Figure(figsize=figsize, dpi=100)
        self.canvas = make_canvas(self.figure, interactive)
        self.note = widgets.HTML()
        self.errors = widgets.Output()
        self.error_text = ""

    def controls(self) -> list[widgets.Widget]:
        raise NotImplementedError

    def redraw(self) -> list[Problem]:
        """Recompute from the current slider values and update the artists.

        Returns the student's functions that failed, with their errors; what did
        not depend on them is drawn all the same.
        """
        raise NotImplementedError

    def blank(self) -> None:
        """Clear what the student's function draws, after it failed."""

    def update(self, _change=None) -> None:
        """Slider callback: redraw, or show the student's error instead of dying."""
        try:
            problems = self.redraw()
        except Exception as error:
            self.blank()
            problems = [(self.FUNCTION, error)]
        if problems:
            self.show_problems(problems)
        else:
            self.clear_error()
        self.canvas.draw_idle()

    def show_problems(self, problems: list[Problem]) -> None:
        self.note.value = "<br>".join(problem_line(name, error) for name, error in problems)
        self.error_text = "\n".join(
            f"{name}:\n" + "".join(traceback.format_exception(error))
            for name, error in problems if not isinstance(error, NotImplementedError)
        )
        self.errors.clear_output()
        if self.error_text:
            with self.errors:
                print(self.error_text)

    def clear_error(self) -> None:
        if self.error_text:
            self.error_text = ""
            self.errors.clear_output()

    def widget(self) -> widgets.Widget:
        parts = [*self.controls(), self.note]
        if self.interactive:
            parts.append(self.canvas)
        return widgets.VBox([*parts, self.errors])

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget()._repr_mimebundle_(**kwargs)
        png = io.BytesIO()
        self.figure.savefig(png, format="png")
        bundle["image/png"] = base64.b64encode(png.getvalue()).decode("ascii")
        return bundle


class SigmoidExplorer(Explorer):
    """σ(kx), its slope, and the tangent at x₀, from the student's two functions."""

    FUNCTION = "sigmoid or sigmoid_derivative"

    XLIM = (-8.0, 8.0)

    def __init__(self, sigmoid: Callable, sigmoid_derivative: Callable, *, interactive=True):
        super().__init__(interactive, figsize=(7.5, 4))
        self.sigmoid = sigmoid
        self.sigmoid_derivative = sigmoid_derivative
        self.x = np.linspace(*self.XLIM, 321)
        self._curves_for_k: float | None = None
        self.agreement: maths.Agreement | None = None
        self.logistic: bool | None = None

        self.x0 = widgets.FloatSlider(value=1.0, min=-7, max=7, step=0.1, description="x₀",
                                      continuous_update=True, readout_format=".2f")
        self.k = widgets.FloatSlider(value=1.0, min=0.25, max=4, step=0.05,
                                     description="steepness k", readout_format=".2f",
                                     style={"description_width": "initial"})
        self.slope_label = widgets.HTML()

        ax = self.ax = self.figure.subplots()
        (self.sigma_line,) = ax.plot([], [], color="tab:blue", lw=2, label="σ(kx), your sigmoid")
        (self.derivative_line,) = ax.plot([], [], color="tab:orange", lw=2,
                                          label="slope, your sigmoid_derivative")
        (self.numeric_line,) = ax.plot([], [], color="black", lw=1.2, ls="--",
                                       label="slope, numerically")
        (self.tangent,) = ax.plot([], [], color="tab:green", lw=1.5, label="tangent at x₀")
        (self.point,) = ax.plot([], [], "o", color="tab:green", ms=7)
        ax.axhline(0.25, color="0.6", lw=0.8, ls=":")
        ax.text(-7.8, 0.27, "max slope of σ(x): 0.25", fontsize=8, color="0.4")
        ax.set_xlim(*self.XLIM)
        ax.set_ylim(-0.15, 1.15)
        # Few ticks: text is most of a redraw's cost, and a slider redraws often.
        ax.set_xticks(range(-8, 9, 4))
        ax.set_yticks([0, 0.25, 0.5, 0.75, 1])
        ax.set_xlabel("x")
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left", fontsize=8)
        lay_out(self.figure)
        self.align_x0_slider()

        # Dragging the point on the figure moves x₀ by the distance dragged.
        self._drag: tuple[float, float] | None = None
        self.canvas.mpl_connect("button_press_event", self.on_press)
        self.canvas.mpl_connect("motion_notify_event", self.on_motion)
        self.canvas.mpl_connect("button_release_event", self.on_release)

        for slider in (self.x0, self.k):
            slider.observe(self.update, names="value")
        self.update()

    def pixels_per_unit(self) -> float:
        """How many screen pixels one unit of x takes on the figure's x-axis."""
        width_px = self.ax.get_position().width * self.figure.get_figwidth() * self.figure.dpi
        return width_px / (self.XLIM[1] - self.XLIM[0])

    def align_x0_slider(self) -> None:
        """Put the x₀ slider's track right above the x-axis, at the axis's scale.

        So a drag of the handle moves x₀ by the distance dragged, read on the axis,
        and the handle stands over the point it moves.
        """
        scale = self.pixels_per_unit()
        axis_left = self.ax.get_position().x0 * self.figure.get_figwidth() * self.figure.dpi
        track_left = axis_left + (self.x0.min - self.XLIM[0]) * scale
        track = (self.x0.max - self.x0.min) * scale
        description = track_left - SLIDER_TRACK_INSET_PX - DESCRIPTION_GAP_PX
        self.x0.style.description_width = f"{description:.0f}px"
        width = description + DESCRIPTION_GAP_PX + track + 2 * SLIDER_TRACK_INSET_PX + READOUT_PX
        self.x0.layout.width = f"{width:.0f}px"

    def controls(self):
        return [self.x0, widgets.HBox([self.k, self.slope_label])]

    # --- Dragging the point ------------------------------------------------------

    def on_press(self, event) -> None:
        if event.inaxes is not self.ax or event.xdata is None or event.button != 1:
            return
        if self.canvas.toolbar is not None and getattr(self.canvas.toolbar, "mode", ""):
            return  # pan or zoom is on: the drag is theirs
        point_px = self.ax.transData.transform((self.x0.value, 0))[0]
        if abs(point_px - event.x) <= 12:  # pressed on (or beside) the point's column
            self._drag = (self.x0.value, event.xdata)

    def on_motion(self, event) -> None:
        if self._drag is None or event.xdata is None:
            return
        start, pressed_at = self._drag
        value = maths.dragged(start, pressed_at, event.xdata, self.x0.min, self.x0.max)
        self.x0.value = round(round(value / self.x0.step) * self.x0.step, 10)

    def on_release(self, _event) -> None:
        self._drag = None

    # --- Drawing ------------------------------------------------------------------

    def curves(self, k: float) -> list[Problem]:
        """Compute and draw σ(kx), both slopes, and judge them; cached while k stays."""
        if self._curves_for_k == k:
            return []
        self._curves_for_k = None
        curve = maths.steepened(self.sigmoid, k)
        slope = maths.chain_rule_slope(self.sigmoid_derivative, k)
        problems: list[Problem] = []
        sigma = numeric = derivative = None
        try:
            sigma = maths.same_shape(maths.evaluate(curve, self.x), self.x, "sigmoid")
            numeric = maths.central_difference(curve, self.x)
            # σ itself, at k = 1, judged by its defining facts (see maths.is_logistic)
            self.logistic = maths.is_logistic(
                self.x, maths.evaluate(self.sigmoid, self.x),
                maths.central_difference(self.sigmoid, self.x), AGREEMENT_TOLERANCE)
        except Exception as error:
            problems.append(("sigmoid", error))
        try:
            derivative = maths.same_shape(slope(self.x), self.x, "sigmoid_derivative")
        except Exception as error:
            problems.append(("sigmoid_derivative", error))
        for line, values in ((self.sigma_line, sigma), (self.numeric_line, numeric),
                             (self.derivative_line, derivative)):
            line.set_data(([], []) if values is None else (self.x, values))
        self.agreement = None
        if sigma is not None and derivative is not None:
            self.agreement = maths.compare_curves(self.x, derivative, numeric,
                                                  AGREEMENT_TOLERANCE)
        if not problems:
            self._curves_for_k = k
        return problems

    def redraw(self) -> list[Problem]:
        k, x0 = self.k.value, self.x0.value
        problems = self.curves(k)
        failed = {name for name, _ in problems}
        curve = maths.steepened(self.sigmoid, k)
        y0 = numeric0 = slope0 = None
        if "sigmoid" not in failed:
            try:
                y0 = float(maths.evaluate(curve, np.float64(x0)))
                numeric0 = float(maths.central_difference(curve, np.float64(x0)))
            except Exception as error:  # e.g. works on arrays, not on one number
                y0 = numeric0 = None
                problems.append(("sigmoid", error))
        if "sigmoid_derivative" not in failed:
            try:
                slope0 = float(maths.chain_rule_slope(self.sigmoid_derivative, k)(np.float64(x0)))
            except Exception as error:
                problems.append(("sigmoid_derivative", error))
        near = self.x[np.abs(self.x - x0) <= 2.5]
        if y0 is not None and slope0 is not None:
            self.tangent.set_data(near, maths.tangent_line(near, x0, y0, slope0))
        else:
            self.tangent.set_data([], [])
        self.point.set_data(*(([x0], [y0]) if y0 is not None else ([], [])))
        yours = "—" if slope0 is None else f"{slope0:.4f}"
        numerical = "—" if numeric0 is None else f"{numeric0:.4f}"
        self.slope_label.value = (f"slope at x₀ = {x0:.2f} · x₀ 处的斜率: <b>{yours}</b> "
                                  f"(numerical · 数值: {numerical})")
        if problems:
            return problems
        self.note.value = self.verdict()
        return []

    def verdict(self) -> str:
        """✓ only when the sigmoid is σ and the derivative follows its slope; else what is not."""
        lines = []
        if not self.agreement.agree:
            lines.append(
                f"<b>⚠ Your sigmoid_derivative disagrees with the numerical slope of your sigmoid "
                f"(gap {self.agreement.largest_gap:.3g} at x = {self.agreement.where:.2f})</b> · "
                "你的 sigmoid_derivative 与数值斜率不一致：两条曲线没有重合")
        if not self.logistic:
            lines.append(
                "<b>⚠ Your sigmoid is not 1 / (1 + e⁻ˣ): σ(0) should be 0.5 and its slope "
                "σ(x)(1 − σ(x)) everywhere</b> · 你的 sigmoid 不是 1 / (1 + e⁻ˣ)")
        if lines:
            return "<br>".join(lines)
        return ("✓ Your sigmoid is σ(x) = 1 / (1 + e⁻ˣ), and your sigmoid_derivative matches "
                "its slope · 你的 sigmoid 正确，导数与数值斜率一致")


class NormalizeRowsExplorer(Explorer):
    """Three row vectors before and after the student's normalize_rows.

    Three rows of two numbers: a matrix that is not square, so that dividing by
    the wrong axis, or without ``keepdims``, cannot pass unseen.
    """

    FUNCTION = "normalize_rows"
    COLOURS = ("tab:blue", "tab:red", "tab:green")
    START = ((3.0, 4.0), (-1.0, 2.0), (-2.5, -1.5))

    def __init__(self, normalize_rows: Callable, *, interactive=True):
        super().__init__(interactive, figsize=(4.8, 4.8))
        self.normalize_rows = normalize_rows
        self.sliders = [
            (widgets.FloatSlider(value=x, min=-5, max=5, step=0.1, description=f"row {i + 1}: x"),
             widgets.FloatSlider(value=y, min=-5, max=5, step=0.1, description=f"row {i + 1}: y"))
            for i, (x, y) in enumerate(self.START)
        ]
        ax = self.ax = self.figure.subplots()
        ax.plot(*maths.unit_circle(), color="0.5", lw=1, ls="--", label="unit circle")
        self.before, self.after = [], []
        for i, colour in enumerate(self.COLOURS):
            self.before.append(ax.plot([], [], color=colour, lw=1, alpha=0.35, marker="o",
                                       ms=4, label=f"row {i + 1}")[0])
            self.after.append(ax.plot([], [], color=colour, lw=2.5, marker="o", ms=6,
                                      label=f"row {i + 1} normalised")[0])
        ax.set_xlim(-5.5, 5.5)
        ax.set_ylim(-5.5, 5.5)
        ax.set_aspect("equal")
        ax.axhline(0, color="0.8", lw=0.8)
        ax.axvline(0, color="0.8", lw=0.8)
        ax.legend(loc="lower left", fontsize=7)
        lay_out(self.figure)
        for pair in self.sliders:
            for slider in pair:
                slider.observe(self.update, names="value")
        self.update()

    def controls(self):
        return [widgets.HBox(list(pair)) for pair in self.sliders]

    def matrix(self) -> np.ndarray:
        return np.array([[x.value, y.value] for x, y in self.sliders])

    def blank(self) -> None:
        for line in self.after:
            line.set_data([], [])

    def redraw(self) -> list[Problem]:
        rows = self.matrix()
        for line, (x, y) in zip(self.before, rows, strict=True):
            line.set_data([0, x], [0, y])
        zeros = maths.zero_rows(rows)
        # A zero row makes even a right answer divide 0 by 0: that is said below, not warned.
        quiet = np.errstate(divide="ignore", invalid="ignore")
        with quiet if zeros else contextlib.nullcontext():
            normalised = maths.evaluate(self.normalize_rows, rows.copy())
        maths.same_shape(normalised, rows, "normalize_rows")
        for line, (x, y) in zip(self.after, normalised, strict=True):
            line.set_data([0, x], [0, y])
        lengths = ", ".join(f"{length:.3f}" for length in maths.row_lengths(normalised))
        if zeros:  # x / 0: no answer is right, so no verdict either
            names = ", ".join(f"row {i + 1}" for i in zeros)
            self.note.value = (
                f"{names} = (0, 0) has no direction, so it cannot be normalised (x / 0); "
                f"move it to see a verdict · 零向量没有方向，无法归一化")
        elif maths.unit_rows_along(rows, normalised):
            self.note.value = ("✓ Every row now has length 1 and points the same way as before "
                               "· 每一行的长度都是 1，方向不变")
        else:
            self.note.value = (
                f"<b>⚠ Row lengths after normalize_rows: {lengths} — each row should be itself "
                "divided by its own length (length 1, same direction)</b> · "
                "归一化后每一行应除以它自己的长度（长度为 1，方向不变）")
        return []


class SoftmaxExplorer(Explorer):
    """The student's softmax of two rows of scores, with a temperature slider.

    Two rows: softmax works row by row, so a sum over the whole matrix, or over
    the wrong axis, shows as rows whose probabilities do not sum to 1.
    """

    FUNCTION = "softmax"
    SCORES = np.array([[3.0, 1.0, 0.2, -1.0, 2.0],
                       [-1.0, 2.5, 0.5, 0.0, 1.0]])
    COLOURS = ("tab:purple", "tab:orange")

    def __init__(self, softmax: Callable, *, interactive=True):
        super().__init__(interactive, figsize=(7, 3.6))
        self.softmax = softmax
        self.temperature = widgets.FloatLogSlider(
            value=1.0, base=10, min=-1, max=1, step=0.05, description="temperature T",
            readout_format=TEMPERATURE_FORMAT, style={"description_width": "initial"})
        ax_scores, ax_probs = self.figure.subplots(1, 2)
        classes = np.arange(self.SCORES.shape[1])
        width = 0.8 / len(self.SCORES)
        self.bars = []
        for i, (row, colour) in enumerate(zip(self.SCORES, self.COLOURS, strict=True)):
            offset = (i - (len(self.SCORES) - 1) / 2) * width
            ax_scores.bar(classes + offset, row, width, color=colour, alpha=0.5,
                          label=f"row {i + 1}")
            self.bars.append(ax_probs.bar(classes + offset, np.zeros_like(row), width,
                                          color=colour, label=f"row {i + 1}"))
        for ax in (ax_scores, ax_probs):
            ax.set_xticks(classes, [f"class {c}" for c in classes])
            ax.tick_params(axis="x", labelsize=8)
        ax_scores.axhline(0, color="0.6", lw=0.8)
        ax_scores.set_title("scores x (two rows)", fontsize=10)
        ax_scores.legend(fontsize=7, loc="lower left")
        ax_probs.set_ylim(0, 1)
        ax_probs.set_title("probabilities softmax(x / T)", fontsize=10)
        self.ax = ax_probs
        lay_out(self.figure)
        self.temperature.observe(self.update, names="value")
        self.update()

    def controls(self):
        return [self.temperature]

    def temperature_as_read(self) -> float:
        """The temperature as the slider's readout shows it: the one the figure uses."""
        return float(format(self.temperature.value, TEMPERATURE_FORMAT))

    def blank(self) -> None:
        for bars in self.bars:
            for bar in bars:
                bar.set_height(0)

    def redraw(self) -> list[Problem]:
        temperature = self.temperature_as_read()
        probabilities = maths.tempered_softmax(self.softmax, self.SCORES, temperature)
        for bars, row in zip(self.bars, probabilities, strict=True):
            for bar, p in zip(bars, row, strict=True):
                bar.set_height(p)
        sums = ", ".join(f"{total:.3f}" for total in maths.row_sums(probabilities))
        summary = (f"T = {temperature:{TEMPERATURE_FORMAT}}: row sums {sums}; largest "
                   + ", ".join(f"{p:.3f}" for p in probabilities.max(axis=1)))
        if maths.is_softmax_of(self.SCORES / temperature, probabilities):
            self.note.value = f"✓ {summary} · 每一行的概率之和为 1"
        elif not np.allclose(maths.row_sums(probabilities), 1.0):
            self.note.value = (f"<b>⚠ {summary}: each row's probabilities must sum to 1</b> · "
                               "每一行的概率之和应为 1")
        else:
            self.note.value = (f"<b>⚠ {summary}: each row sums to 1, but its probabilities are "
                               "not proportional to e^(x / T)</b> · 概率应与 e^(x/T) 成正比")
        return []


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
