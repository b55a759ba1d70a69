"""The nursery's zygote: warm kernels, each forked into a sandbox of its own.

A cold kernel pays for a new Python, ipykernel and the assignment's module (NumPy)
at every student: about a third of a second of CPU. The zygote has imported them
once, in a bubblewrap sandbox set up as for a cold kernel (``graders.nursery``),
and forks each student's kernel from that state. It never runs a student's code
itself: each kernel starts from the state of a process no student has touched.

For each kernel the grader hands it one end of a socket pair. Then, in the fork:

1. **setup** (root, with only the capabilities the nursery was given): the request
   (the student's box and folder, the limits, the kernel's environment) is read
   from that socket, never in the zygote, which thus keeps no student's name;
   new mount, PID, IPC, network and UTS namespaces; a tmpfs bounded in size and in
   files for all the kernel may write (a copy of the student's folder, ``/tmp``,
   ``/dev/shm``, its IPC sockets); the reply is a pidfd of
2. **init**, PID 1 of the new namespace, already the kernel's unprivileged user: it
   mounts nothing and holds nothing, reaps, forwards SIGINT and ends with
3. **the kernel**: limits set, every other file descriptor closed, the kernel's
   environment, NumPy's random state drawn afresh (as at a cold start), then
   ipykernel, with its output on /dev/null.

The seccomp filter of the nursery is inherited by all of them; killing init
(SIGKILL through the pidfd) ends everything the kernel started.
"""

from __future__ import annotations

import ctypes
import fcntl
import importlib
import json
import os
import resource
import runpy
import signal
import socket
import struct
import subprocess
import sys
import threading
from pathlib import Path

# Where the setup mounts the kernel's scratch space first (made by the nursery);
# detached once every part of it is bound where the kernel finds it.
SCRATCH_POINT = "/.graders-scratch"
REQUEST_BYTES = 1 << 20
NULL = os.devnull

_CLONE_NEWNS, _CLONE_NEWUTS, _CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
_CLONE_NEWPID, _CLONE_NEWNET = 0x20000000, 0x40000000
_MS_RDONLY, _MS_NOSUID, _MS_NODEV, _MS_NOEXEC = 0x1, 0x2, 0x4, 0x8
_MS_REMOUNT, _MS_BIND, _MS_REC, _MS_PRIVATE = 0x20, 0x1000, 0x4000, 0x40000
_MNT_DETACH = 0x2
_SIOCGIFFLAGS, _SIOCSIFFLAGS, _IFF_UP = 0x8913, 0x8914, 0x1
_CAPABILITY_VERSION_3 = 0x20080522
_LIMITS = {"memory": resource.RLIMIT_AS, "cpu": resource.RLIMIT_CPU,
           "processes": resource.RLIMIT_NPROC, "file_size": resource.RLIMIT_FSIZE,
           "open_files": resource.RLIMIT_NOFILE, "core": resource.RLIMIT_CORE}

_libc = ctypes.CDLL(None, use_errno=True)
_libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong,
                        ctypes.c_char_p]


class SetupError(RuntimeError):
    """The kernel's sandbox could not be set up; the message says which step."""


def _checked(result: int, what: str) -> None:
    if result != 0:
        code = ctypes.get_errno()
        raise SetupError(f"{what}: {os.strerror(code)}")


def _mount(source: str | None, target: str, fstype: str | None, flags: int,
           data: str | None = None) -> None:
    _checked(_libc.mount(*(None if text is None else text.encode()
                           for text in (source, target, fstype)), flags,
                         None if data is None else data.encode()), f"cannot mount {target}")


# The kernel's own options. IPython keeps its input history in memory: a grading kernel
# has no later session to keep it for, and a history file in the scratch space fails
# (and says so in a cell's output) once a student's code has filled that space.
KERNEL_OPTIONS = ("--HistoryManager.hist_file=:memory:",)

# What a kernel imports before it answers: ipykernel, and what its start imports (found
# by comparing sys.modules before and after IPKernelApp.initialize), of which its
# debugger (debugpy) is most.
KERNEL_IMPORTS = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel_launcher",
                  "ipykernel.debugger", "IPython.core.completerlib", "IPython.core.debugger",
                  "IPython.extensions.storemagic", "sqlite3", "tornado.platform.asyncio",
                  "tornado.queues", "pydoc")


