"""Is the grading kernel really boxed in?

Each test runs a small notebook through the real ``SandboxedExecute`` (bubblewrap,
prlimit, setpriv) and asks the kernel what it can see and do. Those tests ask for
``course``, which skips them, with the reason, where the sandbox cannot start
(``sandbox_ready``, tests/conftest.py); the others need no sandbox.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import json
import logging
import os
import shutil
import socket
import stat
import struct
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_notebook
from traitlets.config import Config

import graders
from course import ASSIGNMENT, ROOT
from graders.assignments import find
from graders.course_setup import released_course, submit
from graders.nursery import REQUEST_FILE
from graders.sandbox import (
    ETC_FILES,
    EXCHANGE_DEFAULT,
    LAUNCH_LOG,
    SandboxedExecute,
    SandboxUnavailableError,
    check_sandbox,
    read_launch_log,
    readable_again,
)
from graders.seccomp import ARCHES, UnsupportedArchitectureError, keyring_filter

SLOT = 7  # a slot of its own, so no other test's processes are counted
WARM = True  # set for each test by the `kernels` fixture


@pytest.fixture(autouse=True, params=["warm", "cold"])
def kernels(request, monkeypatch):
    """Each test twice: kernels forked by the worker's nursery (the default), and kernels
    started cold, each in a new sandbox (``warm_kernels=False``)."""
    monkeypatch.setattr(sys.modules[__name__], "WARM", request.param == "warm")
    return request.param


@pytest.fixture
def course(tmp_path, sandbox_ready) -> Path:
    """A course folder with secrets the kernel must not see, and a student's folder."""
    root = tmp_path / "course"
    (root / "solutions").mkdir(parents=True)
    (root / "solutions" / "answers.txt").write_text("the answers")
    (root / "gradebook.db").write_text("grades")
    student = root / "autograded" / "ada" / "01_numpy_basics"
    student.mkdir(parents=True)
    (student / "data.txt").write_text("the student's own file")
    return root


def run(course: Path, *sources: str, assignment: str | None = None, **traits):
    """Run cells in the sandbox from the student's folder, as if grading ``assignment``;
    return their printed text."""
    config = Config()
    config.CourseDirectory.root = str(course)
    step = SandboxedExecute(config=config, slot=SLOT, timeout=traits.pop("timeout", 20),
                            warm_kernels=WARM, **traits)
    nb = new_notebook(cells=[new_code_cell(source) for source in sources])
    resources = {"metadata": {"path": str(course / "autograded" / "ada" / "01_numpy_basics")},
                 "nbgrader": {"assignment": assignment}}
    nb, resources = step.preprocess(nb, resources)
    texts = []
    for cell in nb.cells:
        texts.append("".join(o.get("text", "") or f"{o.get('ename')}: {o.get('evalue')}"
                             for o in cell.outputs))
    return texts, resources


def test_kernel_sees_neither_solutions_nor_gradebook_nor_homes(course):
    """Are the course's secrets, the project and the grader's home out of sight?"""
    probes = [course / "solutions" / "answers.txt", course / "gradebook.db",
              ROOT / "solutions", ROOT / "nbgrader_config.py", Path.home() / ".bashrc"]
    assert all(probe.exists() for probe in probes)  # each one is there for the grader
    texts, _ = run(course, "import os\n" + "\n".join(
        f"print({str(p)!r}, os.path.exists({str(p)!r}) and bool(os.listdir({str(p)!r}) "
        f"if os.path.isdir({str(p)!r}) else os.path.exists({str(p)!r})))" for p in probes
    ), "print(open('data.txt').read(), os.getuid())")
    for probe in probes:
        assert f"{probe} False" in texts[0], texts[0]
    assert texts[1].split() == ["the", "student's", "own", "file", str(61000 + SLOT)]


