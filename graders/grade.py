"""Autograde every submission of an assignment, one student at a time, losing nobody.

    python -m graders.grade 01_numpy_basics [--course DIR] [--student ID ...] [--timeout S]

For each folder ``submitted/<student>/<assignment>/`` this checks the notebook
can be read, runs the real ``nbgrader autograde`` for that student alone (in its
own process, with the course's configuration: sandboxed kernel, out-of-kernel
verdicts), and then makes sure the gradebook holds a score for every graded cell:
whatever could not be graded scores 0. Each student gets a line in the grading
report with a reason in plain words; one broken submission never stops the
others, and submitted files are only ever read. Running it again regrades from
scratch and gives the same gradebook.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import subprocess
import sys
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path

import nbformat
from nbformat.reader import NotJSONError
from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy.exc import SAWarning

REPORT_FIELDS = ["student", "score", "max_score", "status", "reason"]
# nbgrader's words for a notebook whose graded cells were tampered with, in plain ones.
_TAMPERED = ("the notebook's graded cells or their grading metadata were changed, so "
             "nbgrader refused it")
NBGRADER_REFUSALS = {
    "Inconsistent checksums": f"{_TAMPERED} (inconsistent checksums)",
    "use an old version": f"{_TAMPERED} (invalid nbgrader metadata)",
}


@dataclass
class Outcome:
    """One student's line of the grading report."""

    student: str
    score: float = 0.0
    max_score: float = 0.0
    status: str = "graded"  # graded | not graded
    reason: str = ""


def course_layout(course: Path) -> tuple[str, Path]:
    """The gradebook's URL and the folder of submissions, from the course's config."""
    from nbgrader.apps import NbGraderAPI

    api = NbGraderAPI(config=_load_config(course))
    return api.coursedir.db_url, Path(api.coursedir.root) / api.coursedir.submitted_directory


def _load_config(course: Path):
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config()
    config_file = course / "nbgrader_config.py"
    if config_file.exists():
        config.merge(PyFileConfigLoader(config_file.name, path=str(course)).load_config())
    config.CourseDirectory.root = str(course)
    return config


def expected_notebooks(gradebook: Gradebook, assignment: str) -> list[str]:
    return [notebook.name for notebook in gradebook.find_assignment(assignment).notebooks]


def check_submission(folder: Path, notebooks: list[str]) -> str:
    """Why a submission cannot be graded, in plain words ('' when it can)."""
    if not folder.is_dir():
        return "no submission folder"
    for name in notebooks:
        path = folder / f"{name}.ipynb"
        if not path.exists():
            found = sorted(p.name for p in folder.glob("*.ipynb"))
            also = f"; found {', '.join(found)}" if found else ""
            return f"the notebook {name}.ipynb is missing (renamed or not submitted){also}"
        try:
            nbformat.validate(nbformat.read(path, as_version=nbformat.NO_CONVERT))
        except (json.JSONDecodeError, NotJSONError, UnicodeDecodeError):
            return f"{name}.ipynb is not valid JSON: the file is corrupt"
        except Exception as error:  # nbformat's many ways of rejecting a file
            return f"{name}.ipynb is not a notebook nbformat can read: {str(error)[:200]}"
    return ""


def autograde_one(course: Path, assignment: str, student: str, extra: list[str]) -> str:
    """Run nbgrader autograde for one student; the tail of its log if it failed, else ''."""
    nbgrader = Path(sys.executable).parent / "nbgrader"
    env = dict(os.environ)
    env["PATH"] = f"{nbgrader.parent}{os.pathsep}{env.get('PATH', '')}"
    result = subprocess.run(
        [str(nbgrader), "autograde", assignment, "--student", student, "--force", *extra],
        cwd=course, env=env, capture_output=True, text=True,
    )
    if result.returncode == 0:
        return ""
    for known, plain in NBGRADER_REFUSALS.items():
        if known in result.stderr:
            return plain
    errors = [line for line in result.stderr.splitlines() if "ERROR" in line or "Error" in line]
    return " | ".join(errors[-3:])[:500] or f"nbgrader autograde exited with {result.returncode}"


