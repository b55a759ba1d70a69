"""Does a cell's printed text read as on screen, and in time linear in its length?"""

from __future__ import annotations

import time

import pytest
from nbformat.v4 import new_output

from graders.streams import as_on_screen, merge_streams


def stream(text: str, name: str = "stdout"):
    return new_output("stream", name=name, text=text)


def test_the_parts_of_each_stream_become_one_output_in_place():
    figure = new_output("display_data", data={"text/plain": "<Figure>"})
    merged = merge_streams([stream("a"), stream("oops\n", "stderr"), figure, stream("b\n")])
    assert [(o.output_type, o.get("name"), o.get("text")) for o in merged] == [
        ("stream", "stdout", "ab\n"), ("stream", "stderr", "oops\n"),
        ("display_data", None, None)]


@pytest.mark.parametrize(("printed", "seen"), [
    ("10%\r50%\r100%\n", "100%\n"),
    ("a\rb\nc\rd", "b\nd"),
    ("line ends the Windows way\r\n", "line ends the Windows way\r\n"),
    ("ends in a return\r", "ends in a return\r"),
    ("abc\b\bX\n", "aX\n"),
    ("\bno char to erase\n", "no char to erase\n"),
    ("line\n\b", "line\n"),  # a backspace does not cross a line
    ("no control characters", "no control characters"),
])
def test_returns_and_backspaces_overwrite_as_a_console_does(printed, seen):
    assert as_on_screen(printed) == seen


@pytest.mark.parametrize("line", ["z" * 2_000_000, "z" * 1_000_000 + "\r" + "y" * 1_000_000,
                                  "z\b" * 1_000_000])
def test_a_megabyte_line_takes_well_under_a_second(line):
    # nbclient's regular expression took minutes on the first of these.
    started = time.perf_counter()
    merge_streams([stream(line), stream("\n")])
    assert time.perf_counter() - started < 1.0
