"""nbgrader's exchange, collecting from a folder students write and releasing feedback to a class.

A class hands in work in two ways. Through nbgrader's exchange (``nbgrader submit``,
then ``nbgrader collect``): each submission carries ``timestamp.txt`` and the
student's ``submission_secret.txt``, and ``nbgrader fetch_feedback`` finds the
released feedback by that secret. From a learning platform, the instructor places
the files in ``submitted/<student>/<assignment>/`` by hand: there is no secret, no
student could fetch feedback released for it, and nbgrader's own release step stops
at the first such student with a ``FileNotFoundError``, releasing nobody after them.

:class:`ReleaseFeedback` (``c.ExchangeFactory.release_feedback`` in
nbgrader_config.py, used by ``nbgrader release_feedback`` and the formgrader's
"Release feedback" button) releases the feedback of every exchange submission as
nbgrader does, and names the others, whose feedback goes back through the platform.

:class:`Collect` (``c.ExchangeFactory.collect``, used by ``nbgrader collect`` and the
formgrader's "Collect" button) is nbgrader's collect for an inbound folder that every
student can write. nbgrader takes the student's id from a folder's name, only warns
when the folder's owner differs, and copies it following links, as the instructor.
Here a folder is refused (and named in the log, with why) when it is a link or not a
folder, when its name holds an unusable student id, when ``check_owner`` is on and
its owner is not the account it names, or when it holds no regular file (it would
replace an earlier submission by nothing). A student id that is no account on this
machine (a course off JupyterHub, ids that are not Unix names) leaves no owner to
check against: that folder is collected, and nbgrader warns as before. Of each
student's folders, the latest that is not refused is collected, so a forged later one
neither replaces nor hides the student's own. Its content is taken in as
``graders.intake`` takes a submission in (regular files only, within
``c.SubmissionLimits``), from the very folder whose owner was checked, and nbgrader's
own copy (``ignore``, ``include``, ``max_file_size``) then runs on that copy.
"""

from __future__ import annotations

import glob
import os
import pwd
import stat
import tempfile
from pathlib import Path

from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.exchange.default.release_feedback import ExchangeReleaseFeedback

# take_in opens a submission by its path; collect copies from the very folder whose owner
# it checked (a student could swap folders in between), so it uses intake's copy of an
# opened folder.
from .intake import Intake, SubmissionLimits, take_in_opened, unusable_student_id
from .safe_text import for_terminal

# What `nbgrader submit` leaves beside a submission, and `collect` brings into submitted/.
EXCHANGE_RECEIPTS = ("timestamp.txt", "submission_secret.txt")


def came_through_exchange(feedback_folder: str) -> bool:
    """Whether a student's feedback folder holds the receipts of an exchange submission.

    The receipts were copied from what the student handed in: they count only as
    regular files, never as links.
    """
    for name in EXCHANGE_RECEIPTS:
        try:
            if not stat.S_ISREG(os.lstat(os.path.join(feedback_folder, name)).st_mode):
                return False
        except FileNotFoundError:
            return False
    return True


class ReleaseFeedback(ExchangeReleaseFeedback):
    """nbgrader's release of feedback, for the exchange's submissions only; others are named."""

    def copy_files(self) -> None:
        pattern = self.src_path  # feedback/<student or *>/<assignment>
        by_hand = []
        try:
            for folder in sorted(glob.glob(pattern)):
                if came_through_exchange(folder):
                    self.src_path = glob.escape(folder)  # nbgrader's step, for one student
                    super().copy_files()
                else:
                    by_hand.append(for_terminal(os.path.basename(os.path.dirname(folder))))
        finally:
            self.src_path = pattern
        if by_hand:
            pages = os.path.join(os.path.dirname(os.path.dirname(pattern)), "<student>",
                                 os.path.basename(pattern), "*.html")
            self.log.warning(
                "Feedback not released for %s: their work did not come through nbgrader's "
                "exchange (it lacks %s). Hand it back where it came from (a learning platform, "
                "e-mail): %s", ", ".join(by_hand), " or ".join(EXCHANGE_RECEIPTS), pages)


_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW


