"""A sandboxed kernel for autograding: nbgrader's ``Execute``, with the kernel inside bubblewrap.

Each notebook gets a fresh sandbox that lives as long as its kernel:

- the kernel sees only what it needs, read-only: the system's programs and
  libraries, a few files of ``/etc``, the Python installation and the ``graders``
  package, and the module of the assignment being graded (an allow-list: no copy
  of the course anywhere else on the machine is in sight; the course, the
  project, nbgrader's exchange and the grader's home are covered should they lie
  inside one of those); symbolic links on the way to these (a virtual environment
  reached through a link) are recreated, so that each is found by the same path
  as in the grader;
- all it can write (a private copy of the student's own folder, ``/tmp``, which
  is its HOME, ``/dev/shm`` and its IPC sockets) is one tmpfs bounded in size and
  in files (``scratch_mb``, ``scratch_files``), in a mount namespace of its own;
- no Linux keyrings (a seccomp filter, ``graders/seccomp.py``): they are shared by
  all processes of one user id and would outlive the kernel;
- no network (its own network namespace; the grader talks to it over IPC
  sockets), its own process and IPC namespaces, and an unprivileged user id
  (one per parallel slot, since the process limit counts per user);
- limits on memory, CPU seconds, processes, file size and open files, and on the
  size of the output the grader keeps;
- everything it started dies with it, and whatever it wrote is thrown away;
- the launcher's own errors go to a log in the sandbox's folder
  (``read_launch_log``), the kernel's stdout and stderr to /dev/null: nothing
  reaches the grader's terminal.

A kernel is either started cold, a new Python in a new sandbox as above, or, by
default (``warm_kernels``), forked by the worker's nursery: one sandbox per worker,
with the same view of the machine and the same filter, whose zygote has imported
ipykernel and the assignment's module once; each kernel it forks gets new
namespaces, its own scratch space, the same limits and user, and nothing of the
kernel before it (``graders.nursery``, ``graders.zygote``).

If bubblewrap cannot start, grading refuses with a message that says why, and
``check_kernel_starts`` starts one kernel as configured before a class is graded,
and has it import the assignment's module: a kernel that cannot start, or cannot
import it, would otherwise score every student 0. The
instructor may pass the loudly named ``--SandboxedExecute.unsafe_no_sandbox=True``
(or set ``GRADERS_UNSAFE_NO_SANDBOX=1``) to grade without it.
"""

from __future__ import annotations

import atexit
import functools
import importlib.util
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from queue import Empty
from typing import NamedTuple

import zmq
import zmq.asyncio
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import CellControlSignal, CellTimeoutError, DeadKernelError
from nbformat.v4 import new_code_cell, new_notebook, new_output
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer, Unicode, default

import graders
from graders.assignments import UnknownAssignmentError, find, module_name, registered
from graders.nursery import Nursery, NurseryLaunch, NurseryProvisioner
from graders.safe_text import for_terminal
from graders.seccomp import UnsupportedArchitectureError, keyring_filter
from graders.streams import merge_streams
from graders.zygote import KERNEL_OPTIONS, SCRATCH_POINT

BWRAP = "bwrap"
UNSAFE_ENV = "GRADERS_UNSAFE_NO_SANDBOX"
SLOT_ENV = "GRADERS_SANDBOX_SLOT"
# The grading run's scratch folder (set by graders.grade): sandboxes go there.
SCRATCH_ENV = "GRADERS_SCRATCH"
# Longest folder for sandboxes: its IPC socket paths must stay within Linux's 107 bytes.
MAX_BOX_PARENT = 60
# Environment passed into the sandbox; everything else is cleared.
PASSED_ENV = ("NBGRADER_EXECUTION", "NBGRADER_VALIDATING", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


KERNEL_ENTRY = (
    "import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "sys.argv[0] = 'ipykernel_launcher'; "
    "runpy.run_module('ipykernel_launcher', run_name='__main__', alter_sys=True)"
)
# Prepended to KERNEL_ENTRY: once ipykernel is imported (its import errors still reach
# the launch log), the kernel's stdout and stderr become /dev/null, so that nothing a
# student writes to fd 1 or 2 (escape sequences, floods) reaches the grader.
KERNEL_QUIET = (
    "import os, ipykernel.kernelapp; null = os.open(os.devnull, os.O_WRONLY); "
    "os.dup2(null, 1); os.dup2(null, 2); os.close(null); "
)
# What the kernel may read of the machine besides Python (see readable_again); /bin,
# /lib... are links into /usr on a merged-/usr system, recreated as such in the sandbox.
SYSTEM_PATHS = ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/usr/bin", "/usr/sbin",
                "/usr/lib", "/usr/lib32", "/usr/lib64", "/usr/libx32", "/usr/share/zoneinfo")
# The few files of /etc that Python, NumPy, matplotlib and ipykernel need (passwd and
# group are made up for the kernel's user).
ETC_FILES = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "timezone",
             "nsswitch.conf", "hosts", "alternatives", "fonts")
LAUNCH_LOG = "launch.log"  # in the sandbox's box folder: the launcher's own errors
LAUNCH_LOG_BYTES = 64 * 1024
SECCOMP_FILE, SECCOMP_FD = "seccomp.bpf", 9
EXCHANGE_DEFAULT = "/usr/local/share/nbgrader/exchange"  # nbgrader's Exchange.root default
MAX_LINKS = 40  # links followed on the way to one path, as Linux allows (ELOOP)
# The cell a probe kernel runs before a class is graded, and what it must print.
PROBE_CELL, PROBE_PRINTS = "print(6 * 7)", "42"


