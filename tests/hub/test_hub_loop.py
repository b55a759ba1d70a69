"""Can a class go through a whole term's loop on JupyterHub, in a real browser?

Three students and an instructor, real Unix accounts, one JupyterHub on 127.0.0.1:

1. the instructor logs in and releases assignment 1 from the formgrader;
2. each student logs in, fetches it from the Assignment List, answers, validates and
   submits: one answers everything right, one makes two typical mistakes, one plants
   links to /etc/shadow and to a classmate's notebook beside theirs;
3. the instructor collects in the formgrader; the class grading
   (``python -m graders.grade``, run by root for the instructor: its sandbox needs
   root) grades; the instructor opens the class report and releases the feedback;
4. each student fetches their feedback and reads their score, the diagnosis of their
   mistakes, with figures that load and no hidden test.

The answers are written into each student's fetched notebook by that student
(a command run as them), as typing them into JupyterLab would, only faster;
everything else is done in the browser. Screenshots of every step go to
test-artifacts/hub/, with figures.json (timings, memory per student).
"""

from __future__ import annotations

import contextlib
import datetime
import json
import re
import textwrap
import time
from pathlib import Path

import psutil
import pytest
from classroom import COURSE, run_as
from classroom import grade as grade_for_instructor
from hub_class import HOSTILE, MISTAKES, RIGHT, Hub
from hub_pages import (
    ARTIFACTS,
    Person,
    close_dialog,
    fetch,
    fetch_feedback,
    formgrader_action,
    log_in,
    open_assignment_list,
    open_lab,
    run_all,
    submit,
    validate,
)

from browser.conftest import IMAGES_IN_PAGE
from course import ASSIGNMENT, ROOT
from graders.assignments import find
from graders.conventions import parse_test_id
from graders.course_setup import authoring, complete_answers, graded_cells, read, source_notebook
from graders.grade import load_config

pytestmark = pytest.mark.browser

NOTEBOOK = source_notebook(ASSIGNMENT).name
# The course's folder in the exchange, as its nbgrader_config.py names it.
COURSE_ID = load_config(ROOT).CourseDirectory.course_id
# Two typical mistakes from the answer bank: (function, the bank's label for it).
TWO_MISTAKES = (("normalize_rows", "forgot keepdims"), ("softmax", "sums over columns (axis=0)"))

# Run by a student with the class's Python: their answers (JSON on stdin) into their notebook.
FILL_IN = textwrap.dedent("""
    import json, sys, nbformat
    path, answers = sys.argv[1], json.load(sys.stdin)
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        answer = answers.get(cell.metadata.get("nbgrader", {}).get("grade_id"))
        if answer is not None:
            cell.source = answer
    nbformat.write(nb, path)
""")


def mistaken_answers() -> dict[str, tuple[str, str]]:
    """Each mistaken function: its wrong source and the fix the course's diagnosis names."""
    bank = authoring(ASSIGNMENT, "answer_bank")
    catalogue = find(ASSIGNMENT).misconceptions
    chosen = {}
    for function, label in TWO_MISTAKES:
        answer = next(a for a in bank.WRONG if (a.function, a.label) == (function, label))
        fix = next(m.fix for m in catalogue[function] if m.key == answer.misconception)
        chosen[function] = (textwrap.dedent(answer.source), fix)
    return chosen


def expected_scores() -> dict[str, tuple[float, float]]:
    """(score, out of) by student: full marks, except the two mistaken functions' tests."""
    cells = graded_cells(read(source_notebook(ASSIGNMENT)))
    total = sum(float(cell.metadata["nbgrader"]["points"]) for cell in cells)
    lost = sum(float(cell.metadata["nbgrader"]["points"]) for cell in cells
               if parse_test_id(cell.metadata["nbgrader"]["grade_id"]).function
               in dict(TWO_MISTAKES))
    return {RIGHT: (total, total), MISTAKES: (total - lost, total), HOSTILE: (total, total)}


def hidden_test_lines() -> set[str]:
    """Lines of the source's hidden tests (and their markers) that no feedback page may show."""
    from nbgrader.preprocessors import ClearHiddenTests

    markers = ClearHiddenTests()
    begin, end = markers.begin_test_delimeter, markers.end_test_delimeter
    hidden = {begin, end}
    for cell in graded_cells(read(source_notebook(ASSIGNMENT))):
        inside = False
        for line in cell.source.splitlines():
            if begin in line or end in line:
                inside = begin in line
            elif inside and len(line.strip()) > 15:  # short lines ("return x") say nothing
                hidden.add(line.strip())
    return hidden


