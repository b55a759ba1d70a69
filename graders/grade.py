"""Grade a whole class: autograde in parallel, feedback, grades CSV and a class report.

    python -m graders.grade [ASSIGNMENT ...] [--jobs N] [--db-url URL]
                            [--scheduler tcp://HOST:8786] [--course DIR]

Without an assignment, every assignment of the gradebook that has submissions is
graded, one after the other. Every submission in nbgrader's submitted folder
(``submitted/<student>/<assignment>/`` by default) is graded by the
real nbgrader machinery with the course's configuration (sandboxed kernel,
out-of-kernel verdicts), each student on its own:

- a submitted folder is untrusted data: it is taken in (``graders.intake``) as
  regular files only, capped in number and size, links never followed, before
  anything else reads it;
- a notebook that cannot be read, a kernel that dies, a loop that will not stop:
  that student scores 0, with the reason in the report, and the others go on;
- a submission whose grading kills its worker process is graded again alone;
  only if it kills it again does that student score 0 (the exit status is then 2),
  and every other student is graded as usual;
- every graded cell ends with a score (whatever could not be graded counts 0);
- submitted files are only read; grading again gives the same gradebook;
- nothing a student controls reaches the terminal or a CSV file unescaped.

The work runs on a ``concurrent.futures`` executor: long-lived local worker
processes (one per core by default), or a Dask cluster given ``--scheduler``
(with the gradebook in PostgreSQL, ``--db-url``). Each worker imports nbgrader
once and grades many students, each in its own sandbox slot.
"""

from __future__ import annotations

# isort: off
from . import lean_start  # noqa: F401 (first: before anything imports jsonschema)
# isort: on

import argparse
import contextlib
import csv
import functools
import gc
import json
import multiprocessing
import multiprocessing.forkserver
import os
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
import warnings
from collections.abc import Iterable
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat.reader import NotJSONError

from .assignments import UnknownAssignmentError, find
from .conventions import METADATA_KEY, parse_test_id
from .intake import Intake, SubmissionLimits, take_in, unusable_student_id
from .safe_text import EscapingStream, for_csv, for_terminal
from .sandbox import SCRATCH_ENV, SLOT_ENV, box_prefix

# nbgrader's words for a notebook whose graded cells were tampered with, in plain ones.
_TAMPERED = ("the notebook's graded cells or their grading metadata were changed, so "
             "nbgrader refused it")
NBGRADER_REFUSALS = {
    "Inconsistent checksums": f"{_TAMPERED} (inconsistent checksums)",
    "use an old version": f"{_TAMPERED} (invalid nbgrader metadata)",
}
# A busy SQLite gradebook is waited for, and a grading that still hit a lock retried.
SQLITE_TIMEOUT_S = 120
LOCK_RETRIES = 3
KILLED_WORKER = ("grading this submission killed the grading process twice (it ran out of "
                 "memory or crashed it) · 评分进程两次因此提交而终止")
EXIT_WORKER_KILLED = 2
NO_FEEDBACK = "graded, but the feedback page could not be written"


@dataclass(frozen=True)
class Task:
    """What a worker needs to grade one student: plain data, so it travels to any executor."""

    course: str
    assignment: str
    student: str
    db_url: str
    timeout: int | None = None
    notebook_timeout: int | None = None


@dataclass
class Outcome:
    """What grading one student found, and where the time went.

    The reports (``graders.report``) add what the gradebook says now: final scores,
    the tests below full marks, the grades set by hand.
    """

    student: str
    score: float = 0.0
    max_score: float = 0.0
    status: str = "graded"  # graded | not graded
    reason: str = ""
    seconds: dict[str, float] = field(default_factory=dict)
    # The grading worker's peak resident memory once this student was done, in MiB.
    worker_peak_mb: float = 0.0
    # The worker's state once this student was done (``worker_state``): what a long
    # class must keep flat.
    worker: dict[str, float] = field(default_factory=dict)


# ----------------------------------------------------------------- in the workers