def test_kernel_has_no_network(course):
    """Can the kernel not reach a server the grader can reach on 127.0.0.1?"""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        socket.create_connection(("127.0.0.1", port), timeout=2).close()  # the grader can
        texts, _ = run(course, (
            "import socket\n"
            "try:\n"
            f"    socket.create_connection(('127.0.0.1', {port}), timeout=2); print('connected')\n"
            "except OSError as error:\n"
            "    print('no network:', type(error).__name__)"
        ))
    assert texts[0].startswith("no network"), texts[0]


def test_memory_processes_and_file_size_are_limited(course):
    """Do a memory bomb, a fork bomb and a huge file each hit a limit, leaving the kernel alive?"""
    texts, _ = run(
        course,
        "try:\n    hog = bytearray(8 * 2**30)\nexcept MemoryError:\n    print('memory limited')",
        (
            "import subprocess\nchildren = []\n"
            "try:\n"
            "    for _ in range(200):\n"
            "        children.append(subprocess.Popen(['sleep', '30']))\n"
            "except OSError:\n"
            "    print('processes limited at', len(children))\n"
            "for child in children:\n    child.kill()"
        ),
        "try:\n    open('big', 'wb').write(b'0' * 200 * 2**20)\n"
        "except OSError as error:\n    print('file size limited:', error.errno)",
        "print('still alive')",
    )
    assert texts[0].strip() == "memory limited"
    assert texts[1].startswith("processes limited at")
    assert int(texts[1].split()[-1]) < 64
    assert texts[2].startswith("file size limited")
    assert texts[3].strip() == "still alive"


STARTUP_FILE = "os.path.expanduser('~/.ipython/profile_default/startup/00-evil.py')"


def test_nothing_written_persists_and_nothing_started_survives(course):
    """After grading, are the kernel's files gone (an IPython startup file planted for the
    next student included) and its background processes dead?"""
    student = course / "autograded" / "ada" / "01_numpy_basics"
    planted, _ = run(course, (
        "import os, subprocess\n"
        "open('planted.txt', 'w').write('x')\n"
        f"os.makedirs(os.path.dirname({STARTUP_FILE}), exist_ok=True)\n"
        f"open({STARTUP_FILE}, 'w').write('raise SystemExit')\n"
        "subprocess.Popen(['sleep', '600'], start_new_session=True)"
    ), f"print(os.path.exists({STARTUP_FILE}))")
    assert planted[1].strip() == "True"  # the question below sees the file where it is
    assert not (student / "planted.txt").exists()
    leftover = subprocess.run(["pgrep", "-u", str(61000 + SLOT)], capture_output=True, text=True)
    assert leftover.stdout.strip() == ""
    texts, _ = run(course, f"import os\nprint(os.path.exists({STARTUP_FILE}))")
    assert texts[0].strip() == "False", texts[0]  # the next kernel starts without it


def test_a_loop_is_interrupted_and_a_stubborn_one_is_stopped_with_a_reason(course):
    """Is an endless loop interrupted, and one that ignores interrupts cut off with a reason?"""
    texts, resources = run(
        course,
        "import time\nwhile True:\n    time.sleep(0.01)",
        "print('next cell ran')",
        "while True:\n    try:\n        time.sleep(0.01)\n    except KeyboardInterrupt:\n"
        "        pass",
        "print('never')",
        timeout=3,
    )
    assert "KeyboardInterrupt" in texts[0]
    assert texts[1].strip() == "next cell ran"
    assert "never" not in texts[3]
    assert "could not be stopped" in resources["graders"]["execution_failure"]


def test_output_is_capped(course):
    """Is a flood of output cut at the limit, with a notice, leaving later cells their output?"""
    texts, _ = run(course, "for _ in range(200):\n    print('x' * 50_000)", "print('after')",
                   output_bytes=500_000)
    assert "[output cut" in texts[0]
    assert len(texts[0]) < 700_000
    assert texts[1].strip() == "after"