class Collect(ExchangeCollect):
    """nbgrader's collect, taking from the inbound folder only each student's own files."""

    def _path_to_record(self, path: str) -> dict:
        record = super()._path_to_record(path)
        try:
            record["refusal"] = self.refusal(record["username"], os.lstat(path))
        except OSError as error:
            record["refusal"] = f"it cannot be read ({error.strerror}) · 无法读取"
        if record["refusal"]:
            self.log_refusal(path, record["refusal"])
        return record

    def _sort_by_timestamp(self, records: list[dict]) -> list[dict]:
        # nbgrader collects the first of a student's records: the latest not refused
        # (a refused one only when all are, and copy_files then drops it).
        return super()._sort_by_timestamp(
            [record for record in records if not record["refusal"]] or records)

    def refusal(self, student: str, status: os.stat_result) -> str:
        """Why an inbound entry so made is not collected as ``student``'s work ('' if it is)."""
        problem = unusable_student_id(student)
        if problem:
            return f"{problem} · 文件夹名中的学生 id 无法使用"
        if stat.S_ISLNK(status.st_mode):
            return "it is a symbolic link, not a folder · 它是符号链接，不是文件夹"
        if not stat.S_ISDIR(status.st_mode):
            return "it is not a folder · 它不是文件夹"
        if not self.check_owner:
            return ""
        try:
            named = pwd.getpwnam(student).pw_uid
        except KeyError:
            return ""  # no such account: nothing to check the owner against
        if status.st_uid != named:
            try:
                owner = pwd.getpwuid(status.st_uid).pw_name
            except KeyError:
                owner = f"uid {status.st_uid}"
            return (f"it is named for {student} but owned by {owner} · "
                    f"文件夹以 {student} 命名，所有者却是 {owner}")
        return ""

    def log_refusal(self, path: str, reason: str) -> None:
        # Why first: the formgrader shows the log in a narrow box, and the folder's name
        # (who and when) is long.
        folder = os.path.basename(path)
        self.log.warning(for_terminal(f"Not collected · 未收取: {reason} — {folder}"))

    def copy_files(self) -> None:
        # Everything is taken in before nbgrader's step, which deletes a student's earlier
        # submission before it copies the new one: a refused folder must replace nothing.
        with tempfile.TemporaryDirectory(prefix="collect-") as staging:
            self.taken_in = {}
            collected = []
            for record in self.src_records:
                if record["refusal"]:
                    continue  # logged when it was read
                path = os.path.join(self.inbound_path, record["filename"])
                intake = self.take_in(record["username"], path, Path(staging, record["filename"]))
                if intake:
                    self.taken_in[path] = intake.folder
                    collected.append(record)
            self.src_records = collected
            super().copy_files()

    def take_in(self, student: str, path: str, destination: Path) -> Intake | None:
        """Copy the folder's regular files, after checking the folder opened; None if refused."""
        try:
            folder = os.open(path, _FOLDER_FLAGS)
        except OSError as error:  # replaced by a link or a file since it was looked at
            self.log_refusal(path, f"it cannot be opened as a folder ({error.strerror}) · "
                                   "无法作为文件夹打开")
            return None
        try:
            reason = self.refusal(student, os.fstat(folder))
            if not reason:
                intake = take_in_opened(folder, Intake(destination), SubmissionLimits(parent=self))
                reason = self.emptiness_or_excess(intake)
        finally:
            os.close(folder)
        if reason:
            self.log_refusal(path, reason)
            return None
        if intake.refused:
            self.log.warning(for_terminal(
                f"Left out · 未收取其中的: {intake.note()} — {os.path.basename(path)}"))
        return intake

    def emptiness_or_excess(self, intake: Intake) -> str:
        """Why what was taken in is no submission to collect ('' when it is one)."""
        if not intake.files:
            return ("it holds no regular file, and would replace an earlier submission by "
                    "nothing · 其中没有普通文件，不能用它取代之前的提交")
        # nbgrader would stop the whole collect at such a folder; only this one is refused.
        if intake.bytes > 1000 * self.coursedir.max_dir_size:
            return (f"its files come to more than max_dir_size ({self.coursedir.max_dir_size} "
                    "kB) · 文件总大小超过 max_dir_size")
        return ""

    def do_copy(self, src: str, dest: str, log=None) -> None:
        # nbgrader's copy (its ignore, include and max_file_size), of what was taken in.
        super().do_copy(str(self.taken_in[src]), dest, log)