def load_config(course: Path, db_url: str | None = None, timeout: int | None = None,
                notebook_timeout: int | None = None):
    """The course's nbgrader configuration, as nbgrader itself would load it."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config()
    if (course / "nbgrader_config.py").exists():
        config.merge(PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config())
    config.CourseDirectory.root = str(course)
    if db_url:
        config.CourseDirectory.db_url = db_url
    if timeout:
        config.ExecutePreprocessor.timeout = timeout
    if notebook_timeout:
        config.SandboxedExecute.notebook_timeout = notebook_timeout
    return config


@functools.cache
def _intake_root() -> Path:
    """This worker's private folder of staged submissions: nbgrader reads them from here.

    In the run's scratch folder (a Dask worker's is its own local directory), which goes
    with the run, or the worker.
    """
    scratch = os.environ.get(SCRATCH_ENV) or None
    return Path(tempfile.mkdtemp(prefix=f"intake-{os.getpid()}-", dir=scratch))


@functools.cache
def _api(course: str, db_url: str, timeout: int | None, notebook_timeout: int | None):
    """One nbgrader API per worker process, reused for every student it grades.

    nbgrader reads submissions from the worker's intake folder, where only the
    files that ``graders.intake`` took in are, never from ``submitted/`` itself.
    """
    from nbgrader.apps import NbGraderAPI

    config = load_config(Path(course), db_url, timeout, notebook_timeout)
    config.CourseDirectory.submitted_directory = str(_intake_root())
    return NbGraderAPI(config=config)


@dataclass(frozen=True)
class Folders:
    """The course's folders, as its nbgrader configuration names them."""

    submitted: Path
    autograded: Path
    feedback: Path
    source: Path  # the nbgrader source notebooks, one folder per assignment


@functools.cache
def _folders(course: str) -> Folders:
    return course_folders(load_config(Path(course)))


def course_folders(config) -> Folders:
    from nbgrader.coursedir import CourseDirectory

    coursedir = CourseDirectory(config=config)
    root = Path(coursedir.root)
    return Folders(root / coursedir.submitted_directory, root / coursedir.autograded_directory,
                   root / coursedir.feedback_directory, root / coursedir.source_directory)


@functools.cache
def _submission_limits(course: str) -> SubmissionLimits:
    return SubmissionLimits(config=load_config(Path(course)))


def _start_worker(slots, in_flight, scratch: str, environment: dict[str, str]) -> None:
    """Worker start-up in the local pool: the grading command's environment as it is now
    (the worker was forked from a server started earlier), a sandbox slot of its own,
    escaped output."""
    os.environ.clear()
    os.environ.update(environment)
    slot = slots.get()
    os.environ[SLOT_ENV] = str(slot)
    os.environ[SCRATCH_ENV] = scratch
    global _IN_FLIGHT, _SLOT
    _IN_FLIGHT, _SLOT = in_flight, slot
    _escape_output()


def _escape_output() -> None:
    """nbgrader's log quotes student ids and notebooks: escape it on its way to the terminal.

    nbgrader's own gradebook code also warns about SQLAlchemy's autoflush at every
    student; harmless, and it would bury the progress bar, so it is silenced.
    """
    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", category=SAWarning)
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if not isinstance(stream, EscapingStream):
            setattr(sys, name, EscapingStream(stream))


def _claim_slot() -> None:
    """Elsewhere (a Dask worker), derive a slot from the process id, and take the worker's
    local directory, which Dask removes with the worker, as the scratch folder; once."""
    os.environ.setdefault(SLOT_ENV, str(100 + os.getpid() % 800))
    if SCRATCH_ENV not in os.environ:
        with contextlib.suppress(ImportError, ValueError):  # not in a Dask worker
            from distributed import get_worker

            os.environ[SCRATCH_ENV] = get_worker().local_directory
    _escape_output()


# In the local pool: which task each slot is grading, so that when a worker dies the
# parent knows whose grading was in flight (shared memory: no message can be lost).
_IN_FLIGHT = None
_SLOT = 0


def _grade_tracked(index: int, task: Task) -> Outcome:
    _IN_FLIGHT[_SLOT] = index + 1
    try:
        return grade_one(task)
    finally:
        _IN_FLIGHT[_SLOT] = 0


