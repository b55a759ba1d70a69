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
"""

import base64
import re
import sys
from pathlib import Path

import nbformat
import numpy as np
from matplotlib.figure import Figure  # no pyplot: files only, no display or backend
from matplotlib.patches import FancyArrowPatch, Rectangle

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets" / "01_numpy_basics"
SOURCES = ROOT / "solutions"
# Fixed metadata keeps the PNG bytes identical from one run to the next.
PNG_METADATA = {"Software": None}


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
            label="tangent at 0, slope 0.25")
    ax.annotate("max slope 0.25", xy=(0, 0.25), xytext=(1.6, 0.38),
                arrowprops={"arrowstyle": "->", "color": "0.3"}, fontsize=9)
    for side in (-1, 1):
        ax.axvspan(side * 5, side * 8, color="0.85", alpha=0.6, linewidth=0)
    ax.text(-6.5, 0.62, "vanishing\ngradient", ha="center", fontsize=9, color="0.25")
    ax.text(6.5, 0.32, "vanishing\ngradient", ha="center", fontsize=9, color="0.25")
    ax.set_xlim(-8, 8)
    ax.set_ylim(-0.05, 1.05)
    ax.set_xlabel("x")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=9, framealpha=0.9)
    ax.set_title("The sigmoid and its gradient")
    fig.tight_layout()
    fig.savefig(path, metadata=PNG_METADATA)


def image2vector(path: Path) -> None:
    """An RGB image (three stacked channels) unrolled into one column vector."""
    fig = Figure(figsize=(7, 3.6), dpi=120)
    ax = fig.subplots()
    ax.set_xlim(0, 14)
    ax.set_ylim(0, 8)
    ax.axis("off")

    channels = [("tab:red", "R"), ("tab:green", "G"), ("tab:blue", "B")]
    for depth, (colour, name) in reversed(list(enumerate(channels))):
        x0, y0 = 0.6 + 0.55 * depth, 1.4 + 0.55 * depth
        for row in range(4):
            for col in range(4):
                ax.add_patch(Rectangle((x0 + col * 0.9, y0 + row * 0.9), 0.9, 0.9,
                                       facecolor=colour, alpha=0.25 + 0.1 * ((row + col) % 3),
                                       edgecolor="white", linewidth=1))
        ax.text(x0 + 3.75, y0 + 3.75, name, color=colour, fontsize=11, fontweight="bold")
    ax.text(2.8, 0.6, "image: (length, height, 3)", ha="center", fontsize=10)

    ax.add_patch(FancyArrowPatch((6.3, 4.0), (9.2, 4.0), arrowstyle="-|>", mutation_scale=18,
                                 color="0.3", linewidth=1.6))
    ax.text(7.75, 4.35, "image.reshape(\n  length*height*3, 1)", ha="center", fontsize=9,
            family="monospace")

    cells = 14
    for i in range(cells):
        colour = channels[0][0] if i < 5 else channels[1][0] if i < 10 else channels[2][0]
        label = "⋮" if i in (4, 9) else ""
        ax.add_patch(Rectangle((10.2, 7.3 - (i + 1) * 0.45), 0.7, 0.45, facecolor=colour,
                               alpha=0.1 if label else 0.35, edgecolor="white"))
        if label:
            ax.text(10.55, 7.3 - (i + 0.8) * 0.45, label, ha="center", fontsize=10)
    ax.text(10.55, 0.85, "column vector:\n(length*height*3, 1)", ha="center", va="top",
            fontsize=10)
    ax.set_title("Unrolling an image into a column vector")
    fig.tight_layout()
    fig.savefig(path, metadata=PNG_METADATA)


FIGURES = {"sigmoid_gradient.png": sigmoid_gradient, "image2vector.png": image2vector}
# An image in markdown: ![alt](target), the target an attachment or a link into assets/.
IMAGE = re.compile(r"(!\[[^\]]*\]\()(attachment:|(?:\.\./)+assets/[^/)]+/)([^)/]+\.png)(\))")


def main(folder: Path = ASSETS) -> list[Path]:
    """Draw every figure into ``folder``; return the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
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