def warm(modules: list[str]) -> None:
    """Import what every kernel would import first (``KERNEL_IMPORTS``, the assignment's
    module)."""
    for name in (*KERNEL_IMPORTS, *modules):
        try:
            importlib.import_module(name)
        except Exception as error:  # the kernel imports it itself, and fails as a cold one
            print(f"zygote: {name} not imported ahead: {error!r}", file=sys.stderr)
    # Forking is only safe from a process with a single thread.
    if threading.active_count() != 1 or len(os.listdir("/proc/self/task")) != 1:
        raise SetupError("the zygote started a thread while importing; it cannot fork")


def serve(control_fd: int, modules: list[str]) -> None:
    """Fork one kernel per socket end the grader sends; end when the grader hangs up."""
    warm(modules)
    control = socket.socket(fileno=control_fd)
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, 16, 1)
        except (ConnectionError, OSError):
            return
        if not message:
            return
        _reap()
        if len(fds) != 1:
            for fd in fds:
                os.close(fd)
            continue
        if os.fork() == 0:
            status = 1
            try:
                control.close()
                status = _setup(fds[0])
            finally:
                os._exit(status)
        os.close(fds[0])


def _reap() -> None:
    """Collect the setup processes that have ended (each ends once its kernel is out)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _setup(reply_fd: int) -> int:
    """Step 1 (see the module's text): in the fork, still root. 0 once init is out."""
    reply = socket.socket(fileno=reply_fd)
    data, fds, _, _ = socket.recv_fds(reply, REQUEST_BYTES, 3)
    request = json.loads(data)
    workdir_fd, connection_fd, log_fd = fds
    os.dup2(log_fd, 2)
    os.close(log_fd)
    try:
        with os.fdopen(connection_fd, "rb") as connection:
            connection_text = connection.read(1 << 16)
        _make_namespaces()
        _make_scratch(request, workdir_fd, connection_text)
    except (SetupError, OSError, subprocess.CalledProcessError) as error:
        message = str(error)
        os.write(2, f"sandbox setup: {message}\n".encode())
        reply.sendall(b"error: " + message.encode()[:2000])
        return 1
    os.close(workdir_fd)
    # Last: the first process forked after this is PID 1 of the kernel's namespace.
    _checked(_libc.unshare(_CLONE_NEWPID), "cannot make the kernel's PID namespace")
    init = os.fork()
    if init == 0:
        status = 1
        try:
            reply.close()
            status = _init(request)
        finally:
            os._exit(status)
    pidfd = os.pidfd_open(init)
    socket.send_fds(reply, [b"ok"], [pidfd])
    return 0


def _make_namespaces() -> None:
    _checked(_libc.unshare(_CLONE_NEWNS | _CLONE_NEWIPC | _CLONE_NEWNET | _CLONE_NEWUTS),
             "cannot make the kernel's namespaces")
    _mount(None, "/", None, _MS_REC | _MS_PRIVATE)
    _loopback_up()


def _loopback_up() -> None:
    """The kernel's network is its own loopback only (as bubblewrap's --unshare-net)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        request = struct.pack("16sH22x", b"lo", 0)
        flags = struct.unpack("16sH22x", fcntl.ioctl(probe, _SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(probe, _SIOCSIFFLAGS, struct.pack("16sH22x", b"lo", flags | _IFF_UP))


def _make_scratch(request: dict, workdir_fd: int, connection_text: bytes) -> None:
    """All the kernel may write, on one bounded tmpfs, bound where the kernel finds it."""
    uid = request["uid"]
    scratch = Path(SCRATCH_POINT)
    _mount("graders-scratch", SCRATCH_POINT, "tmpfs", _MS_NOSUID | _MS_NODEV,
           request["tmpfs"])
    for name, mode in (("work", 0o700), ("run", 0o700), ("tmp", 0o1777), ("shm", 0o1777)):
        (scratch / name).mkdir()
        os.chmod(scratch / name, mode)  # mkdir's mode is masked by the umask
    copied = subprocess.run(
        ["cp", "-R", "-P", "--preserve=mode,timestamps", f"/proc/self/fd/{workdir_fd}/.",
         str(scratch / "work")], pass_fds=(workdir_fd,), stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL)  # its errors, on fd 2, go to the launch log
    if copied.returncode != 0:
        raise SetupError(request["too_large"])
    connection = scratch / "run" / "connection.json"
    connection.write_bytes(connection_text)
    os.chmod(connection, 0o600)
    subprocess.run(["chown", "-R", "-P", f"{uid}:{uid}", str(scratch / "work"),
                    str(scratch / "run")], check=True, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL)
    for name, folder in (("tmp", "/tmp"), ("shm", "/dev/shm")):
        _keep(request["kept"], Path(folder), scratch / name)
        _mount(str(scratch / name), folder, None, _MS_BIND | _MS_REC)
    _make_mount_points([Path(request["workdir"]), Path(request["run"])], request["anchors"])
    _mount(str(scratch / "work"), request["workdir"], None, _MS_BIND)
    _mount(str(scratch / "run"), request["run"], None, _MS_BIND)
    _checked(_libc.umount2(SCRATCH_POINT.encode(), _MNT_DETACH),
             "cannot detach the scratch space")


def _keep(kept: list[dict], folder: Path, fresh: Path) -> None:
    """What the nursery shows inside ``folder`` (the modules, data or links a cold kernel
    would see there), bound read-only into ``fresh``, which is about to cover it."""
    for item in kept:
        path = Path(item["path"])
        if folder not in path.parents:
            continue
        target = fresh / path.relative_to(folder)
        target.parent.mkdir(parents=True, exist_ok=True)
        if "link" in item:
            target.symlink_to(item["link"])
            continue
        if path.is_dir():
            target.mkdir()
        else:
            target.touch()
        _mount(str(path), str(target), None, _MS_BIND | _MS_REC)
        _mount(None, str(target), None,
               _MS_REMOUNT | _MS_BIND | _MS_RDONLY | _MS_NOSUID | _MS_NODEV)


def _make_mount_points(paths: list[Path], anchors: list[str]) -> None:
    """Make the folders ``paths`` to mount on. Each lies inside the kernel's own /tmp or
    inside an anchor: a folder the nursery made, covered first with a tmpfs of this
    kernel's own, so that no folder made for one student is seen by the next."""
    covered: list[Path] = []
    for anchor in sorted(map(Path, anchors), key=lambda path: len(path.parts)):
        if any(anchor == folder or folder in anchor.parents for folder in covered):
            continue
        try:
            anchor.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise SetupError(f"cannot make {anchor}: {error.strerror}") from None
        _mount("graders-paths", str(anchor), "tmpfs", _MS_NOSUID | _MS_NODEV,
               "size=64k,nr_inodes=64,mode=0755")
        covered.append(anchor)
    for path in paths:
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise SetupError(f"cannot make {path}: {error.strerror}") from None


def _init(request: dict) -> int:
    """Step 2: PID 1 of the kernel's namespace, as the kernel's user; ends with the kernel."""
    _mount("proc", "/proc", "proc", _MS_NOSUID | _MS_NODEV | _MS_NOEXEC)
    uid = request["uid"]
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    _drop_inheritable_capabilities()
    kernel = os.fork()
    if kernel == 0:
        status = 1
        try:
            status = _kernel(request)
        finally:
            os._exit(status)
    # The grader interrupts a cell (or ends the kernel) by signalling init: pass it on.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda received, _: os.kill(kernel, received))
    null = os.open(NULL, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.closerange(3, os.sysconf("SC_OPEN_MAX"))
    while True:
        try:
            pid, status = os.waitpid(-1, 0)
        except ChildProcessError:
            return 1
        if pid == kernel:
            return os.waitstatus_to_exitcode(status) & 0xFF


def _drop_inheritable_capabilities() -> None:
    """Leave no capability even in the inheritable set (the user switch empties the
    others), as a kernel started cold has none."""
    header = struct.pack("=Ii", _CAPABILITY_VERSION_3, 0)
    empty = ctypes.create_string_buffer(12 * 2)  # two {effective, permitted, inheritable}
    _checked(_libc.capset(ctypes.c_char_p(header), empty), "cannot drop capabilities")


def _kernel(request: dict) -> int:
    """Step 3: the kernel itself, limited, with nothing of the zygote's but its imports.

    Until ipykernel runs, fd 2 is the launch log: what stops the kernel here (a memory
    limit too low for it, say) is said there, as a cold kernel's Python would."""
    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for name, limit in request["limits"].items():
            resource.setrlimit(_LIMITS[name], (limit, limit))
        os.chdir(request["workdir"])
        os.environ.clear()
        os.environ.update(request["env"])
        numpy = sys.modules.get("numpy")
        if numpy is not None:  # as a cold start would: a fresh seed from the OS
            numpy.random.seed()
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))
        null = os.open(NULL, os.O_RDWR)
    except BaseException as error:
        os.write(2, f"kernel start: {type(error).__name__}: {error}\n".encode()[:2000])
        return 1
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    sys.argv = ["ipykernel_launcher", "-f", str(Path(request["run"]) / "connection.json"),
                *KERNEL_OPTIONS]
    runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)
    return 0