def grade_one(task: Task) -> Outcome:
    """Autograde one student and write their feedback (runs in a worker)."""
    from nbgrader.api import Gradebook

    _claim_slot()
    outcome = Outcome(task.student)
    unusable = unusable_student_id(task.student)
    if unusable:  # kept out of every path and of the gradebook
        outcome.status, outcome.reason = "not graded", f"not graded: {unusable}"
        return outcome
    started = begun = time.perf_counter()
    notebooks = expected_notebooks(task.db_url, task.assignment)
    limits = _submission_limits(task.course)
    staged = _intake_root() / task.student
    try:
        try:
            intake = take_in(_folders(task.course).submitted, task.student, task.assignment,
                             staged / task.assignment, limits)
        except OSError as error:
            intake = Intake(staged, problem=f"the submission could not be read ({error.strerror})")
        outcome.seconds["intake"] = time.perf_counter() - started
        problem = intake.problem or check_submission(intake.folder, notebooks, limits.max_cells)
        if not problem:
            problem = _autograde(task)
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    outcome.seconds["autograde"] = time.perf_counter() - started

    with Gradebook(task.db_url) as gradebook:
        if problem:
            # A failed run may have left a partial submission behind: start from nothing.
            with contextlib.suppress(Exception):
                gradebook.remove_submission(task.assignment, task.student)
        outcome.score, outcome.max_score, zeroed = settle_scores(
            gradebook, task.assignment, task.student)
    if problem:
        outcome.status, outcome.reason = "not graded", f"scored 0: {problem}"
    else:
        findings, timing = autograded_findings(_folders(task.course).autograded,
                                               task.assignment, task.student, notebooks)
        outcome.seconds.update(timing)
        if zeroed:
            findings.append(f"{zeroed} graded cell(s) were missing from the notebook: 0 each")
        started = time.perf_counter()
        written = _api(task.course, task.db_url, task.timeout, task.notebook_timeout
                       ).generate_feedback(task.assignment, task.student, force=True)
        outcome.seconds["feedback"] = time.perf_counter() - started
        if not written.get("success"):
            findings.append(NO_FEEDBACK)
        outcome.reason = "; ".join(findings)
    if intake.note():
        outcome.reason = "; ".join(filter(None, [outcome.reason, intake.note()]))
    free_student_garbage()
    outcome.worker_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    outcome.worker = worker_state()
    outcome.seconds["total"] = time.perf_counter() - begun
    return outcome


def free_student_garbage() -> None:
    """Free what grading a student left in reference cycles (nbgrader's gradebooks,
    notebooks, traitlets configs, templates: ~9,500 objects) now, not whenever Python's
    collector next makes a full pass (every ~14 students). Left to pile up, they took
    15 MiB more of a worker's memory in its first 150 students, memory that stays taken.
    After the first student, what the worker keeps for good (nbgrader, its API, the
    nursery) is frozen out of the collector's way, so that each pass looks at one
    student's objects: ~1.6 ms instead of ~70."""
    gc.collect()
    if not gc.get_freeze_count():
        gc.freeze()


def worker_state() -> dict[str, float]:
    """This worker process now: its id, resident memory (MiB), open files, and what it
    keeps in the run's scratch folder (its sandboxes' folders and staged submissions:
    between two students, none)."""
    resident_pages = int(Path("/proc/self/statm").read_text().split()[1])
    intake = _intake_root()
    boxes = intake.parent.glob(f"{box_prefix(int(os.environ.get(SLOT_ENV, '0')))}*")
    return {
        "pid": os.getpid(),
        "rss_mb": resident_pages * os.sysconf("SC_PAGE_SIZE") / 2**20,
        "open_files": len(os.listdir("/proc/self/fd")),
        "scratch_entries": len(list(boxes)) + len(os.listdir(intake)),
    }


def _autograde(task: Task) -> str:
    """Run nbgrader's autograde for one student; '' on success, else why not."""
    api = _api(task.course, task.db_url, task.timeout, task.notebook_timeout)
    for attempt in range(LOCK_RETRIES):
        result = api.autograde(task.assignment, task.student, force=True, create=True)
        if result["success"]:
            return ""
        text = f"{result.get('error') or ''}\n{result.get('log') or ''}"
        if "database is locked" not in text or attempt == LOCK_RETRIES - 1:
            break
        time.sleep(1 + attempt)
    for known, plain in NBGRADER_REFUSALS.items():
        if known in text:
            return plain
    errors = [line.strip() for line in text.splitlines() if "Error" in line or "ERROR" in line]
    return " | ".join(errors[-3:])[:500] or "nbgrader autograde failed"


