"""A demo class, graded end to end: what an instructor gets from `make grade`.

    python tools/demo.py [--assignment ID] [--size N] [--folder demo] [--jobs N] [--build-only]

Builds, from the student version of each assignment (or of the one named) that
has an answer bank, a class of synthetic submissions: complete ones (in several
correct styles), a blank one, one for each typical mistake in the answer bank,
partly done ones, one that loops forever and one that is not a notebook at all.
Their class list (``class_list.csv``: id, first_name, last_name, email) goes into
the gradebook as an instructor's would, with ``nbgrader db student import``, so
the formgrader and ``grades.csv`` show names and emails. Then it grades each
assignment with `python -m graders.grade` and prints where its report is.
Nothing is downloaded.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
from pathlib import Path

from graders.course_setup import (
    assignment_ids,
    authoring_path,
    copy_course,
    course_root,
    demo_class,
    generate_assignment,
    run_tool,
    submit_class,
)

CLASS_LIST = "class_list.csv"
# Made-up names, in the course's two languages; the lengths have no common factor, so
# the pairs repeat only after 7 × 9 students of each language.
GIVEN_NAMES = (("Ada", "Alan", "Grace", "Emmy", "Claude", "Katherine", "John"),
               ("明", "芳", "伟", "静", "磊", "丽", "涛"))
FAMILY_NAMES = (("Lovelace", "Turing", "Hopper", "Noether", "Shannon", "Johnson", "Backus",
                 "Liskov", "Knuth"),
                ("李", "王", "张", "刘", "陈", "杨", "赵", "黄", "周"))


def with_answer_bank() -> list[str]:
    """The assignments a demo class can be made for: those with an answer bank."""
    return [assignment for assignment in assignment_ids()
            if authoring_path(assignment, "answer_bank").is_file()]


def build(folder: Path, assignments: list[str], size: int | None) -> Path:
    """A fresh course in ``folder`` with each assignment released and a demo class submitted."""
    if folder.exists():
        shutil.rmtree(folder)
    course = copy_course(folder)
    students: dict[str, None] = {}  # every student once, in the order of the classes
    for assignment in assignments:
        generate_assignment(course, assignment)
        submitted = demo_class(assignment, size)
        submit_class(course, assignment, submitted)
        students.update(dict.fromkeys(submitted))
    import_class_list(course, write_class_list(course / CLASS_LIST, list(students)))
    return course


def write_class_list(path: Path, students: list[str]) -> Path:
    """A class list as a learning platform exports it, in the columns nbgrader imports."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "first_name", "last_name", "email"])
        for index, student in enumerate(students):
            given, family = GIVEN_NAMES[index % 2], FAMILY_NAMES[index % 2]
            number = index // 2
            writer.writerow([student, given[number % len(given)], family[number % len(family)],
                             f"{student}@students.example.org"])
    return path


def import_class_list(course: Path, class_list: Path) -> None:
    """Names and emails into the gradebook, with nbgrader's own command."""
    run_tool("nbgrader", "db", "student", "import", str(class_list), cwd=course)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", choices=with_answer_bank(),
                        help="the assignment (default: every one with an answer bank)")
    parser.add_argument("--size", type=int, help="students per assignment (default: all kinds)")
    parser.add_argument("--folder", type=Path, default=course_root() / "demo")
    parser.add_argument("--jobs", type=int, help="parallel workers (default: one per core)")
    parser.add_argument("--timeout", type=int, default=10, help="seconds a cell may run")
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args()

    assignments = [args.assignment] if args.assignment else with_answer_bank()
    course = build(args.folder.resolve(), assignments, args.size)
    submissions = len(list((course / "submitted").glob("*/*")))
    print(f"demo class: {submissions} submissions in {course / 'submitted'}; names and emails "
          f"imported from {course / CLASS_LIST} (nbgrader db student import)")
    if args.build_only:
        return
    for assignment in assignments:
        command = [sys.executable, "-m", "graders.grade", assignment,
                   "--timeout", str(args.timeout)]
        if args.jobs:
            command += ["--jobs", str(args.jobs)]
        subprocess.run(command, cwd=course, check=True)
        print(f"open the class report of {assignment}: "
              f"{course / 'reports' / assignment / 'class-report.html'}")


if __name__ == "__main__":
    main()
