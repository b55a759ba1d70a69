"""Can an instructor read the class report's charts: whole students, nothing hiding a bar?"""

from graders.class_report import (
    NOT_WRITTEN_LABEL,
    _misconception_fixes,
    histogram_of_totals,
    pass_rate_bars,
)
from graders.course_setup import assignment_ids
from graders.diagnoses import NOT_WRITTEN

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


def bars(figure) -> dict[float, int]:
    """The histogram's bars that count somebody: their centre, their count."""
    (ax,) = figure.axes
    return {round(bar.get_x() + bar.get_width() / 2, 6): int(bar.get_height())
            for bar in ax.patches if bar.get_height() > 0}


def test_each_total_is_counted_at_its_own_value():
    """Whole points keep one bar per point; a half point set by hand gets a bar of its
    own, not counted with the whole point below it."""
    assert bars(histogram_of_totals([16, 16, 14, 12, 0], 16)) == {16: 2, 14: 1, 12: 1, 0: 1}
    assert bars(histogram_of_totals([16, 14.5, 14.5, 14, 12], 16)) == {
        16: 1, 14.5: 2, 14: 1, 12: 1}
    assert bars(histogram_of_totals([7.25, 7.5, 8], 8)) == {7.25: 1, 7.5: 1, 8: 1}


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


def test_a_function_left_as_its_stub_is_not_called_a_misconception():
    """Is an exercise nobody wrote counted as "not written", and every real misconception
    still by its fix?"""
    for assignment in assignment_ids():
        labels = _misconception_fixes(assignment)
        assert labels, assignment
        for function, by_key in labels.items():
            assert by_key.get(NOT_WRITTEN) == NOT_WRITTEN_LABEL, (assignment, function)
            others = [label for key, label in by_key.items() if key != NOT_WRITTEN]
            assert all(label.startswith("misconception: ") for label in others), others
