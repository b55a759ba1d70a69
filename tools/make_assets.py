"""Draw the course's figures into ``assets/`` and embed them in the notebooks (``make assets``).

The figures are generated rather than hand-drawn so anyone can change and
rebuild them. Each is named after the notebook that shows it:
``assets/01_numpy_basics/*.png`` belong to ``solutions/01_numpy_basics/*.ipynb``.

A markdown cell shows a figure as a cell attachment, ``![alt](attachment:name.png)``,
the PNG itself stored in the cell. A relative link such as ``../../assets/...``
only works where the server's root happens to contain ``assets/``; an attachment
works wherever the notebook goes: JupyterLab started from any folder, nbgrader's
feedback pages, nbconvert's HTML, GitHub. nbgrader copies the attachments into the
student version, so ``make assets && make release`` keeps all three in step.
A link to ``../../assets/<folder>/name.png`` is turned into an attachment too.

Labels are bilingual, like the text: the Chinese needs a CJK font (Debian's
``fonts-noto-cjk``); without one the figures are still drawn, and the script says so.
"""

import base64
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import nbformat
import numpy as np
from matplotlib import font_manager, rc_context
from matplotlib.figure import Figure  # no pyplot: files only, no display or backend
from matplotlib.patches import FancyArrowPatch, Rectangle

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets" / "01_numpy_basics"
SOURCES = ROOT / "solutions"
# Fixed metadata keeps the PNG bytes identical from one run to the next.
PNG_METADATA = {"Software": None}
# Chinese labels need a CJK font; the first of these that the machine has is used.
CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "WenQuanYi Zen Hei",
             "WenQuanYi Micro Hei", "Droid Sans Fallback", "AR PL UMing CN")


def cjk_font() -> str | None:
    """Name a font with Chinese glyphs that matplotlib can use, registering it if need be.

    matplotlib's font cache may predate the fonts (``apt-get install fonts-noto-cjk``
    after the first plot), so the files ``fc-list :lang=zh`` names are added to it.
    """
    known = {font.name for font in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in known:
            return name
    if not shutil.which("fc-list"):
        return None
    listing = subprocess.run(["fc-list", "-f", "%{family[0]}|%{file}\n", ":lang=zh"],
                             capture_output=True, text=True, check=False).stdout
    files: dict[str, list[str]] = {}
    for line in sorted(set(listing.splitlines())):  # fc-list's order varies; ours must not
        family, _, file = line.partition("|")
        files.setdefault(family, []).append(file)
    offered = [name for name in CJK_FONTS if name in files] + sorted(files)
    for name in offered:
        for file in files[name]:
            try:
                font_manager.fontManager.addfont(file)
            except (OSError, RuntimeError, ValueError):
                continue
        if name in {font.name for font in font_manager.fontManager.ttflist}:
            return name
    return None


def bilingual_fonts() -> list[str]:
    """Latin text and symbols in DejaVu Sans, as before; Chinese from a CJK font, if there is one.

    matplotlib falls back glyph by glyph along the list. Without a CJK font the
    figures are still drawn, their Chinese as empty boxes, and this says so.
    """
    name = cjk_font()
    if name is None:
        print("make_assets: no Chinese font found (matplotlib knows none and "
              "`fc-list :lang=zh` offers none), so the figures' Chinese labels will show as "
              "boxes; install one, e.g. `apt-get install fonts-noto-cjk`, and run "
              "`make assets` again · 未找到中文字体，图中的中文将显示为方框", file=sys.stderr)
        return ["DejaVu Sans"]
    return ["DejaVu Sans", name]


def sigmoid_gradient(path: Path) -> None:
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
    fig.savefig(path, metadata=PNG_METADATA)


CHANNELS = (("R", "tab:red"), ("G", "tab:green"), ("B", "tab:blue"))


def unrolled_order(length: int, height: int) -> list[tuple[int, int, int]]:
    """The index (row, column, channel) of each entry of ``image.reshape(-1, 1)``, in order.

    Computed by NumPy's own reshape, so the figure cannot tell a different story:
    C order, the last axis (the channel) varying fastest.
    """
    image = np.arange(length * height * 3).reshape(length, height, 3)
    flat = image.reshape(length * height * 3, 1)[:, 0]
    return [tuple(int(i) for i in np.unravel_index(k, image.shape)) for k in flat]


def image2vector(path: Path) -> None:
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
    fig.savefig(path, metadata=PNG_METADATA)


FIGURES = {"sigmoid_gradient.png": sigmoid_gradient, "image2vector.png": image2vector}
# An image in markdown: ![alt](target), the target an attachment or a link into assets/.
IMAGE = re.compile(r"(!\[[^\]]*\]\()(attachment:|(?:\.\./)+assets/[^/)]+/)([^)/]+\.png)(\))")


def main(folder: Path = ASSETS) -> list[Path]:
    """Draw every figure into ``folder``; return the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    fonts = bilingual_fonts()
    written = []
    with rc_context({"font.family": fonts}), warnings.catch_warnings():
        if len(fonts) == 1:  # said once above, not once per glyph
            warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        for name, draw in FIGURES.items():
            draw(folder / name)
            written.append(folder / name)
            print(f"wrote {folder / name}")
    return written


def embed(notebook: Path, folder: Path) -> bool:
    """Attach the figures of ``folder`` to the markdown cells of ``notebook`` that show them.

    Links into assets/ become ``attachment:`` references; each cell carries exactly
    the PNGs it shows, as they are in ``folder``. Returns whether the file changed.
    """
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        names = [m.group(3) for m in IMAGE.finditer(cell.source)]
        if not names:
            cell.pop("attachments", None)
            continue
        missing = [name for name in names if not (folder / name).is_file()]
        if missing:
            raise SystemExit(f"{notebook}: no figure {', '.join(missing)} in {folder}")
        cell.source = IMAGE.sub(r"\1attachment:\3\4", cell.source)
        cell.attachments = {
            name: {"image/png": base64.b64encode((folder / name).read_bytes()).decode("ascii")}
            for name in names
        }
    text = nbformat.writes(nb) + "\n"  # as Jupyter writes a notebook
    if text == notebook.read_text(encoding="utf-8"):
        return False
    notebook.write_text(text, encoding="utf-8")
    print(f"embedded the figures of {folder} in {notebook}")
    return True


if __name__ == "__main__":
    if len(sys.argv) > 1:  # draw elsewhere, e.g. to compare with the committed figures
        main(Path(sys.argv[1]))
    else:
        main(ASSETS)
        for notebook in sorted((SOURCES / ASSETS.name).glob("*.ipynb")):
            embed(notebook, ASSETS)
