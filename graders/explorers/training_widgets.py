"""Logistic regression's explorers: the learning rate, and what the model learned.

Built as the other explorers are (``widgets``): the figure once, then a slider
move changes only the data of existing artists and asks for ``draw_idle``. The
maths is in ``training``. When a student's function raises, or returns what the
explorer cannot use, the error area shows a short bilingual message and the line
of the student's code at fault, not a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..compare import student_frames
from . import training
from .widgets import Explorer, Problem, lay_out

# The student's frames shown under an error: the line at fault and what called it.
FRAMES_SHOWN = 2
MESSAGE_LIMIT = 200  # characters of an error's own message: enough to say what, no wall


def problem_text(name: str, error: Exception) -> str:
    """A student's failed function, in plain text, English then Chinese, with its line."""
    if isinstance(error, NotImplementedError):
        return (f"✎ {name} is not written yet (it raises NotImplementedError): write it, run "
                f"its cell, then move the slider again · {name} 还没有写完（NotImplementedError）："
                "请先完成它并运行该单元格，再移动滑块")
    if isinstance(error, training.WrongResultError):
        return f"⚠ {error.english}\n  {error.chinese}"
    message = str(error)
    if len(message) > MESSAGE_LIMIT:
        message = message[:MESSAGE_LIMIT - 1] + "…"
    what = f"{type(error).__name__}: {message}" if message else type(error).__name__
    lines = [f"⚠ Your {name} raised {what}", f"  你的 {name} 出错了：{what}"]
    frames = student_frames(error.__traceback__)[-FRAMES_SHOWN:]
    if frames:
        lines += ["Where · 出错的位置:", *(f"  {frame}" for frame in frames)]
    return "\n".join(lines)


def headline(name: str, error: Exception) -> str:
    """The note's one line about a failed function: what failed, the message is below."""
    if isinstance(error, NotImplementedError):
        return (f"<b>✎ {name} is not written yet</b> · {name} 还没有写完 "
                "(see below · 见下方)")
    return f"<b>⚠ Your {name} needs a fix</b> (see below) · 你的 {name} 需要修改（见下方）"


class StudentFunctionExplorer(Explorer):
    """An explorer whose error area says what went wrong in words, not as a traceback."""

    # Room for the longest note, so that the figure below stays put as notes change.
    NOTE_HEIGHT = "4.5em"

    def __init__(self, interactive: bool, figsize: tuple[float, float]):
        super().__init__(interactive, figsize)
        self.note.layout.min_height = self.NOTE_HEIGHT

    def show_problems(self, problems: list[Problem]) -> None:
        self.note.value = "<br>".join(headline(name, error) for name, error in problems)
        self.error_text = "\n\n".join(problem_text(name, error) for name, error in problems)
        self.errors.clear_output()
        with self.errors:
            print(self.error_text)


def percent(fraction: float | None) -> str:
    return "—" if fraction is None else f"{fraction:.1%}"


def as_readout(rate: float) -> str:
    """A learning rate as the slider's readout shows it (".3g" in the browser keeps trailing
    zeros: 0.500, 10.0), so that text and readout agree."""
    return f"{rate:#.3g}"


