"""Warm kernels for grading: the grader's side of the nursery (see ``graders.zygote``).

A nursery is one bubblewrap sandbox per grading worker, set up as a cold kernel's
(the same read-only view of the machine, the same seccomp filter, no network) but
holding a zygote: a root process with only the capabilities it needs to make each
kernel's namespaces and scratch space and to switch to the kernel's user. The
grader asks it for one kernel per student; jupyter_client drives that kernel as any
other, through ``NurseryProvisioner``, with a pidfd in place of a child process.

A nursery is kept for as long as its worker grades with the same sandbox (same user
id, same view of the machine) and replaced when that changes or when it has died.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import select
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from jupyter_client.provisioning import LocalProvisioner
from traitlets import Instance

# How long the nursery may take to set up one kernel's sandbox (copying the student's
# folder is most of it).
SETUP_SECONDS = 60
LOG_TAIL_BYTES = 4096  # of the nursery's log, read when it has ended
REQUEST_FILE = "sandbox.json"  # in the kernel's box folder


class NurseryError(RuntimeError):
    """The nursery could not make a kernel; the message says why."""


class ForkedKernel:
    """A kernel the nursery forked, as jupyter_client's provisioner sees a process:
    ``pid``, ``poll``, ``wait``, ``send_signal``, ``kill``, ``terminate``."""

    stdin = stdout = stderr = None

    def __init__(self, pidfd: int):
        self.pidfd = pidfd
        self.pid = host_pid(pidfd)
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None and self.pidfd >= 0 and self._ends_within(0):
            self._ended()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int | None:
        if self.returncode is None and self.pidfd >= 0:
            if not self._ends_within(timeout):
                raise subprocess.TimeoutExpired("kernel", timeout)
            self._ended()
        return self.returncode

    def _ends_within(self, seconds: float | None) -> bool:
        """Whether the process has ended, waiting up to ``seconds`` (None: for ever)."""
        watch = select.poll()
        watch.register(self.pidfd, select.POLLIN)
        return bool(watch.poll(None if seconds is None else seconds * 1000))

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                signal.pidfd_send_signal(self.pidfd, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def _ended(self) -> None:
        # Not this process's child: its exit status cannot be read, only that it ended.
        self.returncode = 1
        self.close()

    def close(self) -> None:
        if self.pidfd >= 0:
            os.close(self.pidfd)
            self.pidfd = -1


def host_pid(pidfd: int) -> int:
    """The process id, as this process sees it, of the process a pidfd refers to."""
    for line in Path(f"/proc/self/fdinfo/{pidfd}").read_text().splitlines():
        if line.startswith("Pid:"):
            return int(line.split()[1])
    raise NurseryError("the kernel's process cannot be found")


class Nursery:
    """One nursery sandbox and its zygote: ``bwrap`` is bubblewrap's command up to its
    seccomp filter (``seccomp``, a compiled program), ``warm`` the modules the zygote
    imports; bubblewrap's own errors, and the zygote's, go to ``log``."""

    def __init__(self, bwrap: list[str], seccomp: bytes, warm: list[str], log: Path):
        self.log = log
        self.control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        filter_read, filter_write = os.pipe()
        with theirs, open(log, "wb") as log_file:
            try:
                zygote = (f"from graders.zygote import serve; "
                          f"serve({theirs.fileno()}, {warm!r})")
                command = [*bwrap, "--seccomp", str(filter_read), "--",
                           sys.executable, "-c", zygote]
                self.process = subprocess.Popen(
                    command, pass_fds=(filter_read, theirs.fileno()), stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL, stderr=log_file, start_new_session=True)
            finally:
                os.close(filter_read)
            # A pipe holds the filter (a few hundred bytes) until bubblewrap reads it. A
            # bubblewrap that refused to start has closed the pipe unread: its words are in
            # the log, and the first kernel asked of this nursery reports them.
            with contextlib.suppress(BrokenPipeError), os.fdopen(filter_write, "wb") as pipe:
                pipe.write(seccomp)

    def alive(self) -> bool:
        return self.process.poll() is None

    def fork_kernel(self, request: dict, workdir: Path, connection_file: Path,
                    launch_log: Path) -> ForkedKernel:
        """A new kernel for one student, in its own sandbox: its pidfd, once set up."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        with ours, contextlib.ExitStack() as opened:
            fds = [os.open(workdir, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW),
                   os.open(connection_file, os.O_RDONLY | os.O_NOFOLLOW),
                   os.open(launch_log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW,
                           0o600)]
            for fd in fds:
                opened.callback(os.close, fd)
            try:
                with theirs:
                    socket.send_fds(self.control, [b"k"], [theirs.fileno()])
                socket.send_fds(ours, [json.dumps(request).encode()], fds)
            except OSError as error:
                raise NurseryError(self._gone(f"the nursery is gone ({error.strerror})")) from None
            ours.settimeout(SETUP_SECONDS)
            try:
                reply, pidfds, _, _ = socket.recv_fds(ours, 4096, 1)
            except (OSError, TimeoutError) as error:
                raise NurseryError(f"the nursery did not answer ({error})") from None
        if reply != b"ok" or len(pidfds) != 1:
            for fd in pidfds:
                os.close(fd)
            said = reply.decode("utf-8", "replace").removeprefix("error: ")
            raise NurseryError(said or self._gone("the nursery could not set the kernel up"))
        return ForkedKernel(pidfds[0])

    def _gone(self, what: str) -> str:
        """``what`` happened; with the last words of the nursery, if it has ended."""
        if self.alive():
            return what
        with contextlib.suppress(OSError):
            lines = self.log.read_bytes()[-LOG_TAIL_BYTES:].decode("utf-8", "replace")
            if lines.strip():
                return f"{what}: {lines.strip().splitlines()[-1]}"
        return what

    def close(self) -> None:
        """Stop the zygote and everything in the nursery."""
        self.control.close()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


