"""The figures of assignment 1, drawn by `make assets` into ``assets/01_numpy_basics/``.

``FIGURES`` names each file and the function that draws it, as a matplotlib
``Figure`` (no pyplot: files only, no display or backend). ``tools/make_assets.py``
calls them with the course's bilingual fonts set, saves each as a PNG whose bytes
depend on the drawing only, and embeds it in the notebooks that show it. Labels are
bilingual, like the text.

Authoring material: it sits in ``solutions/01_numpy_basics/authoring/``, which
nbgrader never releases.
"""

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, Rectangle


def sigmoid_gradient() -> Figure:
    """σ and σ′ side by side: the slope peaks at 0.25 and vanishes for large |x|."""
    x = np.linspace(-8, 8, 400)
    s = 1 / (1 + np.exp(-x))
    ds = s * (1 - s)

    fig = Figure(figsize=(7, 3.6), dpi=120)
    ax = fig.subplots()
    ax.plot(x, s, color="tab:blue", linewidth=2.2, label="σ(x) = 1 / (1 + e⁻ˣ)")
    ax.plot(x, ds, color="tab:orange", linewidth=2.2, label="σ′(x) = σ(x)(1 − σ(x))")
    tangent = 0.5 + 0.25 * x
    near = np.abs(x) <= 2.2
    ax.plot(x[near], tangent[near], color="tab:green", linestyle="--", linewidth=1.4,
            label="0 处的切线，斜率 0.25 · tangent at 0, slope 0.25")
    ax.annotate("最大斜率 0.25\nmax slope 0.25", xy=(0, 0.25), xytext=(1.3, 0.36),
                arrowprops={"arrowstyle": "->", "color": "0.3"}, fontsize=9)
    for side in (-1, 1):
        ax.axvspan(side * 5, side * 8, color="0.85", alpha=0.6, linewidth=0)
    ax.text(-6.5, 0.3, "梯度消失\nvanishing\ngradient", ha="center", fontsize=9, color="0.25")
    ax.text(6.5, 0.45, "梯度消失\nvanishing\ngradient", ha="center", fontsize=9, color="0.25")
    ax.set_xlim(-8, 8)
    ax.set_ylim(-0.05, 1.05)
    ax.set_xlabel("x")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=9, framealpha=0.9)
    ax.set_title("sigmoid 及其梯度 · The sigmoid and its gradient")
    fig.tight_layout()
    return fig


CHANNELS = (("R", "tab:red"), ("G", "tab:green"), ("B", "tab:blue"))


def unrolled_order(length: int, height: int) -> list[tuple[int, int, int]]:
    """The index (row, column, channel) of each entry of ``image.reshape(-1, 1)``, in order.

    Computed by NumPy's own reshape, so the figure cannot tell a different story:
    C order, the last axis (the channel) varying fastest.
    """
    image = np.arange(length * height * 3).reshape(length, height, 3)
    flat = image.reshape(length * height * 3, 1)[:, 0]
    return [tuple(int(i) for i in np.unravel_index(k, image.shape)) for k in flat]