@functools.cache
def expected_notebooks(db_url: str, assignment: str) -> list[str]:
    """The assignment's notebooks, as released (read once per worker)."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gradebook:
        return [notebook.name for notebook in gradebook.find_assignment(assignment).notebooks]


def check_submission(folder: Path, notebooks: list[str], max_cells: int = 1000) -> str:
    """Why a staged submission cannot be graded, in plain words ('' when it can)."""
    if not folder.is_dir():
        return "no submission folder"
    for name in notebooks:
        path = folder / f"{name}.ipynb"
        if not path.exists():
            found = sorted(p.name for p in folder.glob("*.ipynb"))
            also = f"; found {', '.join(found)}" if found else ""
            return (f"the notebook {name}.ipynb is missing (renamed, not submitted, or not a "
                    f"regular file){also}")
        try:
            nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
            nbformat.validate(nb)
        except (NotJSONError, json.JSONDecodeError, UnicodeDecodeError):
            return f"{name}.ipynb is not valid JSON: the file is corrupt"
        except RecursionError:
            return f"{name}.ipynb is nested too deeply to be a notebook"
        except Exception as error:  # nbformat's many ways of rejecting a file
            return f"{name}.ipynb is not a notebook nbformat can read: {str(error)[:200]}"
        if len(nb.cells) > max_cells:
            return (f"{name}.ipynb has {len(nb.cells)} cells; at most {max_cells} are run "
                    f"· 单元格过多")
    return ""


def settle_scores(gradebook, assignment: str, student: str) -> tuple[float, float, int]:
    """Give every grade left without a score a 0; return (score, max score, cells zeroed)."""
    from nbgrader.api import MissingEntry
    from sqlalchemy.exc import SAWarning

    with warnings.catch_warnings():  # nbgrader's own autoflush notices; harmless here
        warnings.simplefilter("ignore", SAWarning)
        try:
            submission = gradebook.find_submission(assignment, student)
        except MissingEntry:
            gradebook.update_or_create_student(student)
            submission = gradebook.add_submission(assignment, student)
        zeroed = 0
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                if grade.auto_score is None and grade.manual_score is None:
                    grade.auto_score = 0.0
                    zeroed += 1
        gradebook.db.commit()
        return submission.score, submission.max_score, zeroed


def autograded_findings(autograded: Path, assignment: str, student: str,
                        notebooks: list[str]) -> tuple[list[str], dict[str, float]]:
    """What the autograded notebooks say went wrong, and the pipeline's timings."""
    findings, timing = [], {}
    for name in notebooks:
        path = autograded / student / assignment / f"{name}.ipynb"
        if not path.exists():
            continue
        nb = nbformat.read(path, as_version=4)
        note = nb.metadata.get(METADATA_KEY, {})
        for key, seconds in note.get("seconds", {}).items():
            timing[key] = timing.get(key, 0.0) + seconds
        if note.get("timed_out"):
            findings.append(f"ran past the time limit and was stopped: "
                            f"{', '.join(note['timed_out'])}")
        if note.get("execution_failure"):
            findings.append(note["execution_failure"])
        elif note.get("canary_ok") is False:
            findings.append("the notebook did not run to its end as written (its execution "
                            "was altered), so no test could be trusted")
    # The failed tests are not among them: the reports read those from the final grades,
    # which an instructor may change by hand (graders.report).
    return findings, timing


# ----------------------------------------------------------------- in the parent

def sqlite_path(db_url: str) -> Path | None:
    prefix = "sqlite:///"
    return Path(db_url[len(prefix):].split("?")[0]) if db_url.startswith(prefix) else None


def release_command(assignment: str) -> str:
    return (f"make release A={assignment} (or: nbgrader generate_assignment {assignment} "
            "--force, in the course folder)")


def not_ready(db_url: str, assignment: str, students: list[str], submitted: Path) -> str:
    """Why there is nothing to grade yet, in plain words ('' when all is ready)."""
    from nbgrader.api import Gradebook, MissingEntry

    release = f"release it first: {release_command(assignment)}"
    path = sqlite_path(db_url)
    if path is not None and not path.exists():
        return f"there is no gradebook at {path}; {release}"
    try:
        find(assignment)
    except UnknownAssignmentError as error:
        return str(error)
    with Gradebook(db_url) as gradebook:
        try:
            gradebook.find_assignment(assignment)
        except MissingEntry:
            return f"the assignment {assignment} is not in the gradebook; {release}"
    if not students:
        return f"no submissions found: expected {submitted}/<student>/{assignment}/"
    return ""


