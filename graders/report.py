"""An assignment's reports, read from the gradebook: final grades, hand-set ones included.

    python -m graders.report [ASSIGNMENT ...] [--course DIR] [--db-url URL] [--no-class-report]

Run it after grading by hand (nbgrader's formgrader, or its ``Gradebook`` API: a
grade's ``manual_score``) to rewrite ``reports/<assignment>/``: the grades
(``grades.csv``, nbgrader's own export), the grading report
(``grading-report.csv`` for people, ``grading-report.json`` for tools) and the
class report (``class-report.html``). The class runner (``graders.grade``) writes
its reports with this same code, right after grading.

Every score is nbgrader's final one (``Grade.score``: the score set by hand where
there is one, else the autograder's, plus any extra credit), and each student's
line names the grades set by hand ("set by hand: test_softmax 0 → 1"). What only
the grading run knew (a submission that could not be graded and why, the
timings) is kept from the last ``grading-report.json``. Without an assignment,
every assignment of the gradebook with submissions is rewritten.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import NamedTuple

from .class_report import write_class_report
from .grade import (
    Outcome,
    course_arguments,
    course_folders,
    export_grades,
    load_config,
    sqlite_path,
)
from .safe_text import for_csv, for_terminal

REPORTS = "reports"  # reports/<assignment>/ in the course folder
GRADING_REPORT = "grading-report"  # .csv and .json
CSV_FIELDS = ["student", "score", "max_score", "status", "reason"]


@dataclass(frozen=True)
class CellGrade:
    """One graded cell of a student's submission, as the gradebook has it now."""

    notebook: str
    cell: str  # its grade id
    # nbgrader's final score: manual_score if set, else auto_score; plus extra credit.
    score: float
    max_score: float
    auto_score: float | None
    manual_score: float | None
    extra_credit: float | None

    @property
    def full_marks(self) -> bool:
        return self.score >= self.max_score

    @property
    def set_by_hand(self) -> bool:
        return self.manual_score is not None or bool(self.extra_credit)

    def change(self) -> str:
        """What the hand did, e.g. "test_softmax 0 → 1" ("–": the autograder gave no score)."""
        before = "–" if self.auto_score is None else f"{self.auto_score:g}"
        after = before if self.manual_score is None else f"{self.manual_score:g}"
        extra = f" + {self.extra_credit:g} extra credit" if self.extra_credit else ""
        return f"{self.cell} {before} → {after}{extra}"


@dataclass(frozen=True)
class StudentGrades:
    """A student's submission of one assignment, as the gradebook has it now."""

    name: str  # "last, first" from the class list, as the formgrader shows it; "" if none
    score: float
    max_score: float
    cells: tuple[CellGrade, ...]  # in the notebooks' order


def final_grades(db_url: str, assignment: str) -> dict[str, StudentGrades]:
    """Every submission's final grades, by student id."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gradebook:
        return {
            submission.student.id: StudentGrades(
                ", ".join(filter(None, (submission.student.last_name,
                                        submission.student.first_name))),
                submission.score, submission.max_score,
                tuple(CellGrade(notebook.name, grade.name, grade.score, grade.max_score,
                                grade.auto_score, grade.manual_score, grade.extra_credit)
                      for notebook in submission.notebooks for grade in notebook.grades))
            for submission in gradebook.find_assignment(assignment).submissions
        }


@dataclass(frozen=True)
class ReportLine:
    """One student's line of the reports: what their grading run found, and the final grades."""

    outcome: Outcome
    grades: StudentGrades | None  # None: not in the gradebook (an id refused at intake)

    @property
    def student(self) -> str:
        return self.outcome.student

    @property
    def status(self) -> str:
        return self.outcome.status

    @property
    def name(self) -> str:
        return self.grades.name if self.grades else ""

    @property
    def score(self) -> float:
        return self.grades.score if self.grades else self.outcome.score

    @property
    def max_score(self) -> float:
        return self.grades.max_score if self.grades else self.outcome.max_score

    @property
    def failed_cells(self) -> list[CellGrade]:
        """Graded cells below full marks; none for a submission that could not be graded,
        whose cells all scored 0 for the reason given."""
        if self.grades is None or self.status != "graded":
            return []
        return [cell for cell in self.grades.cells if not cell.full_marks]

    @property
    def set_by_hand(self) -> list[CellGrade]:
        return [cell for cell in self.grades.cells if cell.set_by_hand] if self.grades else []

    @property
    def reason(self) -> str:
        """What a person reads: the grading run's findings, then the final grades' story."""
        failed = ", ".join(cell.cell for cell in self.failed_cells)
        by_hand = ", ".join(cell.change() for cell in self.set_by_hand)
        return "; ".join(filter(None, [self.outcome.reason,
                                       failed and f"failed tests: {failed}",
                                       by_hand and f"set by hand: {by_hand}"]))

    def as_json(self) -> dict:
        """The line for tools: the grading run's outcome (its findings as
        ``grading_findings``), final scores, failed tests and grades set by hand."""
        return {
            **asdict(self.outcome),
            "score": self.score,
            "max_score": self.max_score,
            "reason": self.reason,
            "grading_findings": self.outcome.reason,
            "failed_tests": [cell.cell for cell in self.failed_cells],
            "set_by_hand": [asdict(cell) for cell in self.set_by_hand],
        }