def read_launch_log(path: Path | None) -> str:
    """What the sandbox's launcher wrote (its setup errors), or '' if nothing: raw text
    that may come from a student's folder, to be escaped before it is shown."""
    if path is None:
        return ""
    try:
        with open(path, "rb") as log:
            return log.read(LAUNCH_LOG_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return ""


# How soon the grader's client tries again to reach a kernel's socket not made yet.
RECONNECT_MS = 5

# Kernel messages whose content the grader keeps (outputs, widget state): all counted.
OUTPUT_MESSAGES = frozenset({"stream", "display_data", "execute_result", "update_display_data",
                             "error", "comm_open", "comm_msg"})


def _plain_reason(error: Exception, timeout: int | None) -> str:
    if isinstance(error, NotebookTimeoutError):
        return str(error)
    if isinstance(error, CellTimeoutError):  # e.g. a loop that swallows KeyboardInterrupt
        return (f"a cell ran longer than {timeout} s and could not be stopped · "
                "某个单元格运行超时且无法中断")
    if isinstance(error, DeadKernelError):
        return ("the kernel died while running the notebook (os._exit, a crash, or a "
                "memory or CPU limit) · 内核在运行时退出")
    return f"the notebook could not run to its end: {error} · 笔记本无法运行完"


class SandboxUnavailableError(RuntimeError):
    """Grading refuses: the sandbox, or a kernel in it, cannot start here."""


class NotebookTimeoutError(CellTimeoutError):
    """The whole notebook ran past its wall-clock limit."""


def _content_size(value, depth: int = 0) -> int:
    """About how many bytes a message's content holds (strings and buffers counted)."""
    if isinstance(value, str | bytes | bytearray | memoryview):
        return len(value)
    if depth > 32:  # deeper than any real output: count it as large
        return 1 << 30
    if isinstance(value, dict):
        return sum(len(str(key)) + _content_size(item, depth + 1) for key, item in value.items())
    if isinstance(value, list | tuple):
        return sum(_content_size(item, depth + 1) for item in value) + len(value)
    return 8


def box_prefix(slot: int) -> str:
    """How the folders of one slot's sandboxes begin (a leftover can be told by its slot)."""
    return f"graders-sandbox-{slot}-"


def _box_parent() -> str:
    """Where a sandbox's folder goes: the grading run's scratch folder (graders.grade),
    removed even if this process dies, else the temporary folder; in either case a
    short path, since the kernel's IPC sockets live there (at most 107 bytes)."""
    for folder in (os.environ.get(SCRATCH_ENV), tempfile.gettempdir()):
        if folder and len(folder) <= MAX_BOX_PARENT:
            return folder
    return "/tmp"


class _BoundedKernelClient(AsyncKernelClient):
    """A kernel client whose sockets drop any message larger than ``max_message_bytes``,
    and that knows its kernel is ready as soon as it is.

    ZeroMQ discards such a message before the grader reads it, so one huge
    output cannot take the grader's memory (the kernel's limits are its own).
    """

    max_message_bytes = 16 * 2**20

    @default("context")
    def _bounded_context(self):
        self._created_context = True
        context = zmq.asyncio.Context()
        context.setsockopt(zmq.MAXMSGSIZE, self.max_message_bytes)
        # The client connects before the kernel has made its sockets; ZeroMQ tries again
        # after 100 ms by default, which each kernel start would wait.
        context.setsockopt(zmq.RECONNECT_IVL, RECONNECT_MS)
        return context

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        """Ready once a kernel_info request has its reply on the shell channel and its
        closing status on IOPub (so IOPub is connected too).

        jupyter_client's own wait ends by reading IOPub until it has been silent for
        0.2 s, which every kernel start pays in full (0.2 s of each student's grading);
        nbclient reads only the messages of the cell it runs, so earlier ones can stay.
        """
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            request = self.kernel_info()
            reply = await self._reply_to(request, self.shell_channel, 1.0)
            if reply is not None:
                self._handle_kernel_info_reply(reply)
                # IOPub may have connected after the kernel spoke: then ask again, soon.
                if await self._idle_after(request, 0.05):
                    return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout} s")

    async def _reply_to(self, request: str, channel, seconds: float) -> dict | None:
        """The first message on ``channel`` that answers ``request``, within ``seconds``."""
        until = time.monotonic() + seconds
        while (left := until - time.monotonic()) > 0:
            try:
                message = await channel.get_msg(timeout=left)
            except Empty:
                return None
            if message["parent_header"].get("msg_id") == request:
                return message
        return None

    async def _idle_after(self, request: str, seconds: float) -> bool:
        """Whether IOPub says the kernel is idle again after ``request``, within ``seconds``."""
        until = time.monotonic() + seconds
        while (left := until - time.monotonic()) > 0:
            message = await self._reply_to(request, self.iopub_channel, left)
            if message is None:
                return False
            if (message["msg_type"] == "status"
                    and message["content"].get("execution_state") == "idle"):
                return True
        return False