def write_answers(hub: Hub, student: str, answers: dict[str, str]) -> None:
    """The student writes their answers into their fetched notebook (a command run as them)."""
    notebook = hub.classroom.home(student) / ASSIGNMENT / NOTEBOOK
    run_as(hub.classroom, student, "python", "-c", FILL_IN, str(notebook),
           input=json.dumps(answers))


PLANTED = ("shadow", "classmate.ipynb")


def plant_hostile_files(hub: Hub, student: str, classmate: str) -> None:
    """Beside their notebook: links to /etc/shadow and to a classmate's notebook."""
    folder = hub.classroom.home(student) / ASSIGNMENT
    targets = ("/etc/shadow", hub.classroom.home(classmate) / ASSIGNMENT / NOTEBOOK)
    for name, target in zip(PLANTED, targets, strict=True):
        run_as(hub.classroom, student, "ln", "-s", str(target), str(folder / name))


def remove_planted_files(hub: Hub, student: str) -> None:
    """What nbgrader's refusal tells the student to do: take the links away."""
    folder = hub.classroom.home(student) / ASSIGNMENT
    run_as(hub.classroom, student, "rm", *(str(folder / name) for name in PLANTED))


def assert_nothing_planted_in(folder: Path) -> None:
    """No planted file, nor anything of /etc/shadow's, anywhere under the folder."""
    shadow_head = Path("/etc/shadow").read_bytes()[:40]
    for path in folder.rglob("*"):
        assert path.name not in PLANTED, path
        assert not path.is_file() or shadow_head not in path.read_bytes(), path


def feedback_path(hub: Hub, student: str) -> str:
    """Where the fetched feedback page is, from the student's home (one fetch: one page)."""
    home = hub.classroom.home(student)
    (page,) = home.glob(f"{ASSIGNMENT}/feedback/*/{Path(NOTEBOOK).stem}.html")
    return str(page.relative_to(home))


def memory_mb(processes: list[psutil.Process]) -> dict[str, int]:
    """Resident memory of processes, in MiB: RSS counts shared libraries in full for each
    process, PSS shares them out (what one more of them really costs)."""
    rss = pss = 0
    for process in processes:
        with contextlib.suppress(psutil.Error):
            memory = process.memory_full_info()
            rss, pss = rss + memory.rss, pss + memory.pss
    return {"rss": round(rss / 2**20), "pss": round(pss / 2**20)}


def processes_of(user: str) -> list[psutil.Process]:
    """Everything a user runs: their server, kernels, terminals."""
    return [process for process in psutil.process_iter(["username"])
            if process.info["username"] == user]


def hub_processes(hub: Hub) -> list[psutil.Process]:
    """JupyterHub and its proxy (root's processes of the hub's group, not the users')."""
    hub_process = psutil.Process(hub.pid)
    return [process for process in [hub_process, *hub_process.children(recursive=True)]
            if process.username() == "root"]


def wait_for_kernel(user: str, timeout: float = 180) -> None:
    """Until the user's notebook has a kernel running (JupyterLab starts one when it opens)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for process in psutil.process_iter(["username", "cmdline"]):
            if process.info["username"] == user and "ipykernel_launcher" in " ".join(
                    process.info["cmdline"] or []):
                return
        time.sleep(1)
    raise AssertionError(f"no kernel started for {user} in {timeout} s")


def terminal_check(person: Person, role: str, hub: Hub, classmate: str) -> str:
    """Type, in the student's own JupyterLab terminal, commands that try a classmate's
    notebook and the instructor's course; returns what they printed."""
    page = person.page
    open_lab(person)
    page.locator(".lm-MenuBar-itemLabel", has_text="File").click()
    page.locator(".lm-Menu-itemLabel", has_text="New").first.hover()
    page.locator(".lm-Menu-itemLabel", has_text="Terminal").click()
    terminal = page.locator(".jp-Terminal").first
    terminal.wait_for(timeout=120_000)
    terminal.click()
    report = hub.classroom.home(person.name) / "permission-check.txt"
    targets = [hub.classroom.home(classmate) / ASSIGNMENT / NOTEBOOK,
               hub.classroom.course / "gradebook.db"]
    commands = "; ".join([f"ls {hub.classroom.course}",
                          *(f"head -c 80 {target}" for target in targets), "echo checked"])
    page.keyboard.type(f"({commands}) 2>&1 | tee {report}\n")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and "checked" not in (
            report.read_text() if report.exists() else ""):
        time.sleep(0.5)
    person.screenshot(f"2-{role}-terminal-permission-denied")
    return report.read_text()


