"""Attacks on what lies around the kernel: the submitted files, the outputs, the time taken.

Each starts, like every red-team attack, from a notebook whose answers are all
wrong, and would earn points, leak a secret, or stall or swamp the grader if the
grader trusted the submission. ``plant`` places the hostile files after the
notebook is written; the fixture grades them beside honest students.
"""

from __future__ import annotations

import copy
import os
import stat
from collections.abc import Callable
from pathlib import Path

from nbformat.v4 import new_code_cell, new_markdown_cell

from redteam.attacks import Attack, code, with_code
from redteam.targets import Target

HONEST = "aa_first"  # an honest classmate graded in the same class (test_redteam.py)
SECRETS = ("/etc/shadow", "/root/.bashrc", "/proc/self/environ")
# Text that only the hidden tests' source holds: none of it may reach any feedback.
HIDDEN_SOURCE_MARKS = ("BEGIN HIDDEN TESTS", "record(")


def link(name: str, to: str | Callable[[Path], Path]) -> Callable:
    """Plant a symbolic link ``name`` in the submission folder, to a path or to ``to(course)``."""
    def plant(folder: Path, course: Path) -> None:
        os.symlink(to(course) if callable(to) else to, folder / name)
    return plant


def link_folder(levels: int) -> Callable:
    """Replace the assignment folder (1) or the student's folder (2) by a link to a classmate's."""
    def plant(folder: Path, course: Path) -> None:
        victim = folder if levels == 1 else folder.parent
        for path in sorted(victim.rglob("*"), reverse=True):
            path.unlink() if not path.is_dir() else path.rmdir()
        victim.rmdir()
        classmate = course / "submitted" / HONEST / folder.name  # the same assignment's folder
        os.symlink(classmate if levels == 1 else classmate.parent, victim)
    return plant


def plant_all(*plants) -> Callable:
    def plant(folder: Path, course: Path) -> None:
        for each in plants:
            each(folder, course)
    return plant


def fifo(name: str) -> Callable:
    return lambda folder, course: os.mkfifo(folder / name)


def unix_socket(name: str) -> Callable:
    """A socket file, as a listening server leaves behind (mknod: no path-length limit)."""
    return lambda folder, course: os.mknod(folder / name, stat.S_IFSOCK | 0o600)


def big_file(name: str, mib: int) -> Callable:
    def plant(folder: Path, course: Path) -> None:
        with open(folder / name, "wb") as handle:
            handle.truncate(mib * 2**20)  # sparse: costs no disk, reads as zeros
    return plant


def many_files(count: int) -> Callable:
    def plant(folder: Path, course: Path) -> None:
        for index in range(count):
            (folder / f"note_{index:04d}.txt").write_text("x")
    return plant


def with_cells(count: int, source: str) -> Callable:
    def make(nb):
        nb = copy.deepcopy(nb)
        nb.cells.extend(new_code_cell(source) for _ in range(count))
        return nb
    return make


def with_markdown(text: str, source: str, where: str) -> Callable:
    def make(nb):
        nb = with_code(source, where)(nb)
        nb.cells.insert(1, new_markdown_cell(text))
        return nb
    return make


READS_EXTRA_FILES = """
    import os
    for name in sorted(os.listdir('.')):
        try:
            print(name, open(name, 'rb').read(4096))
        except OSError as error:
            print(name, 'cannot read:', error)
"""

RUNS_LINKED_SOLUTIONS = """
    import json
    try:
        for cell in json.load(open('solution.txt'))['cells']:
            if cell.get('metadata', {}).get('nbgrader', {}).get('solution'):
                exec(''.join(cell['source']))
    except OSError as error:
        print('cannot read:', error)
"""

UPDATE_DISPLAY_FLOOD = """
    from IPython.display import display, update_display
    handles = [display('x', display_id=True) for _ in range(50)]
    for _ in range(4):
        for handle in handles:
            update_display({'text/plain': 'y' * 990_000}, raw=True,
                           display_id=handle.display_id)
"""

SMUGGLES_HIDDEN_TESTS = """
    import builtins
    _seen = []
    def $elementwise(x):
        ip = get_ipython()
        _seen.append(ip.user_ns['In'][-1])
        print('INPUT', x)
        print('RUNNING', ip.user_ns['In'][-1])
        return np.zeros(np.shape(x))
    builtins._seen = _seen
"""

PRINTS_WHAT_IT_SAW = "import builtins\nprint('\\n'.join(getattr(builtins, '_seen', [])))"

ESCAPES_TO_STDERR = r"""
    import os, sys
    os.write(2, b'\x1b]0;owned title\x07\x1b]52;c;cm0gLXJmIH4=\x07\r\x1b[2Kgraded 99 of 99\n')
    sys.stderr.write('\x1b[31mRED\x1b[0m from sys.stderr\n')
    sys.__stderr__.write('\x1b]0;second title\x07\n')
"""

