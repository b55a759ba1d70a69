"""Can an instructor read the class report's charts: whole students, nothing hiding a bar?"""

from graders.class_report import histogram_of_totals, pass_rate_bars

RATES = {"sigmoid": (1.0, 5 / 6), "normalize_rows": (2 / 3, 1 / 2), "softmax": (5 / 6, 2 / 3),
         "L2": (1.0, 1.0)}


def visible_ticks(axis, low: float, high: float) -> list[float]:
    return [tick for tick in axis.get_ticklocs() if low <= tick <= high]


def test_the_histogram_counts_whole_students_and_whole_points():
    """With a handful of students, are there no ticks at 0.5 or 1.5 students?"""
    figure = histogram_of_totals([16, 16, 14, 12, 0, 15], 16)
    figure.draw_without_rendering()
    (ax,) = figure.axes
    for axis, limits in ((ax.yaxis, ax.get_ylim()), (ax.xaxis, ax.get_xlim())):
        ticks = visible_ticks(axis, *limits)
        assert len(ticks) >= 2 and all(float(t).is_integer() for t in ticks), ticks


def test_the_pass_rate_legend_covers_no_bar():
    """Is the legend of the pass-rate chart beside the plot, not over a 100% bar?"""
    figure = pass_rate_bars(RATES)
    figure.draw_without_rendering()
    (ax,) = figure.axes
    legend = figure.legends[0] if figure.legends else ax.get_legend()
    assert legend is not None
    box, plot = legend.get_window_extent(), ax.get_window_extent()
    assert not box.overlaps(plot), (box, plot)
    assert box.x1 <= figure.bbox.x1 and box.y1 <= figure.bbox.y1  # and inside the picture
