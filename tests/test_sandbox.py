"""Is the grading kernel really boxed in?

Each test runs a small notebook through the real ``SandboxedExecute`` (bubblewrap,
prlimit, setpriv) and asks the kernel what it can see and do.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_notebook
from traitlets.config import Config

from course import ROOT
from graders.sandbox import SandboxedExecute, SandboxUnavailableError, check_sandbox

SLOT = 7  # a slot of its own, so no other test's processes are counted


@pytest.fixture(autouse=True)
def sandbox_available():
    try:
        check_sandbox()
    except SandboxUnavailableError as error:
        if os.environ.get("REQUIRE_SANDBOX") == "1":
            pytest.fail(f"REQUIRE_SANDBOX=1 but {error}")
        pytest.skip(str(error))


@pytest.fixture
def course(tmp_path) -> Path:
    """A course folder with secrets the kernel must not see, and a student's folder."""
    root = tmp_path / "course"
    (root / "solutions").mkdir(parents=True)
    (root / "solutions" / "answers.txt").write_text("the answers")
    (root / "gradebook.db").write_text("grades")
    student = root / "autograded" / "ada" / "01_numpy_basics"
    student.mkdir(parents=True)
    (student / "data.txt").write_text("the student's own file")
    return root


def run(course: Path, *sources: str, **traits):
    """Run cells in the sandbox from the student's folder; return their printed text."""
    config = Config()
    config.CourseDirectory.root = str(course)
    step = SandboxedExecute(config=config, slot=SLOT, timeout=traits.pop("timeout", 20), **traits)
    nb = new_notebook(cells=[new_code_cell(source) for source in sources])
    resources = {"metadata": {"path": str(course / "autograded" / "ada" / "01_numpy_basics")}}
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


def test_nothing_written_persists_and_nothing_started_survives(course):
    """After grading, are the kernel's files gone and its background processes dead?"""
    student = course / "autograded" / "ada" / "01_numpy_basics"
    run(course, (
        "import os, subprocess\n"
        "open('planted.txt', 'w').write('x')\n"
        "os.makedirs(os.path.expanduser('~/.ipython/profile_default/startup'), exist_ok=True)\n"
        "open(os.path.expanduser('~/.ipython/profile_default/startup/00-evil.py'), 'w')"
        ".write('raise SystemExit')\n"
        "subprocess.Popen(['sleep', '600'], start_new_session=True)"
    ))
    assert not (student / "planted.txt").exists()
    leftover = subprocess.run(["pgrep", "-u", str(61000 + SLOT)], capture_output=True, text=True)
    assert leftover.stdout.strip() == ""
    texts, _ = run(course, "import os\nprint(os.listdir(os.path.expanduser('~')))")
    assert ".ipython" not in texts[0] or "startup" not in texts[0]


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
