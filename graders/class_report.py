"""The instructor's class report: one HTML page with plots, written after grading.

Distribution of totals, pass rate per exercise (public check and hidden tests),
the most common failures per exercise, and every student's line with its reason.
It reads the final grades (``graders.report``: grades set by hand included), so
a cell given full marks by hand counts as passed and not as a failure. Plots are
PNGs embedded in the page, so it opens anywhere, offline. matplotlib is imported
here only, never while notebooks are graded.
"""

from __future__ import annotations

import base64
import html
import io
import math
from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

from .assignments import UnknownAssignmentError, find
from .conventions import METADATA_KEY, parse_test_id
from .diagnoses import NOT_WRITTEN

if TYPE_CHECKING:  # graders.report, which writes this page, passes its lines
    from .report import ReportLine

# How the report names a failure the verdict did not explain with problems.
KIND_LABELS = {
    "not_recorded": "nothing was recorded (the function was not defined, raised or stopped)",
    "unreadable": "the record could not be read",
    "forged": "the output was forged",
    "timed_out": "ran past the time limit",
    "not_run": "the notebook did not run to its end as written",
    "error": "the cell stopped with an error",
    "unknown": "a test the grading engine does not know",
}
# A function left as its stub: not a misconception, nothing was tried.
NOT_WRITTEN_LABEL = "not written (the function still raises NotImplementedError)"


def failure_counts(autograded: Path, assignment: str,
                   failing: set[tuple[str, str, str]]) -> dict[str, Counter]:
    """How many students each kind of failure touched, per exercise.

    Read from the verdicts the grading engine stored in each judged cell's metadata
    (``graders.conventions.CellVerdict``): the misconception named, else the kinds of
    difference found, else why nothing could be judged. Only cells still ``failing``
    count, as (student, notebook, grade id): below full marks in the final grades.
    """
    fixes = _misconception_fixes(assignment)
    counts: dict[str, Counter] = defaultdict(Counter)
    for path in sorted(autograded.glob(f"*/{assignment}/*.ipynb")):
        student_id = path.parent.parent.name
        # A student counts once per label of an exercise.
        this_student: dict[str, set[str]] = defaultdict(set)
        for cell in nbformat.read(path, as_version=4).cells:
            verdict = cell.metadata.get(METADATA_KEY)
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if (isinstance(verdict, dict) and not verdict.get("passed", True)
                    and (student_id, path.stem, grade_id) in failing):
                function = str(verdict.get("function", ""))
                this_student[function].update(_labels(verdict, fixes.get(function, {})))
        for exercise, labels in this_student.items():
            counts[exercise].update(labels)
    return counts


def _labels(verdict: dict, fixes: dict[str, str]) -> list[str]:
    diagnosis = verdict.get("diagnosis")
    if diagnosis in fixes:
        return [fixes[diagnosis]]
    problems = [str(problem) for problem in verdict.get("problems") or []]
    return problems or [KIND_LABELS.get(str(verdict.get("kind")), "failed")]


def _misconception_fixes(assignment: str) -> dict[str, dict[str, str]]:
    """Each known misconception's label (its fix, in English), by function and key."""
    try:
        catalogue = find(assignment).misconceptions
    except UnknownAssignmentError:
        return {}
    return {function: {m.key: NOT_WRITTEN_LABEL if m.key == NOT_WRITTEN
                       else "misconception: " + m.fix.split(" · ")[0] for m in misconceptions}
            for function, misconceptions in catalogue.items()}


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


# Bin widths from whole points down: a grade set by hand may give half a point.
BIN_WIDTHS = (1.0, 0.5, 0.25, 0.1, 0.05, 0.01)


def bin_width(totals: list[float]) -> float:
    """The widest bin in which every total sits on its own value (so 14.5 is not counted
    as 14)."""
    for width in BIN_WIDTHS:
        if all(math.isclose(total / width, round(total / width), abs_tol=1e-6)
               for total in totals):
            return width
    return BIN_WIDTHS[-1]


