"""Does docs/authoring.md, followed step by step, give an assignment that grades right?

The test reads the guide's code blocks as they stand: the cells of the source
notebook (``<!-- cell: ... -->``), the files of the instructor's package
(``<!-- file: ... -->``) and the commands (``<!-- command -->``), builds the
guide's assignment in a temporary course with them, installs the package into
this environment (and removes it after), releases the assignment with nbgrader,
and grades a correct, a wrong and a tampering student with `python -m graders.grade`.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_markdown_cell, new_notebook
from nbgrader.api import Gradebook

from course import ROOT
from graders.course_setup import make_submission, tool_env
from plugins import cell

GUIDE = ROOT / "docs" / "authoring.md"
ASSIGNMENT = "03_array_summaries"
NOTEBOOK = "summaries"
BLOCK = re.compile(r"<!-- (?P<role>[^>]*?) -->\n```(?P<language>\w*)\n(?P<body>.*?)\n```",
                   re.DOTALL)

pytestmark = pytest.mark.usefixtures("sandbox_ready")


@dataclass(frozen=True)
class Block:
    role: str  # "cell: answer split_sign", "file: path", "command"
    body: str


def guide_blocks() -> list[Block]:
    return [Block(match["role"].strip(), match["body"])
            for match in BLOCK.finditer(GUIDE.read_text(encoding="utf-8"))]


def source_notebook(blocks: list[Block]) -> nbformat.NotebookNode:
    """The source notebook of step 1, each cell with the role the guide gives it."""
    cells = []
    for block in blocks:
        kind, _, grade_id = block.role.removeprefix("cell: ").partition(" ")
        if not block.role.startswith("cell: "):
            continue
        if kind == "markdown":
            cells.append(new_markdown_cell(block.body))
        elif kind == "code":
            cells.append(nbformat.v4.new_code_cell(block.body))
        elif kind == "answer":
            cells.append(cell(block.body, grade_id, solution=True))
        elif kind == "test":
            cells.append(cell(block.body, grade_id, points=1))
        else:
            raise AssertionError(f"the guide has a cell of unknown kind: {block.role}")
    return new_notebook(cells=cells)


def answer(nb, function: str) -> str:
    """A student's answer written as the solution: the answer cell without nbgrader's markers."""
    source = next(c.source for c in nb.cells
                  if c.metadata.get("nbgrader", {}).get("grade_id") == function)
    return "\n".join(line for line in source.splitlines() if "### " not in line)


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=cwd, env=tool_env(), capture_output=True, text=True,
                            timeout=900)
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result


def command(block: Block) -> list[str]:
    """A command of the guide, run with this environment's own programs."""
    words = shlex.split(block.body)
    if words[0] == "pip":  # the course, its dependency, is installed already
        return [sys.executable, "-m", "pip", *words[1:2], "--no-deps", "--quiet", *words[2:]]
    if words[0] == "python":
        return [sys.executable, *words[1:]]
    return [str(Path(sys.executable).parent / words[0]), *words[1:]]


# Three students: one right, one wrong in split_sign (the parts swapped), and one who
# tampers with split_sign's checks instead of writing it: a public check that passes
# anything, and a record printed by hand, with the public cases' expected values (public,
# so it earns the public point, as hard-coding them would) for the hidden inputs too.
SWAPPED = """def split_sign(x):
    return np.minimum(x, 0), np.maximum(x, 0)"""
TAMPERING = """def split_sign(x):
    return x, x

import json
import summaries_checks
from graders.conventions import RECORD_PREFIX
from graders.values import describe

split_sign_test = lambda function: print("✓ split_sign_test: all passed")
honest = summaries_checks.record
def forged(name, function, hidden_inputs):
    if name != "split_sign":
        return honest(name, function, hidden_inputs)
    public = [{"value": describe(case.want), "args_after": [describe(a) for a in case.args]}
              for case in summaries_checks.CASES[name]]
    print(RECORD_PREFIX + json.dumps({"function": name, "public": public, "hidden": public}))
summaries_checks.record = forged"""


def passed_cells(course: Path, student: str) -> dict[str, bool]:
    """Which graded cells of a student's notebook scored full marks, by nbgrader id."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        notebook = gradebook.find_submission_notebook(NOTEBOOK, ASSIGNMENT, student)
        return {grade.name: grade.score == grade.max_score for grade in notebook.grades}


def test_the_guides_assignment_releases_and_grades_right(tmp_path):
    """Built, released and graded as the guide says, do three students get the right scores?"""
    blocks = guide_blocks()
    assert {b.role.split(":")[0] for b in blocks} == {"cell", "file", "command"}, blocks
    course = tmp_path / "course"
    course.mkdir()
    shutil.copy2(ROOT / "nbgrader_config.py", course)
    source = course / "solutions" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    source.parent.mkdir(parents=True)
    nb = source_notebook(blocks)
    nbformat.write(nb, source)
    for block in blocks:
        if block.role.startswith("file: "):
            path = tmp_path / block.role.removeprefix("file: ")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(block.body + "\n", encoding="utf-8")
    install, release, grade = [command(b) for b in blocks if b.role == "command"]

    run(install, cwd=tmp_path)
    try:
        run(release, cwd=course)
        released = nbformat.read(course / "notebooks" / ASSIGNMENT / f"{NOTEBOOK}.ipynb",
                                 as_version=4)
        right = {f: answer(nb, f) for f in ("split_sign", "column_summary")}
        for student, answers in {"ada": right, "bob": {**right, "split_sign": SWAPPED},
                                 "eve": {**right, "split_sign": TAMPERING}}.items():
            folder = course / "submitted" / student / ASSIGNMENT
            folder.mkdir(parents=True)
            nbformat.write(make_submission(released, answers), folder / f"{NOTEBOOK}.ipynb")
        graded = run(grade, cwd=course)
    finally:
        run([sys.executable, "-m", "pip", "uninstall", "--yes", "--quiet", "summaries-course"],
            cwd=tmp_path)

    assert f"{ASSIGNMENT}: graded 3 of 3 submissions" in graded.stdout, graded.stdout
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        scores = {s.student.id: s.score for s in gradebook.find_assignment(ASSIGNMENT).submissions}
    assert scores == {"ada": 4.0, "bob": 2.0, "eve": 3.0}
    column_summary = {"test_column_summary": True, "test_column_summary_hidden": True}
    assert passed_cells(course, "bob") == {
        "test_split_sign": False, "test_split_sign_hidden": False, **column_summary}
    assert passed_cells(course, "eve") == {
        "test_split_sign": True, "test_split_sign_hidden": False, **column_summary}
    swapped = (course / "feedback" / "bob" / ASSIGNMENT / f"{NOTEBOOK}.html").read_text()
    assert "split_sign: 2 of 2 hidden cases failed" in swapped
    assert "BEGIN HIDDEN TESTS" not in swapped