def settle_scores(gradebook: Gradebook, assignment: str, student: str) -> tuple[float, float, int]:
    """Give every grade left without a score a 0; return (score, max score, cells zeroed)."""
    try:
        submission = gradebook.find_submission(assignment, student)
    except MissingEntry:
        gradebook.update_or_create_student(student)
        with warnings.catch_warnings():  # nbgrader's own autoflush notices; harmless here
            warnings.simplefilter("ignore", SAWarning)
            submission = gradebook.add_submission(assignment, student)
    zeroed = 0
    for notebook in submission.notebooks:
        for grade in notebook.grades:
            if grade.auto_score is None and grade.manual_score is None:
                grade.auto_score = 0.0
                zeroed += 1
    gradebook.db.commit()
    return submission.score, submission.max_score, zeroed


def autograded_findings(course: Path, assignment: str, student: str,
                        notebooks: list[str]) -> list[str]:
    """What the autograded notebooks say went wrong: a stopped run, the failed tests."""
    findings = []
    for name in notebooks:
        path = course / "autograded" / student / assignment / f"{name}.ipynb"
        if not path.exists():
            continue
        nb = nbformat.read(path, as_version=4)
        note = nb.metadata.get("graders", {})
        if note.get("execution_failure"):
            findings.append(note["execution_failure"])
        elif note.get("canary_ok") is False:
            findings.append("the notebook did not run to its end as written (its execution "
                            "was altered), so no test could be trusted")
        failed = [
            cell.metadata["nbgrader"]["grade_id"] for cell in nb.cells
            if cell.metadata.get("nbgrader", {}).get("grade")
            and any(output.output_type == "error" for output in cell.get("outputs", []))
        ]
        if failed:
            findings.append(f"failed tests: {', '.join(failed)}")
    return findings


def grade_student(course: Path, assignment: str, student: str, db_url: str,
                  submitted: Path, extra: list[str]) -> Outcome:
    outcome = Outcome(student)
    with Gradebook(db_url) as gradebook:
        notebooks = expected_notebooks(gradebook, assignment)
    problem = check_submission(submitted / student / assignment, notebooks)
    if not problem:
        problem = autograde_one(course, assignment, student, extra)
    with Gradebook(db_url) as gradebook:
        if problem:
            # A failed run may have left a partial submission behind: start from nothing.
            with contextlib.suppress(MissingEntry):
                gradebook.remove_submission(assignment, student)
        outcome.score, outcome.max_score, zeroed = settle_scores(gradebook, assignment, student)
    if problem:
        outcome.status, outcome.reason = "not graded", f"scored 0: {problem}"
    else:
        findings = autograded_findings(course, assignment, student, notebooks)
        if zeroed:
            findings.append(f"{zeroed} graded cell(s) were missing from the notebook: 0 each")
        outcome.reason = "; ".join(findings)
    return outcome


def write_report(outcomes: list[Outcome], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "grading-report.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=REPORT_FIELDS)
        writer.writeheader()
        writer.writerows(asdict(outcome) for outcome in outcomes)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignment")
    parser.add_argument("--course", type=Path, default=Path.cwd(),
                        help="course folder (default: .)")
    parser.add_argument("--student", action="append", help="grade only these students")
    parser.add_argument("--timeout", type=int, help="seconds a cell may run (default: config)")
    args = parser.parse_args(argv)

    course = args.course.resolve()
    db_url, submitted = course_layout(course)
    students = args.student or sorted(
        p.name for p in submitted.iterdir() if (p / args.assignment).is_dir()
    ) if submitted.is_dir() else []
    extra = [f"--ExecutePreprocessor.timeout={args.timeout}"] if args.timeout else []
    outcomes = []
    for number, student in enumerate(students, start=1):
        outcome = grade_student(course, args.assignment, student, db_url, submitted, extra)
        outcomes.append(outcome)
        flag = "" if outcome.status == "graded" and not outcome.reason else f"  ({outcome.reason})"
        score = f"{outcome.score:g}/{outcome.max_score:g}"
        print(f"[{number}/{len(students)}] {student}: {score}{flag}", flush=True)
    report = write_report(outcomes, course / "reports" / args.assignment)
    ungraded = sum(outcome.status != "graded" for outcome in outcomes)
    print(f"graded {len(outcomes) - ungraded} of {len(outcomes)} submissions; "
          f"{ungraded} scored 0 because they could not be graded")
    print(f"report: {report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