def stale_tests(db_url: str, assignment: str, source: Path) -> str:
    """Why the gradebook's tests are not the source notebooks' ('' when they are the same).

    The kernel runs the test cells the gradebook holds (nbgrader restores them), so an
    edit of the source that was not released with the gradebook would grade students
    against tests the instructor no longer means.
    """
    from nbgrader.api import Gradebook, MissingEntry

    changed = []
    with Gradebook(db_url) as gradebook:
        for notebook in gradebook.find_assignment(assignment).notebooks:
            path = source / assignment / f"{notebook.name}.ipynb"
            if not path.exists():
                changed.append(f"{notebook.name}.ipynb is missing from {source / assignment}")
                continue
            for cell in nbformat.read(path, as_version=4).cells:
                meta = cell.metadata.get("nbgrader", {})
                if not meta.get("grade") or meta.get("solution"):
                    continue
                try:
                    stored = gradebook.find_source_cell(meta["grade_id"], notebook.name,
                                                        assignment).source
                except MissingEntry:
                    stored = None
                if stored != cell.source:
                    changed.append(f"{meta['grade_id']} ({notebook.name})")
    if not changed:
        return ""
    return (f"the gradebook's tests of {assignment} are not those of its source notebooks "
            f"(changed since the last release with the gradebook: {', '.join(changed)}); "
            f"bring the gradebook up to date, then grade again: {release_command(assignment)}")


def unknown_tests(db_url: str, assignment: str, source: Path) -> list[str]:
    """Graded test cells the engine cannot judge: they fail for every student (fail closed)."""
    from nbgrader.api import Gradebook

    from .verdicts import Reference

    unknown = []
    with Gradebook(db_url) as gradebook:
        for notebook in gradebook.find_assignment(assignment).notebooks:
            path = source / assignment / f"{notebook.name}.ipynb"
            known = Reference(path, find(assignment)).functions if path.exists() else {}
            unknown += [f"{cell.name} ({notebook.name})" for cell in notebook.grade_cells
                        if cell.cell_type == "code" and not _is_answer(gradebook, cell)
                        and getattr(parse_test_id(cell.name), "function", None) not in known]
    return unknown


def _is_answer(gradebook, grade_cell) -> bool:
    """Is this graded cell an answer cell (graded by hand), not a test?"""
    from nbgrader.api import MissingEntry

    try:
        gradebook.find_solution_cell(grade_cell.name, grade_cell.notebook.name,
                                     grade_cell.notebook.assignment.name)
    except MissingEntry:
        return False
    return True


def assignments_with_submissions(db_url: str, submitted: Path) -> list[str]:
    """The gradebook's assignments that someone submitted, in the gradebook's order."""
    from nbgrader.api import Gradebook

    path = sqlite_path(db_url)
    if path is not None and not path.exists():
        return []
    with Gradebook(db_url) as gradebook:
        names = [assignment.name for assignment in gradebook.assignments]
    return [name for name in names if find_students(submitted, name)]


def sandbox_unavailable(config, assignments: Iterable[str] = ()) -> str:
    """Refuse the whole batch up front if the configured sandbox, or a kernel in it, cannot
    start here, or cannot import an assignment's module: one probe kernel per assignment
    (or one, without any) is started as the configuration says (about a second each)."""
    from .sandbox import SandboxUnavailableError, check_kernel_starts

    steps = config.Autograde.get("autograde_preprocessors", [])
    if "graders.sandbox.SandboxedExecute" not in steps:
        return ""
    try:
        for assignment in list(assignments) or [None]:
            check_kernel_starts(config, assignment)
    except SandboxUnavailableError as error:
        return str(error)
    return ""


# Indexes nbgrader's gradebook lacks for the lookups it makes for every student (a
# notebook's grades and comments, a submission's notebooks, a student's submissions):
# without them each one reads whole tables, and a student costs more the larger the class.
GRADEBOOK_INDEXES = {
    "graders_grade_by_notebook": ("grade", "notebook_id"),
    "graders_comment_by_notebook": ("comment", "notebook_id"),
    "graders_notebook_by_submission": ("submitted_notebook", "assignment_id"),
    "graders_submission_by_student": ("submitted_assignment", "student_id"),
}


