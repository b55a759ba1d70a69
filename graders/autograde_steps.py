"""nbgrader preprocessors that take the verdicts out of the student's kernel.

``AddCanary`` runs before ``Execute``: it appends a cell that must print a value
fresh for this run. ``JudgeRecords`` runs right after ``Execute``, in the
grader's process: for every graded test cell it judges the record the hidden
test printed (``graders.verdicts``), checks the canary, and rewrites the cell's
outputs so that nbgrader's ``SaveAutoGrades`` sees exactly that verdict:

- a cell passes only if it raised nothing *and* the out-of-kernel verdict passed;
- a failed verdict becomes an error output with a plain message;
- ``execute_result`` outputs are dropped (nbgrader would read them as partial
  credit, which a hijacked display hook could forge), and stderr text is kept as
  ordinary output (a warning is not a failure);
- record lines are removed;
- each judged cell keeps its verdict in its metadata (``graders``: passed and a
  message in the grader's own words), from which ``graders.feedback`` builds
  what the student gets back: never from what the kernel printed.
"""

from __future__ import annotations

import functools
import re
import secrets
import time
from pathlib import Path

from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_output
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.preprocessors import OverwriteCells as NbgraderOverwriteCells

from . import record as recorder
from .assignments import find
from .verdicts import HIDDEN_MARKER, Reference, answer_sources, parse_records, single_record

CANARY_ID = "graders-canary"
# Where a judged test cell keeps its verdict (cell metadata), for feedback.
VERDICT_KEY = "graders"
CANARY_PREFIX = "GRADERS-CANARY "
TEST_ID = re.compile(r"^test_(?P<function>\w+?)(?P<hidden>_hidden)?$")


@functools.lru_cache(maxsize=8)
def _reference(path: str, modified: float, assignment: str) -> Reference:
    return Reference(Path(path), find(assignment))


def reference_for(config, resources) -> Reference:
    """The reference of the notebook being graded, from the course's nbgrader source."""
    coursedir = CourseDirectory(config=config)
    info = resources["nbgrader"]
    path = Path(coursedir.format_path(coursedir.source_directory, ".", info["assignment"]))
    source = path / f"{info['notebook']}.ipynb"
    return _reference(str(source), source.stat().st_mtime, info["assignment"])


class OverwriteCells(NbgraderOverwriteCells):
    """nbgrader's, without its false alarm on every test cell that holds hidden tests.

    A released cell's checksum is that of its visible part, the gradebook's that
    of the whole cell, so nbgrader warned "Attribute 'checksum' ... has changed!"
    eight times per submission, for nothing: the cell is restored from the
    gradebook either way. Every other change is still reported.
    """

    def report_change(self, name, attr, old, new):
        if attr == "checksum" and HIDDEN_MARKER in self.gradebook.find_source_cell(
                name, self.notebook_id, self.assignment_id).source:
            return
        super().report_change(name, attr, old, new)


class AddCanary(NbGraderPreprocessor):
    """Append a cell whose output proves the kernel really ran the notebook to its end."""

    def preprocess(self, nb, resources):
        token = secrets.token_hex(16)
        resources.setdefault("graders", {})["canary"] = token
        # The kernel must compute the value (reverse the string), not merely echo source text.
        cell = new_code_cell(f'print({CANARY_PREFIX!r} + {token[::-1]!r}[::-1])', id=CANARY_ID)
        nb.cells.append(cell)
        return nb, resources


class JudgeRecords(NbGraderPreprocessor):
    """Decide every graded test cell from out-of-kernel verdicts (see the module's text)."""

    def preprocess(self, nb, resources):
        started = time.perf_counter()
        canary_ok = self._pop_canary(nb, resources)
        note = resources.get("graders", {})
        timed_out = note.get("timed_out", {})  # cell position -> the limit it ran past
        # Noted in the autograded notebook, for the grading report (graders.grade).
        nb.metadata["graders"] = {
            "canary_ok": canary_ok,
            "execution_failure": note.get("execution_failure", ""),
            "seconds": dict(note.get("seconds", {})),
            "timed_out": [_label(nb.cells[index], index) for index in sorted(timed_out)
                          if index < len(nb.cells)],
        }
        reference = reference_for(self.config, resources)
        records = parse_records("\n".join(
            _stdout(cell) for cell in nb.cells if cell.cell_type == "code"
        ))
        answers = answer_sources(nb)  # read, never run: why a function was not defined
        for index, cell in enumerate(nb.cells):
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type != "code" or not meta.get("grade") or meta.get("solution"):
                continue
            match = TEST_ID.match(meta.get("grade_id", ""))
            function = match and match["function"]
            if function not in reference.functions:
                continue
            failure = None
            if not canary_ok:
                failure = resources.get("graders", {}).get("execution_failure") or (
                    "the notebook did not run to its end as written (its execution was "
                    "altered), so no test can be trusted · "
                    "笔记本没有按原样运行完，测试结果无法采信")
            elif index in timed_out:
                failure = timed_out_message(timed_out[index])
            else:
                entry, forged = single_record(records, function)
                part = "hidden" if match["hidden"] else "public"
                verdict = reference.judge(function, entry, part, answers.get(function))
                failure = forged or (None if verdict.passed else verdict.message)
            cell.outputs = _sanitised(cell.outputs)
            raised = [o for o in cell.outputs if o.output_type == "error"]
            if raised and not failure:
                failure = ("the cell stopped with an error while the test ran · "
                           "测试运行时单元格出错")
            if failure and not raised:
                cell.outputs.append(_error("TestFailed", failure))
            cell.metadata[VERDICT_KEY] = {"passed": not failure, "message": failure or ""}
        nb.metadata["graders"]["seconds"]["verdicts"] = time.perf_counter() - started
        return nb, resources

    @staticmethod
    def _pop_canary(nb, resources) -> bool:
        token = resources.get("graders", {}).get("canary")
        cells = [cell for cell in nb.cells if cell.get("id") == CANARY_ID]
        nb.cells = [cell for cell in nb.cells if cell.get("id") != CANARY_ID]
        if token is None:  # AddCanary is not configured: nothing to check
            return True
        return len(cells) == 1 and _stdout(cells[0]).strip() == CANARY_PREFIX + token


def timed_out_message(seconds: int) -> str:
    return (f"this test ran longer than {seconds} s and was stopped: does your function loop "
            f"forever? · 测试运行超过 {seconds} 秒被中止：你的函数是否陷入了死循环？")


def _label(cell: NotebookNode, index: int) -> str:
    """How the report names a cell: its nbgrader id, else its position and first line."""
    grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
    if grade_id:
        return grade_id
    first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
    return f"cell {index + 1} ({first[:40]}{'…' if len(first) > 40 else ''})"


def _stdout(cell: NotebookNode) -> str:
    return "".join(
        output.get("text", "") for output in cell.get("outputs", [])
        if output.output_type == "stream" and output.get("name") == "stdout"
    )


def _sanitised(outputs: list) -> list:
    kept = []
    for output in outputs:
        if output.output_type == "execute_result":
            continue
        if output.output_type == "stream":
            text = "".join(
                line for line in output.get("text", "").splitlines(keepends=True)
                if not line.startswith((recorder.PREFIX, CANARY_PREFIX))
            )
            if not text:
                continue
            output = new_output("stream", name="stdout", text=text)
        kept.append(output)
    return kept


def _error(name: str, message: str) -> NotebookNode:
    return new_output("error", ename=name, evalue=message, traceback=[f"{name}: {message}"])
