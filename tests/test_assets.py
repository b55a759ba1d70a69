"""Can anyone redraw the course's figures, and do the notebooks carry the current ones?"""

import base64
import runpy
import shutil

import nbformat
from matplotlib.image import imread
from nbformat.v4 import new_markdown_cell, new_notebook

from course import NOTEBOOK, RELEASE, ROOT, SOLUTION, read

ASSETS = ROOT / "assets" / "01_numpy_basics"
make_assets = runpy.run_path(str(ROOT / "tools" / "make_assets.py"))


def embedded(path) -> dict[str, bytes]:
    """Every figure a notebook carries as a cell attachment, by name."""
    return {name: base64.b64decode(bundle["image/png"])
            for cell in read(path).cells
            for name, bundle in (cell.get("attachments") or {}).items()}


def test_figures_are_redrawn_by_the_script(tmp_path):
    """Does tools/make_assets.py draw every committed figure, at the same size?"""
    written = make_assets["main"](tmp_path)
    committed = sorted(ASSETS.glob("*.png"))
    assert sorted(p.name for p in written) == [p.name for p in committed]
    for fresh in written:
        assert imread(fresh).shape == imread(ASSETS / fresh.name).shape


def test_each_notebook_carries_exactly_the_figures_in_assets():
    """Is every attachment, in the solution and the student notebook, byte for byte its file?"""
    for path in (SOLUTION, RELEASE):
        figures = embedded(path)
        assert sorted(figures) == sorted(p.name for p in ASSETS.glob("*.png")), path
        for name, png in figures.items():
            assert png == (ASSETS / name).read_bytes(), f"{path}: {name} is stale: make assets"


def test_make_assets_leaves_a_current_notebook_unchanged(tmp_path):
    """Is the solution notebook exactly what embedding the committed figures makes of it?"""
    copy = tmp_path / NOTEBOOK
    shutil.copy2(SOLUTION, copy)
    assert make_assets["embed"](copy, ASSETS) is False
    assert copy.read_bytes() == SOLUTION.read_bytes()


def test_a_link_into_assets_becomes_an_attachment(tmp_path):
    """Does `make assets` turn a ../../assets/ link into an attachment holding the figure?"""
    path = tmp_path / NOTEBOOK
    link = "![σ′ · 梯度](../../assets/01_numpy_basics/sigmoid_gradient.png)"
    nb = new_notebook(cells=[new_markdown_cell(f"See · 看:\n\n{link}\n"),
                             new_markdown_cell("No figure here · 这里没有图")])
    nbformat.write(nb, path)
    assert make_assets["embed"](path, ASSETS) is True
    cells = read(path).cells
    assert cells[0].source == "See · 看:\n\n![σ′ · 梯度](attachment:sigmoid_gradient.png)\n"
    figure = (ASSETS / "sigmoid_gradient.png").read_bytes()
    assert embedded(path) == {"sigmoid_gradient.png": figure}
    assert "attachments" not in cells[1]
    assert make_assets["embed"](path, ASSETS) is False  # a second run changes nothing
