"""A sandboxed kernel for autograding: nbgrader's ``Execute``, with the kernel inside bubblewrap.

Each notebook gets a fresh sandbox that lives as long as its kernel:

- the kernel sees the machine read-only, but with the course folder, the
  project's folder, ``/tmp``, ``/root``, ``/home`` and ``/run`` replaced by empty
  scratch space; only the Python installation, the ``graders`` package and a
  private, writable copy of the student's own folder are put back;
- no network (its own network namespace; the grader talks to it over IPC
  sockets), its own process and IPC namespaces, and an unprivileged user id
  (one per parallel slot, since the process limit counts per user);
- limits on memory, CPU seconds, processes, file size and open files, and on the
  size of the output the grader keeps;
- everything it started dies with it, and whatever it wrote is thrown away.

If bubblewrap cannot start, grading refuses with a message that says why; the
instructor may pass the loudly named ``--SandboxedExecute.unsafe_no_sandbox=True``
(or set ``GRADERS_UNSAFE_NO_SANDBOX=1``) to grade without it.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import CellControlSignal, CellTimeoutError, DeadKernelError
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer, Unicode, default

import graders

BWRAP = "bwrap"
UNSAFE_ENV = "GRADERS_UNSAFE_NO_SANDBOX"
SLOT_ENV = "GRADERS_SANDBOX_SLOT"
# Environment passed into the sandbox; everything else is cleared.
PASSED_ENV = ("NBGRADER_EXECUTION", "NBGRADER_VALIDATING", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


KERNEL_ENTRY = (
    "import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "sys.argv[0] = 'ipykernel_launcher'; "
    "runpy.run_module('ipykernel_launcher', run_name='__main__', alter_sys=True)"
)


def _plain_reason(error: Exception, timeout: int | None) -> str:
    if isinstance(error, CellTimeoutError):  # e.g. a loop that swallows KeyboardInterrupt
        return (f"a cell ran longer than {timeout} s and could not be stopped · "
                "某个单元格运行超时且无法中断")
    if isinstance(error, DeadKernelError):
        return ("the kernel died while running the notebook (os._exit, a crash, or a "
                "memory or CPU limit) · 内核在运行时退出")
    return f"the notebook could not run to its end: {error} · 笔记本无法运行完"


class SandboxUnavailableError(RuntimeError):
    """Grading refuses: the sandbox cannot start here."""


class _OneSpec(KernelSpecManager):
    """A kernelspec manager that knows a single kernel: the sandbox launcher."""

    def __init__(self, spec: KernelSpec, **kwargs):
        super().__init__(**kwargs)
        self._spec = spec

    def get_kernel_spec(self, kernel_name):
        return self._spec


class SandboxedExecute(Execute):
    """nbgrader's Execute with the kernel in a bubblewrap sandbox (see the module's text)."""

    unsafe_no_sandbox = Bool(
        False, help="Grade WITHOUT the sandbox: student code runs as you, with your files."
    ).tag(config=True)
    slot = Integer(help="Parallel grading slot; each slot runs as its own user id.").tag(
        config=True
    )
    first_uid = Integer(61000, help="User id of slot 0; slot n runs as first_uid + n.").tag(
        config=True
    )
    memory_mb = Integer(3072, help="Address-space limit of the kernel, in MiB.").tag(
        config=True
    )
    cpu_seconds = Integer(300, help="CPU-time limit of the kernel, in seconds.").tag(config=True)
    processes = Integer(64, help="Process limit of the kernel's user.").tag(config=True)
    file_size_mb = Integer(64, help="Largest file the kernel may write, in MiB.").tag(config=True)
    open_files = Integer(256, help="Open-file limit of the kernel.").tag(config=True)
    output_bytes = Integer(
        1_000_000, help="Output kept per cell; the rest is dropped with a notice."
    ).tag(config=True)
    course_root = Unicode(help="The course folder, hidden from the kernel.").tag(config=True)

    @default("shutdown_kernel")
    def _shutdown_default(self):
        # The sandbox and all it holds are thrown away: a graceful shutdown would only wait.
        return "immediate"

    @default("slot")
    def _slot_default(self):
        return int(os.environ.get(SLOT_ENV, "0"))

    @default("unsafe_no_sandbox")
    def _unsafe_default(self):
        return os.environ.get(UNSAFE_ENV) == "1"

    @default("course_root")
    def _course_root_default(self):
        from nbgrader.coursedir import CourseDirectory

        return str(Path(CourseDirectory(config=self.config).root).resolve())

    def preprocess(self, nb, resources, km=None):
        self._output_used: dict[int, int] = {}
        if self.unsafe_no_sandbox:
            self.log.warning("UNSAFE: grading WITHOUT the sandbox; student code runs as %s, "
                             "with your files and network", os.environ.get("USER", "you"))
            return self._run(nb, resources)
        check_sandbox()
        workdir = Path(resources.get("metadata", {}).get("path") or os.getcwd()).resolve()
        with tempfile.TemporaryDirectory(prefix="graders-sandbox-") as box:
            self._sandbox_km = self._sandboxed_kernel_manager(Path(box), workdir)
            try:
                return self._run(nb, resources)
            finally:
                self._sandbox_km = None

    def _run(self, nb, resources):
        """Run the notebook; a kernel that dies or will not stop ends the run, with a reason.

        The cells after that point are left unrun: the canary then fails every
        test (``JudgeRecords``), and the student gets a score of 0 with the reason.
        """
        note = resources.setdefault("graders", {})
        self._started = time.perf_counter()
        self._kernel_ready = None
        try:
            return super().preprocess(nb, resources)
        except (CellTimeoutError, DeadKernelError, CellControlSignal, RuntimeError) as error:
            reason = _plain_reason(error, self.timeout)
            self.log.warning("Execution stopped: %s", reason)
            note["execution_failure"] = reason
            return nb, resources
        finally:
            done = time.perf_counter()
            ready = self._kernel_ready or done
            note.setdefault("seconds", {}).update(
                kernel_start=ready - self._started, execution=done - ready)

    def start_new_kernel_client(self):
        client = super().start_new_kernel_client()
        self._kernel_ready = time.perf_counter()  # the kernel answers: the rest is execution
        return client

    def create_kernel_manager(self):
        """The sandboxed kernel's manager when sandboxing; nbclient then owns and stops it."""
        if getattr(self, "_sandbox_km", None) is None:
            return super().create_kernel_manager()
        self.km = self._sandbox_km
        return self.km

    def output(self, outs, msg, display_id, cell_index):
        """Keep at most ``output_bytes`` of output per cell, then one notice."""
        if msg["msg_type"] in {"stream", "display_data", "execute_result"}:
            used = self._output_used.get(cell_index, 0)
            size = len(str(msg.get("content", "")))
            self._output_used[cell_index] = used + size
            if used + size > self.output_bytes:
                if used <= self.output_bytes:
                    outs.append(new_output("stream", name="stdout", text=(
                        f"\n[output cut: more than {self.output_bytes} bytes · "
                        "输出过多，已截断]\n")))
                return None
        return super().output(outs, msg, display_id, cell_index)

    def _sandboxed_kernel_manager(self, box: Path, workdir: Path) -> AsyncKernelManager:
        uid = self.first_uid + self.slot
        run = box / "run"
        work = box / "work"
        run.mkdir()
        run.chmod(0o777)
        # A private, writable copy of the student's folder: nothing written persists.
        shutil.copytree(workdir, work, symlinks=True)
        subprocess.run(["chown", "-R", f"{uid}:{uid}", str(work)], check=True)
        launcher = box / "launch.sh"
        launcher.write_text(launcher_script(self, uid, run, work, workdir))
        spec = KernelSpec(argv=["/bin/bash", str(launcher), "-f", "{connection_file}"],
                          display_name="Python 3 (sandboxed)", language="python",
                          interrupt_mode="signal", env={})
        return AsyncKernelManager(
            kernel_name="graders-sandbox", kernel_spec_manager=_OneSpec(spec),
            transport="ipc", ip=str(run / "kernel"), connection_file=str(run / "kernel.json"),
        )