def image2vector() -> Figure:
    """A (length, height, 3) image unrolled into a column vector, entry by entry in C order.

    Each pixel holds its three channel values side by side, as the array does; the
    vector takes R, G, B of pixel (0, 0), then of pixel (0, 1), and so on.
    """
    length, height = 3, 3
    order = unrolled_order(length, height)
    fig = Figure(figsize=(7.6, 4.6), dpi=120)
    ax = fig.subplots()
    ax.set_xlim(0, 15.2)
    ax.set_ylim(0, 9.2)
    ax.axis("off")

    # The image: a grid of pixels, each three stripes R, G, B (the last axis).
    size, left, top = 1.35, 1.1, 7.6
    for row in range(length):
        for col in range(height):
            x0, y0 = left + col * size, top - (row + 1) * size
            for channel, (letter, colour) in enumerate(CHANNELS):
                ax.add_patch(Rectangle((x0 + channel * size / 3, y0), size / 3, size * 0.72,
                                       facecolor=colour, alpha=0.55, edgecolor="none"))
                ax.text(x0 + (channel + 0.5) * size / 3, y0 + size * 0.36, letter,
                        ha="center", va="center", fontsize=7, color="white", fontweight="bold")
            ax.add_patch(Rectangle((x0, y0), size, size, facecolor="none", edgecolor="0.35",
                                   linewidth=2.2 if (row, col) == (0, 0) else 0.8))
            ax.text(x0 + size / 2, y0 + size * 0.86, f"({row}, {col})", ha="center",
                    va="center", fontsize=7, color="0.2")
    right, bottom = left + height * size, top - length * size
    ax.add_patch(FancyArrowPatch((left, top + 0.35), (right, top + 0.35), arrowstyle="-|>",
                                 mutation_scale=10, color="0.35"))
    ax.text((left + right) / 2, top + 0.5, "轴 1 · axis 1: height", ha="center", va="bottom",
            fontsize=8)
    ax.add_patch(FancyArrowPatch((left - 0.3, top), (left - 0.3, bottom), arrowstyle="-|>",
                                 mutation_scale=10, color="0.35"))
    ax.text(left - 0.45, (top + bottom) / 2, "轴 0 · axis 0: length", ha="right",
            va="center", rotation=90, fontsize=8)
    ax.text((left + right) / 2, bottom - 0.35,
            "轴 2 · axis 2: R, G, B（每个像素内 · in each pixel）", ha="center", va="top",
            fontsize=8)
    ax.text((left + right) / 2, bottom - 1.0, "图像 · image: (length, height, 3)",
            ha="center", va="top", fontsize=10)

    # The reshape, and the rule it follows.
    ax.add_patch(FancyArrowPatch((right + 0.4, 5.0), (9.3, 5.0), arrowstyle="-|>",
                                 mutation_scale=18, color="0.3", linewidth=1.6))
    ax.text((right + 9.3) / 2 + 0.1, 5.3, "image.reshape(\n  length*height*3, 1)",
            ha="center", va="bottom", fontsize=9, family="monospace")
    ax.text((right + 9.3) / 2 + 0.1, 4.7, "C 顺序：最后一个轴变化最快\n"
            "C order: the last axis\nvaries fastest", ha="center", va="top", fontsize=8.5,
            color="0.2")

    # The column vector: the first three pixels, a gap, the last pixel.
    shown = [*order[:9], None, *order[-3:]]
    cell, x0, y_top = 0.56, 10.9, 8.6
    for k, entry in enumerate(shown):
        y0 = y_top - (k + 1) * cell
        if entry is None:
            ax.text(x0 + 0.4, y0 + cell / 2, "⋮", ha="center", va="center", fontsize=12)
            continue
        row, col, channel = entry
        letter, colour = CHANNELS[channel]
        ax.add_patch(Rectangle((x0, y0), 0.8, cell, facecolor=colour, alpha=0.55,
                               edgecolor="white", linewidth=1))
        ax.text(x0 + 0.4, y0 + cell / 2, letter, ha="center", va="center", fontsize=7,
                color="white", fontweight="bold")
        ax.text(x0 - 0.15, y0 + cell / 2, f"[{row},{col},{channel}]", ha="right",
                va="center", fontsize=6.5, family="monospace", color="0.3")
        if channel == 2:  # a bracket over the pixel's three entries
            y1 = y0 + 3 * cell
            ax.plot([x0 + 0.95, x0 + 1.1, x0 + 1.1, x0 + 0.95], [y1 - 0.04, y1 - 0.04,
                    y0 + 0.04, y0 + 0.04], color="0.35",
                    linewidth=2.2 if (row, col) == (0, 0) else 0.9)
            ax.text(x0 + 1.25, y0 + 1.5 * cell, f"像素 · pixel ({row}, {col})", ha="left",
                    va="center", fontsize=8)
    ax.text(x0 + 0.4, y_top - len(shown) * cell - 0.2,
            "列向量 · column vector:\n(length*height*3, 1)", ha="center", va="top", fontsize=9)
    ax.set_title("把图像展开成列向量 · Unrolling an image into a column vector")
    fig.tight_layout()
    return fig


# What `make assets` draws into assets/01_numpy_basics/, and the notebook shows.
FIGURES = {"sigmoid_gradient.png": sigmoid_gradient, "image2vector.png": image2vector}
