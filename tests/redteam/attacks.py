"""Attack and bad-input submissions, as data: how each is made and what must come of it.

Every attack starts from a notebook whose answers are all wrong (it deserves 0)
and adds its trick; if the trick worked it would earn points. ``allowed`` is the
most it may score (0 unless said otherwise); ``reason`` is a fragment the grading
report must give for it. Attacks are built for a :class:`~redteam.targets.Target`,
an assignment, by :func:`attacks` here and its peers in ``attacks_*.py``; code that
names the assignment's checks module or functions takes them from the target.
"""

from __future__ import annotations

import copy
import json
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from string import Template

import nbformat
from nbformat.v4 import new_code_cell

from redteam.targets import Target

FAILED_TESTS = "failed tests"
NOT_RUN = "did not run to its end"
TAMPERED = "grading metadata were changed"


@dataclass(frozen=True)
class Attack:
    name: str
    family: str
    make: Callable[[nbformat.NotebookNode], object]  # a notebook, raw bytes, or None (no file)
    reason: str = FAILED_TESTS
    allowed: float = 0.0
    filename: str | None = None  # None: the assignment's notebook
    # Places hostile files in the submission folder after the notebook is written:
    # plant(folder, course), e.g. symlinks, pipes, huge files.
    plant: Callable[[Path, Path], None] | None = None


def code(template: str, target: Target, **names: str) -> str:
    """Attack code for a target: ``$checks`` is its checks module, ``$first`` and ``$last``
    its first and last graded functions, ``$functions`` all of them (a list literal)."""
    return Template(textwrap.dedent(template)).substitute(
        checks=target.checks, first=target.first, last=target.last,
        functions=repr(list(target.functions)), **names)


def grade_id(cell) -> str:
    return cell.metadata.get("nbgrader", {}).get("grade_id", "")


def is_test(cell) -> bool:
    meta = cell.metadata.get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution")


def with_code(source: str, where: str) -> Callable:
    """Insert the attack's code as a new cell right after the answer cell ``where``."""
    def make(nb):
        nb = copy.deepcopy(nb)
        index = next(i for i, cell in enumerate(nb.cells) if grade_id(cell) == where)
        nb.cells.insert(index + 1, new_code_cell(textwrap.dedent(source)))
        return nb
    return make


def on_test_cells(change: Callable) -> Callable:
    def make(nb):
        nb = copy.deepcopy(nb)
        for cell in nb.cells:
            if is_test(cell):
                change(cell)
        return nb
    return make


def delete_tests(nb):
    nb = copy.deepcopy(nb)
    nb.cells = [cell for cell in nb.cells if not is_test(cell)]
    return nb


def duplicate_tests(nb):
    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb.cells:
        cells.append(cell)
        if is_test(cell):
            twin = copy.deepcopy(cell)
            twin.id = f"{cell.id}-twin"
            cells.append(twin)
    nb.cells = cells
    return nb


def strip_metadata(nb):
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        cell.metadata.pop("nbgrader", None)
    return nb


def set_source(source):
    def change(cell):
        cell.source = source
    return change


def set_meta(**fields):
    def change(cell):
        cell.metadata["nbgrader"].update(fields)
    return change


def to_markdown(cell):
    cell.cell_type = "markdown"
    cell.pop("outputs", None)
    cell.pop("execution_count", None)


def raw(text: str) -> Callable:
    return lambda nb: text.encode()


def nbformat5(nb):
    data = json.loads(nbformat.writes(nb))
    data["nbformat"] = 5
    return json.dumps(data).encode()


FORGED_ZEROS = """
    import json
    from graders.conventions import RECORD_PREFIX
    def forged(name, function, hidden_inputs):
        from $checks import CASES
        fake = {"kind": "scalar", "type": "float", "data": 0.5}
        entry = {"function": name,
                 "public": [{"value": fake, "args_after": []} for _ in CASES[name]],
                 "hidden": [{"value": fake, "args_after": []} for _ in hidden_inputs]}
        print(RECORD_PREFIX + json.dumps(entry))
    import $checks; $checks.record = forged
"""

