"""Each saving of a grading run, measured against the plain way in the same run.

    python benchmarks/bench_grading_stages.py [--assignment ID] [--rounds 8]

Grades a few complete submissions of one assignment (default: the first) once, with
the course's command, then measures each saving alone, alternating its plain way and
the course's way round by round, so that drift hits both alike:

1. kernel ready: jupyter_client waits until IOPub has been silent for 0.2 s; the
   course's client is ready once its kernel_info request is answered and IOPub says
   the kernel is idle again (one sandboxed kernel started, one cell run);
2. kernel gone: jupyter_client looks every 0.1 s whether a killed kernel has ended;
   the course's manager every 5 ms (the same kernels, their shutdown);
3. process start: a grading process (the command, each worker) imports nbformat and
   nbgrader, whose jsonschema builds rfc3987_syntax's grammar unless
   ``graders.lean_start`` leaves it out;
4. grades export: a new ``nbgrader export`` process, or nbgrader's export plugin in
   the grading process (``graders.grade.export_grades``);
5. cell metadata checks: nbgrader validates the metadata of every cell of a notebook
   it reads or checks, and plain ``jsonschema.validate`` checks the schema itself each
   time; ``graders.lean_start`` once per schema (nbgrader's validator of one notebook);
6. warm kernels: a new Python started in a new sandbox for each student, or a kernel
   forked by the worker's nursery from a zygote that has imported ipykernel and the
   assignment's module (``graders.nursery``), each running the notebook's first code
   cell (its imports); and the first kernel of a worker, which starts the nursery;
7. the gradebook: one student graded in this process (``graders.grade.grade_one``),
   nbgrader making a new SQLAlchemy engine and checking each table at each of its
   ~11 gradebook opens, or reusing one engine and listing the tables once
   (``graders.lean_start``); wall and CPU seconds.

It prints the median seconds of each way and the ratio.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import jsonschema
import nbformat
import nbgrader.api
import sqlalchemy
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from nbformat.v4 import new_code_cell, new_notebook
from nbgrader.nbgraderformat import MetadataValidator, common

from graders import lean_start, sandbox
from graders.course_setup import BIN, assignment_ids, honest_class, released_course, submit_class
from graders.grade import Task, export_grades, find_students, grade_one, load_config
from results_file import write_results

PROMPT_READY = sandbox._BoundedKernelClient.wait_for_ready
PROMPT_WAIT = sandbox._PromptKernelManager._async_wait


def alternate(ways: dict[str, Callable[[], dict[str, float]]], rounds: int
              ) -> dict[str, dict[str, float]]:
    """Run each way once per round, in turn; the median of each measure."""
    seen: dict[str, list[dict[str, float]]] = {name: [] for name in ways}
    for _ in range(rounds):
        for name, way in ways.items():
            seen[name].append(way())
    return {name: {key: statistics.median(measure[key] for measure in measures)
                   for key in measures[0]} for name, measures in seen.items()}


def one_kernel(course: Path, assignment: str, prompt: bool, warm: bool = False,
               cell: str = "6 * 7") -> dict[str, float]:
    """Start a sandboxed kernel, run one cell, stop it: jupyter_client's waits or the
    course's; a kernel started cold, or forked by the nursery."""
    sandbox._BoundedKernelClient.wait_for_ready = (
        PROMPT_READY if prompt else AsyncKernelClient.wait_for_ready)
    sandbox._PromptKernelManager._async_wait = (
        PROMPT_WAIT if prompt else AsyncKernelManager._async_wait)
    step = sandbox.SandboxedExecute(config=load_config(course), warm_kernels=warm)
    with tempfile.TemporaryDirectory(dir=sandbox._box_parent()) as folder:
        resources = {"metadata": {"path": folder}, "nbgrader": {"assignment": assignment}}
        notebook = new_notebook(cells=[new_code_cell(cell)])
        start = time.perf_counter()
        _, resources = step.preprocess(notebook, resources)
        total = time.perf_counter() - start
    seconds = resources["graders"]["seconds"]
    # "execution" ends when the kernel is gone: the cell itself takes milliseconds.
    return {"ready": seconds["kernel_start"], "gone": seconds["execution"], "total": total}


def first_warm_kernel(course: Path, assignment: str, cell: str) -> dict[str, float]:
    """A worker's first warm kernel: its nursery is started first."""
    sandbox.close_nurseries()
    return one_kernel(course, assignment, True, warm=True, cell=cell)


def process_start(lean: bool) -> dict[str, float]:
    imports = "import graders.grade" if lean else "import rfc3987_syntax, graders.grade"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", imports], check=True)
    return {"seconds": time.perf_counter() - start}


def export(course: Path, assignment: str, in_process: bool) -> dict[str, float]:
    db_url = f"sqlite:///{course / 'gradebook.db'}"
    with tempfile.TemporaryDirectory() as folder:
        destination = Path(folder) / "grades.csv"
        start = time.perf_counter()
        if in_process:
            export_grades(course, db_url, assignment, destination)
        else:
            subprocess.run([str(BIN / "nbgrader"), "export", f"--to={destination}",
                            f"--ExportPlugin.assignment={json.dumps([assignment])}"],
                           cwd=course, check=True, capture_output=True)
        return {"seconds": time.perf_counter() - start}