def check_sandbox() -> None:
    """Refuse to grade, with the reason, if bubblewrap cannot start a sandbox here."""
    if os.geteuid() != 0:
        raise SandboxUnavailableError(
            "grading in the sandbox needs root, to run each kernel as its own unprivileged "
            "user (e.g. sudo make grade); or grade without a sandbox at your own risk with "
            f"--SandboxedExecute.unsafe_no_sandbox=True or {UNSAFE_ENV}=1."
        )
    missing = [tool for tool in (BWRAP, "prlimit", "setpriv") if shutil.which(tool) is None]
    if missing:
        raise SandboxUnavailableError(
            f"cannot sandbox the grading kernel: {', '.join(missing)} not found. Install them "
            "(Debian: apt-get install bubblewrap util-linux), or grade without a sandbox at your "
            f"own risk with --SandboxedExecute.unsafe_no_sandbox=True or {UNSAFE_ENV}=1."
        )
    probe = subprocess.run(
        [BWRAP, "--ro-bind", "/", "/", "--unshare-pid", "--unshare-net", "--die-with-parent",
         "true"], capture_output=True, text=True,
    )
    if probe.returncode != 0:
        raise SandboxUnavailableError(
            f"cannot sandbox the grading kernel: bubblewrap failed ({probe.stderr.strip()}). "
            "It needs to run as root or with unprivileged user namespaces enabled. To grade "
            f"without a sandbox at your own risk: {UNSAFE_ENV}=1."
        )


