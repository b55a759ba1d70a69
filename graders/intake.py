"""Take in a submitted folder as untrusted data, before anything running as root reads it.

A submission arrives as a folder that a student made: from a learning platform's
archive (zip and tar carry symbolic links), a ``git clone``, nbgrader's exchange.
Grading reads it as root, so a link to a classmate's notebook, to the solutions
or to ``/etc/shadow``, a named pipe, or a link to ``/dev/zero`` would be followed
by whatever opened it. :func:`take_in` copies the folder into a private staging
folder, and nothing else is ever read from the original:

- only directories and regular files are taken; a link is never followed, and a
  device, FIFO or socket is never opened (each is checked with ``lstat`` before
  it is opened with ``O_NOFOLLOW | O_NONBLOCK``, and with ``fstat`` after);
- the number of files, the size of each and of all, and the depth are capped;
- the student's own folders on the way in (``<student>/<assignment>``) must be
  real folders, not links to a classmate's;
- every refused entry is named, with the reason, for the student's report.

The submitted files themselves are only read, never changed.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from traitlets import Integer
from traitlets.config import LoggingConfigurable

_DIRECTORY_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK
_CHUNK = 1 << 20
# Characters a student id may not hold: path and glob syntax (nbgrader globs ids),
# and control characters, which would reach a terminal or a CSV.
_ID_SYNTAX = set("/\\*?[]")


class SubmissionLimits(LoggingConfigurable):
    """What a submitted folder may hold (``c.SubmissionLimits.*`` in nbgrader_config.py)."""

    max_files = Integer(100, help="Files taken in per submission.").tag(config=True)
    max_file_mb = Integer(10, help="Largest file taken in, in MiB.").tag(config=True)
    max_total_mb = Integer(50, help="All files of a submission together, in MiB.").tag(
        config=True)
    max_depth = Integer(4, help="Folders nested inside the assignment folder.").tag(config=True)
    max_cells = Integer(1000, help="Cells of a notebook that are run.").tag(config=True)


@dataclass
class Intake:
    """A staged copy of a submission, and what was left out of it."""

    folder: Path
    refused: list[str] = field(default_factory=list)
    problem: str = ""  # why nothing could be taken in at all ('' when the folder was)
    files: int = 0
    bytes: int = 0

    def note(self) -> str:
        """The refusals in plain words, for the student's report ('' when none)."""
        if not self.refused:
            return ""
        shown = "; ".join(self.refused[:5])
        more = f"; and {len(self.refused) - 5} more" if len(self.refused) > 5 else ""
        return f"files not taken in: {shown}{more}"


def unusable_student_id(student: str) -> str:
    """Why a student id cannot be used as a folder name and gradebook key ('' if it can)."""
    if not student or student in {".", ".."} or len(student) > 128:
        return "the student id is empty, '.', '..' or longer than 128 characters"
    if any(not char.isprintable() for char in student):
        return "the student id contains control characters"
    if _ID_SYNTAX & set(student) or student.startswith("."):
        return ("the student id contains path or wildcard characters (/ \\ * ? [ ]) or "
                "starts with '.'")
    return ""


def take_in(submitted_root: Path, student: str, assignment: str, destination: Path,
            limits: SubmissionLimits | None = None) -> Intake:
    """Copy ``submitted_root/<student>/<assignment>`` into ``destination``, as described above."""
    limits = limits or SubmissionLimits()
    intake = Intake(destination)
    problem = unusable_student_id(student)
    if problem:
        intake.problem = problem
        return intake
    root = os.open(submitted_root, os.O_RDONLY | os.O_DIRECTORY)  # the instructor's folder
    opened = [root]
    try:
        for name, what in ((student, "the student's folder"),
                           (assignment, "the assignment folder")):
            kind = _kind(name, opened[-1])
            if kind is None:
                intake.problem = "no submission folder"
                return intake
            if kind != "directory":
                intake.problem = (f"{what} ({name}) is {kind}, not a folder; only real "
                                  "folders and files are taken in")
                return intake
            opened.append(os.open(name, _DIRECTORY_FLAGS, dir_fd=opened[-1]))
        take_in_opened(opened[-1], intake, limits)
    finally:
        for fd in opened:
            os.close(fd)
    return intake


def _kind(name: str, dir_fd: int) -> str | None:
    """What an entry is, without following it; None if there is no such entry."""
    try:
        mode = os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode
    except FileNotFoundError:
        return None
    if stat.S_ISDIR(mode):
        return "directory"
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def take_in_opened(folder: int, intake: Intake, limits: SubmissionLimits) -> Intake:
    """Copy the folder open as ``folder`` (a descriptor, e.g. one whose owner was checked
    on it) into ``intake.folder``, as ``take_in`` does, noting what was left out."""
    intake.folder.mkdir(parents=True, exist_ok=True)
    _copy_folder(folder, intake.folder, "", 0, intake, limits)
    return intake


def _copy_folder(dir_fd: int, destination: Path, prefix: str, depth: int, intake: Intake,
                 limits: SubmissionLimits) -> None:
    for name in sorted(os.listdir(dir_fd)):
        shown = f"{prefix}{name}"
        kind = _kind(name, dir_fd)
        if kind == "directory":
            if depth >= limits.max_depth:
                intake.refused.append(f"{shown}/ is nested more than {limits.max_depth} "
                                      "folders deep")
                continue
            child = os.open(name, _DIRECTORY_FLAGS, dir_fd=dir_fd)
            try:
                (destination / name).mkdir()
                _copy_folder(child, destination / name, f"{shown}/", depth + 1, intake, limits)
            finally:
                os.close(child)
        elif kind == "file":
            refusal = _copy_file(name, dir_fd, destination / name, intake, limits)
            if refusal:
                intake.refused.append(f"{shown} {refusal}")
        elif kind is not None:
            intake.refused.append(f"{shown} is {kind} (never followed or opened)")


def _copy_file(name: str, dir_fd: int, target: Path, intake: Intake,
               limits: SubmissionLimits) -> str:
    """Copy one regular file within the limits; '' when copied, else why not."""
    if intake.files >= limits.max_files:
        return f"is past the limit of {limits.max_files} files"
    file_cap = limits.max_file_mb * 2**20
    room = min(file_cap, limits.max_total_mb * 2**20 - intake.bytes)
    try:
        fd = os.open(name, _FILE_FLAGS, dir_fd=dir_fd)
    except OSError as error:  # replaced by a link or a pipe since it was looked at
        return f"could not be opened safely ({error.strerror})"
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return "changed into something other than a regular file while it was read"
        data = bytearray()
        while len(data) <= room:
            chunk = os.read(fd, min(_CHUNK, room + 1 - len(data)))
            if not chunk:
                break
            data += chunk
    finally:
        os.close(fd)
    if len(data) > room:
        if room < file_cap:
            return (f"would take the submission past {limits.max_total_mb} MiB in all")
        return f"is larger than {limits.max_file_mb} MiB"
    target.write_bytes(bytes(data))
    intake.files += 1
    intake.bytes += len(data)
    return ""