def metadata_checks(notebook: nbformat.NotebookNode, once: bool,
                    notebooks: int = 20) -> dict[str, float]:
    """nbgrader's metadata checks of a notebook, as often as it reads or checks one."""
    common.jsonschema = lean_start.JSONSCHEMA_FOR_NBGRADER if once else jsonschema
    try:
        start = time.perf_counter()
        for _ in range(notebooks):
            MetadataValidator().validate_nb(notebook)  # a validator (and schema) per notebook
        return {"seconds": time.perf_counter() - start}
    finally:
        common.jsonschema = lean_start.JSONSCHEMA_FOR_NBGRADER


def one_student(course: Path, assignment: str, reused: bool) -> dict[str, float]:
    """Grade one student in this process, with nbgrader's gradebook engines as they are
    or as ``graders.lean_start`` keeps them."""
    gradebook_module = nbgrader.api
    gradebook_module.create_engine = (
        lean_start.create_engine if reused else sqlalchemy.create_engine)
    gradebook_module.Base.metadata.create_all = (
        lean_start.create_all if reused else lean_start._create_all)
    try:
        student = find_students(course / "submitted", assignment)[0]
        task = Task(str(course), assignment, student, f"sqlite:///{course / 'gradebook.db'}",
                    None, None)
        wall, cpu = time.perf_counter(), time.process_time()
        outcome = grade_one(task)
        if outcome.status != "graded":
            raise RuntimeError(f"{student} not graded: {outcome.reason}")
        return {"seconds": time.perf_counter() - wall, "cpu": time.process_time() - cpu}
    finally:
        gradebook_module.create_engine = lean_start.create_engine
        gradebook_module.Base.metadata.create_all = lean_start.create_all


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", choices=assignment_ids(), default=assignment_ids()[0])
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args()
    assignment = args.assignment

    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        course, released = released_course(Path(tmp), assignment)
        submit_class(course, assignment, honest_class(assignment, 3))
        subprocess.run([sys.executable, "-m", "graders.grade", assignment, "--no-progress",
                        "--jobs", "1"], cwd=course, check=True, capture_output=True)

        imports = next(cell.source for cell in released.cells if cell.cell_type == "code")
        results["kernel ready and gone (one cell, cold kernels)"] = alternate({
            "plain (jupyter_client's waits)": lambda: one_kernel(course, assignment, False),
            "course (graders.sandbox)": lambda: one_kernel(course, assignment, True),
        }, args.rounds)
        results["warm kernels (the notebook's imports run)"] = alternate({
            "plain (a new Python, cold)": lambda: one_kernel(
                course, assignment, True, warm=False, cell=imports),
            "course (forked by the nursery)": lambda: one_kernel(
                course, assignment, True, warm=True, cell=imports),
        }, args.rounds)
        results["a worker's first kernel (its nursery starts)"] = alternate({
            "plain (a new Python, cold)": lambda: one_kernel(
                course, assignment, True, warm=False, cell=imports),
            "course (nursery, then its first kernel)": lambda: first_warm_kernel(
                course, assignment, imports),
        }, max(3, args.rounds // 2))
        sandbox.close_nurseries()
        results["process start (import graders.grade)"] = alternate({
            "plain (rfc3987_syntax imported)": lambda: process_start(False),
            "course (graders.lean_start)": lambda: process_start(True),
        }, args.rounds)
        results["grades export"] = alternate({
            "plain (nbgrader export process)": lambda: export(course, assignment, False),
            "course (export plugin in process)": lambda: export(course, assignment, True),
        }, max(3, args.rounds // 2))
        results["cell metadata checks (20 x the released notebook)"] = alternate({
            "plain (jsonschema.validate)": lambda: metadata_checks(released, False),
            "course (graders.lean_start)": lambda: metadata_checks(released, True),
        }, args.rounds)
        one_student(course, assignment, True)  # the worker's nursery starts first
        results["the gradebook (one student graded in process)"] = alternate({
            "plain (an engine per gradebook open)": lambda: one_student(
                course, assignment, False),
            "course (graders.lean_start)": lambda: one_student(course, assignment, True),
        }, args.rounds)
        sandbox.close_nurseries()

    print(f"Each saving of grading {assignment}, alone: median seconds over "
          f"{args.rounds} rounds (plain way / course's way, alternating)")
    for saving, ways in results.items():
        (plain_name, plain), (course_name, ours) = ways.items()
        print(f"  {saving}")
        for key in plain:
            print(f"    {key:<7} {plain[key]:7.3f} -> {ours[key]:7.3f} s   "
                  f"x{plain[key] / ours[key]:.2f}   ({plain_name} -> {course_name})")
    write_results(assignment, "grading_stages",
                  {"assignment": assignment, "rounds": args.rounds, "savings": results})


if __name__ == "__main__":
    main()
