"""A cell's stream outputs as they read on screen, in time linear in their length.

One ``print`` can reach the grader as several stream messages; the graded
notebook (and the records hidden cells print) should read as printed: one output
per stream, with carriage returns and backspaces applied as a console applies them.

nbclient's own ``coalesce_streams`` does this with the regular expression
``.*\\r(?=[^\\n])``, which backtracks over every line: a single printed line of
a megabyte held a grading worker for a quarter of an hour. This does the same
work in one pass over the text.
"""

from __future__ import annotations

from nbformat import NotebookNode


def merge_streams(outputs: list[NotebookNode]) -> list[NotebookNode]:
    """One output per stream name, at the place of its first part; other outputs unchanged."""
    merged: list[NotebookNode] = []
    streams: dict[str, NotebookNode] = {}
    for output in outputs:
        if output.get("output_type") != "stream":
            merged.append(output)
        elif output.get("name") in streams:
            streams[output["name"]]["text"] += output.get("text", "")
        else:
            streams[output.get("name")] = output
            merged.append(output)
    for output in streams.values():
        output["text"] = as_on_screen(output.get("text", ""))
    return merged


def as_on_screen(text: str) -> str:
    """``text`` with what a carriage return or a backspace overwrites taken away."""
    if "\b" in text:
        text = _apply_backspaces(text)
    if "\r" in text:
        text = "\n".join(_after_last_return(line) for line in text.split("\n"))
    return text


def _after_last_return(line: str) -> str:
    # A return that ends the line ("\r\n" from Windows habits) overwrites nothing.
    last = line.rfind("\r", 0, len(line) - 1)
    return line if last < 0 else line[last + 1:]


def _apply_backspaces(text: str) -> str:
    kept: list[str] = []
    for char in text:
        if char == "\b" and kept and kept[-1] != "\n":
            kept.pop()
        elif char != "\b":
            kept.append(char)
    return "".join(kept)
