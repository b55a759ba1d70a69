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


def make_canvas(figure: Figure, interactive: bool):
    """An ipympl widget canvas in a notebook, an Agg canvas otherwise."""
    if not interactive:
        return FigureCanvasAgg(figure)
    from ipympl.backend_nbagg import Canvas, FigureManager

    canvas = Canvas(figure)
    FigureManager(canvas, 0)  # gives the canvas its toolbar
    canvas.header_visible = False
    canvas.resizable = False
    return canvas


class Explorer:
    """What the three explorers share: a figure, controls, a note and an error area."""

    def __init__(self, interactive: bool, figsize: tuple[float, float]):
        self.interactive = interactive
        self.figure = Figure(figsize=figsize, dpi=100)
        self.canvas = make_canvas(self.figure, interactive)
        self.note = widgets.HTML()
        self.errors = widgets.Output()
        self.error_text = ""

    def controls(self) -> list[widgets.Widget]:
        raise NotImplementedError

    def redraw(self) -> None:
        """Recompute from the current slider values and update the artists."""
        raise NotImplementedError

    def update(self, _change=None) -> None:
        """Slider callback: redraw, or show the student's error instead of dying."""
        try:
            self.redraw()
        except Exception as error:
            self.show_error(error)
        else:
            self.clear_error()
        self.canvas.draw_idle()

    def show_error(self, error: Exception) -> None:
        self.error_text = "".join(traceback.format_exception(error))
        self.note.value = (
            f"<b>⚠ Your function raised {type(error).__name__}: {_escape(str(error))}</b> · "
            "你的函数出错了（详见下方）"
        )
        self.errors.clear_output()
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

    def __init__(self, sigmoid: Callable, sigmoid_derivative: Callable, *, interactive=True):
        super().__init__(interactive, figsize=(7.5, 4))
        self.sigmoid = sigmoid
        self.sigmoid_derivative = sigmoid_derivative
        self.x = np.linspace(-8, 8, 321)
        self._curves_for_k: float | None = None

        self.x0 = widgets.FloatSlider(value=1.0, min=-7, max=7, step=0.1, description="x₀",
                                      continuous_update=True)
        self.k = widgets.FloatSlider(value=1.0, min=0.25, max=4, step=0.05,
                                     description="steepness k")
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
        ax.set_xlim(-8, 8)
        ax.set_ylim(-0.15, 1.15)
        # Few ticks: text is most of a redraw's cost, and a slider redraws often.
        ax.set_xticks(range(-8, 9, 4))
        ax.set_yticks([0, 0.25, 0.5, 0.75, 1])
        ax.set_xlabel("x")
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left", fontsize=8)

        self.figure.tight_layout()
        for slider in (self.x0, self.k):
            slider.observe(self.update, names="value")
        self.update()

    def controls(self):
        return [widgets.HBox([self.x0, self.k]), self.slope_label]

    def redraw(self) -> None:
        k, x0 = self.k.value, self.x0.value
        curve = maths.steepened(self.sigmoid, k)
        slope = maths.chain_rule_slope(self.sigmoid_derivative, k)
        if self._curves_for_k != k:  # x₀ alone moved: the curves stay as they are
            self._curves_for_k = None
            sigma = maths.evaluate(curve, self.x)
            derivative = slope(self.x)
            numeric = maths.central_difference(curve, self.x)
            for values, name in ((sigma, "sigmoid"), (derivative, "sigmoid_derivative")):
                if values.shape != self.x.shape:
                    raise ValueError(f"{name} returned shape {values.shape} "
                                     f"for an input of shape {self.x.shape}")
            self.sigma_line.set_data(self.x, sigma)
            self.derivative_line.set_data(self.x, derivative)
            self.numeric_line.set_data(self.x, numeric)
            self.agreement = maths.compare_curves(self.x, derivative, numeric, AGREEMENT_TOLERANCE)
            self._curves_for_k = k

        y0 = float(maths.evaluate(curve, np.float64(x0)))
        slope0 = float(slope(np.float64(x0)))
        numeric0 = float(maths.central_difference(curve, np.float64(x0)))
        near = self.x[np.abs(self.x - x0) <= 2.5]
        self.tangent.set_data(near, maths.tangent_line(near, x0, y0, slope0))
        self.point.set_data([x0], [y0])
        self.slope_label.value = (
            f"slope at x₀ = {x0:.2f} · x₀ 处的斜率: <b>{slope0:.4f}</b> "
            f"(numerical · 数值: {numeric0:.4f})"
        )
        if self.agreement.agree:
            self.note.value = ("✓ Your sigmoid_derivative matches the slope of your sigmoid · "
                               "你的导数与数值斜率一致")
        else:
            self.note.value = (
                f"<b>⚠ Your sigmoid_derivative disagrees with the numerical slope of your sigmoid "
                f"(gap {self.agreement.largest_gap:.3g} at x = {self.agreement.where:.2f})</b> · "
                "你的 sigmoid_derivative 与数值斜率不一致：两条曲线没有重合"
            )


