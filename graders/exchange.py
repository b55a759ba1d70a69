"""Releasing feedback through nbgrader's exchange, in a class that did not all submit through it.

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
"""

from __future__ import annotations

import glob
import os
import stat

from nbgrader.exchange.default.release_feedback import ExchangeReleaseFeedback

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