class _PromptKernelManager(AsyncKernelManager):
    """jupyter_client's kernel manager, noticing the kernel's end within milliseconds.

    It polls a killed kernel's process every 0.1 s, a wait every student's grading
    would pay; the sandbox dies with its process at once.
    """

    async def _async_wait(self, pollinterval: float = 0.1) -> None:
        await super()._async_wait(pollinterval=min(pollinterval, 0.005))


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
    notebook_output_bytes = Integer(
        4_000_000, help="Output kept for the whole notebook, every kind of message counted."
    ).tag(config=True)
    message_bytes = Integer(
        16 * 2**20, help="Largest message the grader accepts from the kernel; a larger one "
        "is dropped before it is read."
    ).tag(config=True)
    notebook_timeout = Integer(
        300, help="Seconds the whole notebook may run (each cell also has `timeout`); past "
        "them the run stops and every test fails, with the reason."
    ).tag(config=True)
    course_root = Unicode(help="The course folder, hidden from the kernel.").tag(config=True)
    exchange_root = Unicode(
        help="nbgrader's exchange folder (Exchange.root), hidden from the kernel."
    ).tag(config=True)
    scratch_mb = Integer(
        512, help="Size of all the kernel may write (its folder's copy, /tmp), in MiB."
    ).tag(config=True)
    scratch_files = Integer(
        10_000, help="Files and folders the kernel may have, its folder's copy included."
    ).tag(config=True)
    warm_kernels = Bool(
        True, help="Fork each kernel from a zygote that has imported ipykernel and the "
        "assignment's module, in a sandbox kept per worker (graders.nursery), rather than "
        "start a new Python for each: the same sandbox for the kernel, less work per student."
    ).tag(config=True)
    # The launcher's log of the notebook being run (see read_launch_log); None before.
    launch_log_path: Path | None = None
    # The assignment of the notebook being run (its module warms the nursery's zygote).
    _assignment_id: str | None = None

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

    @default("exchange_root")
    def _exchange_root_default(self):
        return self.config.Exchange.get("root", EXCHANGE_DEFAULT)

    def preprocess(self, nb, resources, km=None):
        self._output_used: dict[int, int] = {}
        self._notebook_output_used = 0
        self._cut_cells: set[int] = set()
        if self.unsafe_no_sandbox:
            self.log.warning("UNSAFE: grading WITHOUT the sandbox; student code runs as %s, "
                             "with your files and network", os.environ.get("USER", "you"))
            return self._run(nb, resources)
        check_sandbox()
        workdir = Path(resources.get("metadata", {}).get("path") or os.getcwd()).resolve()
        assignment_id = resources.get("nbgrader", {}).get("assignment")
        self._assignment_id = assignment_id
        modules = assignment_module(assignment_id)
        data = assignment_data(assignment_id)
        # Whatever cannot be removed now goes with the run's scratch folder.
        with tempfile.TemporaryDirectory(prefix=box_prefix(self.slot), dir=_box_parent(),
                                         ignore_cleanup_errors=True) as box:
            manager = (self._warm_kernel_manager if self.warm_kernels
                       else self._sandboxed_kernel_manager)
            self._sandbox_km = manager(Path(box), workdir, modules, data)
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
        self._deadline = time.monotonic() + self.notebook_timeout
        self._kernel_ready = None
        self._timed_out: dict[int, int] = {}  # id(cell) -> the timeout it ran past
        try:
            return super().preprocess(nb, resources)
        except (CellTimeoutError, DeadKernelError, CellControlSignal, RuntimeError) as error:
            reason = _plain_reason(error, self.timeout)
            said = read_launch_log(self.launch_log_path).strip()
            if said and self._kernel_ready is None:  # the sandbox itself could not start
                reason += f" (the sandbox said: {for_terminal(said.splitlines()[-1])[:300]})"
            self.log.warning("Execution stopped: %s", reason)
            note["execution_failure"] = reason
            return nb, resources
        finally:
            done = time.perf_counter()
            ready = self._kernel_ready or done
            note.setdefault("seconds", {}).update(
                kernel_start=ready - self._started, execution=done - ready)
            # Which cells ran past their time limit and were stopped, by position.
            note["timed_out"] = {index: self._timed_out[id(cell)]
                                 for index, cell in enumerate(nb.cells)
                                 if id(cell) in self._timed_out}

    def start_new_kernel_client(self):
        client = super().start_new_kernel_client()
        self._kernel_ready = time.perf_counter()  # the kernel answers: the rest is execution
        return client

    def preprocess_cell(self, cell, resources, index):
        """Run one cell, unless the notebook's time is up (before or after the cell)."""
        if time.monotonic() >= self._deadline:
            raise self._notebook_timeout()
        cell, resources = super().preprocess_cell(cell, resources, index)
        # One print can arrive as several messages; the graded notebook reads as printed.
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
        if time.monotonic() >= self._deadline:  # the cell was cut short by the deadline
            raise self._notebook_timeout()
        return cell, resources

    async def _async_handle_timeout(self, timeout, cell=None):
        """Note the cell that ran past its limit (said in plain words later), then stop it."""
        if cell is not None:
            self._timed_out[id(cell)] = timeout
        return await super()._async_handle_timeout(timeout, cell)

    def _get_timeout(self, cell):
        """A cell's timeout, shortened so that the notebook ends by its deadline."""
        left = max(1, int(self._deadline - time.monotonic()) + 1)
        timeout = super()._get_timeout(cell)
        return left if timeout is None or timeout <= 0 else min(timeout, left)

    def _notebook_timeout(self) -> NotebookTimeoutError:
        return NotebookTimeoutError(
            f"the notebook ran longer than {self.notebook_timeout} s in all, the limit for a "
            "whole notebook · 整个笔记本的运行时间超过上限")

    def create_kernel_manager(self):
        """The sandboxed kernel's manager when sandboxing; nbclient then owns and stops it."""
        if getattr(self, "_sandbox_km", None) is None:
            return super().create_kernel_manager()
        self.km = self._sandbox_km
        self.km.client_factory = type("BoundedKernelClient", (_BoundedKernelClient,),
                                      {"max_message_bytes": self.message_bytes})
        return self.km

    def process_message(self, msg, cell, cell_index):
        """Keep at most ``output_bytes`` per cell and ``notebook_output_bytes`` in all.

        Every message whose content the grader would keep is counted, display
        updates and widget messages included; past a limit, the message is
        dropped and the cell gets one notice.
        """
        if msg["msg_type"] in OUTPUT_MESSAGES:
            size = _content_size(msg.get("content"))
            cell_used = self._output_used.get(cell_index, 0) + size
            if cell_used > self.output_bytes or (
                    self._notebook_output_used + size > self.notebook_output_bytes):
                if cell_index not in self._cut_cells:
                    self._cut_cells.add(cell_index)
                    cell.outputs.append(new_output("stream", name="stdout", text=(
                        f"\n[output cut: more than {self.output_bytes} bytes in this cell or "
                        f"{self.notebook_output_bytes} in the notebook · 输出过多，已截断]\n")))
                return None
            # Only what is kept counts: one flood leaves later cells their output.
            self._output_used[cell_index] = cell_used
            self._notebook_output_used += size
        return super().process_message(msg, cell, cell_index)

    def _sandboxed_kernel_manager(self, box: Path, workdir: Path,
                                  modules: list[Path] | None = None,
                                  data: list[Path] | None = None) -> _PromptKernelManager:
        uid = self.first_uid + self.slot
        # The launcher mounts the scratch space here, in its own mount namespace only.
        (box / "scratch").mkdir()
        (box / SECCOMP_FILE).write_bytes(keyring_filter())
        (box / "passwd").write_text("root:x:0:0:root:/root:/usr/sbin/nologin\n"
                                    f"student:x:{uid}:{uid}:student:/tmp:/usr/sbin/nologin\n")
        (box / "group").write_text(f"root:x:0:\nstudent:x:{uid}:\n")
        for name in ("passwd", "group"):
            (box / name).chmod(0o644)
        self.launch_log_path = box / LAUNCH_LOG
        launcher = box / "launch.sh"
        launcher.write_text(launcher_script(self, uid, box, workdir, modules or [], data or []))
        spec = KernelSpec(argv=["/bin/bash", str(launcher), "-f", "{connection_file}",
                                *KERNEL_OPTIONS],
                          display_name="Python 3 (sandboxed)", language="python",
                          interrupt_mode="signal", env={})
        # box/run is made by the launcher: a link to the sockets' folder in the scratch space.
        return _PromptKernelManager(
            kernel_name="graders-sandbox", kernel_spec_manager=_OneSpec(spec),
            transport="ipc", ip=str(box / "run" / "kernel"),
            connection_file=str(box / "kernel.json"),
        )

    def _warm_kernel_manager(self, box: Path, workdir: Path, modules: list[Path] | None = None,
                             data: list[Path] | None = None) -> _PromptKernelManager:
        """A kernel manager whose kernel this worker's nursery forks (``graders.nursery``)."""
        uid = self.first_uid + self.slot
        anchors = nursery_anchors(workdir)
        nursery, modules, kept = running_nursery(self, uid, anchors, modules or [],
                                                 data or [], module_name(self._assignment_id))
        self.launch_log_path = box / LAUNCH_LOG
        spec = KernelSpec(argv=[sys.executable], display_name="Python 3 (sandboxed, warm)",
                          language="python", interrupt_mode="signal", env={})
        manager = _PromptKernelManager(
            kernel_name="graders-sandbox", kernel_spec_manager=_OneSpec(spec),
            transport="ipc", ip=str(box / "run" / "kernel"),
            connection_file=str(box / "kernel.json"),
        )
        manager.kernel_id = str(uuid.uuid4())
        request = {
            "uid": uid, "tmpfs": scratch_options(self), "workdir": str(workdir),
            "run": str(box / "run"), "anchors": [str(anchor) for anchor in anchors],
            "kept": kept,
            "env": kernel_env(modules), "limits": kernel_limits(self),
            "too_large": scratch_full_message(self),
        }
        manager.provisioner = NurseryProvisioner(
            kernel_id=manager.kernel_id, kernel_spec=spec, parent=manager,
            launch=NurseryLaunch(nursery, request, workdir, box, self.launch_log_path))
        return manager


