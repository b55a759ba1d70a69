"""The figures of assignment 2, drawn by `make assets` into ``assets/02_logistic_regression/``.

``FIGURES`` names each file and the function that draws it, as a matplotlib
``Figure`` (no pyplot: files only, no display or backend). ``tools/make_assets.py``
calls them with the course's bilingual fonts set, saves each as a PNG whose bytes
depend on the drawing only, and embeds it in the notebooks that show it. Labels are
bilingual, like the text.

Both figures draw the course's own data set (``graders.datasets.load_digits_task``),
so they show what the students load, with the class names it carries.

Authoring material: it sits in ``solutions/02_logistic_regression/authoring/``, which
nbgrader never releases.
"""

import numpy as np
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Rectangle

from graders.datasets import load_digits_task

# A pixel counts ink dots, 0 to 16: ink dark on white paper, as the digits were written.
PIXEL_MAX = 16
INK = "gray_r"
POSITIVE = "tab:orange"  # the class the neuron answers 1 for, in both figures


def digits(rows: int = 2, columns: int = 8) -> Figure:
    """The first training examples, each titled with its label, the positives framed.

    The first ones, in the file's (shuffled) order, rather than chosen ones: what the
    students see when they print ``train_y[:, :16]``.
    """
    train_x, train_y, *_, classes = load_digits_task()
    fig = Figure(figsize=(7.2, 2.3 * rows / 2 + 0.6), dpi=120)
    axes = fig.subplots(rows, columns)
    for k, ax in enumerate(axes.flat):
        label = int(train_y[0, k])
        ax.imshow(train_x[k], cmap=INK, vmin=0, vmax=PIXEL_MAX, interpolation="nearest")
        ax.set_xticks([])
        ax.set_yticks([])
        colour = POSITIVE if label == 1 else "0.45"
        for spine in ax.spines.values():
            spine.set_edgecolor(colour)
            spine.set_linewidth(2.4 if label == 1 else 0.8)
        ax.set_title(f"y = {label}: {classes[label]}", fontsize=8.5, color=colour,
                     fontweight="bold" if label == 1 else "normal", pad=3)
    positive = classes[1]
    fig.suptitle(f"训练样本：这是 {positive} 吗？ · Training examples: is it an {positive}?",
                 fontsize=11)
    fig.text(0.5, 0.02, f"每幅 8 × 8 像素，取值 0–{PIXEL_MAX} · "
             f"each 8 × 8 pixels, values 0–{PIXEL_MAX}", ha="center", va="bottom",
             fontsize=8.5, color="0.3")
    fig.subplots_adjust(left=0.02, right=0.98, top=0.8, bottom=0.1, wspace=0.12, hspace=0.38)
    return fig


def arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float],
          width: float = 1.4) -> None:
    """A plain arrow from ``start`` to ``end``, in the diagram's data coordinates."""
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=14,
                                 color="0.3", linewidth=width, shrinkA=0, shrinkB=0))


