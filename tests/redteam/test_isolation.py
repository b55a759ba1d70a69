"""Does anything one student's kernel leaves behind reach the next student's kernel?

Two students are graded one after the other by one worker (``--jobs 1``), as a worker
grades its share of a class. The first plants state everywhere its kernel can write or
change: files (its own folder, ``/tmp``, which is its HOME, ``/dev/shm``, an IPython
startup file), the process's environment, ``sys.modules``, builtins, NumPy's settings, a
Linux keyring, and a background process that goes on writing. In the same kernel it
checks that each plant took (the keyring must refuse: the sandbox's seccomp filter), so
that the test can fail. The second student looks for every plant. Both answer every
exercise right: both keep full marks.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from graders.course_setup import assignment_ids, make_submission, released_course, submit
from redteam.attacks import with_code
from redteam.attacks_sandbox import KEYS
from redteam.targets import target

PLANTER, FINDER = "aa_planter", "ab_finder"  # graded in this order
MARK = "planted-by-aa_planter"
FILES = ["/tmp/planted.txt", "~/planted.txt", "planted.txt", "/dev/shm/planted.txt",
         "~/.ipython/profile_default/startup/00-planted.py", "/tmp/written-later.txt"]
KEY_NAME = b"graders-isolation-plant"

# Each plant, and the expression that is true in a kernel where it is found.
FOUND_IF = {
    **{f"file {path}": f"os.path.exists(os.path.expanduser({path!r}))" for path in FILES},
    "environment": "os.environ.get('PLANTED') == MARK",
    "sys.modules": "'planted_module' in sys.modules",
    "builtins": "getattr(builtins, 'PLANTED', None) == MARK",
    "numpy settings": "np.get_printoptions()['threshold'] == 7",
    "startup file ran": "getattr(builtins, 'STARTUP_RAN', False)",
    "keyring": f"call(KEYCTL, SEARCH, USER_KEYRING, b'user', {KEY_NAME!r}, 0) > 0",
}

LOOK = KEYS + f"""
import builtins, json, os, sys
import numpy as np
MARK = {MARK!r}
def found_plants():
    checks = {{{', '.join(f'{name!r}: lambda: {test}' for name, test in FOUND_IF.items())}}}
    return sorted(name for name, found in checks.items() if found())
"""

PLANT = LOOK + f"""
import subprocess, time, types
for path in {FILES[:-1]!r}:
    path = os.path.expanduser(path)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, 'w') as file:
        file.write("import builtins; builtins.STARTUP_RAN = True" if path.endswith('.py')
                   else MARK)
os.environ['PLANTED'] = MARK
sys.modules['planted_module'] = types.ModuleType('planted_module')
builtins.PLANTED = MARK
builtins.STARTUP_RAN = True  # as the startup file does in the kernels it reaches
np.set_printoptions(threshold=7)
key = call(ADD_KEY, b'user', {KEY_NAME!r}, b'answers', 7, USER_KEYRING)
subprocess.Popen(['sh', '-c', 'while true; do echo {MARK} > /tmp/written-later.txt; '
                  'sleep 0.1; done'], start_new_session=True)
time.sleep(0.5)
print('PLANTED:', json.dumps({{'found': found_plants(), 'key': key}}))
"""

FIND = LOOK + """
print('FOUND:', json.dumps(found_plants()))
"""


def printed(course: Path, student: str, assignment_id: str, notebook: str, label: str):
    """What the student's graded notebook printed after ``label``, read as JSON."""
    graded = nbformat.read(course / "autograded" / student / assignment_id / notebook, 4)
    texts = ["".join(output.get("text", "") for output in cell.get("outputs", []))
             for cell in graded.cells]
    text = next(text for text in texts if label in text)
    return json.loads(text.split(label, 1)[1].strip().splitlines()[0])


@pytest.mark.parametrize("assignment_id", assignment_ids())
def test_nothing_one_kernel_leaves_reaches_the_next_one_in_the_same_worker(
        tmp_path, sandbox_ready, assignment_id):
    aimed_at = target(assignment_id)
    course, release = released_course(tmp_path / "course", assignment_id)
    for student, code in ((PLANTER, PLANT), (FINDER, FIND)):
        notebook = with_code(code, aimed_at.first)(make_submission(release, aimed_at.complete))
        submit(course, student, assignment_id, notebook)
    result = subprocess.run(
        [sys.executable, "-m", "graders.grade", assignment_id, "--jobs", "1", "--timeout", "20"],
        cwd=course, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr

    planted = printed(course, PLANTER, assignment_id, aimed_at.notebook, "PLANTED:")
    every_plant_but_the_key = sorted(name for name in FOUND_IF if name != "keyring")
    assert planted["found"] == every_plant_but_the_key, planted  # each plant took, in its kernel
    assert planted["key"] < 0, planted  # the keyring refused: the seccomp filter
    assert printed(course, FINDER, assignment_id, aimed_at.notebook, "FOUND:") == []
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for student in (PLANTER, FINDER):
            assert gradebook.find_submission(assignment_id, student).score == aimed_at.full