def scratch_options(step: SandboxedExecute) -> str:
    """The tmpfs options of a kernel's scratch space: bounded in size and in files."""
    return f"size={step.scratch_mb}m,nr_inodes={step.scratch_files},mode=0755"


def scratch_full_message(step: SandboxedExecute) -> str:
    """What the launch log says, cold or warm, when the student's folder is too large to
    copy into the scratch space."""
    return ("the student's folder does not fit in the scratch space "
            f"({step.scratch_mb} MiB, {step.scratch_files} files)")


def nursery_anchors(workdir: Path) -> list[Path]:
    """Folders the nursery makes, empty, for each kernel's setup to cover with a tmpfs of
    its own and make its folders in: the sandboxes' folder, and the folder of all
    students' folders (nbgrader's ``autograded/<student>/<assignment>``). Never /tmp
    itself: each kernel has a /tmp of its own."""
    fresh = (Path("/"), Path("/tmp"), Path("/dev/shm"))
    parent = Path(_box_parent()).resolve()
    anchors = [] if parent in fresh else [parent]
    if not _within(workdir, [parent]):
        work = workdir.parent.parent
        anchors.append(workdir if work in fresh or len(work.parts) < 3 else work)
    return anchors


def kept_in_fresh_folders(mounts: list[Mount]) -> list[dict]:
    """The nursery's mounts and links inside /tmp or /dev/shm (a module, data or a
    course folder that lies there), which each kernel's fresh /tmp and /dev/shm would
    cover: its setup binds them again (``graders.zygote``). Outermost first."""
    kept: list[dict] = []
    for point, args, _ in sorted(mounts, key=lambda mount: len(mount[0].parts)):
        if not _within(point, [Path("/tmp"), Path("/dev/shm")]) or point in (
                Path("/tmp"), Path("/dev/shm")) or args[-2:] == ["--dir", str(point)]:
            continue
        if any(Path(item["path"]) in point.parents for item in kept if "link" not in item):
            continue  # inside a mount kept already, which is bound with what it holds
        kept.append({"path": str(point), "link": args[1]} if args[0] == "--symlink"
                    else {"path": str(point)})
    return kept


# This process's nursery, by what it was started with (one at a time), and the lock of
# that one-entry cache (a Dask worker may grade in several threads).
_NURSERIES: dict[tuple[str, ...], Nursery] = {}
_NURSERY_LOCK = threading.Lock()


@atexit.register
def close_nurseries() -> None:
    """Stop this process's nursery, if it has one (and everything in it)."""
    for nursery in _NURSERIES.values():
        nursery.close()
    _NURSERIES.clear()