def prepare_gradebook(db_url: str) -> str:
    """Make a gradebook quick to grade into (``GRADEBOOK_INDEXES``), and a SQLite one safe
    for parallel writers: WAL journal, patient connections."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import DBAPIError

    engine = create_engine(db_url)
    try:
        for name, (table, column) in GRADEBOOK_INDEXES.items():
            # An index only saves time: if another grader is making it at this very moment
            # (PostgreSQL then refuses the second), grading goes on all the same.
            with contextlib.suppress(DBAPIError), engine.begin() as connection:
                connection.execute(text(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column})"))
    finally:
        engine.dispose()
    path = sqlite_path(db_url)
    if path is None:
        return db_url
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
    return db_url if "?" in db_url else f"{db_url}?timeout={SQLITE_TIMEOUT_S}"


@contextlib.contextmanager
def scratch_space():
    """A private folder for the run's staged submissions and sandboxes, always removed,
    even when a worker died in the middle of a student."""
    folder = tempfile.mkdtemp(prefix="graders-run-")
    previous = os.environ.get(SCRATCH_ENV)
    os.environ[SCRATCH_ENV] = folder  # for this process and the workers it starts
    try:
        yield folder
    finally:
        if previous is None:
            os.environ.pop(SCRATCH_ENV, None)
        else:
            os.environ[SCRATCH_ENV] = previous
        shutil.rmtree(folder, ignore_errors=True)


def worker_context():
    """How the local pool's workers start: forked from a server process that has imported
    this module (nbgrader and all) and done nothing else, so that they start clean, with
    nothing of the grading command's state, and without importing it all again each
    (~0.9 s of CPU per worker). Started early (``main``), the server imports while the
    command checks the class."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["graders.grade"])
    return context


def start_worker_server() -> None:
    """Start the local pool's server now: it imports while the class is checked."""
    worker_context()
    multiprocessing.forkserver.ensure_running()


@contextlib.contextmanager
def local_pool(jobs: int, scratch: str):
    """Long-lived worker processes, each with a sandbox slot, and who grades what."""
    context = worker_context()
    slots = context.Queue()
    for slot in range(1, jobs + 1):  # slot 0 is left to a plain `nbgrader autograde`
        slots.put(slot)
    in_flight = context.Array("i", jobs + 1, lock=False)
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker,
                             initargs=(slots, in_flight, scratch, dict(os.environ))) as pool:
        yield pool, in_flight


class Progress:
    """done/total, the rate and who could not be graded so far (ids escaped)."""

    def __init__(self, total: int, show: bool):
        from tqdm import tqdm

        self.failed: list[str] = []
        self.bar = tqdm(total=total, unit="student", disable=not show, file=sys.stdout,
                        dynamic_ncols=True)

    def done(self, outcome: Outcome) -> None:
        if outcome.status != "graded":
            self.failed.append(for_terminal(outcome.student))
        more = f" (+{len(self.failed) - 3})" if len(self.failed) > 3 else ""
        self.bar.set_postfix_str(f"not graded: {', '.join(self.failed[-3:]) or 'none'}{more}")
        self.bar.update()

    def close(self) -> None:
        self.bar.close()


def run_all(executor: Executor, tasks: list[Task], progress: Progress) -> list[Outcome]:
    """Grade every task on any executor (e.g. Dask's, which retries lost workers itself)."""
    outcomes = []
    futures = {executor.submit(grade_one, task): task for task in tasks}
    for future in as_completed(futures):
        task = futures[future]
        try:
            outcome = future.result()
        except Exception as error:  # the worker itself died: still record the student
            outcome = Outcome(task.student, status="not graded",
                              reason=f"scored 0: the grading worker failed: {error}")
        outcomes.append(outcome)
        progress.done(outcome)
    return outcomes


