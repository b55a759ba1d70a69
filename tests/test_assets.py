"""Can anyone redraw the course's figures, and are the committed ones current?"""

import runpy

from matplotlib.image import imread

from course import ROOT


def test_figures_are_redrawn_by_the_script(tmp_path):
    """Does tools/make_assets.py draw every committed figure, at the same size?"""
    make_assets = runpy.run_path(str(ROOT / "tools" / "make_assets.py"))
    written = make_assets["main"](tmp_path)
    committed = sorted((ROOT / "assets" / "01_numpy_basics").glob("*.png"))
    assert sorted(p.name for p in written) == [p.name for p in committed]
    for fresh in written:
        assert imread(fresh).shape == imread(ROOT / "assets" / "01_numpy_basics" / fresh.name).shape