NURSERY_CAPABILITIES = ("CAP_SYS_ADMIN", "CAP_SETUID", "CAP_SETGID", "CAP_CHOWN",
                        "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_NET_ADMIN")


class NurseryCommand(NamedTuple):
    """How a nursery is started (``bwrap``, its zygote's ``warm`` modules), the module
    folders bound in it and what of it each kernel's setup must keep in sight."""

    bwrap: tuple[str, ...]
    warm: tuple[str, ...]
    modules: tuple[Path, ...]
    kept: tuple[dict, ...]


def running_nursery(step: SandboxedExecute, uid: int, anchors: list[Path], modules: list[Path],
                    data: list[Path], warm_module: str | None
                    ) -> tuple[Nursery, list[Path], list[dict]]:
    """This worker's nursery for kernels of user ``uid`` with this view of the machine
    (started, or started again if it has died or the view changed), its zygote warmed
    with the assignment's module ``warm_module``; the module folders bound in it; what
    of it each kernel's setup must keep in sight (``kept_in_fresh_folders``)."""
    folder = _nursery_folder(step.slot, uid)
    command = nursery_command(
        folder, tuple(anchors), tuple(modules), tuple(data), warm_module, step.course_root,
        step.exchange_root, tuple(os.environ.get(name) for name in (*PASSED_ENV, "HOME")))
    key = (*command.bwrap, *command.warm)
    with _NURSERY_LOCK:
        nursery = _NURSERIES.get(key)
        if nursery is None or not nursery.alive():
            close_nurseries()
            nursery = _NURSERIES[key] = Nursery(list(command.bwrap), keyring_filter(),
                                                list(command.warm), folder / LAUNCH_LOG)
    return nursery, list(command.modules), [dict(item) for item in command.kept]


# Every student of a worker asks for the same nursery: its command, which walks the
# machine's paths and links, is worked out once per set of inputs.
@functools.lru_cache(maxsize=8)
def nursery_command(folder: Path, anchors: tuple[Path, ...], modules: tuple[Path, ...],
                    data: tuple[Path, ...], warm_module: str | None, course_root: str,
                    exchange_root: str, environ: tuple[str | None, ...]) -> NurseryCommand:
    """The nursery's command, for ``running_nursery``. ``environ`` holds the values of
    the grader's variables that ``kernel_env`` and ``hidden_roots`` (HOME) read: part of
    the key only, so that a changed environment makes a new command."""
    mounts, bound_modules = machine_view(hidden_roots(Path(course_root), exchange_root),
                                         folder, list(modules), list(data))
    kept = kept_in_fresh_folders(mounts)
    mounts.append((Path("/tmp"), ["--dir", "/tmp"], False))
    mounts.append((Path(SCRATCH_POINT), ["--dir", SCRATCH_POINT], False))
    mounts += [(anchor, ["--dir", str(anchor)], False) for anchor in anchors]
    # bubblewrap run by root keeps every capability unless told otherwise.
    capabilities = ["--cap-drop", "ALL", *(arg for capability in NURSERY_CAPABILITIES
                                           for arg in ("--cap-add", capability))]
    bwrap = bwrap_command(capabilities, mounts, kernel_env(bound_modules))
    return NurseryCommand(tuple(bwrap), (warm_module,) if warm_module else (),
                          tuple(bound_modules), tuple(kept))


@functools.cache
def _nursery_folder(slot: int, uid: int) -> Path:
    """The nursery's own folder (its made-up passwd and group, its log), for this process:
    in the grading run's scratch folder, which goes with the run even when a worker ends
    without cleaning up, else in the temporary folder until this process ends."""
    parent = os.environ.get(SCRATCH_ENV) or tempfile.gettempdir()
    folder = Path(tempfile.mkdtemp(prefix=f"graders-nursery-{slot}-", dir=parent))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    (folder / "passwd").write_text("root:x:0:0:root:/root:/usr/sbin/nologin\n"
                                   f"student:x:{uid}:{uid}:student:/tmp:/usr/sbin/nologin\n")
    (folder / "group").write_text(f"root:x:0:\nstudent:x:{uid}:\n")
    for name in ("passwd", "group"):
        (folder / name).chmod(0o644)
    return folder


def check_sandbox() -> None:
    """Refuse to grade, with the reason, if the sandbox cannot start here.

    Each part is tried for real: bubblewrap with the seccomp filter, and a private
    mount namespace with a size-bounded tmpfs (the scratch space).
    """
    if os.geteuid() != 0:
        raise SandboxUnavailableError(
            "grading in the sandbox needs root, to run each kernel as its own unprivileged "
            "user (e.g. sudo make grade); or grade without a sandbox at your own risk with "
            f"--SandboxedExecute.unsafe_no_sandbox=True or {UNSAFE_ENV}=1."
        )
    tools = (BWRAP, "prlimit", "setpriv", "unshare", "mount", "cp", "chown", "head")
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        raise SandboxUnavailableError(
            f"cannot sandbox the grading kernel: {', '.join(missing)} not found. Install them "
            "(Debian: apt-get install bubblewrap util-linux mount coreutils), or grade without "
            f"a sandbox at your own risk with --SandboxedExecute.unsafe_no_sandbox=True or "
            f"{UNSAFE_ENV}=1."
        )
    try:
        program = keyring_filter()
    except UnsupportedArchitectureError as error:
        raise SandboxUnavailableError(
            f"cannot sandbox the grading kernel: {error} To grade without a sandbox at your own "
            f"risk: {UNSAFE_ENV}=1."
        ) from None
    with tempfile.TemporaryDirectory(prefix="graders-probe-") as probe:
        seccomp = Path(probe, "seccomp.bpf")
        seccomp.write_bytes(program)
        with seccomp.open("rb") as bpf:
            boxed = subprocess.run(
                [BWRAP, "--ro-bind", "/", "/", "--unshare-pid", "--unshare-net",
                 "--die-with-parent", "--seccomp", str(bpf.fileno()), "true"],
                pass_fds=(bpf.fileno(),), capture_output=True, text=True,
            )
        scratch = subprocess.run(
            ["unshare", "--mount", "--propagation", "private", "--", "mount", "-t", "tmpfs",
             "-o", "size=1m,nr_inodes=16", "graders-probe", probe],
            capture_output=True, text=True,
        )
    if boxed.returncode != 0:
        raise SandboxUnavailableError(
            f"cannot sandbox the grading kernel: bubblewrap failed ({boxed.stderr.strip()}). "
            "It needs to run as root or with unprivileged user namespaces enabled. To grade "
            f"without a sandbox at your own risk: {UNSAFE_ENV}=1."
        )
    if scratch.returncode != 0:
        raise SandboxUnavailableError(
            "cannot sandbox the grading kernel: its scratch space, a tmpfs in a private mount "
            f"namespace, cannot be mounted ({scratch.stderr.strip()}). To grade without a "
            f"sandbox at your own risk: {UNSAFE_ENV}=1."
        )


