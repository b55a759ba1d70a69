"""The instructor's class report: one HTML page with plots, written after grading.

Distribution of totals, pass rate per exercise (public check and hidden tests),
the most common failure messages per exercise, and every student's line with
its reason. Plots are PNGs embedded in the page, so it opens anywhere, offline.
matplotlib is imported here only, never while notebooks are graded.
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections import Counter, defaultdict
from pathlib import Path

import nbformat

from .autograde_steps import TEST_ID

CASE_PREFIX = re.compile(r"^(public|hidden) case \d+/\d+ \(.*?\): ")


def gradebook_table(db_url: str, assignment: str) -> dict[str, dict[str, tuple[float, float]]]:
    """Every student's (score, max score) per graded cell."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gradebook:
        return {
            submission.student.id: {
                grade.name: (grade.score or 0.0, grade.max_score)
                for notebook in submission.notebooks for grade in notebook.grades
            }
            for submission in gradebook.find_assignment(assignment).submissions
        }


def failure_messages(course: Path, assignment: str) -> dict[str, Counter]:
    """How often each failure message appears, per exercise, across the class."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for path in sorted((course / "autograded").glob(f"*/{assignment}/*.ipynb")):
        student: dict[str, set[str]] = defaultdict(set)  # a student counts once per message
        for cell in nbformat.read(path, as_version=4).cells:
            match = TEST_ID.match(cell.metadata.get("nbgrader", {}).get("grade_id", ""))
            if match:
                student[match["function"]].update(
                    message
                    for output in cell.get("outputs", []) if output.output_type == "error"
                    for message in _messages(output)
                )
        for exercise, messages in student.items():
            counts[exercise].update(messages)
    return counts


def _messages(output) -> list[str]:
    """The short, comparable lines of one error: its problems, else its first line."""
    text = str(output.get("evalue", ""))
    raised = [line.split("raised / 抛出:", 1)[1].strip()
              for line in text.splitlines() if "raised / 抛出:" in line]
    problems = raised or [line.split("problem / 问题:", 1)[1].strip()
                          for line in text.splitlines() if "problem / 问题:" in line]
    if not problems and output.get("ename") == "TestFailed":
        problems = [CASE_PREFIX.sub("", line).strip() for line in text.splitlines()]
    if not problems:
        first = text.splitlines()[0] if text.strip() else ""
        problems = [f"{output.get('ename', 'Error')}: {first}"]
    return [_comparable(problem) for problem in problems if problem]


def _comparable(problem: str) -> str:
    """One wording per kind of failure: English half only, without the numbers of one case."""
    problem = problem.split(" · ")[0]
    problem = re.sub(r"\s*\(largest difference [^)]*\)", "", problem)
    return problem.strip().rstrip(":")[:140]


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def histogram_of_totals(totals: list[float], maximum: float):
    """How many students scored each total: whole students, whole points on the axes."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(6, 3.2), layout="constrained")
    ax = figure.subplots()
    ax.hist(totals, bins=range(int(maximum) + 2), color="tab:blue", edgecolor="white",
            align="left")
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


def write_class_report(course: Path, assignment: str, db_url: str, outcomes,
                       folder: Path) -> Path:
    table = gradebook_table(db_url, assignment)
    # In the gradebook's order of cells, which is the notebook's.
    exercises = list(dict.fromkeys(
        match["function"] for cells in table.values() for name in cells
        if (match := TEST_ID.match(name))
    ))
    rates = {}
    for exercise in exercises:
        passed = [0, 0]
        for cells in table.values():
            for part, name in enumerate((f"test_{exercise}", f"test_{exercise}_hidden")):
                score, maximum = cells.get(name, (0.0, 1.0))
                passed[part] += score >= maximum
        rates[exercise] = (passed[0] / len(table), passed[1] / len(table)) if table else (0, 0)
    totals = [outcome.score for outcome in outcomes]
    maximum = max((outcome.max_score for outcome in outcomes), default=0.0)
    histogram, bars = _png(histogram_of_totals(totals, maximum)), _png(pass_rate_bars(rates))
    messages = failure_messages(course, assignment)

    rows = "\n".join(
        f"<tr><td>{html.escape(o.student)}</td><td>{o.score:g}/{o.max_score:g}</td>"
        f"<td>{html.escape(o.status)}</td><td>{html.escape(o.reason)}</td></tr>"
        for o in outcomes
    )
    failures = "\n".join(
        f"<h3>{html.escape(exercise)}</h3><ol>"
        + "".join(f"<li>{html.escape(message)} <b>× {count}</b></li>"
                  for message, count in messages[exercise].most_common(3))
        + "</ol>"
        for exercise in exercises if messages.get(exercise)
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
<p>{len(outcomes)} submissions · mean {mean:.1f} of {maximum:g} ·
{sum(o.status != "graded" for o in outcomes)} could not be graded (scored 0, reasons below)</p>
<h2>Distribution of totals · 总分分布</h2>
<img alt="histogram of total scores" src="data:image/png;base64,{histogram}">
<h2>Pass rate per exercise · 各练习通过率</h2>
<img alt="pass rate per exercise" src="data:image/png;base64,{bars}">
<h2>Most common failures per exercise · 常见错误</h2>
{failures}
<h2>Students · 学生</h2>
<table><tr><th>student</th><th>score</th><th>status</th><th>reason</th></tr>
{rows}
</table></body></html>
"""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "class-report.html"
    path.write_text(page, encoding="utf-8")
    return path