def test_a_class_runs_the_whole_loop_on_jupyterhub(hub: Hub, browser):
    """Release, fetch, answer, validate, submit, collect, grade, feedback: all in the browser."""
    started = time.monotonic()
    students = {role: hub.user(role) for role in (RIGHT, MISTAKES, HOSTILE)}
    instructor_name = hub.classroom.instructor

    # 1. The instructor releases assignment 1 from the formgrader.
    instructor = log_in(browser, hub.url, instructor_name, hub.passwords[instructor_name])
    instructor.screenshot("1-instructor-lab")
    said = formgrader_action(instructor, ASSIGNMENT, "release", "Successfully released")
    assert ASSIGNMENT in said
    instructor.page.goto(f"{instructor.base}/formgrader/manage_assignments")
    instructor.page.locator("tr", has_text=ASSIGNMENT).locator(".status",
                                                               has_text="released").wait_for()
    instructor.screenshot("1-instructor-released")

    # 2. Each student fetches, answers, validates and submits.
    complete = complete_answers(ASSIGNMENT)
    mistakes = mistaken_answers()
    answers = {RIGHT: complete,
               MISTAKES: {**complete, **{f: source for f, (source, _) in mistakes.items()}},
               HOSTILE: complete}
    people: dict[str, Person] = {}
    for role, student in students.items():
        person = people[role] = log_in(browser, hub.url, student, hub.passwords[student])
        offered = open_assignment_list(person)
        person.screenshot(f"2-{role}-assignment-list")
        # A student's JupyterLab has no instructor tools, in its menu or on its server.
        assert "Formgrader" not in offered, offered
        assert person.page.request.get(f"{person.base}/formgrader").status == 404
        fetch(person, ASSIGNMENT)
        write_answers(hub, student, answers[role])
        if role == HOSTILE:
            plant_hostile_files(hub, student, students[RIGHT])
        open_lab(person, f"{ASSIGNMENT}/{NOTEBOOK}")
        wait_for_kernel(student)
        if role == RIGHT:  # one student at work: every cell run, figures and widgets drawn
            run_started = time.monotonic()
            run_all(person)
            run_all_seconds = time.monotonic() - run_started
        person.screenshot(f"2-{role}-notebook")
        open_assignment_list(person)
        verdict, message = validate(person, ASSIGNMENT, Path(NOTEBOOK).stem)
        person.screenshot(f"2-{role}-validated")
        close_dialog(person)
        assert verdict == ("failed" if role == MISTAKES else "passed"), (role, message)
        if role == HOSTILE:
            # nbgrader copies the folder as the student: links they cannot read are refused,
            # and nothing of their targets reaches the exchange.
            refusal = submit(person, ASSIGNMENT)
            person.screenshot(f"2-{role}-submission-refused")
            close_dialog(person)
            assert "Permission denied" in refusal, refusal
            assert_nothing_planted_in(hub.classroom.exchange)
            remove_planted_files(hub, student)
        said = submit(person, ASSIGNMENT)
        person.screenshot(f"2-{role}-submitted")
        assert said == "", said
    memory = {role: memory_mb(processes_of(student)) for role, student in students.items()}
    memory["hub and proxy"] = memory_mb(hub_processes(hub))

    # No student can read a classmate's files or the instructor's course, from their terminal.
    printed = terminal_check(people[HOSTILE], HOSTILE, hub, students[RIGHT])
    assert printed.count("Permission denied") == 3, printed
    assert '"cells"' not in printed and "SQLite" not in printed, printed

    # 3. The instructor collects; root grades for them; they read the class report.
    said = formgrader_action(instructor, ASSIGNMENT, "collect", "Successfully collected")
    instructor.screenshot("3-instructor-collected")
    submitted = hub.classroom.course / "submitted"
    assert sorted(path.name for path in submitted.iterdir()) == sorted(students.values())
    assert_nothing_planted_in(submitted)
    grading_started = time.monotonic()
    assert grade_for_instructor(hub.classroom, ASSIGNMENT) == 0
    grading_seconds = time.monotonic() - grading_started
    scores = expected_scores()
    report = f"{instructor.base}/files/{COURSE}/reports/{ASSIGNMENT}/class-report.html"
    instructor.page.goto(report)
    class_report = instructor.page.locator("body").inner_text()
    instructor.screenshot("3-instructor-class-report")
    for student in students.values():
        assert student in class_report
    said = formgrader_action(instructor, ASSIGNMENT, "release-feedback",
                             "Successfully released feedback")
    instructor.screenshot("3-instructor-feedback-released")

    # 4. Each student fetches their feedback and reads it.
    hidden = hidden_test_lines()
    for role, person in people.items():
        open_assignment_list(person)
        fetch_feedback(person, ASSIGNMENT)
        person.screenshot(f"4-{role}-feedback-fetched")
        page_path = feedback_path(hub, person.name)
        person.console_errors.clear()  # JupyterLab's own are not this page's
        person.page.goto(f"{person.base}/files/{page_path}")
        text = " ".join(person.page.locator("body").inner_text().split())
        person.screenshot(f"4-{role}-feedback")
        score, out_of = scores[role]
        assert re.search(rf"Score:\s*{score:g}(\.0+)?\s*/\s*{out_of:g}(\.0+)?", text), (
            role, text[:500])
        if role == MISTAKES:  # each mistake's diagnosis, which begins with what to fix
            for _, fix in mistakes.values():
                said_first = " ".join(fix.split(" · ")[0].split())
                assert said_first in text, (said_first, text)
            person.page.get_by_text(said_first).first.scroll_into_view_if_needed()
            person.screenshot(f"4-{role}-feedback-diagnosis")
            # Diagnoses quote the lesson in long lines: each is read whole, none cut off.
            cut = person.page.evaluate(
                "() => [...document.querySelectorAll('div.output_subarea pre')]"
                ".filter(pre => pre.scrollWidth > pre.clientWidth + 1)"
                ".map(pre => pre.textContent.slice(0, 80))")
            assert cut == [], cut
        images = person.page.evaluate(IMAGES_IN_PAGE)
        assert images and all(image["width"] > 0 for image in images), images
        # Only nbgrader's template asks the internet for MathJax, in vain: formulas are
        # MathML already (graders/feedback.py).
        assert [e for e in person.console_errors if "mathjax" not in e.lower()] == []
        assert not [line for line in hidden if line in text], role
        assert "shadow" not in text and "root:" not in text

    loop_seconds = time.monotonic() - started
    (ARTIFACTS / "figures.json").write_text(json.dumps({
        "loop_seconds": round(loop_seconds, 1), "grading_seconds": round(grading_seconds, 1),
        "run_all_seconds": round(run_all_seconds, 1),
        # Each student's notebook is open (a kernel); ada's has run every cell.
        "memory_mib_by_user": memory,
    }, indent=1))