def check_kernel_starts(config, assignment_id: str | None = None) -> None:
    """Refuse to grade, with the reason, if a kernel set up as for grading cannot start here.

    One kernel is started with the configuration's ``SandboxedExecute`` settings (its
    limits, its sandbox or none), imports the module of the assignment to grade (its
    hidden cells record through it) and runs one trivial cell, and is stopped: about a
    second, once per assignment, rather than a whole class scored 0 by kernels that die
    at start (a memory limit too low, a broken Python environment) or cannot import it.
    """
    step = SandboxedExecute(config=config)
    module = module_name(assignment_id)
    probe = new_notebook(cells=[new_code_cell(
        PROBE_CELL if module is None else f"import {module}\n{PROBE_CELL}")])
    resources: dict = {"metadata": {}}
    if assignment_id:
        resources["nbgrader"] = {"assignment": assignment_id}
    with tempfile.TemporaryDirectory(prefix="graders-probe-", dir=_box_parent()) as folder:
        resources["metadata"]["path"] = folder
        try:
            probe, resources = step.preprocess(probe, resources)
        finally:
            close_nurseries()  # this process grades nobody: its workers have their own
    failure = resources["graders"].get("execution_failure")
    if failure is None:
        outputs = probe.cells[0].outputs
        shown = "".join(output.get("text") or f"{output.get('ename')}: {output.get('evalue')}"
                        for output in outputs).strip()
        if shown == PROBE_PRINTS:
            return
        if module and any(output.get("ename") in ("ModuleNotFoundError", "ImportError")
                          for output in outputs):
            raise SandboxUnavailableError(
                f"the grading kernel cannot import {module}, the module of the assignment "
                f"{assignment_id}, so every hidden test would fail: "
                f"{for_terminal(shown)[:300]}. Install its package where the grading kernel's "
                f"Python ({sys.executable}) finds it")
        failure = f"its first cell showed {for_terminal(shown)[:300]!r}, not {PROBE_PRINTS}"
    raise SandboxUnavailableError(
        f"a grading kernel could not start, so every student would score 0: {failure}. "
        f"Check SandboxedExecute's limits (memory_mb={step.memory_mb}, "
        f"cpu_seconds={step.cpu_seconds}, processes={step.processes}, "
        f"open_files={step.open_files}) and that `{sys.executable} -m ipykernel` starts"
        + (". Kernels are forked by a nursery here: should only that fail, start each one "
           "cold with c.SandboxedExecute.warm_kernels = False in nbgrader_config.py"
           if step.warm_kernels else "")
    )


def assignment_module(assignment_id: str | None) -> list[Path]:
    """Where the kernel imports the module of this assignment from: its top-level
    package's folder (or folders, for a namespace package), or its single module file.

    The module is the one its entry point names (``graders.assignments``); nothing
    is imported to find it. An empty list for an id that no package registers.
    """
    module = module_name(assignment_id)
    if module is None:
        return []
    spec = importlib.util.find_spec(module.split(".")[0])
    if spec is None:
        return []
    if spec.submodule_search_locations:
        return [Path(folder) for folder in spec.submodule_search_locations]
    return [Path(spec.origin)] if spec.has_location and spec.origin else []


def assignment_data(assignment_id: str | None) -> list[Path]:
    """The files (or folders) this assignment's notebook reads, as its ``Assignment``
    declares them (``data_files``): the kernel sees them read-only, where they lie.

    Only what exists, resolved: a link among them shows its target, never a folder it
    lies in. An empty list for an id that no package registers.
    """
    if not assignment_id or assignment_id not in registered():
        return []
    try:
        declared = find(assignment_id).data_files
    except UnknownAssignmentError:
        return []
    paths = [Path(path).resolve() for path in declared]
    return [path for path in paths if path.exists()]


def links_on_the_way(path: Path) -> dict[Path, str]:
    """Every symbolic link met on the way to ``path``: where it lies (a path free of links)
    and what it says.

    The kernel is started by, and finds its environment through, paths as the grader
    got them (a venv's python must be run by its own path, beside its ``pyvenv.cfg``);
    the sandbox binds their targets and recreates these links, wherever they lie.
    """
    links: dict[Path, str] = {}
    here, pending, followed = Path("/"), list(Path(path).absolute().parts[1:]), 0
    while pending and followed < MAX_LINKS:
        name = pending.pop(0)
        if name == "..":
            here = here.parent
            continue
        step = here / name
        if not step.is_symlink():
            here = step
            continue
        followed += 1
        links[step] = text = os.readlink(step)
        target = Path(text)
        if target.is_absolute():
            here = Path("/")
        pending[:0] = target.parts[1:] if target.is_absolute() else target.parts
    return links