def test_grading_refuses_without_bubblewrap(course, monkeypatch):
    """Without bubblewrap, does grading refuse and name the way out?"""
    monkeypatch.setattr(shutil, "which", lambda tool: None if tool == "bwrap" else "/usr/bin/x")
    with pytest.raises(SandboxUnavailableError) as refusal:
        run(course, "print('ran')")
    assert "bwrap not found" in str(refusal.value)
    assert "unsafe_no_sandbox" in str(refusal.value)


def test_grading_refuses_without_root(monkeypatch):
    """As an ordinary user, who cannot hand kernels their own user id, does grading refuse?"""
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    with pytest.raises(SandboxUnavailableError, match="needs root"):
        check_sandbox()


def test_the_unsafe_switch_runs_without_a_sandbox_and_says_so(course, monkeypatch, caplog):
    """Does the loudly named switch grade without the sandbox, warning that it does?"""
    monkeypatch.setenv("GRADERS_UNSAFE_NO_SANDBOX", "1")
    with caplog.at_level(logging.WARNING):
        texts, _ = run(course, "import os\nprint(os.getuid())")
    assert texts[0].strip() == str(os.getuid())
    assert any("UNSAFE" in record.getMessage() for record in caplog.records)


# ------------------------------------------------------ a kernel that cannot start

# Runs one cell in the sandbox with the Python this script is started by; prints its
# outputs and the run's failure, if any, as JSON (arguments: course, slot, student folder).
RUN_ONE_CELL = """
import json, sys
from nbformat.v4 import new_code_cell, new_notebook
from traitlets.config import Config
from graders.sandbox import SandboxedExecute
config = Config()
config.CourseDirectory.root = sys.argv[1]
step = SandboxedExecute(config=config, slot=int(sys.argv[2]), timeout=20,
                        warm_kernels=sys.argv[4] == "warm")
cell = new_code_cell('import sys, numpy, graders; print(sys.executable, sys.prefix)')
nb, resources = step.preprocess(new_notebook(cells=[cell]), {'metadata': {'path': sys.argv[3]}})
print(json.dumps([nb.cells[0].outputs, resources['graders'].get('execution_failure')]))
"""


