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
import secrets
import time
from pathlib import Path

from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_output
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.preprocessors import OverwriteCells as NbgraderOverwriteCells

from .assignments import UnknownAssignmentError, find
from .conventions import (
    CANARY_ID,
    CANARY_PREFIX,
    METADATA_KEY,
    RECORD_PREFIX,
    CellVerdict,
    RunNote,
    hidden_test_delimiter,
    holds_hidden_tests,
    parse_test_id,
)
from .verdicts import Reference, Verdict, answer_sources, parse_records, single_record

# Instructors are told once per process of an assignment the engine cannot judge.
_told: set[str] = set()


@functools.lru_cache(maxsize=8)
def _reference(path: str, modified: float, assignment: str) -> Reference:
    return Reference(Path(path), find(assignment))


def reference_for(config, resources) -> Reference:
    """The reference of the notebook being graded: its assignment's data, its source notebook.

    Raises ``UnknownAssignmentError`` when no assignment is registered under its id.
    """
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
        if attr == "checksum" and holds_hidden_tests(self.gradebook.find_source_cell(
                name, self.notebook_id, self.assignment_id).source,
                hidden_test_delimiter(self.config)):
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
    """Decide every graded test cell from out-of-kernel verdicts (see the module's text).

    Fails closed: a graded test cell the engine cannot judge (its assignment is not
    registered, its id names no function of the assignment, the reference has no
    answer for it) fails with a plain reason, and the instructor is told in the log
    once per assignment; nbgrader's in-kernel pass or fail never decides alone.
    The hidden inputs a verdict uses are read from the test cells the kernel ran
    (restored from the gradebook by ``OverwriteCells``), so they are the ones it ran.
    """

    def preprocess(self, nb, resources):
        started = time.perf_counter()
        canary_ok = self._pop_canary(nb, resources)
        note = resources.get("graders", {})
        timed_out = note.get("timed_out", {})  # cell position -> the limit it ran past
        # Noted in the autograded notebook, for the grading report (graders.grade).
        run: RunNote = {
            "canary_ok": canary_ok,
            "execution_failure": note.get("execution_failure", ""),
            "seconds": dict(note.get("seconds", {})),
            "timed_out": [_label(nb.cells[index], index) for index in sorted(timed_out)
                          if index < len(nb.cells)],
        }
        nb.metadata[METADATA_KEY] = run
        assignment = resources["nbgrader"]["assignment"]
        tests = [(index, cell) for index, cell in enumerate(nb.cells) if _is_test(cell)]
        try:
            reference = reference_for(self.config, resources)
        except UnknownAssignmentError as error:
            self._tell_once(assignment, f"no test of {assignment} can be judged: {error}")
            reference = None
        delimiter = hidden_test_delimiter(self.config)
        hidden = reference.hidden_tests(
            cell.source for _, cell in tests if holds_hidden_tests(cell.source, delimiter)
        ) if reference else {}
        records = parse_records("\n".join(
            _stdout(cell) for cell in nb.cells if cell.cell_type == "code"
        ))
        answers = answer_sources(nb)  # read, never run: why a function was not defined
        unknown = []
        for index, cell in tests:
            grade_id = cell.metadata["nbgrader"].get("grade_id", "")
            test = parse_test_id(grade_id)
            cell.outputs = _sanitised(cell.outputs)
            raised = any(o.output_type == "error" for o in cell.outputs)
            if reference is None:
                verdict = _failed(test, "unknown", UNKNOWN_ASSIGNMENT)
            elif test is None or test.function not in reference.functions:
                unknown.append(grade_id)
                verdict = _failed(test, "unknown", UNKNOWN_TEST)
            elif not canary_ok:
                verdict = _failed(test, "not_run", run["execution_failure"] or NOT_RUN)
            elif index in timed_out:
                verdict = _failed(test, "timed_out", timed_out_message(timed_out[index]))
            else:
                entry, forged = single_record(records, test.function)
                if forged:
                    verdict = _failed(test, "forged", forged)
                else:
                    verdict = _judged(test, reference.judge(
                        test.function, entry, test.part, answers.get(test.function),
                        hidden.get(test.function)))
                if verdict["passed"] and raised:
                    verdict = _failed(test, "error", CELL_RAISED)
            if not verdict["passed"] and not raised:
                cell.outputs.append(_error("TestFailed", verdict["message"]))
            cell.metadata[METADATA_KEY] = verdict
        if unknown:
            self._tell_once(assignment, (
                f"graded test cells of {assignment} that the grading engine does not know "
                f"fail for every student: {', '.join(sorted(unknown))} (a test cell's id must "
                "be test_<function> or test_<function>_hidden, for a function of the "
                "assignment with an answer cell in the source notebook)"))
        run["seconds"]["verdicts"] = time.perf_counter() - started
        return nb, resources

    def _tell_once(self, assignment: str, message: str) -> None:
        if assignment not in _told:
            _told.add(assignment)
            self.log.error(message)

    @staticmethod
    def _pop_canary(nb, resources) -> bool:
        token = resources.get("graders", {}).get("canary")
        cells = [cell for cell in nb.cells if cell.get("id") == CANARY_ID]
        nb.cells = [cell for cell in nb.cells if cell.get("id") != CANARY_ID]
        if token is None:  # AddCanary is not configured: nothing to check
            return True
        return len(cells) == 1 and _stdout(cells[0]).strip() == CANARY_PREFIX + token


UNKNOWN_ASSIGNMENT = ("this assignment is not known to the grading engine, so no test can be "
                      "judged; your instructor has been told · 评分引擎不认识这个作业，无法判定"
                      "测试；已通知老师")
UNKNOWN_TEST = ("this graded cell is not a test the grading engine knows, so it cannot be "
                "judged; your instructor has been told · 评分引擎不认识这个计分单元格，无法判定；"
                "已通知老师")
NOT_RUN = ("the notebook did not run to its end as written (its execution was altered), so "
           "no test can be trusted · 笔记本没有按原样运行完，测试结果无法采信")
CELL_RAISED = "the cell stopped with an error while the test ran · 测试运行时单元格出错"


def _is_test(cell: NotebookNode) -> bool:
    """A graded test cell: graded, and not an answer cell (those are graded by hand)."""
    meta = cell.metadata.get("nbgrader", {})
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def _failed(test, kind: str, message: str) -> CellVerdict:
    return {"passed": False, "message": message, "function": test.function if test else "",
            "part": test.part if test else "", "kind": kind, "problems": [], "diagnosis": None}


def _judged(test, verdict: Verdict) -> CellVerdict:
    return {"passed": verdict.passed, "message": verdict.message, "function": test.function,
            "part": test.part, "kind": verdict.kind, "problems": list(verdict.problems),
            "diagnosis": verdict.diagnosis}


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
                if not line.startswith((RECORD_PREFIX, CANARY_PREFIX))
            )
            if not text:
                continue
            output = new_output("stream", name="stdout", text=text)
        kept.append(output)
    return kept


def _error(name: str, message: str) -> NotebookNode:
    return new_output("error", ename=name, evalue=message, traceback=[f"{name}: {message}"])