class NormalizeRowsExplorer(Explorer):
    """Two row vectors before and after the student's normalize_rows."""

    COLOURS = ("tab:blue", "tab:red")

    def __init__(self, normalize_rows: Callable, *, interactive=True):
        super().__init__(interactive, figsize=(4.8, 4.8))
        self.normalize_rows = normalize_rows
        start = [(3.0, 4.0), (-1.0, 2.0)]
        self.sliders = [
            (widgets.FloatSlider(value=x, min=-5, max=5, step=0.1, description=f"row {i + 1}: x"),
             widgets.FloatSlider(value=y, min=-5, max=5, step=0.1, description=f"row {i + 1}: y"))
            for i, (x, y) in enumerate(start)
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
        self.figure.tight_layout()
        for pair in self.sliders:
            for slider in pair:
                slider.observe(self.update, names="value")
        self.update()

    def controls(self):
        return [widgets.HBox(list(pair)) for pair in self.sliders]

    def matrix(self) -> np.ndarray:
        return np.array([[x.value, y.value] for x, y in self.sliders])

    def redraw(self) -> None:
        rows = self.matrix()
        normalised = maths.evaluate(self.normalize_rows, rows.copy())
        if normalised.shape != rows.shape:
            raise ValueError(f"normalize_rows returned shape {normalised.shape} "
                             f"for an input of shape {rows.shape}")
        for line, (x, y) in zip(self.before, rows, strict=True):
            line.set_data([0, x], [0, y])
        for line, (x, y) in zip(self.after, normalised, strict=True):
            line.set_data([0, x], [0, y])
        lengths = maths.row_lengths(normalised)
        if np.allclose(lengths, 1.0):
            self.note.value = "✓ Every row now has length 1 · 每一行的长度都是 1"
        else:
            self.note.value = (
                "<b>⚠ Row lengths after normalize_rows: "
                + ", ".join(f"{length:.3f}" for length in lengths)
                + " — they should all be 1</b> · 归一化后每行长度应为 1"
            )


class SoftmaxExplorer(Explorer):
    """The student's softmax of one row of scores, with a temperature slider."""

    SCORES = np.array([3.0, 1.0, 0.2, -1.0, 2.0])

    def __init__(self, softmax: Callable, *, interactive=True):
        super().__init__(interactive, figsize=(7, 3.6))
        self.softmax = softmax
        self.temperature = widgets.FloatLogSlider(value=1.0, base=10, min=-1, max=1, step=0.02,
                                                  description="temperature T")
        ax_scores, ax_probs = self.figure.subplots(1, 2)
        labels = [f"class {i}" for i in range(len(self.SCORES))]
        ax_scores.bar(labels, self.SCORES, color="0.6")
        ax_scores.set_title("scores x", fontsize=10)
        ax_scores.tick_params(axis="x", labelsize=8)
        self.bars = ax_probs.bar(labels, np.zeros_like(self.SCORES), color="tab:purple")
        ax_probs.set_ylim(0, 1)
        ax_probs.set_title("probabilities softmax(x / T)", fontsize=10)
        ax_probs.tick_params(axis="x", labelsize=8)
        self.ax = ax_probs
        self.figure.tight_layout()
        self.temperature.observe(self.update, names="value")
        self.update()

    def controls(self):
        return [self.temperature]

    def redraw(self) -> None:
        probabilities = maths.tempered_softmax(self.softmax, self.SCORES, self.temperature.value)
        for bar, p in zip(self.bars, probabilities, strict=True):
            bar.set_height(p)
        total = float(np.sum(probabilities))
        summary = (f"T = {self.temperature.value:.2f}: sum = {total:.3f}, "
                   f"largest probability = {probabilities.max():.3f}")
        if np.isclose(total, 1.0) and np.all(probabilities >= 0):
            self.note.value = f"✓ {summary} · 概率之和为 1"
        else:
            self.note.value = f"<b>⚠ {summary}: probabilities must sum to 1</b> · 概率之和应为 1"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