def run_locally(tasks: list[Task], jobs: int, scratch: str, progress: Progress) -> list[Outcome]:
    """Grade every task in a local pool that survives a worker's death.

    A worker that dies (memory, a crash) breaks the whole pool: the students whose
    grading was in flight are set aside, the others are graded in a fresh pool, and
    each one set aside is then graded alone, so that a death is blamed on the one
    submission that really caused it.
    """
    outcomes: dict[int, Outcome] = {}
    suspects: list[int] = []
    pending = list(range(len(tasks)))
    while pending:
        broken, in_flight_then = False, set()
        with local_pool(min(jobs, len(pending)), scratch) as (pool, in_flight):
            futures = {pool.submit(_grade_tracked, index, tasks[index]): index
                       for index in pending}
            for future in as_completed(futures):
                index = futures[future]
                try:
                    outcomes[index] = future.result()
                except BrokenProcessPool:
                    if not broken:
                        in_flight_then = {value - 1 for value in in_flight if value}
                    broken = True
                    continue
                except Exception as error:  # a bug of the grading step: still a line
                    outcomes[index] = Outcome(tasks[index].student, status="not graded",
                                              reason=f"scored 0: the grading step failed: "
                                                     f"{error}")
                progress.done(outcomes[index])
        if not broken:
            break
        # Nobody known to be in flight (e.g. a death at start-up): set everyone aside.
        new_suspects = [i for i in pending if i not in outcomes
                        and (i in in_flight_then or not in_flight_then)]
        suspects += new_suspects
        pending = [i for i in pending if i not in outcomes and i not in new_suspects]
    for index in suspects:
        with local_pool(1, scratch) as (pool, _):
            try:
                outcomes[index] = pool.submit(_grade_tracked, index, tasks[index]).result()
            except BrokenProcessPool:
                outcomes[index] = Outcome(tasks[index].student, status="not graded",
                                          reason=f"scored 0: {KILLED_WORKER}")
        progress.done(outcomes[index])
    return [outcomes[index] for index in range(len(tasks))]


def grade_class(tasks: list[Task], jobs: int, scheduler: str | None,
                show_progress: bool = True) -> list[Outcome]:
    """Grade every task, locally or on a Dask cluster; outcomes sorted by student."""
    progress = Progress(len(tasks), show_progress)
    try:
        with scratch_space() as scratch:
            if scheduler:
                from distributed import Client

                with Client(scheduler) as client:
                    outcomes = run_all(client.get_executor(), tasks, progress)
            else:
                outcomes = run_locally(tasks, jobs, scratch, progress)
    finally:
        progress.close()
    return sorted(outcomes, key=lambda outcome: outcome.student)


def zero_fill_failed(db_url: str, assignment: str, outcomes: Iterable[Outcome]) -> None:
    """Students whose grading never reached the gradebook: record their 0 now.

    Those are the outcomes this process had to make itself (a worker died or
    failed), known by their max score of 0; a student id that was refused stays
    out of the gradebook.
    """
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gradebook:
        for outcome in outcomes:
            if outcome.max_score == 0 and not unusable_student_id(outcome.student):
                outcome.score, outcome.max_score, _ = settle_scores(
                    gradebook, assignment, outcome.student)


def export_grades(course: Path, db_url: str, assignment: str, destination: Path) -> Path:
    """nbgrader's own export of this assignment's grades, made safe to open in a spreadsheet.

    The export plugin is the one ``nbgrader export`` would use with the course's
    configuration, run in this process (a new ``nbgrader`` process costs a second
    or two of start-up, as much as grading a student).
    """
    from nbgrader.api import Gradebook
    from nbgrader.apps.exportapp import ExportApp
    from nbgrader.coursedir import CourseDirectory

    config = load_config(course, db_url)
    app = ExportApp(config=config, log_level="WARN")  # what it exported is said by the caller
    plugin = app.plugin_class(parent=app, to=str(destination), assignment=[assignment])
    with Gradebook(db_url, CourseDirectory(config=config).course_id) as gradebook:
        plugin.export(gradebook)
    with destination.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    with destination.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([[for_csv(cell) for cell in row] for row in rows])
    return destination


def find_students(submitted: Path, assignment: str) -> list[str]:
    """Everyone with something at submitted/<student>/<assignment>, links included.

    Nothing is followed here: a student folder that is a link is listed, so that
    its owner gets a line in the report saying why it was not graded.
    """
    if not submitted.is_dir():
        return []
    students = []
    for entry in os.scandir(submitted):
        if entry.is_symlink() or os.path.lexists(os.path.join(entry.path, assignment)):
            students.append(entry.name)
    return sorted(students)