def hidden_roots(course_root: Path, exchange_root: str | Path | None = None) -> list[Path]:
    """Folders the kernel must never see: the course, this project, nbgrader's exchange, the
    grader's home.

    The kernel sees only what is bound into the sandbox (``readable_again``); each of
    these is covered with an empty tmpfs wherever it lies inside something bound (an
    exchange under ``/usr/local`` when Python is installed there, say).
    """
    roots = {course_root.resolve()}
    project = Path(graders.__file__).resolve().parent.parent
    if (project / "pyproject.toml").exists():  # an editable install: the project's own folder
        roots.add(project)
    # The course's exchange, and nbgrader's default one, which another course may still use.
    for exchange in (exchange_root, EXCHANGE_DEFAULT):
        if exchange:
            roots.add(Path(exchange).resolve())
    home = os.environ.get("HOME")
    if home and Path(home).resolve() != Path("/"):
        roots.add(Path(home).resolve())
    return sorted(roots)


def readable_again() -> list[Path]:
    """All the kernel may read of the machine: system programs and libraries, Python itself
    (the base installation and the environment, exactly), and the graders package.

    An allow-list: any other copy of the course on the machine stays out of sight.
    """
    paths = {Path(path) for path in SYSTEM_PATHS
             if Path(path).is_dir() and not Path(path).is_symlink()}
    paths |= {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(),
              Path(graders.__file__).resolve().parent}
    return sorted(paths, key=lambda p: (len(p.parts), str(p)))


def _within(path: Path, folders: list[Path]) -> bool:
    return any(path == folder or folder in path.parents for folder in folders)


def _dirs_for(path: Path, mounts: list[tuple[Path, bool]]) -> list[Path]:
    """The folders to make (world-readable) so that ``path`` can be mounted.

    ``mounts`` are the mount points set up so far, each with whether it shows the
    machine's own tree at that same place: below such a mount the folders exist
    already; below bwrap's new root, a tmpfs, or a folder bound from elsewhere,
    they must be made (bwrap would make them 0700, closed to the kernel's user).
    """
    missing = []
    for ancestor in reversed(path.parents[:-1]):  # from the top, without "/"
        below = [(point, mirror) for point, mirror in mounts
                 if point == ancestor or point in ancestor.parents]
        if below:
            point, mirror = max(below, key=lambda mount: len(mount[0].parts))
            if point == ancestor or mirror:
                continue
        missing.append(ancestor)
    return missing


def _etc_files(box: Path) -> list[tuple[str, Path, Path]]:
    """The few files of /etc the kernel needs; a made-up passwd and group name its user."""
    files = [("--ro-bind-try", Path("/etc", name), Path("/etc", name)) for name in ETC_FILES]
    files += [("--ro-bind", box / name, Path("/etc", name)) for name in ("passwd", "group")]
    return files


Mount = tuple[Path, list[str], bool]


def machine_view(hidden: list[Path], box: Path, modules: list[Path],
                 data: list[Path] = ()) -> tuple[list[Mount], list[Path]]:
    """What the kernel sees of the machine, read-only, as bwrap mounts (each: its point,
    its bwrap arguments, whether it shows the machine's own tree there), and the
    assignment's module folders that had to be bound for it (see ``launcher_script``).
    ``hidden`` are the folders it must never see (``hidden_roots``).
    """
    # Each mount: (its point, its bwrap arguments, whether it shows the machine's own tree there).
    mounts: list[tuple[Path, list[str], bool]] = [
        (Path("/dev"), ["--dev", "/dev"], False),
        (Path("/proc"), ["--proc", "/proc"], False),
    ]
    bound = readable_again()
    # The assignment's module where nothing bound holds it: that folder or file alone,
    # never its parent (a course folder, say, with the solutions and the gradebook).
    modules = [path for path in modules if not _within(path.resolve(), bound)]
    bound += [path.resolve() for path in modules]
    mounts += [(path, ["--ro-bind", str(path), str(path)], True) for path in bound]
    # Deeper than the course folder they lie in, so bound after its tmpfs (mounts go by depth).
    mounts += [(path, ["--ro-bind", str(path), str(path)], True) for path in data
               if not _within(path, bound)]
    # /bin -> usr/bin on a merged-/usr system; a venv, or a folder above it, that is a link.
    links: dict[Path, str] = {}
    for path in (*SYSTEM_PATHS, sys.executable, sys.prefix, sys.exec_prefix, sys.base_prefix,
                 sys.base_exec_prefix, *modules):
        links.update(links_on_the_way(Path(path)))
    mounts += [(link, ["--symlink", text, str(link)], False) for link, text in links.items()
               if not _within(link, bound)]  # inside a bound folder, a link is there already
    for root in hidden:
        if root.is_dir() and root not in bound and any(path in root.parents for path in bound):
            mounts.append((root, ["--perms", "0755", "--tmpfs", str(root)], False))
    mounts += [(target, [option, str(source), str(target)], source == target)
               for option, source, target in _etc_files(box)]
    return mounts, modules


# kernel_limits' names, as prlimit(1) spells them.
PRLIMIT_NAMES = {"memory": "as", "cpu": "cpu", "processes": "nproc", "file_size": "fsize",
                 "open_files": "nofile", "core": "core"}


def kernel_limits(step: SandboxedExecute) -> dict[str, int]:
    """The kernel's resource limits (bytes, seconds, counts), cold or warm."""
    return {"memory": step.memory_mb * 2**20, "cpu": step.cpu_seconds,
            "processes": step.processes, "file_size": step.file_size_mb * 2**20,
            "open_files": step.open_files, "core": 0}


