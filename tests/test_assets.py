"""Can anyone redraw the course's figures, and do the notebooks carry the current ones?"""

import base64
import runpy
import shutil
import subprocess
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbformat.v4 import new_markdown_cell, new_notebook

from course import ASSIGNMENT, NOTEBOOK, ROOT
from graders import course_setup
from graders.course_setup import authoring, read

make_assets = runpy.run_path(str(ROOT / "tools" / "make_assets.py"))
WITH_FIGURES = make_assets["with_figures"]()


def committed(assignment_id: str) -> dict[str, bytes]:
    """The figures of assets/<id>/ as git has them, by name."""
    folder = make_assets["ASSETS"] / assignment_id
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.png"))}


def notebooks(assignment_id: str) -> list[Path]:
    """The assignment's source notebooks and their student versions."""
    return [path for folder in (course_setup.SOURCE, course_setup.RELEASED)
            for path in sorted((ROOT / folder / assignment_id).glob("*.ipynb"))]


def embedded(path) -> dict[str, bytes]:
    """Every figure a notebook carries as a cell attachment, by name."""
    return {name: base64.b64decode(bundle["image/png"])
            for cell in read(path).cells
            for name, bundle in (cell.get("attachments") or {}).items()}


def test_assignment_1_has_figures():
    """Is assignment 1's figure script found (else the tests below would check nothing)?"""
    assert ASSIGNMENT in WITH_FIGURES
    assert sorted(committed(ASSIGNMENT)) == ["image2vector.png", "sigmoid_gradient.png"]


@pytest.mark.parametrize("assignment_id", WITH_FIGURES)
def test_the_committed_figures_are_what_the_script_draws(assignment_id, tmp_path):
    """Does the figure script draw, byte for byte, every PNG committed in assets/<id>/?"""
    if make_assets["cjk_font"]() is None:
        pytest.skip("no Chinese font on this machine, and the committed figures were drawn "
                    "with one: apt-get install fonts-noto-cjk")
    drawn = {path.name: path.read_bytes() for path in make_assets["draw"](assignment_id, tmp_path)}
    assert sorted(drawn) == sorted(committed(assignment_id))
    for name, png in committed(assignment_id).items():
        assert drawn[name] == png, f"assets/{assignment_id}/{name} is stale: make assets"


@pytest.mark.parametrize("assignment_id", WITH_FIGURES)
def test_each_notebook_carries_the_committed_figures(assignment_id):
    """Is every attachment, in solutions/ and notebooks/, byte for byte its file, and each shown?"""
    figures = committed(assignment_id)
    shown = set()
    for path in notebooks(assignment_id):
        for name, png in embedded(path).items():
            assert png == figures.get(name), f"{path}: {name} is stale: make assets && make release"
            shown.add(name)
    assert shown == set(figures), "a figure of assets/ that no notebook shows"


@pytest.mark.parametrize("assignment_id", WITH_FIGURES)
def test_make_assets_leaves_a_current_notebook_unchanged(assignment_id, tmp_path):
    """Is each source notebook exactly what embedding the committed figures makes of it?"""
    for source in sorted((ROOT / course_setup.SOURCE / assignment_id).glob("*.ipynb")):
        copy = tmp_path / source.name
        shutil.copy2(source, copy)
        assert make_assets["embed"](copy, make_assets["ASSETS"] / assignment_id) is False
        assert copy.read_bytes() == source.read_bytes()


def test_a_link_into_assets_becomes_an_attachment(tmp_path):
    """Does `make assets` turn a ../../assets/ link into an attachment holding the figure?"""
    path = tmp_path / NOTEBOOK
    assets = make_assets["ASSETS"] / ASSIGNMENT
    link = f"![σ′ · 梯度](../../assets/{ASSIGNMENT}/sigmoid_gradient.png)"
    nb = new_notebook(cells=[new_markdown_cell(f"See · 看:\n\n{link}\n"),
                             new_markdown_cell("No figure here · 这里没有图")])
    nbformat.write(nb, path)
    assert make_assets["embed"](path, assets) is True
    cells = read(path).cells
    assert cells[0].source == "See · 看:\n\n![σ′ · 梯度](attachment:sigmoid_gradient.png)\n"
    figure = (assets / "sigmoid_gradient.png").read_bytes()
    assert embedded(path) == {"sigmoid_gradient.png": figure}
    assert "attachments" not in cells[1]
    assert make_assets["embed"](path, assets) is False  # a second run changes nothing


def test_the_image2vector_figure_unrolls_as_numpy_does():
    """Does the figure's vector hold R, G, B of pixel (0, 0), then of pixel (0, 1), as reshape?"""
    order = authoring(ASSIGNMENT, "figures").unrolled_order(2, 3)
    assert order[:6] == [(0, 0, 0), (0, 0, 1), (0, 0, 2), (0, 1, 0), (0, 1, 1), (0, 1, 2)]
    image = np.arange(2 * 3 * 3).reshape(2, 3, 3)
    assert [int(image[index]) for index in order] == image.reshape(18, 1)[:, 0].tolist()


@pytest.mark.parametrize("assignment_id", WITH_FIGURES)
def test_figures_are_the_same_bytes_every_run(assignment_id, tmp_path):
    """Does drawing twice give identical PNGs, with or without a Chinese font?"""
    first = make_assets["draw"](assignment_id, tmp_path / "first")
    second = make_assets["draw"](assignment_id, tmp_path / "second")
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


@pytest.mark.parametrize("assignment_id", WITH_FIGURES)
def test_without_a_chinese_font_the_figures_are_drawn_and_it_says_so(assignment_id, tmp_path,
                                                                    monkeypatch, capsys):
    """Does the script still draw every figure without a CJK font, and tell how to get one?"""
    monkeypatch.setitem(make_assets["draw"].__globals__, "cjk_font", lambda: None)
    written = make_assets["draw"](assignment_id, tmp_path)
    assert sorted(p.name for p in written) == sorted(committed(assignment_id))
    assert "fonts-noto-cjk" in capsys.readouterr().err
