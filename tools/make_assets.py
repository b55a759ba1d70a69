"""Draw each assignment's figures into ``assets/<id>/`` and embed them in its notebooks.

    python tools/make_assets.py        # every assignment that has figures
    python tools/make_assets.py <id>…  # those (``make assets A=<id>``)

The figures are generated rather than hand-drawn so anyone can change and rebuild
them. An assignment's own script draws them, ``solutions/<id>/authoring/figures.py``:
its ``FIGURES`` maps each file name to a function that returns a matplotlib
``Figure``. This tool is what every assignment shares: the fonts, PNGs whose bytes
depend on the drawing only (a redraw changes git only when a figure changes), and
the embedding. Each figure is named after its assignment: ``assets/<id>/*.png``
belong to ``solutions/<id>/*.ipynb``.

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
from matplotlib import font_manager, rc_context

from graders.course_setup import SOURCE, assignment_ids, authoring, authoring_path, course_root

ROOT = course_root()
ASSETS = ROOT / "assets"
FIGURE_SCRIPT = "figures"
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


def with_figures() -> list[str]:
    """The assignments that have a figure script, in order."""
    return [assignment_id for assignment_id in assignment_ids()
            if authoring_path(assignment_id, FIGURE_SCRIPT).is_file()]


def draw(assignment_id: str, folder: Path | None = None) -> list[Path]:
    """Draw the assignment's figures into ``folder`` (its assets/ folder); return the files."""
    folder = folder or ASSETS / assignment_id
    folder.mkdir(parents=True, exist_ok=True)
    figures = authoring(assignment_id, FIGURE_SCRIPT).FIGURES
    fonts = bilingual_fonts()
    written = []
    with rc_context({"font.family": fonts}), warnings.catch_warnings():
        if len(fonts) == 1:  # said once above, not once per glyph
            warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        for name, make_figure in figures.items():
            make_figure().savefig(folder / name, metadata=PNG_METADATA)
            written.append(folder / name)
            print(f"wrote {folder / name}")
    return written


# An image in markdown: ![alt](target), the target an attachment or a link into assets/.
IMAGE = re.compile(r"(!\[[^\]]*\]\()(attachment:|(?:\.\./)+assets/[^/)]+/)([^)/]+\.png)(\))")


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


def main(chosen: list[str]) -> None:
    """Draw the figures of the chosen assignments (or of all) and embed them in their sources."""
    drawable = with_figures()
    unknown = [assignment_id for assignment_id in chosen if assignment_id not in drawable]
    if unknown:
        missing = ", ".join(str(authoring_path(assignment_id, FIGURE_SCRIPT))
                            for assignment_id in unknown)
        raise SystemExit(f"make_assets: there is no {missing}; "
                         f"assignments with figures: {', '.join(drawable) or 'none'}")
    for assignment_id in chosen or drawable:
        draw(assignment_id)
        for notebook in sorted((ROOT / SOURCE / assignment_id).glob("*.ipynb")):
            embed(notebook, ASSETS / assignment_id)


if __name__ == "__main__":
    main(sys.argv[1:])
