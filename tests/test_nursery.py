"""Warm kernels (graders.nursery, graders.zygote): what only a forked kernel could get wrong.

Every sandbox test (test_sandbox.py) and the red team run with warm kernels as well as
cold ones; these tests look at what forking adds: the zygote's privileges and what it
holds, the state a kernel inherits, the nursery's life and death.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_notebook
from traitlets.config import Config

from graders import sandbox
from graders.sandbox import NURSERY_CAPABILITIES, SandboxedExecute, kernel_env

SLOT = 9  # a slot of its own
ZYGOTE = "graders.zygote import serve"
CAPABILITY_BITS = {"CAP_CHOWN": 0, "CAP_DAC_OVERRIDE": 1, "CAP_FOWNER": 3, "CAP_SETGID": 6,
                   "CAP_SETUID": 7, "CAP_NET_ADMIN": 12, "CAP_SYS_ADMIN": 21}


@pytest.fixture
def student(tmp_path, sandbox_ready) -> Path:
    """A student's folder, as nbgrader's autograde gives it, with a name found nowhere else."""
    folder = tmp_path / "course" / "autograded" / f"zq{uuid.uuid4().hex[:12]}" / "a1"
    folder.mkdir(parents=True)
    (folder / "mine.txt").write_text("the student's own file")
    yield folder
    sandbox.close_nurseries()


def run(student: Path, *sources: str) -> tuple[list[str], dict]:
    """Run cells in a warm kernel from the student's folder; their printed text."""
    config = Config()
    config.CourseDirectory.root = str(student.parents[2])
    step = SandboxedExecute(config=config, slot=SLOT, timeout=20)
    assert step.warm_kernels  # the default
    nb = new_notebook(cells=[new_code_cell(source) for source in sources])
    nb, resources = step.preprocess(nb, {"metadata": {"path": str(student)}})
    texts = ["".join(o.get("text", "") or f"{o.get('ename')}: {o.get('evalue')}"
                     for o in cell.outputs) for cell in nb.cells]
    return texts, resources["graders"]


def status(pid: int | str) -> dict[str, str]:
    lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    return dict(line.split(":\t", 1) for line in lines if ":\t" in line)


def zygotes() -> set[int]:
    """The zygotes running now: Python processes serving a nursery."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                if ZYGOTE in command and (entry / "comm").read_text().strip() != "bwrap":
                    found.add(int(entry.name))
            except OSError:
                continue
    return found


def memory_holds(pid: int, text: bytes) -> bool:
    """Whether any writable memory of a process holds ``text`` (read as root)."""
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as memory:
        for line in maps:
            span, permissions = line.split()[:2]
            if not permissions.startswith("rw"):
                continue
            start, end = (int(part, 16) for part in span.split("-"))
            try:
                memory.seek(start)
                if text in memory.read(end - start):
                    return True
            except (OSError, ValueError, OverflowError):
                continue
    return False


def test_a_warm_kernel_holds_no_privilege_and_sees_only_itself(student):
    """Is a forked kernel what a cold one is: the slot's user, no capability in any set, no
    new privileges, the seccomp filter, PID 2 of a namespace of its own, its own folder?"""
    texts, _ = run(student, textwrap.dedent("""
        import os
        status = dict(line.split(':\\t', 1) for line in open('/proc/self/status')
                      if ':\\t' in line)
        print([status[key].strip() for key in ('Uid', 'CapInh', 'CapPrm', 'CapEff', 'CapAmb',
                                               'NoNewPrivs', 'Seccomp')])
        print(os.getpid(), sorted(p for p in os.listdir('/proc') if p.isdigit()))
        print(sorted(os.listdir('.')), open('mine.txt').read())
        """))
    uid = SandboxedExecute().first_uid + SLOT
    assert texts[0].splitlines() == [
        str([f"{uid}\t{uid}\t{uid}\t{uid}", *["0000000000000000"] * 4, "1", "2"]),
        "2 ['1', '2']",
        "['mine.txt'] the student's own file"], texts[0]


def test_the_zygote_holds_only_the_capabilities_it_needs_and_no_students_name(student):
    """Is the zygote root with the nursery's capabilities alone (to make namespaces and
    mounts, and switch user), under the seccomp filter; and once a student's kernel has run,
    does its memory hold nothing of that student (not even the name), which every later
    kernel would inherit?"""
    before = zygotes()
    texts, _ = run(student, "print('ran')")
    assert texts == ["ran\n"]
    (zygote,) = zygotes() - before
    seen = status(zygote)
    wanted = sum(1 << CAPABILITY_BITS[name] for name in NURSERY_CAPABILITIES)
    assert seen["Uid"].split()[0] == "0"
    assert int(seen["CapEff"], 16) == int(seen["CapPrm"], 16) == wanted, seen
    assert seen["Seccomp"].strip() == "2" and seen["NoNewPrivs"].strip() == "1"
    assert memory_holds(zygote, b"ipykernel")  # the scan reads the zygote's memory
    assert not memory_holds(zygote, student.parent.name.encode())


def test_each_kernel_draws_its_own_random_numbers(student):
    """Forked kernels share the zygote's memory: do NumPy's and Python's random generators
    still give each kernel numbers of its own, as a cold start does?"""
    draw = "import random, numpy\nprint(numpy.random.rand(), random.random())"
    first, _ = run(student, draw)
    second, _ = run(student, draw)
    first_numpy, first_python = first[0].split()
    second_numpy, second_python = second[0].split()
    assert first_numpy != second_numpy and first_python != second_python


def test_a_nursery_that_died_is_started_again(student):
    """If a worker's nursery dies (killed, or out of memory), is the next student still
    graded, by a new one?"""
    before = zygotes()
    run(student, "print(1)")
    (first,) = zygotes() - before
    os.kill(first, signal.SIGKILL)
    texts, graders = run(student, "print(2)")
    assert texts == ["2\n"] and "execution_failure" not in graders
    assert zygotes() - before - {first}


STARTS_ONE_AND_ENDS = """
import os, signal, sys
from nbformat.v4 import new_code_cell, new_notebook
from traitlets.config import Config
from graders.sandbox import SandboxedExecute
config = Config()
config.CourseDirectory.root = sys.argv[1]
step = SandboxedExecute(config=config, slot=int(sys.argv[2]), timeout=20)
step.preprocess(new_notebook(cells=[new_code_cell('1')]), {'metadata': {'path': sys.argv[3]}})
print('graded', flush=True)
if sys.argv[4] == 'killed':
    os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.parametrize("end", ["exits", "killed"])
