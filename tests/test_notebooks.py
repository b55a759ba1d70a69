"""Are the course's notebooks sound: runnable, gradable, generated and clean?"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course import ASSIGNMENT, NOTEBOOK, ROOT, SOLUTION
from graders.assignments import find
from graders.course_setup import (
    AUTHORING,
    assignment_ids,
    cell_by_id,
    copy_course,
    graded_cells,
    read,
    release_notebook,
    run_tool,
    source_notebook,
)

ASSIGNMENTS = assignment_ids()
# Every graded function of every assignment, as (assignment, function).
EXERCISES = [(assignment, function) for assignment in ASSIGNMENTS
             for function in find(assignment).functions]

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def tracked_notebooks() -> list:
    out = subprocess.run(
        ["git", "ls-files", "*.ipynb"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return [ROOT / path for path in out] or sorted(ROOT.glob("*/*/*.ipynb"))


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_solution_notebook_passes_nbgrader_validate(assignment_id):
    """Does the solution notebook run top to bottom and pass every test?"""
    result = run_tool("nbgrader", "validate", str(source_notebook(assignment_id)), cwd=ROOT)
    assert "Success! Your notebook passes all the tests." in result.stdout, result.stdout


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_student_notebook_fails_every_graded_test(assignment_id):
    """Does the unanswered student version fail every graded cell?"""
    result = run_tool("nbgrader", "validate", "--invert", str(release_notebook(assignment_id)),
                      cwd=ROOT)
    assert "Success! The notebook does not pass any tests." in result.stdout, result.stdout


def files_under(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_release_equals_a_fresh_generate_assignment(assignment_id, tmp_path):
    """Is notebooks/<id>/ exactly what `make release` generates from solutions/<id>/ today?"""
    course = copy_course(tmp_path / "course")
    run_tool("nbgrader", "generate_assignment", assignment_id, "--force", cwd=course)
    fresh_dir = course / "notebooks" / assignment_id
    committed_dir = ROOT / "notebooks" / assignment_id
    assert files_under(fresh_dir) == files_under(committed_dir)
    for name in files_under(fresh_dir):
        if name.endswith(".ipynb"):
            fresh = json.loads((fresh_dir / name).read_text(encoding="utf-8"))
            committed = json.loads((committed_dir / name).read_text(encoding="utf-8"))
            assert committed == fresh, f"notebooks/{assignment_id}/{name} is stale: make release"


def test_the_authoring_material_is_never_released(tmp_path):
    """Does nbgrader leave solutions/<id>/authoring/ (answer bank, figure script) unreleased?"""
    course = copy_course(tmp_path / "course")
    assert any((course / "solutions" / ASSIGNMENT / AUTHORING).glob("*.py"))
    run_tool("nbgrader", "generate_assignment", ASSIGNMENT, "--force", cwd=course)
    released = files_under(course / "notebooks")
    assert f"{ASSIGNMENT}/{NOTEBOOK}" in released
    assert not [name for name in released if AUTHORING in Path(name).parts], released


def test_nbgrader_works_without_the_environment_activated(tmp_path):
    """Does .venv/bin/nbgrader release with the venv's bin off PATH, where alembic is not?

    nbgrader starts alembic by name; it used to fail there, after deleting the
    student version it was replacing.
    """
    course = copy_course(tmp_path / "course")
    venv_bin = Path(sys.executable).parent
    path = os.pathsep.join(folder for folder in os.environ.get("PATH", "").split(os.pathsep)
                           if folder and Path(folder).resolve() != venv_bin.resolve())
    assert shutil.which("alembic", path=path) is None, "this PATH must lack alembic"
    env = {**os.environ, "PATH": path}
    env.pop("VIRTUAL_ENV", None)
    for _ in range(2):  # the first release, then one replacing it
        result = subprocess.run(
            [str(venv_bin / "nbgrader"), "generate_assignment", ASSIGNMENT, "--force"],
            cwd=course, env=env, capture_output=True, text=True, timeout=600, check=False)
        assert result.returncode == 0, result.stderr
        assert (course / "notebooks" / ASSIGNMENT / NOTEBOOK).is_file()


@pytest.mark.parametrize("path", tracked_notebooks(), ids=lambda p: str(p.relative_to(ROOT)))
def test_committed_notebooks_hold_no_outputs(path):
    """Are committed notebooks stripped of outputs and execution counts?"""
    for cell in read(path).cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_every_explanation_is_bilingual(assignment_id):
    """Does every text cell explain in both Chinese and English?"""
    for cell in read(source_notebook(assignment_id)).cells:
        if cell.cell_type == "markdown":
            assert CJK.search(cell.source) and LATIN_WORD.search(cell.source), cell.source[:80]


@pytest.mark.parametrize(("assignment_id", "function"), EXERCISES)
def test_each_exercise_has_a_hint_a_public_check_and_hidden_tests(assignment_id, function):
    """Does each exercise give a size hint, a public check and a hidden test cell?"""
    nb = read(source_notebook(assignment_id))
    answer = cell_by_id(nb, function)
    assert re.search(r"\(≈ \d+ lines? of code", answer.source)
    assert "### BEGIN SOLUTION" in answer.source and "### END SOLUTION" in answer.source
    public = cell_by_id(nb, f"test_{function}")
    assert f"{function}_test({function})" in public.source
    hidden = cell_by_id(nb, f"test_{function}_hidden")
    assert "### BEGIN HIDDEN TESTS" in hidden.source
    for cell in (public, hidden):
        assert cell.source.startswith('"""'), "a test cell starts with a one-line docstring"
        assert cell.metadata["nbgrader"]["points"] > 0


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_student_notebook_keeps_hints_and_hides_tests_and_solutions(assignment_id):
    """Does the student version keep the hints but show neither solutions nor hidden tests?"""
    nb = read(release_notebook(assignment_id))
    text = "\n".join(cell.source for cell in nb.cells)
    assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text
    functions = find(assignment_id).functions
    for function in functions:
        source = cell_by_id(nb, function).source
        assert "# YOUR CODE HERE" in source and "(≈" in source
        solution = cell_by_id(read(source_notebook(assignment_id)), function).source
        answer = solution.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
        assert answer.strip() not in source
    assert len(graded_cells(nb)) == 2 * len(functions)