class LearningRateExplorer(StudentFunctionExplorer):
    """The cost curve of the student's optimize at a learning rate set on a log scale.

    Each move trains afresh from w = 0, b = 0. The curves of the last few rates
    stay, thinner and fainter, so that rates can be compared; each curve keeps
    its colour while it stays.
    """

    FUNCTION = "optimize"
    EARLIER = 4  # curves of earlier rates kept beside the current one
    TOP = 0.8  # the cost starts at ln 2 ≈ 0.69 (w = 0, b = 0); the axis goes higher if need be
    COLOURS = tuple(f"C{i}" for i in range(10))  # matplotlib's distinct default colours
    WIDEST = "━━ 0.00100: 100.0% (cost nan)"  # the key's widest row

    def __init__(self, optimize: Callable, X: np.ndarray, Y: np.ndarray, *,
                 num_iterations: int = 1000, interactive: bool = True):
        super().__init__(interactive, figsize=(8, 3.6))
        self.optimize = optimize
        self.X, self.Y = training.check_data(X, Y)
        self.num_iterations = num_iterations
        self.history: list[tuple[training.Training, str]] = []  # with colours, newest first
        # Each value is a whole training run: trained when the slider is let go, not for
        # every position a drag passes over, so the figure keeps up with the hand.
        self.rate = widgets.FloatLogSlider(
            value=0.5, base=10, min=-3, max=1.5, step=0.1, description="learning rate α",
            readout_format=".3g", continuous_update=False,
            style={"description_width": "initial"}, layout={"width": "420px"})
        ax = self.ax = self.figure.subplots()
        # The current rate's curve first, then the earlier ones'; each slot keeps its style.
        self.lines = [ax.plot([], [], lw=2.4 if i == 0 else 1.2, alpha=1 if i == 0 else 0.55,
                              marker="o", ms=4 if i == 0 else 2)[0]
                      for i in range(1 + self.EARLIER)]
        ax.set_xlim(-num_iterations * 0.02, num_iterations)
        ax.set_ylim(0, self.TOP)
        # Few ticks: text is most of what a redraw costs.
        ax.set_xticks(np.linspace(0, num_iterations, 5))
        ax.yaxis.set_major_locator(MaxNLocator(4))
        ax.set_xlabel("iteration")
        ax.set_ylabel("cost J")
        ax.grid(alpha=0.3)
        # The key: a row of text per curve, in its colour, beside the axes where it hides
        # no curve. Plain texts that a move rewrites: a legend would lay itself out again
        # on every draw, and take half of it.
        ax.text(1.02, 1, "α: train accuracy", transform=ax.transAxes, fontsize=8, va="top")
        self.rows = [ax.text(1.02, 0.9 - 0.085 * i, self.WIDEST, transform=ax.transAxes,
                             fontsize=8, va="top", fontweight="bold" if i == 0 else "normal")
                     for i in range(1 + self.EARLIER)]
        lay_out(self.figure)  # with the widest rows in place
        self.rate.observe(self.update, names="value")
        self.update()

    def controls(self):
        return [self.rate]

    def show(self, slot: int, run: training.Training | None, colour: str = "") -> None:
        """Draw a run's curve in a slot (the current one is slot 0), or empty the slot."""
        line, row = self.lines[slot], self.rows[slot]
        for artist in (line, row):
            artist.set_visible(run is not None)
        if run is None:
            line.set_data([], [])
            return
        line.set_data(run.iterations, run.costs)
        for artist in (line, row):
            artist.set_color(colour)
        row.set_text(f"━━ {as_readout(run.learning_rate)}: {percent(run.accuracy)}"
                     + (" (diverged)" if run.diverged
                        else " (cost nan)" if run.cost_undefined_at is not None else ""))

    def blank(self) -> None:
        self.show(0, None)

    def redraw(self) -> list[Problem]:
        rate = float(f"{self.rate.value:.3g}")  # the rate as the readout shows it
        run = training.train(self.optimize, self.X, self.Y, rate, self.num_iterations)
        earlier = [(old, colour) for old, colour in self.history
                   if old.learning_rate != rate][:self.EARLIER]
        taken = {colour for _, colour in earlier}
        colour = next(c for c in self.COLOURS if c not in taken)
        self.history = [(run, colour), *earlier]
        for slot in range(len(self.lines)):
            self.show(slot, *(self.history[slot] if slot < len(self.history) else (None,)))
        highest = max(float(np.max(r.costs[np.isfinite(r.costs)], initial=0))
                      for r, _ in self.history)
        self.ax.set_ylim(0, max(self.TOP, 1.05 * highest))
        self.note.value = self.verdict(run)
        return []

    def verdict(self, run: training.Training) -> str:
        """What happened at this rate, in words, the warning first."""
        rate, accuracy = as_readout(run.learning_rate), percent(run.accuracy)
        if run.diverged:
            return (
                f"<b>⚠ α = {rate}: gradient descent diverged, w and b are no longer numbers "
                f"(nan or inf).</b> Try a smaller α · <b>学习率 α = {rate}：梯度下降发散了，w 和 b "
                "不再是有限数（nan 或 inf）。</b>请减小 α")
        if run.cost_undefined_at is not None:
            at = run.cost_undefined_at
            return (
                f"<b>⚠ α = {rate}: from iteration {at} the cost is nan.</b> Steps this large "
                "make z so large that σ(z) rounds to exactly 0 or 1, and the cost takes log 0. "
                f"The model still classifies (train accuracy {accuracy}), but its cost no longer "
                "tells how training goes; a smaller α keeps it a number · "
                f"<b>学习率 α = {rate}：从第 {at} 次迭代起代价为 nan。</b>步子这么大，z 变得很大，"
                "σ(z) 被舍入为正好 0 或 1，代价中出现了 log 0。模型仍能分类（训练集准确率 "
                f"{accuracy}），但代价已无法反映训练的进展；较小的 α 能让它保持为有限数")
        first, last = run.costs[0], run.costs[-1]
        summary = (f"α = {rate}: the cost went from {first:.3f} to {last:.3f} in "
                   f"{self.num_iterations} iterations; train accuracy {accuracy} · "
                   f"学习率 α = {rate}：{self.num_iterations} 次迭代后代价从 {first:.3f} "
                   f"降到 {last:.3f}；训练集准确率 {accuracy}")
        if run.rises is None:
            return f"✓ {summary}"
        start, end = run.rises
        return (f"<b>⚠ The cost went up between iterations {start} and {end}: the steps "
                "overshoot the minimum; a smaller α is steadier</b> · "
                f"<b>代价在第 {start} 到 {end} 次迭代之间上升：步子太大，越过了最低点；"
                f"较小的 α 更稳定</b><br>{summary}")


