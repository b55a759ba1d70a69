"""nbgrader plumbing for the feedback students get back.

Feedback is built from what the student submitted (their cells, as nbgrader
restored them) plus the verdicts, never from what the graded run printed:
whatever the kernel saw while the hidden tests ran (their inputs, the running
cell's source in ``In[-1]``) could otherwise be smuggled into any later output.
``FeedbackFromVerdicts``, first in ``c.GenerateFeedback.preprocessors``, replaces
every code cell's outputs: a test cell shows its verdict (passed, or the
grader's message), every other cell shows nothing. nbgrader's
``ClearHiddenTests`` then removes the hidden tests' source.

Students write the markdown cells too, and an instructor opens the pages:
``SanitiseMarkdown`` renders each markdown cell and keeps only harmless HTML (no
script, event handlers, ``javascript:`` links, styles or frames). nbgrader's
feedback template renders markdown without nbconvert's ``sanitize_html``, hence
this step. The course's figures are cell attachments (``attachment:name.png``):
they are rendered from the cell's own attachments into ``data:`` images, as
nbconvert's HTML exporter does; a reference to an attachment the cell does not
carry shows its alt text instead of failing the student's feedback.
"""

import bleach
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor

from .autograde_steps import VERDICT_KEY

# What rendered markdown needs, and nothing that runs.
SAFE_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "code", "del", "details", "div", "em", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
})
SAFE_ATTRIBUTES = {
    "*": ["class", "title", "align"],
    "a": ["href", "title", "class"],
    "img": ["src", "alt", "title", "width", "height"],
}
SAFE_PROTOCOLS = frozenset({"http", "https", "mailto", "data"})

PASSED = "✓ passed · 通过\n"


class FeedbackFromVerdicts(NbGraderPreprocessor):  # enabled by default, unlike nbconvert's
    """Show each test cell's verdict, and none of the graded run's outputs."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        meta = cell.metadata.get("nbgrader", {})
        is_test = meta.get("grade") and not meta.get("solution")
        verdict = cell.metadata.get(VERDICT_KEY)
        failed = any(output.get("output_type") == "error" for output in cell.get("outputs", []))
        cell.outputs = []
        if not is_test:
            return cell, resources
        if isinstance(verdict, dict):
            passed, message = bool(verdict.get("passed")), str(verdict.get("message", ""))
        else:  # a test cell the engine does not judge: nbgrader's own pass or fail
            passed, message = not failed, "the test failed · 测试未通过"
        if passed:
            cell.outputs.append(new_output("stream", name="stdout", text=PASSED))
        else:
            cell.outputs.append(new_output("error", ename="TestFailed", evalue=message,
                                           traceback=verdict_lines(message)))
        return cell, resources


class _AttachmentRenderer(IPythonRenderer):
    """nbconvert's markdown renderer, lenient about attachments the cell lacks."""

    def image(self, text: str, url: str, title: str | None = None) -> str:
        name = url.removeprefix("attachment:")
        bundle = self.attachments.get(name)
        if name != url and not (isinstance(bundle, dict) and bundle):
            url = ""  # nbconvert would raise; the alt text stays
        return super().image(text, url, title)


def markdown2html(cell) -> str:
    """A markdown cell as HTML, its image attachments embedded as ``data:`` URIs."""
    attachments = cell.get("attachments")
    images = {
        name: {mime: data for mime, data in bundle.items()
               if str(mime).startswith("image/") and isinstance(data, str)}
        for name, bundle in (attachments.items() if isinstance(attachments, dict) else ())
        if isinstance(bundle, dict)
    }
    renderer = _AttachmentRenderer(escape=False, attachments=images)
    return MarkdownWithMath(renderer=renderer).render(cell.source)


def verdict_lines(message: str, width: int = 90) -> list[str]:
    """A failed verdict as the page shows it: a long "English · 中文" line becomes one
    line per language, since the page does not wrap it."""
    lines = []
    for line in message.splitlines():
        lines.extend(line.split(" · ") if len(line) > width else [line])
    return [f"✗ {lines[0]}" if lines else "✗", *(f"  {line}" for line in lines[1:])]


class SanitiseMarkdown(NbGraderPreprocessor):
    """Render every markdown cell to HTML and keep only what cannot run (see the module)."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown":
            # markdown2html leaves HTML as it is, so the template's own pass changes nothing.
            cell.source = bleach.clean(markdown2html(cell), tags=SAFE_TAGS,
                                       attributes=SAFE_ATTRIBUTES, protocols=SAFE_PROTOCOLS,
                                       strip=True)
        return cell, resources