IMAGE_TARGETS = re.compile(r"!\[[^\]]*\]\(([^)\s]+)|<img[^>]*\ssrc=[\"']([^\"']+)")


@pytest.mark.parametrize("path", [notebook(assignment_id) for assignment_id in ASSIGNMENTS
                                  for notebook in (source_notebook, release_notebook)],
                         ids=lambda path: str(path.relative_to(ROOT)))
def test_every_figure_travels_inside_the_notebook(path):
    """Is every image a cell attachment its cell carries, so it shows wherever the notebook goes?

    A link such as ../../assets/... breaks when JupyterLab serves another folder,
    in nbgrader's feedback and in any copy of the notebook.
    """
    shown = 0
    for cell in read(path).cells:
        names = []
        for markdown, html in IMAGE_TARGETS.findall(cell.source):
            target = markdown or html
            assert target.startswith("attachment:"), f"{cell.get('id')}: {target}"
            names.append(target.removeprefix("attachment:"))
        attachments = cell.get("attachments") or {}
        assert sorted(attachments) == sorted(set(names)), cell.get("id")
        for name in names:
            assert cell.cell_type == "markdown" and set(attachments[name]) == {"image/png"}
        shown += len(names)
    assert shown >= 2


def run_cells(cell_ids: list[str], env: dict[str, str], tmp_path, **replace: str) -> dict:
    """Run some cells of the solution notebook in a real kernel; return each one's stdout."""
    from nbclient import NotebookClient

    nb = read(SOLUTION)
    nb.cells = [cell for cell in nb.cells if cell.get("id") in cell_ids]
    for cell in nb.cells:
        cell.source = replace.get(cell.id, cell.source)
    with pytest.MonkeyPatch.context() as patch:
        for name in ("NBGRADER_EXECUTION", "NBGRADER_VALIDATING"):
            patch.delenv(name, raising=False)
        for name, value in env.items():
            patch.setenv(name, value)
        NotebookClient(nb, timeout=60, kernel_name="python3",
                       resources={"metadata": {"path": str(tmp_path)}}).execute()
    return {cell.id: "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
            for cell in nb.cells}


SIGMOID_HIDDEN = ["imports", "sigmoid", "test_sigmoid_hidden"]
FOR_A_PERSON = {"in JupyterLab": {},
                "nbgrader validate": {"NBGRADER_EXECUTION": "validate", "NBGRADER_VALIDATING": "1"}}


@pytest.mark.parametrize("env", FOR_A_PERSON.values(), ids=FOR_A_PERSON.keys())
def test_a_hidden_cell_says_what_it_recorded_to_a_person(env, tmp_path):
    """Run outside grading, does a hidden cell print a sentence rather than the raw record?"""
    printed = run_cells(SIGMOID_HIDDEN, env, tmp_path)["test_sigmoid_hidden"]
    assert re.fullmatch(
        r"✓ recorded sigmoid on \d+ public and 4 hidden inputs; the hidden tests are judged "
        r"when your work is graded · 已记录 sigmoid 在 \d+ 个公开输入和 4 个隐藏输入上的结果，"
        r"隐藏测试在评分时判定\n", printed), printed
    assert "GRADERS-RECORD" not in printed


def test_a_hidden_cell_says_when_the_function_raised(tmp_path):
    """Does the sentence say which error a wrong function raised, and on how many inputs?"""
    wrong = ("def sigmoid(x):\n    if np.ndim(x) == 3:\n        raise ValueError('images?')\n"
             "    return 1 / (1 + np.exp(-x))\n")
    printed = run_cells(SIGMOID_HIDDEN, {}, tmp_path, sigmoid=wrong)["test_sigmoid_hidden"]
    assert re.match(r"✗ sigmoid raised ValueError on 0 of \d+ public and 1 of 4 hidden inputs; "
                    r"the hidden tests are judged when your work is graded · ", printed), printed
    assert "images?" not in printed  # never the student's own text


def test_an_autograded_hidden_cell_prints_the_record_the_grader_reads(tmp_path):
    """While nbgrader autogrades, does a hidden cell print exactly one record, and a right one?"""
    from graders.course_setup import reference
    from graders.verdicts import parse_records

    printed = run_cells(SIGMOID_HIDDEN, {"NBGRADER_EXECUTION": "autograde"},
                        tmp_path)["test_sigmoid_hidden"]
    assert printed.startswith("GRADERS-RECORD {") and printed.count("\n") == 1, printed
    (entry,) = parse_records(printed)["sigmoid"]
    assert len(entry["hidden"]) == 4
    hidden = reference(ASSIGNMENT).source_hidden_tests["sigmoid"]
    assert reference(ASSIGNMENT).judge("sigmoid", entry, "hidden", hidden=hidden).passed