def hidden_roots(course_root: Path) -> list[Path]:
    """Folders the kernel must not see: the course, this project, scratch space, homes."""
    project = Path(graders.__file__).resolve().parent.parent
    roots = {Path("/tmp"), Path("/root"), Path("/home"), Path("/run"), course_root, project}
    home = os.environ.get("HOME")
    if home and Path(home).resolve() != Path("/"):
        roots.add(Path(home).resolve())
    # A folder inside another hidden one is hidden already.
    return sorted(root for root in roots if not any(other in root.parents for other in roots))


def readable_again() -> list[Path]:
    """What the kernel needs back, read-only: Python itself and the graders package."""
    paths = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(),
             Path(graders.__file__).resolve().parent}
    return sorted(paths, key=lambda p: len(p.parts))


def _dirs_for(path: Path, hidden: list[Path]) -> list[str]:
    """bwrap arguments creating, world-readable, the folders leading to a re-exposed path."""
    args = []
    for root in hidden:
        if root in path.parents:
            for ancestor in reversed(path.parents):
                if root in ancestor.parents:
                    args += ["--perms", "0755", "--dir", str(ancestor)]
            break
    return args


def launcher_script(step: SandboxedExecute, uid: int, run: Path, work: Path,
                    workdir: Path) -> str:
    hidden = hidden_roots(Path(step.course_root))
    bwrap = [BWRAP, "--die-with-parent", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
             "--unshare-net", "--unshare-cgroup-try", "--ro-bind", "/", "/",
             "--dev", "/dev", "--proc", "/proc"]
    for root in hidden:
        bwrap += ["--perms", "01777" if root == Path("/tmp") else "0755", "--tmpfs", str(root)]
    for path in readable_again():
        bwrap += [*_dirs_for(path, hidden), "--ro-bind", str(path), str(path)]
    for source, target in ((run, run), (work, workdir)):
        bwrap += [*_dirs_for(target, hidden), "--bind", str(source), str(target)]
    env = {"HOME": "/tmp", "IPYTHONDIR": "/tmp/.ipython", "MPLCONFIGDIR": "/tmp/.matplotlib",
           "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "LANG": "C.UTF-8",
           "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    env.update({name: os.environ[name] for name in PASSED_ENV if name in os.environ})
    bwrap += ["--clearenv"] + [arg for name, value in env.items()
                               for arg in ("--setenv", name, value)]
    bwrap += ["--chdir", str(workdir)]
    limits = ["prlimit", f"--as={step.memory_mb * 2**20}", f"--cpu={step.cpu_seconds}",
              f"--nproc={step.processes}", f"--fsize={step.file_size_mb * 2**20}",
              f"--nofile={step.open_files}", "--core=0", "--"]
    drop = ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--no-new-privs",
            "--"]
    # SIGINT is ignored on the way in (see the trap below); the kernel itself takes it
    # back, so that a timed-out cell can still be interrupted.
    kernel = [sys.executable, "-c", KERNEL_ENTRY]
    command = " ".join(shlex.quote(arg) for arg in [*limits, *bwrap, "--", *drop, *kernel])
    return (
        "#!/bin/bash\n"
        "# The grader interrupts a timed-out cell with SIGINT to the whole process group:\n"
        "# the kernel handles it, the sandbox around it must not die of it.\n"
        "trap '' INT\n"
        "# jupyter_client writes the connection file for its own user only.\n"
        'chmod a+r "$2"\n'
        "# The kernel's own console chatter would clutter the grader's log.\n"
        f'exec {command} "$@" >/dev/null\n'
    )