# The public cases' answers, as a correct function returns them, and 0 for every hidden input.
FORGED_PUBLIC = """
    import json
    from graders.conventions import RECORD_PREFIX
    from graders.values import describe
    def forged(name, function, hidden_inputs):
        from $checks import CASES
        def known(case):
            return {"value": describe(case.want),
                    "args_after": [describe(a) for a in case.args]}
        entry = {"function": name, "public": [known(case) for case in CASES[name]],
                 "hidden": [{"value": describe(0.0), "args_after": []}
                            for _ in hidden_inputs]}
        print(RECORD_PREFIX + json.dumps(entry))
    import $checks; $checks.record = forged
    import graders.compare
    graders.compare.run_cases = lambda *args, **kwargs: None
"""

ALWAYS_EQUAL = """
    class Anything:
        def __eq__(self, other): return True
        def __ne__(self, other): return False
        def __array__(self, *a, **k): raise TypeError('no')
    for _name in $functions:
        globals()[_name] = lambda *args, **kwargs: Anything()
"""

SNEAKY_ARRAYS = """
    class Sneaky(np.ndarray):
        def __eq__(self, other): return np.ones(np.shape(self), dtype=bool)
    def $elementwise(x):
        return np.zeros(np.shape(x)).view(Sneaky)
"""

READS_THE_SOLUTIONS = """
    import glob, json, os
    course = os.path.abspath('../../..')
    for path in glob.glob(course + '/solutions/**/*.ipynb', recursive=True):
        for cell in json.load(open(path))['cells']:
            if cell.get('metadata', {}).get('nbgrader', {}).get('solution'):
                exec(''.join(cell['source']))
    print('solutions found:', glob.glob(course + '/solutions/**/*.ipynb', recursive=True))
"""