class WeightsExplorer(StudentFunctionExplorer):
    """What the model learned: w as an image, beside one example and each pixel's share of z.

    The slider steps through the examples the student's predict gets wrong first,
    then the others.
    """

    FUNCTION = "predict"
    COLORMAP = "RdBu_r"  # diverging: red pushes towards label 1, blue towards label 0

    def __init__(self, predict: Callable, w: np.ndarray, b: float, X: np.ndarray,
                 Y: np.ndarray, classes, *, interactive: bool = True):
        super().__init__(interactive, figsize=(8.4, 2.9))
        self.X, self.Y = training.check_data(X, Y)
        self.classes = [str(name) for name in np.ravel(classes)]
        n, m = self.X.shape
        self.side = training.as_image(self.X[:, 0], "each example").shape[0]  # n = side²
        self.b = float(np.asarray(b, dtype=float).reshape(()))
        self.weights_problem: Problem | None = None
        self.predict_problem: Problem | None = None
        try:
            self.w = training.check_weights(w, n)
            weights_image = training.as_image(self.w)
            self.shares = training.contributions(self.w, self.X)
        except training.WrongResultError as error:
            self.weights_problem = ("w", error)
            self.w, self.shares = None, np.zeros_like(self.X, dtype=float)
            weights_image = np.zeros((self.side, self.side))
        self.predicted = self.wrong = None
        if self.w is not None:
            try:
                self.predicted = training.predictions(predict, self.w, self.b, self.X)
                self.wrong = training.misclassified(self.predicted, self.Y)
            except Exception as error:
                self.predict_problem = ("predict", error)
        self.order = training.viewing_order(
            self.wrong if self.wrong is not None else np.array([], dtype=int), m)

        # The slider's readout is the example's own number, as the title and note name it.
        self.example = widgets.SelectionSlider(
            options=[(str(index), int(index)) for index in self.order],
            description="example", layout={"width": "420px"})
        self.count = widgets.HTML(self.counted())
        ax_w, ax_x, ax_share = self.axes = self.figure.subplots(1, 3)
        limit = training.symmetric_limit(weights_image)
        self.weights_image = ax_w.imshow(weights_image, cmap=self.COLORMAP, vmin=-limit,
                                         vmax=limit, interpolation="nearest")
        # Titles at a set height: else every draw measures the (hidden) axes to place them.
        title = {"fontsize": 9, "y": 1.03}
        ax_w.set_title(f"w: red → {self.name(1)}, blue → {self.name(0)}", **title)
        blank = np.zeros((self.side, self.side))
        self.example_image = ax_x.imshow(blank, cmap="gray_r", vmin=0,
                                         vmax=max(float(self.X.max(initial=0)), 1e-12),
                                         interpolation="nearest")
        self.example_title = ax_x.set_title(" ", **title)
        share_limit = training.symmetric_limit(self.shares)
        self.share_image = ax_share.imshow(blank, cmap=self.COLORMAP, vmin=-share_limit,
                                           vmax=share_limit, interpolation="nearest")
        self.share_title = ax_share.set_title(" ", **title)
        for ax in self.axes:
            ax.set_axis_off()  # pixels need no axes, and a redraw skips their ticks
        # Three ticks a colorbar, −L, 0 and L: text is most of what a redraw costs.
        # Each diverging image has its colorbar right beside it, as tall as the image,
        # so the three images keep one size.
        for image, ax, top in ((self.weights_image, ax_w, limit),
                               (self.share_image, ax_share, share_limit)):
            bar = ax.inset_axes((1.04, 0, 0.06, 1))
            self.figure.colorbar(image, cax=bar, ticks=[-top, 0, top], format=FuncFormatter(
                lambda value, _: f"{value:.2g}".replace("-", "−")))  # the titles' minus sign
            bar.tick_params(labelsize=7)
        lay_out(self.figure)
        self.example.observe(self.update, names="value")
        self.update()

    def name(self, label: int) -> str:
        """The class a label stands for (classes[label]), or the label itself."""
        return self.classes[label] if 0 <= label < len(self.classes) else str(label)

    def controls(self):
        return [widgets.HBox([self.example, self.count])]

    def redraw(self) -> list[Problem]:
        index = self.example.value
        x = self.X[:, index]
        label = int(training.labels(self.Y)[index])
        side = self.side
        self.example_image.set_data(x.reshape(side, side))
        self.example_title.set_text(f'example {index}, labelled "{self.name(label)}"')
        if self.w is not None:
            z = float(np.sum(self.shares[:, index]) + self.b)
            self.share_image.set_data(self.shares[:, index].reshape(side, side))
            self.share_title.set_text(f"w⊙x: z = Σ + b = {z:.2f}".replace("-", "−"))
        self.note.value = self.verdict(index, label)
        return [problem for problem in (self.weights_problem, self.predict_problem) if problem]

    def counted(self) -> str:
        """How many examples the student's predict gets wrong: the slider shows them first."""
        if self.wrong is None:
            return ""
        wrong, m = len(self.wrong), self.X.shape[1]
        share = f"{wrong / m:.1%}"
        return (f"{wrong} of {m} misclassified ({share}), first on the slider · "
                f"{m} 个中分错 {wrong} 个（{share}），排在滑块最前面")

    def verdict(self, index: int, label: int) -> str:
        """The student's predict against the label, for the example shown."""
        if self.predicted is None:
            return ""
        guess = int(self.predicted[index])
        said = (f"example {index}: label <b>{escape(self.name(label))}</b>, your predict says "
                f"<b>{escape(self.name(guess))}</b>")
        zh = (f"第 {index} 个样本：标签为 <b>{escape(self.name(label))}</b>，你的 predict 判为 "
              f"<b>{escape(self.name(guess))}</b>")
        if guess == label:
            return f"✓ {said} · {zh}"
        return (f"✗ {said}. Red pixels of w⊙x pushed z up, blue ones down · {zh}。"
                "w⊙x 中红色像素使 z 增大，蓝色像素使 z 减小")