def neuron() -> Figure:
    """Logistic regression as one neuron: image → x → z = wᵀx + b → a = σ(z) → ŷ, and L(a, y).

    The image is the training set's first positive example, its pixels drawn as they
    are: the column x holds what ``train_x[k].reshape(64, 1)`` gives a student.
    """
    train_x, train_y, *_, classes = load_digits_task()
    image = train_x[int(np.argmax(train_y[0] == 1))]
    fig = Figure(figsize=(7.6, 3.9), dpi=120)
    ax = fig.subplots()
    ax.set_xlim(0, 16)
    ax.set_ylim(0, 8.2)
    ax.set_aspect("equal")
    ax.axis("off")
    # Where things sit, in data units: the data flows left to right at height `mid`;
    # stage names run along the top, what flows in from below is named along the bottom.
    mid, top, foot = 4.0, 7.6, 0.75
    column_x, centre_x, radius, loss_x = 4.5, 8.6, 1.55, 13.75

    for x, name in ((1.3, "输入 · input"), (column_x, "展平 · flattened"),
                    (centre_x, "神经元 · neuron"), (loss_x, "损失 · loss")):
        ax.text(x, top, name, ha="center", va="center", fontsize=9.5, color="0.25")

    # The 8 × 8 image, pixel by pixel, framed in the positive class's colour.
    cell, left, bottom = 0.3, 0.1, mid - 1.2
    shade = colormaps[INK]
    for row in range(8):
        for col in range(8):
            ax.add_patch(Rectangle((left + col * cell, bottom + (7 - row) * cell), cell, cell,
                                   facecolor=shade(image[row, col] / PIXEL_MAX),
                                   edgecolor="0.85", linewidth=0.3))
    ax.add_patch(Rectangle((left, bottom), 8 * cell, 8 * cell, facecolor="none",
                           edgecolor=POSITIVE, linewidth=1.6))
    ax.text(left + 4 * cell, bottom - 0.3, f"图像 · image\n8 × 8, y = 1 ({classes[1]})",
            ha="center", va="top", fontsize=8.5)

    # Flattening into the column x: its first entries, a gap, the last one.
    arrow(ax, (2.75, mid), (3.75, mid))
    ax.text(3.25, mid + 0.2, "reshape\n(64, 1)", ha="center", va="bottom", fontsize=7.5,
            family="monospace")
    inputs = {"x₁": 6.2, "x₂": 5.2, "x₃": 4.2, "x₆₄": 1.8}
    for name, y in inputs.items():
        ax.add_patch(Circle((column_x, y), 0.36, facecolor="white", edgecolor="0.3",
                            linewidth=1.1))
        ax.text(column_x, y, name, ha="center", va="center", fontsize=9)
    ax.text(column_x, 3.0, "⋮", ha="center", va="center", fontsize=13)
    ax.text(column_x, foot, "x: (64, 1)", ha="center", va="center", fontsize=9)

    # The weights: one line from each input to the neuron, converging on its left side.
    for name, y in inputs.items():
        ax.plot([column_x + 0.36, centre_x - radius * 0.97], [y, mid + (y - mid) * 0.25],
                color="0.5", linewidth=0.9, zorder=0)
        ax.text(5.55, y + (mid - y) * 0.2 + 0.15, "w" + name[1:], ha="center", va="bottom",
                fontsize=8, color="0.3")
    ax.text(6.45, 6.75, "权重 · weights\nw: (64, 1)", ha="center", va="center", fontsize=8.5)

    # The neuron: the linear part, then the sigmoid; the bias enters the linear part.
    ax.add_patch(Circle((centre_x, mid), radius, facecolor="#eaf2fb", edgecolor="tab:blue",
                        linewidth=1.6))
    ax.plot([centre_x, centre_x], [mid - radius, mid + radius], color="tab:blue",
            linewidth=1.0)
    linear_x, sigmoid_x = centre_x - radius / 2, centre_x + radius / 2
    ax.text(linear_x, mid + 0.05, "z =\nwᵀx + b", ha="center", va="center", fontsize=9)
    ax.text(sigmoid_x, mid + 0.05, "a =\nσ(z)", ha="center", va="center", fontsize=9)
    ax.text(linear_x, mid - 0.8, "线性\nlinear", ha="center", va="center", fontsize=7,
            color="0.35")
    ax.text(sigmoid_x, mid - 0.8, "激活\nactivation", ha="center", va="center", fontsize=7,
            color="0.35")
    arrow(ax, (linear_x, foot + 0.4), (linear_x, mid - radius * 0.87), width=1.1)
    ax.text(linear_x, foot, "偏置 · bias b", ha="center", va="center", fontsize=8.5)

    # The prediction, and the loss that compares it with the label.
    box_left = loss_x - 2.05
    arrow(ax, (centre_x + radius, mid), (box_left - 0.15, mid))
    prediction_x = (centre_x + radius + box_left) / 2
    ax.text(prediction_x, mid + 0.15, "ŷ = a", ha="center", va="bottom", fontsize=10)
    ax.text(prediction_x, mid - 0.15, "预测\nprediction", ha="center", va="top", fontsize=7.5,
            color="0.35")
    ax.add_patch(FancyBboxPatch((box_left, mid - 0.95), 4.1, 1.9, boxstyle="round,pad=0.05",
                                facecolor="#fdf0e4", edgecolor=POSITIVE, linewidth=1.4))
    ax.text(loss_x, mid + 0.45, "L(a, y) =", ha="center", va="center", fontsize=9.5)
    ax.text(loss_x, mid - 0.35, "−y log a\n− (1 − y) log(1 − a)", ha="center", va="center",
            fontsize=8.5)
    arrow(ax, (loss_x, foot + 0.4), (loss_x, mid - 1.0), width=1.1)
    ax.text(loss_x, foot, "标签 · label y (0 / 1)", ha="center", va="center", fontsize=8.5)

    ax.set_title("逻辑回归：一个神经元 · Logistic regression as one neuron", fontsize=11.5)
    fig.subplots_adjust(left=0.01, right=0.99, top=0.93, bottom=0.01)
    return fig


# What `make assets` draws into assets/02_logistic_regression/, and the notebook shows.
FIGURES = {"digits.png": digits, "neuron.png": neuron}