@dataclass(frozen=True)
class NurseryLaunch:
    """What one kernel is forked with: the ``nursery``, the ``request`` its setup reads
    (``graders.zygote``), the student's folder (``workdir``), the kernel's ``box`` folder
    and the log of its setup (``launch_log``)."""

    nursery: Nursery
    request: dict
    workdir: Path
    box: Path
    launch_log: Path


class NurseryProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, with the kernel forked by a nursery.

    The kernel's connection file is written as for any local kernel; then, instead of
    running the kernelspec's command, the nursery is asked for a kernel, as ``launch`` says.
    """

    launch = Instance(NurseryLaunch, help="What the kernel is forked with; given at creation.")

    async def launch_kernel(self, cmd: list[str], **kwargs) -> dict:
        km, launch = self.parent, self.launch
        # What this kernel's sandbox was asked for, beside it (as a cold kernel's launcher).
        (launch.box / REQUEST_FILE).write_text(json.dumps(launch.request, indent=1))
        try:
            kernel = launch.nursery.fork_kernel(launch.request, launch.workdir,
                                                Path(km.connection_file), launch.launch_log)
        except NurseryError as error:
            with contextlib.suppress(OSError), open(launch.launch_log, "a") as log:
                if not log.tell():  # else the setup has said why, there
                    log.write(f"sandbox setup: {error}\n")
            raise RuntimeError(f"the kernel's sandbox could not be set up: {error}") from None
        # The grader reaches the kernel's IPC sockets through the kernel's own mounts.
        (launch.box / "run").symlink_to(f"/proc/{kernel.pid}/root{launch.request['run']}")
        self.process = kernel
        self.pid, self.pgid = kernel.pid, None
        self.cwd = launch.workdir
        return self.connection_info

    async def wait(self) -> int | None:
        if self.process is None:
            return 0
        while self.process.poll() is None:
            await asyncio.sleep(0.005)
        status, self.process = self.process.returncode, None
        return status

    async def cleanup(self, restart: bool = False) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.close()
        await super().cleanup(restart)