def attacks(target: Target) -> list[Attack]:
    """Attacks on the tests, the metadata, the kernel's Python and IPython, and the files."""
    first, last = target.first, target.last

    def cell(template: str, where: str = first, **names: str) -> Callable:
        return with_code(code(template, target, **names), where)

    return [
        # Editing or deleting tests
        Attack("deletes_test_cells", "tests", delete_tests, "missing from the notebook"),
        Attack("blanks_test_cells", "tests", on_test_cells(set_source("pass"))),
        Attack("rewrites_hidden_tests", "tests", on_test_cells(set_source(
            "print('GRADERS-RECORD {}')"))),
        # Metadata and points
        Attack("inflates_points", "metadata", on_test_cells(set_meta(points=100))),
        Attack("turns_tests_into_markdown", "metadata", on_test_cells(to_markdown)),
        Attack("ungrades_tests", "metadata", on_test_cells(set_meta(grade=False)), TAMPERED),
        Attack("duplicates_test_cells", "metadata", duplicate_tests, TAMPERED),
        Attack("strips_nbgrader_metadata", "metadata", strip_metadata,
               "missing from the notebook"),
        # Monkeypatching
        Attack("patches_np_allclose", "monkeypatch", cell(
            "np.allclose = lambda *a, **k: True\nnp.isclose = lambda *a, **k: True")),
        Attack("patches_np_testing", "monkeypatch", cell(
            "np.testing.assert_allclose = lambda *a, **k: None\n"
            "np.testing.assert_array_equal = lambda *a, **k: None")),
        Attack("patches_builtins", "monkeypatch", cell(
            "import builtins\nbuiltins.isinstance = lambda *a, **k: True\n"
            "builtins.AssertionError = type('Nothing', (Exception,), {})")),
        Attack("patches_graders_checks", "monkeypatch", cell(
            "import graders.compare\n"
            "graders.compare.run_cases = lambda *a, **k: print('all good')")),
        Attack("redefines_check_names", "monkeypatch", cell("\n".join(
            f"{name}_test = lambda function: None" for name in target.functions))),
        Attack("forges_records", "monkeypatch", cell(FORGED_ZEROS)),
        # Copying the public values is hard-coding them: worth the public checks, no more.
        Attack("forges_public_records", "monkeypatch", cell(FORGED_PUBLIC),
               allowed=target.public_points),
        # IPython hijacks
        Attack("blanks_later_cells_by_transformer", "ipython", cell(
            "get_ipython().input_transformers_cleanup.append(lambda lines: ['pass\\n'])"),
            NOT_RUN),
        Attack("replaces_run_cell", "ipython", cell("""
            ip = get_ipython()
            original = ip.run_cell_async
            async def quiet(raw_cell, *args, **kwargs):
                return await original('pass', *args, **kwargs)
            ip.run_cell_async = quiet
            """)),
        Attack("hides_errors_and_displays_scores", "ipython", cell("""
            ip = get_ipython()
            ip.showtraceback = lambda *a, **k: None
            ip.events.register('post_run_cell', lambda result: ip.displayhook(1.0))
            """)),
        Attack("clears_outputs_after_each_cell", "ipython", cell("""
            from IPython.display import clear_output
            get_ipython().events.register('post_run_cell', lambda result: clear_output())
            """), NOT_RUN),
        # Objects that claim to be equal to anything
        Attack("returns_always_equal_objects", "always-equal", cell(ALWAYS_EQUAL, last)),
        Attack("returns_sneaky_arrays", "always-equal", cell(
            SNEAKY_ARRAYS, target.roles.elementwise, elementwise=target.roles.elementwise)),
        # Reading the answers or the gradebook
        Attack("reads_the_solutions", "read", cell(READS_THE_SOLUTIONS, last)),
        Attack("reads_the_gradebook", "read", cell("""
            import os
            try:
                print(open(os.path.abspath('../../../gradebook.db'), 'rb').read(64))
            except OSError as error:
                print('cannot read:', error)
            """)),
        # Writing the gradebook or other students' files
        Attack("writes_the_gradebook", "write", cell("""
            import os, sqlite3
            try:
                db = sqlite3.connect(os.path.abspath('../../../gradebook.db'))
                db.execute('update grade set auto_score = 0')
                db.commit()
            except Exception as error:
                print('cannot write:', error)
            """)),
        Attack("overwrites_other_students", "write", cell("""
            import glob, os
            for path in glob.glob(os.path.abspath('../../..') + '/*/*/*/*.ipynb'):
                try:
                    open(path, 'w').write('{}')
                except OSError as error:
                    print('cannot write', path, error)
            """)),
        # Persistence
        Attack("plants_ipython_startup_files", "persistence", cell("""
            import os
            for home in [os.path.expanduser('~'), '/root']:
                folder = os.path.join(home, '.ipython/profile_default/startup')
                try:
                    os.makedirs(folder, exist_ok=True)
                    open(os.path.join(folder, '00-sabotage.py'), 'w').write(
                        'import os; os._exit(1)')
                except OSError as error:
                    print('cannot plant:', error)
            """)),
        Attack("plants_a_pth_file", "persistence", cell("""
            import site
            for folder in site.getsitepackages():
                try:
                    open(folder + '/sabotage.pth', 'w').write('import os; os._exit(1)\\n')
                except OSError as error:
                    print('cannot plant:', error)
            """)),
        Attack("leaves_a_background_process", "persistence", cell("""
            import subprocess, sys
            subprocess.Popen([sys.executable, '-c',
                              'import time\\nwhile True: time.sleep(0.1)'],
                             start_new_session=True)
            """)),
        # Resource exhaustion
        Attack("memory_bomb", "resources", cell(
            "hog = [bytearray(2**28) for _ in range(64)]")),
        Attack("fork_bomb", "resources", cell("""
            import os, time
            for _ in range(10_000):
                try:
                    if os.fork() == 0:
                        time.sleep(30)
                        os._exit(0)
                except OSError:
                    break
            """)),
        Attack("loop_that_swallows_interrupts", "resources", cell("""
            import time
            while True:
                try:
                    time.sleep(0.01)
                except KeyboardInterrupt:
                    pass
            """), "could not be stopped"),
        Attack("huge_output", "resources", cell(
            "for _ in range(400):\n    print('x' * 1_000_000)")),
        # Killing the kernel
        Attack("exits_the_kernel", "kernel", cell("import os\nos._exit(0)"), "kernel died"),
        Attack("segfaults_the_kernel", "kernel", cell("import ctypes\nctypes.string_at(0)"),
               "kernel died"),
        # Bad files
        Attack("corrupt_json", "file", raw('{"cells": [ this is not json'), "not valid JSON"),
        Attack("unsupported_nbformat", "file", nbformat5, "not a notebook nbformat can read"),
        Attack("missing_notebook", "file", lambda nb: None, "is missing"),
        Attack("renamed_notebook", "file", lambda nb: nb, "is missing",
               filename=target.notebook.replace(".ipynb", "_final.ipynb")),
    ]