def forge_inbound_submission(hub: Hub, student: str, as_whom: str, links: dict[str, Path]) -> None:
    """From their own account, a student adds a submission to the exchange by hand: a folder
    named as nbgrader names one (any student's name, a later time), holding links."""
    inbound = hub.classroom.exchange / COURSE_ID / "inbound"
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    folder = inbound / f"{as_whom}+{ASSIGNMENT}+{stamp}+forged"
    run_as(hub.classroom, student, "mkdir", str(folder))
    for name, target in links.items():
        run_as(hub.classroom, student, "ln", "-s", str(target), str(folder / name))


def test_the_exchange_refuses_a_forged_or_linked_submission(hub: Hub, browser):
    """A student who writes into the exchange by hand gets neither the instructor's files
    nor a classmate's place: collect keeps each student's own work."""
    student, classmate = hub.user(HOSTILE), hub.user(RIGHT)
    course = hub.classroom.course
    solution = course / "solutions" / ASSIGNMENT / NOTEBOOK
    submitted = course / "submitted"
    classmate_before = (submitted / classmate / ASSIGNMENT / NOTEBOOK).read_bytes()
    forge_inbound_submission(hub, student, student, {NOTEBOOK: solution})
    forge_inbound_submission(hub, student, classmate, {NOTEBOOK: Path("/dev/null")})

    instructor = log_in(browser, hub.url, hub.classroom.instructor,
                        hub.passwords[hub.classroom.instructor])
    said = formgrader_action(instructor, ASSIGNMENT, "collect", "collect")
    instructor.screenshot("5-instructor-collected-forged")
    assert (submitted / student / ASSIGNMENT / NOTEBOOK).read_bytes() != solution.read_bytes()
    assert (submitted / classmate / ASSIGNMENT / NOTEBOOK).read_bytes() == classmate_before
    # The instructor is told which folders were refused, and why (graders/exchange.py).
    assert "it holds no regular file" in said, said
    assert f"it is named for {classmate} but owned by {student}" in said, said