def histogram_of_totals(totals: list[float], maximum: float):
    """How many students scored each total, one bar per total a student can have: whole
    students, whole points on the axes."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(6, 3.2), layout="constrained")
    ax = figure.subplots()
    width = bin_width(totals)
    # Each bin is centred on a total: no total lies on an edge.
    edges = [(step - 0.5) * width for step in range(round(maximum / width) + 2)]
    ax.hist(totals, bins=edges, color="tab:blue", edgecolor="white")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # no tick at 1.5 students
    ax.set_xlabel(f"total score (out of {maximum:g})")
    ax.set_ylabel("students")
    ax.set_title("Distribution of totals")
    return figure


def pass_rate_bars(rates: dict[str, tuple[float, float]]):
    """Share of the class passing each exercise's public check and hidden tests."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter

    figure = Figure(figsize=(7.5, 3.4), layout="constrained")
    ax = figure.subplots()
    names = list(rates)
    positions = range(len(names))
    ax.bar([p - 0.2 for p in positions], [rates[n][0] * 100 for n in names], width=0.4,
           label="public check", color="tab:green")
    ax.bar([p + 0.2 for p in positions], [rates[n][1] * 100 for n in names], width=0.4,
           label="hidden tests", color="tab:purple")
    ax.set_xticks(list(positions), names, rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("students passing")
    ax.set_ylim(0, 100)
    ax.yaxis.set_major_formatter(PercentFormatter())
    ax.set_title("Pass rate per exercise")
    figure.legend(loc="outside right upper", fontsize=8)  # beside the bars, never over them
    return figure


def pass_rates(lines: list[ReportLine]) -> dict[str, tuple[float, float]]:
    """Share of the submissions with full marks in each exercise's public check and hidden
    tests, in the notebooks' order of exercises."""
    full_marks = [{cell.cell: cell.full_marks for cell in line.grades.cells}
                  for line in lines if line.grades]
    exercises = dict.fromkeys(test.function for cells in full_marks for name in cells
                              if (test := parse_test_id(name)))
    return {exercise: tuple(sum(cells.get(name, False) for cells in full_marks) / len(full_marks)
                            for name in (f"test_{exercise}", f"test_{exercise}_hidden"))
            for exercise in exercises}


def write_class_report(autograded: Path, assignment: str, lines: list[ReportLine],
                       folder: Path) -> Path:
    """The class report of one assignment; ``autograded`` is nbgrader's autograded folder."""
    rates = pass_rates(lines)
    totals = [line.score for line in lines]
    maximum = max((line.max_score for line in lines), default=0.0)
    histogram, bars = _png(histogram_of_totals(totals, maximum)), _png(pass_rate_bars(rates))
    messages = failure_counts(autograded, assignment, {
        (line.student, cell.notebook, cell.cell) for line in lines for cell in line.failed_cells})
    by_hand = [line for line in lines if line.set_by_hand]

    rows = "\n".join(
        f"<tr><td>{html.escape(line.student)}</td><td>{html.escape(line.name)}</td>"
        f"<td>{line.score:g}/{line.max_score:g}</td><td>{html.escape(line.status)}</td>"
        f"<td>{html.escape(line.reason)}</td></tr>"
        for line in lines
    )
    failures = "\n".join(
        f"<h3>{html.escape(exercise)}</h3><ol>"
        + "".join(f"<li>{html.escape(message)} <b>× {count}</b></li>"
                  for message, count in messages[exercise].most_common(3))
        + "</ol>"
        for exercise in rates if messages.get(exercise)
    ) or "<p>No test failed.</p>"
    mean = sum(totals) / len(totals) if totals else 0.0
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Class report · {html.escape(assignment)}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 980px; margin: 2em auto; color: #222; }}
table {{ border-collapse: collapse; width: 100%; font-size: 0.9em; }}
td, th {{ border-bottom: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }}
img {{ max-width: 100%; }}
</style></head><body>
<h1>Class report · 班级报告: {html.escape(assignment)}</h1>
<p>{len(lines)} submissions · mean {mean:.1f} of {maximum:g} ·
{sum(line.status != "graded" for line in lines)} could not be graded (scored 0, reasons below)</p>
<p>Scores are the gradebook's final grades · 分数为成绩册中的最终成绩:
{_hand_summary(by_hand)}</p>
<h2>Distribution of totals · 总分分布</h2>
<img alt="histogram of total scores" src="data:image/png;base64,{histogram}">
<h2>Pass rate per exercise · 各练习通过率</h2>
<img alt="{html.escape(_rates_in_words(rates))}" src="data:image/png;base64,{bars}">
<h2>Most common failures per exercise · 常见错误</h2>
{failures}
<h2>Students · 学生</h2>
<table><tr><th>student</th><th>name</th><th>score</th><th>status</th><th>reason</th></tr>
{rows}
</table></body></html>
"""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "class-report.html"
    path.write_text(page, encoding="utf-8")
    return path


def _rates_in_words(rates: dict[str, tuple[float, float]]) -> str:
    """The pass-rate chart in words, for whoever cannot see it (and for tests)."""
    return "pass rate per exercise, public check / hidden tests: " + "; ".join(
        f"{exercise} {public:.0%} / {hidden:.0%}" for exercise, (public, hidden) in rates.items())


def _hand_summary(by_hand: list[ReportLine]) -> str:
    """How many grades were set by hand, and for whom (escaped HTML)."""
    if not by_hand:
        return "none set by hand · 无手动评分."
    cells = sum(len(line.set_by_hand) for line in by_hand)
    students = ", ".join(html.escape(line.student) for line in by_hand)
    return (f"<b>{cells} set by hand · 手动评分</b>, for {students} (their reasons below say "
            "which).")
