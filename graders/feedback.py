"""nbgrader plumbing for the feedback students get back.

nbgrader builds feedback from the autograded notebook, where hidden tests are
present in both the cell source and in the traceback of any test that failed.
``ClearHiddenTests`` removes the source; this preprocessor, registered before it
in ``nbgrader_config.py``, shortens those tracebacks to the error line, which
says *what* failed without showing the test code or its inputs.
"""

from nbgrader.preprocessors import NbGraderPreprocessor

from .verdicts import HIDDEN_MARKER


class HideHiddenTestTracebacks(NbGraderPreprocessor):  # enabled by default, unlike nbconvert's
    """Replace the traceback of a failed hidden test with its last line."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and HIDDEN_MARKER in cell.source:
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [
                        f"{output.get('ename', 'Error')}: {output.get('evalue', '')}",
                        "(hidden test: details are not shown · 隐藏测试：不显示细节)",
                    ]
        return cell, resources
