"""Are the course's notebooks sound: runnable, gradable, generated and clean?"""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from course import (
    ASSIGNMENT,
    NOTEBOOK,
    RELEASE,
    ROOT,
    SOLUTION,
    cell_by_id,
    copy_course,
    graded_cells,
    read,
    run_tool,
)
from wrong_answers import FUNCTIONS

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def tracked_notebooks() -> list:
    out = subprocess.run(
        ["git", "ls-files", "*.ipynb"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return [ROOT / path for path in out] or sorted(ROOT.glob("*/*/*.ipynb"))


def test_solution_notebook_passes_nbgrader_validate():
    """Does the solution notebook run top to bottom and pass every test?"""
    result = run_tool("nbgrader", "validate", str(SOLUTION), cwd=ROOT)
    assert "Success! Your notebook passes all the tests." in result.stdout, result.stdout


def test_student_notebook_fails_every_graded_test():
    """Does the unanswered student version fail every graded cell?"""
    result = run_tool("nbgrader", "validate", "--invert", str(RELEASE), cwd=ROOT)
    assert "Success! The notebook does not pass any tests." in result.stdout, result.stdout


def test_release_equals_a_fresh_generate_assignment(tmp_path):
    """Is notebooks/ exactly what nbgrader generates from solutions/ today?"""
    course = copy_course(tmp_path / "course")
    run_tool("nbgrader", "generate_assignment", ASSIGNMENT, "--no-db", cwd=course)
    fresh_dir = course / "notebooks" / ASSIGNMENT
    committed_dir = ROOT / "notebooks" / ASSIGNMENT
    assert sorted(p.name for p in fresh_dir.iterdir()) == sorted(
        p.name for p in committed_dir.iterdir()
    )
    fresh = json.loads((fresh_dir / NOTEBOOK).read_text(encoding="utf-8"))
    committed = json.loads((committed_dir / NOTEBOOK).read_text(encoding="utf-8"))
    assert committed == fresh, "notebooks/ is stale: run `make release` and commit the result"


@pytest.mark.parametrize("path", tracked_notebooks(), ids=lambda p: str(p.relative_to(ROOT)))
def test_committed_notebooks_hold_no_outputs(path):
    """Are committed notebooks stripped of outputs and execution counts?"""
    for cell in read(path).cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


def test_every_explanation_is_bilingual():
    """Does every text cell explain in both Chinese and English?"""
    for cell in read(SOLUTION).cells:
        if cell.cell_type == "markdown":
            assert CJK.search(cell.source) and LATIN_WORD.search(cell.source), cell.source[:80]


@pytest.mark.parametrize("function", FUNCTIONS)
def test_each_exercise_has_a_hint_a_public_check_and_hidden_tests(function):
    """Does each exercise give a size hint, a public check and a hidden test cell?"""
    nb = read(SOLUTION)
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


def test_student_notebook_keeps_hints_and_hides_tests_and_solutions():
    """Does the student version keep the hints but show neither solutions nor hidden tests?"""
    nb = read(RELEASE)
    text = "\n".join(cell.source for cell in nb.cells)
    assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text
    assert "keepdims=True)\n" not in cell_by_id(nb, "normalize_rows").source
    for function in FUNCTIONS:
        source = cell_by_id(nb, function).source
        assert "# YOUR CODE HERE" in source and "(≈" in source
    assert len(graded_cells(nb)) == 2 * len(FUNCTIONS)


def test_figures_referenced_by_the_notebook_exist():
    """Does every picture the notebook shows exist in assets/?"""
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", "\n".join(c.source for c in read(SOLUTION).cells))
    assert links
    for link in links:
        assert (SOLUTION.parent / link).resolve().is_file(), link
