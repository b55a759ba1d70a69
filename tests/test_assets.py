"""Can anyone redraw the course's figures, and do the notebooks carry the current ones?"""

import base64
import runpy
import shutil
import subprocess

import nbformat
import numpy as np
import pytest
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


def test_the_image2vector_figure_unrolls_as_numpy_does():
    """Does the figure's vector hold R, G, B of pixel (0, 0), then of pixel (0, 1), as reshape?"""
    order = make_assets["unrolled_order"](2, 3)
    assert order[:6] == [(0, 0, 0), (0, 0, 1), (0, 0, 2), (0, 1, 0), (0, 1, 1), (0, 1, 2)]
    image = np.arange(2 * 3 * 3).reshape(2, 3, 3)
    assert [int(image[index]) for index in order] == image.reshape(18, 1)[:, 0].tolist()


def test_figures_are_the_same_bytes_every_run(tmp_path):
    """Does drawing twice give identical PNGs, so a redraw changes git only when a figure does?"""
    first = make_assets["main"](tmp_path / "first")
    second = make_assets["main"](tmp_path / "second")
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_the_figures_chinese_has_a_font_where_the_system_offers_one():
    """With a Chinese font installed (fonts-noto-cjk, as .ci/run installs), is it used?"""
    offered = shutil.which("fc-list") and subprocess.run(
        ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False
    ).stdout.strip()
    if not offered:
        pytest.skip("no Chinese font on this machine: apt-get install fonts-noto-cjk")
    assert make_assets["cjk_font"]() is not None
    assert len(make_assets["bilingual_fonts"]()) == 2


def test_without_a_chinese_font_the_figures_are_drawn_and_it_says_so(tmp_path, monkeypatch,
                                                                    capsys):
    """Does the script still draw every figure without a CJK font, and tell how to get one?"""
    monkeypatch.setitem(make_assets["main"].__globals__, "cjk_font", lambda: None)
    written = make_assets["main"](tmp_path)
    assert sorted(p.name for p in written) == sorted(p.name for p in ASSETS.glob("*.png"))
    assert "fonts-noto-cjk" in capsys.readouterr().err