SCRIPT_IN_OUTPUTS = """
    from IPython.display import HTML, Javascript, display
    display(HTML('<script>alert("html-output")</script><img src=x onerror="alert(1)">'))
    display(Javascript('alert("js-output")'))
"""

def file_attacks(target: Target) -> list[Attack]:
    """Links, special and huge files, floods of output or cells, and hostile text."""
    notebook, first, last = target.notebook, target.first, target.last
    elementwise = target.roles.elementwise

    def classmates(course: Path) -> Path:
        return course / "submitted" / HONEST / target.id / notebook

    def solution(course: Path) -> Path:
        return course / target.source / notebook

    def smuggles(nb):
        nb = with_code(code(SMUGGLES_HIDDEN_TESTS, target, elementwise=elementwise),
                       elementwise)(nb)
        return with_code(PRINTS_WHAT_IT_SAW, last)(nb)

    reads_extra_files = with_code(READS_EXTRA_FILES, first)
    return [
        # 1. Links to a classmate's work
        Attack("links_to_a_classmates_notebook", "links", lambda nb: None,
               "is a symbolic link", plant=link(notebook, classmates)),
        Attack("links_the_assignment_folder_to_a_classmate", "links", lambda nb: None,
               "is a symbolic link, not a folder", plant=link_folder(1)),
        Attack("links_the_student_folder_to_a_classmate", "links", lambda nb: None,
               "is a symbolic link, not a folder", plant=link_folder(2)),
        # 2. Links to the solutions
        Attack("links_to_the_solution_notebook", "links", lambda nb: None,
               "is a symbolic link", plant=link(notebook, solution)),
        Attack("links_an_extra_file_to_the_solutions", "links",
               with_code(RUNS_LINKED_SOLUTIONS, last), "solution.txt is a symbolic link",
               plant=link("solution.txt", solution)),
        # 3. Links to the grader's secrets
        Attack("links_extra_files_to_secrets", "links", reads_extra_files,
               "is a symbolic link", plant=plant_all(
                   *(link(f"secret_{index}", path) for index, path in enumerate(SECRETS)),
                   link("gradebook.db", lambda course: course / "gradebook.db"),
                   link("config.py", lambda course: course / "nbgrader_config.py"))),
        # 4. and 5. Files that block or never end
        Attack("notebook_is_a_named_pipe", "special files", lambda nb: None,
               "is a named pipe", plant=fifo(notebook)),
        Attack("notebook_links_to_dev_zero", "special files", lambda nb: None,
               "is a symbolic link", plant=link(notebook, "/dev/zero")),
        Attack("extra_files_are_pipes_sockets_and_dev_zero", "special files",
               reads_extra_files, "files not taken in",
               plant=plant_all(fifo("pipe"), unix_socket("socket"),
                               link("zeros", "/dev/zero"))),
        Attack("huge_extra_file", "sizes", reads_extra_files, "larger than 10 MiB",
               plant=big_file("data.bin", 64)),
        Attack("too_many_files", "sizes", lambda nb: nb, "past the limit of 100 files",
               plant=many_files(300)),
        # 9. to 11. Outputs, time, cells
        Attack("floods_update_display_data", "outputs", with_code(UPDATE_DISPLAY_FLOOD, first)),
        Attack("fills_many_cells_with_output", "outputs",
               with_cells(150, "print('z' * 990_000)")),
        Attack("sleeps_in_every_cell", "time", with_cells(20, "import time\ntime.sleep(4.5)"),
               "longer than 30 s in all"),
        Attack("ten_thousand_cells", "time", with_cells(10_000, "pass"),
               "at most 1000 are run"),
        # 15. and 17. What reaches the instructor's terminal and browser
        Attack("writes_escape_sequences_to_stderr", "terminal",
               with_code(ESCAPES_TO_STDERR, first)),
        Attack("puts_script_in_markdown_and_outputs", "html", with_markdown(
            '<script>alert("markdown")</script><img src=x onerror="alert(2)">'
            '<a href="javascript:alert(3)">click</a>', SCRIPT_IN_OUTPUTS, first)),
        # 18. Hidden tests smuggled out through prints
        Attack("smuggles_hidden_tests_through_prints", "feedback", smuggles),
    ]


# Students whose very id is hostile (its folder name): graded as honest work, or
# refused for the id itself, never written raw to a terminal or a CSV file.
FORMULA_IDS = ("=2+5", "+cmd|' -C calc'!A0", "-1+1", "@SUM(1+1)")
ESCAPE_ID = "esc\x1b]0;owned\x07\x1b[2K"