def course_arguments(doc: str) -> argparse.ArgumentParser:
    """The command line that grading and reports share: which assignments, of which course."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("assignments", nargs="*", metavar="assignment",
                        help="nbgrader ids (default: every assignment with submissions)")
    parser.add_argument("--course", type=Path, default=Path.cwd(),
                        help="course folder (default: the current folder)")
    parser.add_argument("--db-url", help="gradebook URL, e.g. postgresql+psycopg://...")
    parser.add_argument("--no-class-report", action="store_true", help="skip the HTML report")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = course_arguments(__doc__)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="parallel workers (default: one per core)")
    parser.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://HOST:8786")
    parser.add_argument("--student", action="append", help="grade only these students")
    parser.add_argument("--timeout", type=int, help="seconds a cell may run (default: config)")
    parser.add_argument("--notebook-timeout", type=int,
                        help="seconds a whole notebook may run (default: config, 300)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)

    from nbgrader.coursedir import CourseDirectory

    course = args.course.resolve()
    config = load_config(course, args.db_url)
    db_url, folders = CourseDirectory(config=config).db_url, course_folders(config)
    assignments = args.assignments or assignments_with_submissions(db_url, folders.submitted)
    if not assignments:
        print(f"Nothing graded: no submissions found in {for_terminal(str(folders.submitted))}"
              "/<student>/<assignment>/.", file=sys.stderr)
        return 1
    plans = {}
    for assignment in assignments:
        students = args.student or find_students(folders.submitted, assignment)
        problem = not_ready(db_url, assignment, students, folders.submitted) or stale_tests(
            db_url, assignment, folders.source)
        if problem:
            print(f"Nothing graded: {for_terminal(problem)}.", file=sys.stderr)
            return 1
        plans[assignment] = students
    if not args.scheduler:
        start_worker_server()
    problem = sandbox_unavailable(config, plans)
    if problem:
        print(f"Nothing graded: {for_terminal(problem)}.", file=sys.stderr)
        return 1
    db_url = prepare_gradebook(db_url)
    status = 0
    for assignment, students in plans.items():
        unknown = unknown_tests(db_url, assignment, folders.source)
        if unknown:
            print(f"Warning: graded test cells of {assignment} that the grading engine does not "
                  f"know will fail for every student: {for_terminal(', '.join(unknown))} "
                  "(docs/authoring.md says how test cells are named).", file=sys.stderr)
        tasks = [Task(str(course), assignment, student, db_url, args.timeout,
                      args.notebook_timeout) for student in students]
        status = max(status, grade_assignment(course, assignment, tasks, folders, args))
    return status


def grade_assignment(course: Path, assignment: str, tasks: list[Task], folders: Folders,
                     args: argparse.Namespace) -> int:
    """Grade one assignment's class, write its reports, and say where they are."""
    db_url = tasks[0].db_url
    started = time.perf_counter()
    outcomes = grade_class(tasks, max(1, args.jobs), args.scheduler,
                           show_progress=not args.no_progress)
    zero_fill_failed(db_url, assignment, outcomes)
    elapsed = time.perf_counter() - started

    from .report import write_reports  # which imports this module: imported here

    _, written = write_reports(course, assignment, db_url, folders.autograded, outcomes,
                               class_report=not args.no_class_report)
    written.insert(2, ("feedback (HTML)", folders.feedback))

    ungraded = [for_terminal(outcome.student) for outcome in outcomes
                if outcome.status != "graded"]
    rate = len(outcomes) / elapsed if elapsed else 0.0
    print(f"{assignment}: graded {len(outcomes) - len(ungraded)} of {len(outcomes)} submissions "
          f"in {elapsed:.1f} s ({rate:.2f}/s); {len(ungraded)} scored 0 because they could not "
          f"be graded{': ' + ', '.join(ungraded) if ungraded else ''}")
    for label, path in written:
        print(f"{label}: {for_terminal(str(path))}")
    unwritten = [for_terminal(o.student) for o in outcomes if NO_FEEDBACK in o.reason]
    if unwritten:
        print(f"no feedback page for {len(unwritten)}: {', '.join(unwritten)} (see the grading "
              "report)", file=sys.stderr)
    killers = [for_terminal(o.student) for o in outcomes if KILLED_WORKER in o.reason]
    if killers:
        print(f"Something went wrong: grading killed its worker process for {', '.join(killers)} "
              "(see the grading report); every other student was graded.", file=sys.stderr)
        return EXIT_WORKER_KILLED
    return 0


if __name__ == "__main__":
    # Run the imported module's main, so tasks pickle as graders.grade.*, which every
    # worker (local or Dask) can import, rather than as __main__.*, which they cannot.
    from graders.grade import main as graders_main

    # Workers then need nothing of __main__. Without a spec or a file to run it from,
    # multiprocessing does not run this module again in each worker as __mp_main__: a
    # second copy beside the one the worker server imported, which runpy warns about.
    __spec__ = None
    del __file__
    sys.exit(graders_main())
