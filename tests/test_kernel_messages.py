"""In a real kernel, what does a student see when a check fails or a function is not defined?

A small notebook runs through nbclient, as JupyterLab and nbgrader run one, and the
error outputs are read as Jupyter keeps them: the report must come first, with the
student's own failing line and none of the checker's frames; a test cell that uses
a function whose answer cell did not run must say so, and why.
"""

from __future__ import annotations

import re

import pytest
from nbformat.v4 import new_code_cell, new_notebook

CELLS = {
    "imports": "import math\nimport numpy as np\n"
               "from graders import L1_test, basic_sigmoid_test, sigmoid_test, softmax_test",
    "sigmoid": 'def sigmoid(x):\n    """With math.exp."""\n    s = 1 / (1 + math.exp(-x))\n'
               "    return s",
    "test_sigmoid": "sigmoid_test(sigmoid)",
    "test_softmax": "softmax_test(softmax)",  # no answer cell for softmax ever ran
    "L1": "def L1(yhat, y):\n    loss = np.sum(np.abs(y - yhat)\n    return loss",
    "test_L1": "L1_test(L1)",
    "other_name": "undefined_thing + 1",
    "basic_sigmoid": "def basic_sigmoid(x):\n    return 1 / (1 + math.exp(-x))",
    "test_basic_sigmoid": "basic_sigmoid_test(basic_sigmoid)",
}
GRADERS_FRAMES = ("compare.py", "numpy_basics.py", "undefined.py", "/graders/", "run_cases",
                  "interactiveshell.py", "The above exception", "direct cause")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, list]:
    from nbclient import NotebookClient

    nb = new_notebook(cells=[new_code_cell(source, id=key) for key, source in CELLS.items()])
    folder = tmp_path_factory.mktemp("kernel")
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(folder)}}).execute()
    return {cell.id: cell.outputs for cell in nb.cells}


def error_of(outputs: dict[str, list], cell: str):
    errors = [o for o in outputs[cell] if o.output_type == "error"]
    assert len(errors) == 1, outputs[cell]
    return errors[0], "\n".join(errors[0].traceback)


def test_a_failing_check_shows_the_report_first_and_only_the_students_frames(outputs):
    """Does the error begin with what to fix, show the student's line and no checker frame?"""
    error, shown = error_of(outputs, "test_sigmoid")
    assert error.ename == "CheckFailed"
    assert shown.splitlines()[0].startswith("sigmoid_test: use np.exp, not math.exp")
    assert "用 np.exp 代替 math.exp" in shown.splitlines()[0]
    for frame in GRADERS_FRAMES:
        assert frame not in shown, frame
    assert re.search(r"Cell In\[\d+\], line 3, in sigmoid\n +s = 1 / \(1 \+ math\.exp\(-x\)\)",
                     shown), shown
    assert "TypeError: only" in shown
    assert "\x1b[" not in shown


def test_a_function_never_defined_says_to_run_its_answer_cell(outputs):
    """Does softmax_test(softmax), softmax never defined, say to run the answer cell first?"""
    error, shown = error_of(outputs, "test_softmax")
    assert error.ename == "NameError"  # nbgrader and nbclient still see the same error
    first = shown.splitlines()[0]
    assert first.startswith("softmax is not defined: run the answer cell with def softmax(...) "
                            "above first")
    assert "softmax 没有定义：请先运行上面包含 def softmax(...) 的答案单元格" in first
    assert re.search(r"Cell In\[\d+\], line 1, in <module>\n +softmax_test\(softmax\)", shown)
    assert "interactiveshell.py" not in shown


def test_an_answer_cell_with_a_syntax_error_is_named_with_its_line(outputs):
    """Does L1_test(L1), after L1's cell failed to parse, point at the syntax error's line?"""
    _, shown = error_of(outputs, "test_L1")
    first = shown.splitlines()[0]
    assert first.startswith("L1 is not defined: the answer cell with def L1(...) has a syntax "
                            "error at line 2, so it did not run")
    assert "第 2 行有语法错误" in first
    assert "loss = np.sum(np.abs(y - yhat)" in shown


def test_other_errors_look_as_ipython_always_shows_them(outputs):
    """Is a NameError about any other name left exactly as IPython renders it?"""
    error, shown = error_of(outputs, "other_name")
    assert error.ename == "NameError"
    assert "Traceback (most recent call last)" in shown and "undefined_thing" in shown
    assert "answer cell" not in shown


def test_a_passing_check_prints_one_line(outputs):
    """Does a right answer still get its one success line and no error?"""
    (output,) = outputs["test_basic_sigmoid"]
    assert output.output_type == "stream"
    assert output.text.startswith("✓ basic_sigmoid_test: all 6 cases passed")