def test_a_nursery_ends_with_its_worker(student, end):
    """When the process that grades ends (or is killed, with no chance to clean up), does its
    nursery end too, zygote and all, and leave no folder behind when it could clean up?"""
    before = zygotes()
    folders = Path(sandbox._box_parent()).glob
    nurseries = set(folders(f"graders-nursery-{SLOT}-*"))
    result = subprocess.run([sys.executable, "-c", STARTS_ONE_AND_ENDS, str(student.parents[2]),
                             str(SLOT), str(student), end], capture_output=True, text=True,
                            timeout=120)
    assert result.stdout == "graded\n", result.stderr
    deadline = time.monotonic() + 10
    while zygotes() - before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not zygotes() - before
    left = set(folders(f"graders-nursery-{SLOT}-*")) - nurseries
    if end == "exits":
        assert not left
    for folder in left:  # killed: it goes with the grading run's scratch folder (graders.grade)
        subprocess.run(["rm", "-rf", str(folder)], check=True)


def test_a_module_the_zygote_cannot_import_is_left_to_the_kernel():
    """If the assignment's module cannot be imported ahead (it fails outside a notebook, say),
    does the zygote still serve, leaving the kernel to import it and fail as a cold one?"""
    result = subprocess.run(
        [sys.executable, "-c", "from graders.zygote import warm; warm(['no_such_module_zq'])"],
        capture_output=True, text=True, timeout=60, env=kernel_env([]))  # as in the nursery
    assert result.returncode == 0, result.stderr
    assert "no_such_module_zq not imported ahead" in result.stderr


@pytest.mark.parametrize("bubblewrap_ends", ["after", "before"])
def test_a_nursery_that_cannot_start_says_why(tmp_path, sandbox_ready, monkeypatch,
                                              bubblewrap_ends):
    """When bubblewrap refuses to start a nursery, does the grader's error carry its words,
    whether bubblewrap ends after or before the grader hands it the seccomp filter?"""
    import graders.nursery
    from graders.nursery import Nursery, NurseryError
    from graders.seccomp import keyring_filter

    if bubblewrap_ends == "before":
        started = subprocess.Popen

        def started_and_ended(*args, **kwargs):
            process = started(*args, **kwargs)
            process.wait(timeout=30)
            return process
        monkeypatch.setattr(graders.nursery.subprocess, "Popen", started_and_ended)
    (tmp_path / "work").mkdir()
    (tmp_path / "kernel.json").write_text("{}")
    nursery = Nursery(["bwrap", "--no-such-option-zq"], keyring_filter(), [],
                      tmp_path / "nursery.log")
    try:
        nursery.process.wait(timeout=30)
        with pytest.raises(NurseryError, match="no-such-option-zq"):
            nursery.fork_kernel({}, tmp_path / "work", tmp_path / "kernel.json",
                                tmp_path / "launch.log")
    finally:
        nursery.close()