def earlier_outcomes(folder: Path) -> dict[str, Outcome]:
    """What the last grading runs found, by student, from ``grading-report.json`` ({} if none)."""
    path = folder / f"{GRADING_REPORT}.json"
    if not path.exists():
        return {}
    return {
        row["student"]: Outcome(
            row["student"], score=row["score"], max_score=row["max_score"], status=row["status"],
            reason=row.get("grading_findings", ""), seconds=row.get("seconds", {}),
            worker_peak_mb=row.get("worker_peak_mb", 0.0), worker=row.get("worker", {}))
        for row in json.loads(path.read_text(encoding="utf-8"))
    }


def report_lines(outcomes: dict[str, Outcome], grades: dict[str, StudentGrades]
                 ) -> list[ReportLine]:
    """A line for everyone with an outcome or a submission in the gradebook, by student id.

    A submission graded outside the class runner (the formgrader's Autograde button,
    plain ``nbgrader autograde``) has no outcome: its line says only what the
    gradebook says.
    """
    return [ReportLine(outcomes.get(student) or Outcome(student), grades.get(student))
            for student in sorted(outcomes.keys() | grades.keys())]


def write_grading_report(lines: list[ReportLine], folder: Path) -> Path:
    """The grading report: CSV for people (escaped, no formulas), JSON for tools."""
    folder.mkdir(parents=True, exist_ok=True)
    with _replacing(folder / f"{GRADING_REPORT}.csv") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_FIELDS)
        for line in lines:
            writer.writerow([for_csv(value) for value in (
                for_terminal(line.student), line.score, line.max_score, line.status,
                for_terminal(line.reason))])
    with _replacing(folder / f"{GRADING_REPORT}.json") as handle:
        json.dump([line.as_json() for line in lines], handle, indent=1, ensure_ascii=False)
    return folder / f"{GRADING_REPORT}.csv"


@contextlib.contextmanager
def _replacing(path: Path):
    """Write a file whole or not at all: two graders of one class (``--student``) may
    write the report at once, and neither may read the other's half-written JSON."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        with temporary.open("w", newline="", encoding="utf-8") as handle:
            yield handle
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


class Reports(NamedTuple):
    """What ``write_reports`` wrote: every student's line, and the files."""

    lines: list[ReportLine]
    written: list[tuple[str, Path]]  # each file written, with what it is


def write_reports(course: Path, assignment: str, db_url: str, autograded: Path,
                  outcomes: Iterable[Outcome] = (), class_report: bool = True) -> Reports:
    """Write every report of the assignment from the gradebook's final grades.

    ``outcomes`` are what a grading run just found; for everyone else, what the
    last runs found is kept. ``autograded`` is nbgrader's autograded folder.
    """
    folder = course / REPORTS / assignment
    known = earlier_outcomes(folder)
    known.update({outcome.student: outcome for outcome in outcomes})
    lines = report_lines(known, final_grades(db_url, assignment))
    written = [("grading report (CSV)", write_grading_report(lines, folder)),
               ("grades (CSV)", export_grades(course, db_url, assignment,
                                              folder / "grades.csv"))]
    if class_report:
        written.append(("class report (HTML)",
                        write_class_report(autograded, assignment, lines, folder)))
    return Reports(lines, written)


def gradebook_problem(db_url: str, assignments: list[str]) -> str:
    """Why the reports cannot be read from this gradebook ('' when they can)."""
    from nbgrader.api import Gradebook, MissingEntry

    path = sqlite_path(db_url)
    if path is not None and not path.exists():  # nbgrader would make an empty one
        return f"there is no gradebook at {path}; grade first: make grade"
    with Gradebook(db_url) as gradebook:
        for assignment in assignments:
            try:
                gradebook.find_assignment(assignment)
            except MissingEntry:
                return f"the assignment {assignment} is not in the gradebook"
    return ""


def graded_assignments(db_url: str) -> list[str]:
    """The gradebook's assignments with at least one submission, in its order."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gradebook:
        return [assignment.name for assignment in gradebook.assignments
                if assignment.num_submissions]


def main(argv: list[str] | None = None) -> int:
    args = course_arguments(__doc__).parse_args(argv)

    from nbgrader.coursedir import CourseDirectory

    course = args.course.resolve()
    config = load_config(course, args.db_url)
    db_url, autograded = CourseDirectory(config=config).db_url, course_folders(config).autograded
    problem = gradebook_problem(db_url, args.assignments)
    assignments = args.assignments or ([] if problem else graded_assignments(db_url))
    if not problem and not assignments:
        problem = "no assignment of the gradebook has submissions; grade first: make grade"
    if problem:
        print(f"No report written: {for_terminal(problem)}.", file=sys.stderr)
        return 1
    for assignment in assignments:
        lines, written = write_reports(course, assignment, db_url, autograded,
                                       class_report=not args.no_class_report)
        by_hand = [f"{for_terminal(line.student)} "
                   f"({', '.join(cell.change() for cell in line.set_by_hand)})"
                   for line in lines if line.set_by_hand]
        print(f"{assignment}: reports rewritten from the gradebook's final grades "
              f"({len(lines)} students); set by hand: {'; '.join(by_hand) or 'nothing'}")
        for label, path in written:
            print(f"{label}: {for_terminal(str(path))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