@pytest.mark.parametrize("linked", ["the environment", "a folder above it"])
def test_a_kernel_starts_from_an_environment_reached_through_a_link(course, linked):
    """With the grader's Python environment reached through a symbolic link (the venv itself,
    or a folder holding it), does the sandboxed kernel start, by that same path, with the
    environment's packages?"""
    environment = Path(sys.prefix).resolve()
    with tempfile.TemporaryDirectory(prefix="graders-link-") as folder:
        link = Path(folder, "link")
        if linked == "the environment":
            link.symlink_to(environment)
            prefix = link
        else:
            link.symlink_to(environment.parent)
            prefix = link / environment.name
        python = prefix / Path(sys.executable).relative_to(sys.prefix)
        student = course / "autograded" / "ada" / "01_numpy_basics"
        result = subprocess.run([str(python), "-c", RUN_ONE_CELL, str(course), str(SLOT),
                                 str(student), "warm" if WARM else "cold"],
                                capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    outputs, failure = json.loads(result.stdout.splitlines()[-1])
    assert failure is None
    assert [output["text"] for output in outputs] == [f"{python} {prefix}\n"]


def test_grading_refuses_up_front_when_a_kernel_cannot_start(tmp_path, sandbox_ready):
    """With a memory limit no Python starts under, does `python -m graders.grade` refuse the
    class before grading anyone, with the kernel's own words, leaving the gradebook as it was?"""
    course, release = released_course(tmp_path / "course", ASSIGNMENT)
    submit(course, "ada", ASSIGNMENT, release)
    config = course / "nbgrader_config.py"
    config.write_text(f"{config.read_text()}\nc.SandboxedExecute.memory_mb = 4\n"
                      f"c.SandboxedExecute.warm_kernels = {WARM}\n")
    gradebook = (course / "gradebook.db").read_bytes()
    result = subprocess.run([sys.executable, "-m", "graders.grade", ASSIGNMENT, "--no-progress"],
                            cwd=course, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    refusal = result.stderr
    assert "a grading kernel could not start, so every student would score 0" in refusal
    assert "Kernel died before replying" in refusal and "(the sandbox said: " in refusal
    assert "memory_mb=4" in refusal
    assert "graded" not in result.stdout, result.stdout  # no student, not even as 0
    assert (course / "gradebook.db").read_bytes() == gradebook
    assert not (course / "autograded").exists()


# ------------------------------------------------------ what the kernel sees: an allow-list

def made_dirs(path: Path) -> Path | None:
    """Make ``path`` and its missing parents; return the topmost one made (to remove later)."""
    missing = [folder for folder in (path, *path.parents) if not folder.exists()]
    path.mkdir(parents=True, exist_ok=True)
    return missing[-1] if missing else None


@pytest.fixture
def copies_elsewhere(course):
    """Copies of the course's solutions where a second clone, a backup or nbgrader's
    exchange might be: outside the course, so that hiding the course hides none of them."""
    token = f"graders-test-{uuid.uuid4().hex[:8]}"
    places = [Path("/srv") / token, Path("/opt") / token, Path("/work") / token,
              Path(EXCHANGE_DEFAULT) / token]
    made = []
    try:
        for place in places:
            made.append(made_dirs(place))
            shutil.copytree(course / "solutions", place / "solutions")
        yield token, places
    finally:
        for top in made:
            if top is not None:
                shutil.rmtree(top, ignore_errors=True)


def test_kernel_sees_only_what_it_needs(course, copies_elsewhere):
    """Are copies of the course elsewhere on the machine out of sight, and is everything the
    kernel sees either what it needs (system, Python, graders, a few /etc files) or its own?"""
    token, places = copies_elsewhere
    assert all((place / "solutions" / "answers.txt").exists() for place in places)
    allowed = [str(path) for path in readable_again()]
    texts, _ = run(course, f"""
import json, os
allowed = {allowed!r}
seen, found = [], []
own = ('/dev', '/tmp', '/etc')  # the kernel's own, or /etc, checked below
for top, dirs, files in os.walk('/'):
    if top == '/proc':
        dirs[:] = []
        continue
    for name in dirs + files:
        path = os.path.join(top, name)
        if {token!r} in path or name == 'answers.txt':
            found.append(path)
        needed = any(path == p or path.startswith(p + '/') for p in (*own, *allowed))
        if not needed and (not os.path.isdir(path) or os.path.islink(path)):
            seen.append(path)
print(json.dumps([found, seen, os.listdir('/etc')]))
""", timeout=60)
    found, seen, etc = json.loads(texts[0])
    assert found == []
    links = {f"/{name}" for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32")}
    assert set(seen) <= links, seen
    assert set(etc) <= {*ETC_FILES, "passwd", "group"}, etc


@pytest.fixture
def assignment_elsewhere(tmp_path, monkeypatch) -> tuple[str, Path]:
    """An assignment whose module lies in a folder on the grader's sys.path (as PYTHONPATH
    would put it), registered by the ``.dist-info`` beside it, with a secret beside it too."""
    folder = tmp_path / "elsewhere"
    (folder / "elsewhere_checks").mkdir(parents=True)
    (folder / "elsewhere_checks" / "__init__.py").write_text(
        "from graders.assignments import Assignment\n"
        "ASSIGNMENT = Assignment(id='99_elsewhere', cases={})\n"
        "WORD = 'imported from elsewhere'\n")
    info = folder / "elsewhere_checks-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: elsewhere-checks\n"
                                   "Version: 0.1\n")
    (info / "entry_points.txt").write_text(
        "[graders.assignments]\n99_elsewhere = elsewhere_checks:ASSIGNMENT\n")
    (folder / "answers.txt").write_text("the answers")
    monkeypatch.syspath_prepend(str(folder))
    # Imported from another test's folder by an earlier run of this test: found anew.
    monkeypatch.delitem(sys.modules, "elsewhere_checks", raising=False)
    return "99_elsewhere", folder


def test_the_assignments_module_is_importable_but_nothing_beside_it(course,
                                                                    assignment_elsewhere):
    """An assignment registered from a folder the sandbox does not show: can the kernel import
    its module, yet neither read nor list what lies beside it?"""
    assignment, folder = assignment_elsewhere
    assert find(assignment).id == assignment  # the grader finds it through sys.path
    assert (folder / "answers.txt").exists()
    texts, _ = run(course, "import elsewhere_checks\nprint(elsewhere_checks.WORD)",
                   f"import os\nprint(os.listdir({str(folder)!r}), "
                   f"os.path.exists({str(folder / 'answers.txt')!r}))", assignment=assignment)
    assert texts[0].strip() == "imported from elsewhere", texts[0]
    assert texts[1].strip() == "['elsewhere_checks'] False", texts[1]


def test_kernel_lists_nothing_of_the_machines_other_folders(course, copies_elsewhere):
    """Under /usr/local/share/nbgrader, /srv, /opt, /work, /home and /root, does the kernel
    list nothing at all, but the Python installation and the graders package it needs?"""
    token, _ = copies_elsewhere
    needed = [str(path) for path in readable_again()]
    texts, _ = run(course, f"""
import json, os
listed = []
for root in ['/usr/local/share/nbgrader', '/srv', '/opt', '/work', '/home', '/root']:
    for top, dirs, files in os.walk(root):
        dirs[:] = [name for name in dirs if os.path.join(top, name) not in {needed!r}]
        listed += [os.path.join(top, name) for name in dirs + files]
print(json.dumps(listed))
""", timeout=60)
    assert token not in texts[0]
    # Only the folders leading to what the kernel needs (e.g. /root/.pyenv/versions).
    leading = {parent for path in needed for parent in Path(path).parents}
    assert {Path(path) for path in json.loads(texts[0])} <= leading, texts[0]


# ------------------------------------------------------ bounded scratch space

FILL = """
import errno, json, os, time
from ipykernel.connect import get_connection_file
run_dir = os.path.dirname(json.load(open(get_connection_file()))['ip'])
places = ['/tmp', '.', os.path.expanduser('~'), '/dev/shm', run_dir]
print('devices', len({os.stat(place).st_dev for place in places}),
      os.statvfs('.').f_files, os.statvfs('.').f_blocks * os.statvfs('.').f_frsize // 2**20)
written, n = 0, 0
try:
    while True:
        for place in places:
            with open(os.path.join(place, f'fill-{n}'), 'wb') as handle:
                n += 1
                handle.write(b'x' * 2**22)
                written += 4
except OSError as error:
    print('bytes stopped at MiB', written, errno.errorcode[error.errno])
made = 0
try:
    while True:
        open(f'/tmp/fill-empty-{made}', 'w').close()
        made += 1
except OSError as error:
    print('files stopped at', made, errno.errorcode[error.errno])
os.remove('/tmp/fill-empty-0')
open(os.path.join(run_dir, 'filled'), 'w').close()  # tells the test to look at the host's disk
time.sleep(6)
"""


def kernel_box(course: Path, timeout: float = 30) -> Path:
    """The box folder, on the host, of the sandbox running for this course."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for box in Path(tempfile.gettempdir()).glob("graders-sandbox-*"):
            # A cold kernel's launcher, or what a warm kernel's sandbox was asked for.
            for launcher in (box / "launch.sh", box / REQUEST_FILE):
                with contextlib.suppress(OSError):
                    if str(course) in launcher.read_text():
                        return box
        time.sleep(0.05)
    raise AssertionError("no sandbox started")


def host_files(folder: Path) -> dict[str, int]:
    """Regular files under a folder of the host, links not followed, with their sizes."""
    sizes = {}
    for top, _, files in os.walk(folder):
        for name in files:
            info = os.lstat(os.path.join(top, name))
            if stat.S_ISREG(info.st_mode):
                sizes[os.path.join(top, name)] = info.st_size
    return sizes


def test_scratch_space_is_bounded_and_not_on_the_hosts_disk(course):
    """Does all the kernel writes (its folder, /tmp, HOME, /dev/shm, its IPC folder) share one
    filesystem of scratch_mb and scratch_files, none of it on the host's disk?"""
    results = {}
    grading = threading.Thread(target=lambda: results.update(texts=run(
        course, FILL, "print('alive')", timeout=60, scratch_mb=48, scratch_files=400)[0]))
    grading.start()
    try:
        box = kernel_box(course)
        signal = box / "run" / "filled"  # box/run leads into the kernel's own mounts
        deadline = time.monotonic() + 40
        while not signal.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert signal.exists(), read_launch_log(box / LAUNCH_LOG)
        on_disk = {**host_files(box), **host_files(course)}
    finally:
        grading.join()
    assert not [path for path in on_disk if "fill" in path], on_disk
    assert sum(on_disk.values()) < 2**20, on_disk
    lines = results["texts"][0].splitlines()
    assert lines[0] == "devices 1 400 48", lines
    written = int(lines[1].split()[-2])
    assert lines[1].endswith("ENOSPC") and 24 <= written <= 48, lines
    made = int(lines[2].split()[-2])
    assert lines[2].endswith("ENOSPC") and 100 < made < 400, lines
    assert results["texts"][1].startswith("alive")


def test_a_full_scratch_space_leaves_ipython_quiet(course):
    """Once a student's code has filled the scratch space, does IPython still say nothing of
    its own in the next cell (its input history is kept in memory, not in a file there)?"""
    texts, _ = run(course, """
import os
with open('/tmp/fill', 'wb') as out:
    try:
        while True:
            out.write(bytes(2**20))
    except OSError as error:
        print(error.strerror)
""", "print(get_ipython().history_manager.hist_file)", "print(_ih[1][:10].strip())",
                   scratch_mb=16, scratch_files=400)
    assert texts == ["No space left on device\n", ":memory:\n", "import os\n"], texts


def test_kernel_can_write_nowhere_else(course):
    """Is every folder the kernel may write to on its scratch space?"""
    texts, _ = run(course, """
import os
scratch = os.stat('/tmp').st_dev
writable = []
for top, dirs, _ in os.walk('/'):
    if top == '/proc':
        dirs[:] = []
    elif os.access(top, os.W_OK) and os.stat(top).st_dev != scratch:
        writable.append(top)
print(writable)
""", timeout=60)
    assert texts[0].strip() == "[]"


# ------------------------------------------------------ the kernel's own output

def test_nothing_the_kernel_writes_reaches_the_graders_terminal(course, capfd):
    """Do escape sequences written to the kernel's fds 1 and 2, or any copy of them, stay
    away from the grader's terminal?"""
    run(course, """
import os
for fd in range(256):
    try:
        target = os.readlink(f'/proc/self/fd/{fd}')
    except OSError:
        continue
    if fd in (1, 2) or target.startswith(('pipe:', '/dev/')):
        try:
            os.write(fd, b'\\x1b]0;PWNED-TITLE\\x07\\x1b[2JPWNED\\n')
        except OSError:
            pass
""")
    captured = capfd.readouterr()
    assert "PWNED" not in captured.out + captured.err


def test_a_launch_that_fails_says_why_in_its_log(course, capfd):
    """When the student's folder does not fit in the scratch space, does the kernel not start,
    with the reason in the launch log and nothing on the grader's terminal?"""
    student = course / "autograded" / "ada" / "01_numpy_basics"
    (student / "big.bin").write_bytes(b"\x1b[2J" * 2**21)  # 8 MiB of "clear screen"
    config = Config()
    config.CourseDirectory.root = str(course)
    step = SandboxedExecute(config=config, slot=SLOT, scratch_mb=4, warm_kernels=WARM)
    manager = step._warm_kernel_manager if WARM else step._sandboxed_kernel_manager

    async def launch(box: Path) -> bool:
        km = manager(box, student)
        try:
            await km.start_kernel(cwd=str(student))
        except RuntimeError:  # the nursery said the sandbox could not be set up
            return False
        for _ in range(100):
            if not await km.is_alive():
                return False
            await asyncio.sleep(0.1)
        await km.shutdown_kernel(now=True)
        return True

    with tempfile.TemporaryDirectory(prefix="graders-sandbox-") as box:
        assert not asyncio.run(launch(Path(box)))
        log = read_launch_log(step.launch_log_path)
    assert "does not fit in the scratch space (4 MiB" in log, log
    assert "No space left" in log
    captured = capfd.readouterr()
    assert "\x1b[2J" not in captured.out + captured.err
    assert "sandbox setup" not in captured.out + captured.err


# ------------------------------------------------------ keyrings

KEYS = """
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
ADD_KEY, REQUEST_KEY, KEYCTL = {numbers}
USER_KEYRING, SEARCH = -4, 10
def call(*args):
    result = libc.syscall(*args)
    return result if result >= 0 else -ctypes.get_errno()
"""


def keys_code() -> str:
    return KEYS.format(numbers=ARCHES[os.uname().machine][1])


def test_keyrings_are_out_of_reach_and_nothing_persists(course):
    """Does add_key fail in the kernel, and is a key one run tried to plant absent from the
    next run and from the slot's user keyring on the machine itself?"""
    name = f"graders-test-{uuid.uuid4().hex[:8]}".encode()
    plant, _ = run(course, keys_code() + f"""
print(call(ADD_KEY, b'user', {name!r}, b'answers', 7, USER_KEYRING),
      call(KEYCTL, SEARCH, USER_KEYRING, b'user', {name!r}, 0),
      open('/proc/self/status').read().split('Seccomp:')[1].split()[0])
""")
    assert plant[0].split() == ["-1", "-1", "2"], plant  # -EPERM, filter on
    look, _ = run(course, keys_code() + f"""
print(call(KEYCTL, SEARCH, USER_KEYRING, b'user', {name!r}, 0),
      call(REQUEST_KEY, b'user', {name!r}, 0, 0), {name.decode()!r} in open('/proc/keys').read())
""")
    assert look[0].split() == ["-1", "-1", "False"], look
    uid = str(61000 + SLOT)  # outside the sandbox, as the slot's user: is anything left?
    host = subprocess.run(
        ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", sys.executable, "-c",
         keys_code() + f"print(call(KEYCTL, SEARCH, USER_KEYRING, b'user', {name!r}, 0))"],
        capture_output=True, text=True, check=True)
    assert host.stdout.strip() == f"-{errno.ENOKEY}", host


def run_filter(program: bytes, arch: int, number: int) -> int:
    """Classic BPF, as the kernel runs a seccomp filter: the action for one system call."""
    data = struct.pack("=iI", number, arch)
    code = [struct.unpack("=HBBI", program[i:i + 8]) for i in range(0, len(program), 8)]
    pc, accumulator = 0, 0
    while True:
        op, jt, jf, k = code[pc]
        if op == 0x20:
            accumulator = struct.unpack_from("=I", data, k)[0]
        elif op in (0x15, 0x35):
            hit = accumulator == k if op == 0x15 else accumulator >= k
            pc += jt if hit else jf
        elif op == 0x06:
            return k
        pc += 1


@pytest.mark.parametrize("machine", sorted(ARCHES))
def test_the_keyring_filter_denies_what_it_should_and_only_that(machine):
    """Are the keyring calls, x32 calls and calls of a foreign ABI refused with EPERM, and
    every other call allowed?"""
    arch, numbers = ARCHES[machine]
    program = keyring_filter(machine)
    deny, allow = 0x00050000 | errno.EPERM, 0x7FFF0000
    for number in numbers:
        assert run_filter(program, arch, number) == deny
    for number in (0, 1, 59, 60, 221, 231, max(numbers) + 1, min(numbers) - 1):
        assert run_filter(program, arch, number) == allow
    assert run_filter(program, arch, 0x40000000 | 1) == deny  # x32
    assert run_filter(program, 0x40000003, 1) == deny  # i386 (AUDIT_ARCH_I386)


def test_an_unknown_architecture_stops_the_sandbox_with_a_clear_message():
    """On a machine the keyring filter does not know, is the sandbox refused, saying why?"""
    with pytest.raises(UnsupportedArchitectureError, match=r"'riscv64'.*will not start"):
        keyring_filter("riscv64")


def test_a_secret_folder_inside_a_needed_one_is_covered(course):
    """Is nbgrader's exchange hidden even where it lies inside a folder the kernel needs (as
    under /usr/local, when Python is installed there)?"""
    package = Path(graders.__file__).resolve().parent
    inside = package / "explorers"  # stands in for /usr/local/share/nbgrader/exchange
    assert any(inside.iterdir())
    texts, _ = run(course, f"import os\nprint(os.listdir({str(inside)!r}), "
                   f"'__init__.py' in os.listdir({str(package)!r}))", exchange_root=str(inside))
    assert texts[0].strip() == "[] True"


def test_an_assignments_data_file_is_readable_but_nothing_beside_it(course, tmp_path,
                                                                    monkeypatch):
    """An assignment whose notebook reads a data set inside the course folder (which the
    kernel must not see): can the kernel read that file, but neither change it nor see the
    solutions beside it?"""
    data = course / "assets" / "99_with_data" / "numbers.txt"
    data.parent.mkdir(parents=True)
    data.write_text("1 2 3")
    (data.parent / "solutions.txt").write_text("the answers")
    folder = tmp_path / "with_data"
    (folder / "with_data_checks").mkdir(parents=True)
    (folder / "with_data_checks" / "__init__.py").write_text(
        "from graders.assignments import Assignment\n"
        f"ASSIGNMENT = Assignment(id='99_with_data', cases={{}}, data_files=[{str(data)!r}])\n")
    info = folder / "with_data_checks-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: with-data-checks\n"
                                   "Version: 0.1\n")
    (info / "entry_points.txt").write_text(
        "[graders.assignments]\n99_with_data = with_data_checks:ASSIGNMENT\n")
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.delitem(sys.modules, "with_data_checks", raising=False)  # as above
    texts, _ = run(course, f"print(open({str(data)!r}).read())",
                   f"import os\nprint(os.listdir({str(data.parent)!r}))",
                   f"open({str(data)!r}, 'a').write('4')",
                   f"print(os.path.exists({str(course / 'gradebook.db')!r}))",
                   assignment="99_with_data")
    assert texts[0].strip() == "1 2 3", texts[0]
    assert texts[1].strip() == "['numbers.txt']", texts[1]
    assert "Read-only file system" in texts[2] or "Permission denied" in texts[2], texts[2]
    assert texts[3].strip() == "False", texts[3]
    assert data.read_text() == "1 2 3"


def test_one_print_is_one_output_in_time_however_long_its_line(course):
    """Do the parts of a print that arrived in several flushes read as one output, and does a
    printed line of a megabyte cost the grader no more than printing it?"""
    config = Config()
    config.CourseDirectory.root = str(course)
    step = SandboxedExecute(config=config, slot=SLOT, timeout=60, output_bytes=2_000_000,
                            warm_kernels=WARM)
    source = ("import sys\nsys.stdout.write('start '); sys.stdout.flush()\n"
              "print('z' * 990_000, end='')\nprint('\\rprogress 1\\rprogress 2')")
    nb = new_notebook(cells=[new_code_cell(source)])
    resources = {"metadata": {"path": str(course / "autograded" / "ada" / "01_numpy_basics")},
                 "nbgrader": {"assignment": None}}
    started = time.perf_counter()
    nb, _ = step.preprocess(nb, resources)
    seconds = time.perf_counter() - started
    [output] = nb.cells[0].outputs
    assert output.text == "progress 2\n"
    assert seconds < 30, f"a long line took {seconds:.0f} s to grade"