def kernel_env(modules: list[Path]) -> dict[str, str]:
    """The kernel's whole environment: nothing else of the grader's reaches it."""
    env = {"HOME": "/tmp", "IPYTHONDIR": "/tmp/.ipython", "MPLCONFIGDIR": "/tmp/.matplotlib",
           "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "LANG": "C.UTF-8",
           "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    env.update({name: os.environ[name] for name in PASSED_ENV if name in os.environ})
    if modules:  # the sys.path entry each was imported from in the grader
        env["PYTHONPATH"] = os.pathsep.join(str(path.parent) for path in modules)
    return env


def bwrap_command(options: list[str], mounts: list[Mount], env: dict[str, str]) -> list[str]:
    """bubblewrap's command for a cold kernel's sandbox or a nursery: new PID, IPC, UTS,
    network and cgroup namespaces, dying with its parent, then ``options``, the view of
    the machine (``mounts``) and ``env`` as the whole environment."""
    environment = [arg for name, value in env.items() for arg in ("--setenv", name, value)]
    return [BWRAP, "--die-with-parent", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
            "--unshare-net", "--unshare-cgroup-try", *options, *bwrap_mounts(mounts),
            "--clearenv", *environment]


def bwrap_mounts(mounts: list[Mount]) -> list[str]:
    """bwrap's arguments for ``mounts``, by depth, with the folders each needs made
    (world-readable), and bwrap's own root read-only at the end."""
    args: list[str] = []
    done: list[tuple[Path, bool]] = []
    made: set[Path] = set()
    for point, mount_args, mirror in sorted(mounts, key=lambda mount: len(mount[0].parts)):
        for folder in _dirs_for(point, done):
            if folder not in made:
                made.add(folder)
                args += ["--perms", "0755", "--dir", str(folder)]
        args += mount_args
        done.append((point, mirror))
    return [*args, "--remount-ro", "/"]  # bwrap's own root, where the folders were made


def launcher_script(step: SandboxedExecute, uid: int, box: Path, workdir: Path,
                    modules: list[Path], data: list[Path] = ()) -> str:
    """The kernel's launcher, a bash script that jupyter_client runs as root.

    ``modules`` are where the assignment's module lies (``assignment_module``): what of
    them is not bound already is bound read-only and put on the kernel's PYTHONPATH.
    ``data`` are the files its notebook reads (``assignment_data``), bound read-only
    at their own paths, even inside a folder the kernel must not see.

    In a private mount namespace it mounts the scratch space (a tmpfs bounded in
    size and in files) on ``box/scratch``, copies the student's folder into it,
    then becomes (``exec``) prlimit → bwrap → setpriv → the kernel. The kernel's
    work copy, its /tmp (its HOME), /dev/shm and its IPC sockets all live on that
    tmpfs, which vanishes with the namespace, that is with the kernel, even if the
    grader is killed.
    """
    scratch, run, connection = box / "scratch", box / "run", box / "kernel.json"
    log = box / LAUNCH_LOG
    mounts, modules = machine_view(hidden_roots(Path(step.course_root), step.exchange_root),
                                   box, modules, data)
    for source, target in ((scratch / "tmp", Path("/tmp")), (scratch / "shm", Path("/dev/shm")),
                           (scratch / "work", workdir), (scratch / "run", run)):
        mounts.append((target, ["--bind", str(source), str(target)], False))
    mounts.append((connection, ["--ro-bind", str(connection), str(connection)], False))

    bwrap = [*bwrap_command(["--seccomp", str(SECCOMP_FD)], mounts, kernel_env(modules)),
             "--chdir", str(workdir)]
    limits = ["prlimit", *(f"--{PRLIMIT_NAMES[name]}={value}"
                           for name, value in kernel_limits(step).items()), "--"]
    drop = ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--no-new-privs",
            "--"]
    # SIGINT is ignored on the way in (see the trap below); the kernel itself takes it
    # back, so that a timed-out cell can still be interrupted.
    kernel = [sys.executable, "-c", KERNEL_QUIET + KERNEL_ENTRY]
    command = " ".join(shlex.quote(arg) for arg in [*limits, *bwrap, "--", *drop, *kernel])
    q = {name: shlex.quote(str(value)) for name, value in
         {"scratch": scratch, "run": run, "log": log, "workdir": workdir,
          "seccomp": box / SECCOMP_FILE, "too_large": scratch_full_message(step)}.items()}
    tmpfs = f"{scratch_options(step)},nosuid,nodev"
    return f"""#!/bin/bash
# The grader interrupts a timed-out cell with SIGINT to the whole process group:
# the kernel handles it, the sandbox around it must not die of it.
trap '' INT
if [ "$1" != --in-namespace ]; then
    # jupyter_client writes the connection file for its own user only.
    chmod a+r "$2"
    # Nothing reaches the grader's terminal: the setup's own errors go to the launch
    # log (its first {LAUNCH_LOG_BYTES} bytes), the kernel's output to /dev/null.
    exec </dev/null >/dev/null 2> >(exec head -c {LAUNCH_LOG_BYTES} >{q["log"]})
    # Every step is an exec, so that bwrap --die-with-parent watches the grader itself.
    exec unshare --mount --propagation private -- /bin/bash "$0" --in-namespace "$@"
fi
shift
fail() {{ echo "sandbox setup: $1" >&2; exit 1; }}
# The kernel's only writable filesystem, private to this namespace: bounded in size
# and in files, gone with the last process in here, i.e. with the kernel.
mount -t tmpfs -o {tmpfs} graders-scratch {q["scratch"]} \\
    || fail "cannot mount the scratch space"
cd {q["scratch"]} && mkdir -m 0700 work run && mkdir -m 1777 tmp shm \\
    || fail "cannot make the scratch folders"
cp -R -P --preserve=mode,timestamps {q["workdir"]}/. work/ \\
    || fail {q["too_large"]}
chown -R -P {uid}:{uid} work run || fail "cannot hand the scratch space to the kernel's user"
cd /
# The grader reaches the kernel's sockets through this namespace's own mounts.
ln -sfn "/proc/$$/root"{q["scratch"]}/run {q["run"]} || fail "cannot link the IPC folder"
# The kernel: its output goes to /dev/null once it has started (KERNEL_QUIET).
exec {command} "$@" {SECCOMP_FD}<{q["seccomp"]}
"""
