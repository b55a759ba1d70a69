"""Text a student controls, made harmless for where it is going: a terminal, a CSV file.

A student id is a folder name, and a kernel can print anything: escape sequences
that set a terminal's title, write its clipboard or fake a summary line, and
spreadsheet formulas that run when the instructor opens a CSV file.
"""

from __future__ import annotations

import io
import unicodedata

# OWASP "CSV injection": a cell starting with one of these is read as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def for_terminal(text: str, keep_newlines: bool = False) -> str:
    """Show control and invisible format characters (ESC, bidi overrides...) as escapes."""
    return "".join(
        char if (char == "\n" and keep_newlines) or not _is_control(char)
        else char.encode("unicode_escape").decode("ascii")
        for char in text
    )


def for_csv(value: object) -> object:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS) and not _is_number(value):
        return "'" + value
    return value


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"}


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


class EscapingStream(io.TextIOBase):
    """A text stream that passes everything on with control characters escaped.

    Grading workers write their logs (which quote student ids and notebook
    contents) through it, so nothing a student wrote reaches the terminal raw.
    """

    def __init__(self, stream):
        super().__init__()
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(for_terminal(text, keep_newlines=True))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    @property
    def encoding(self):
        return self._stream.encoding
