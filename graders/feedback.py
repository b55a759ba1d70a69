"""nbgrader plumbing for the pages nbgrader writes as HTML: feedback, and the formgrader's.

Feedback is built from what the student submitted (their cells, as nbgrader
restored them) plus the verdicts, never from what the graded run printed:
whatever the kernel saw while the hidden tests ran (their inputs, the running
cell's source in ``In[-1]``) could otherwise be smuggled into any later output.
``FeedbackFromVerdicts``, first in ``c.GenerateFeedback.preprocessors``, replaces
every code cell's outputs: a test cell shows its verdict (passed, or the
grader's message), every other cell shows nothing. nbgrader's
``ClearHiddenTests`` then removes the hidden tests' source.

Students write the markdown cells too, and an instructor opens the pages. nbgrader's
templates (feedback and formgrader) render markdown without nbconvert's
``sanitize_html``, so the course replaces their ``markdown2html`` filter with the
one here (``c.HTMLExporter.filters`` in nbgrader_config.py): it renders each cell
and keeps only harmless HTML (no script, event handlers, ``javascript:`` links,
styles or frames); ``sanitise``, the same allow-list, replaces ``clean_html``, which
sanitises outputs. Formulas become MathML as the page is written, which browsers
draw by themselves: a feedback file opened offline, or a formgrader with no
internet, shows them (nbgrader's templates load MathJax from a CDN, whatever the
exporter's ``mathjax_url`` says). A formula latex2mathml cannot read keeps its TeX
source, which that MathJax still typesets where the CDN can be reached.
The course's figures are cell attachments (``attachment:name.png``): they are
rendered from the cell's own attachments into ``data:`` images, as nbconvert's
HTML exporter does; a reference to an attachment the cell does not carry shows
its alt text instead of failing the page.
"""

import functools
import html
import re
from xml.etree.ElementTree import tostring

import bleach
import jinja2
import jinja2.bccache
from bs4 import BeautifulSoup
from latex2mathml.converter import convert_to_element
from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbformat.v4 import new_output
from nbgrader.preprocessors import ClearHiddenTests as NbgraderClearHiddenTests
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import List, Unicode

from .conventions import METADATA_KEY

# What rendered markdown needs, and nothing that runs.
HTML_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "code", "del", "details", "div", "em", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
})
# Every element latex2mathml writes: presentation only. Not maction, semantics or
# annotation-xml (which may carry HTML), nor mglyph (an image to load).
MATHML_TAGS = frozenset({
    "math", "menclose", "mfrac", "mi", "mn", "mo", "mover", "mpadded", "mphantom", "mroot",
    "mrow", "mspace", "msqrt", "mstyle", "msub", "msubsup", "msup", "mtable", "mtd", "mtext",
    "mtr", "munder", "munderover",
})
# Every attribute latex2mathml writes, but its href (\href) and style (\style): layout,
# sizes and colours, nothing that loads or runs.
MATHML_ATTRIBUTES = [
    "accent", "columnalign", "columnlines", "columnspacing", "depth", "display",
    "displaystyle", "fence", "form", "height", "largeop", "linebreak", "linethickness",
    "lspace", "mathbackground", "mathcolor", "mathsize", "mathvariant", "maxsize", "minsize",
    "movablelimits", "notation", "rowspacing", "rspace", "scriptlevel", "separator",
    "stretchy", "voffset", "width",
]
SAFE_TAGS = HTML_TAGS | MATHML_TAGS
SAFE_ATTRIBUTES = {
    "*": ["class", "title", "align"],
    "a": ["href", "title", "class"],
    "img": ["src", "alt", "title", "width", "height"],
    **{tag: MATHML_ATTRIBUTES for tag in MATHML_TAGS},
}
SAFE_PROTOCOLS = frozenset({"http", "https", "mailto", "data"})

# What a page may cost to write stays bounded whatever a student pastes: the sanitiser's
# parser (html5lib) takes time quadratic in the elements of one text, and a formula
# becomes about one element per character of TeX. The course's markdown cells hold at
# most about 2,000 characters, 424 of them in formulas; a longer cell is shown as its
# source, and the formulas of a cell past the TeX budget stay TeX.
MAX_MARKDOWN_CHARS = 20_000
MAX_TEX_CHARS = 3_000
TOO_LONG = ("This cell is too long to be rendered; its text follows. · "
            "此单元格太长，无法渲染，下面是它的原文。")

PASSED = "✓ passed · 通过\n"


class FeedbackStep(NbGraderPreprocessor):
    """A step of ``nbgrader generate_feedback``, quiet in its HTML exporter.

    nbgrader's preprocessors redeclare nbconvert's configurable ``display_data_priority``
    as not configurable, and the HTML exporter configures it for every nbconvert class,
    so each of them logged "Config option `display_data_priority` not recognized".
    Declared configurable again, as nbgrader's own GetGrades does, the value (which
    no step uses) is simply accepted.
    """

    display_data_priority = List(Unicode()).tag(config=True)


class ClearHiddenTests(FeedbackStep, NbgraderClearHiddenTests):
    """nbgrader's ClearHiddenTests, configured as it is (``c.ClearHiddenTests``), quiet."""


class FeedbackFromVerdicts(FeedbackStep):  # enabled by default, unlike nbconvert's
    """Show each test cell's verdict, and none of the graded run's outputs."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        meta = cell.metadata.get("nbgrader", {})
        is_test = meta.get("grade") and not meta.get("solution")
        verdict = cell.metadata.get(METADATA_KEY)
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


def verdict_lines(message: str, width: int = 90) -> list[str]:
    """A failed verdict as the page shows it: a long "English · 中文" line becomes one
    line per language, since the page does not wrap it."""
    lines = []
    for line in message.splitlines():
        lines.extend(line.split(" · ") if len(line) > width else [line])
    return [f"✗ {lines[0]}" if lines else "✗", *(f"  {line}" for line in lines[1:])]


def formula(tex: str, display: str) -> str | None:
    """A formula as MathML (``display``: "inline" or "block"), or None when latex2mathml
    cannot read it."""
    try:
        math = convert_to_element(tex, display=display)
    except Exception:  # latex2mathml raises many kinds on malformed TeX: keep the source
        return None
    # latex2mathml writes symbols as character references in the text ("&#x003C3;") and
    # unescapes its whole output, a student's text included; as characters again, every
    # text is escaped exactly once, by tostring.
    for node in math.iter():
        node.text = node.text and html.unescape(node.text)
        node.tail = node.tail and html.unescape(node.tail)
    return tostring(math, encoding="unicode")


class _CourseRenderer(IPythonRenderer):
    """nbconvert's markdown renderer, with formulas as MathML, lenient about attachments."""

    def __init__(self, **options):
        super().__init__(**options)
        self.tex_budget = MAX_TEX_CHARS

    def _mathml(self, tex: str, display: str) -> str | None:
        self.tex_budget -= len(tex)
        return formula(tex, display) if self.tex_budget >= 0 else None

    def block_math(self, body: str) -> str:
        return self._mathml(body, "block") or super().block_math(body)

    def inline_math(self, body: str) -> str:
        return self._mathml(body, "inline") or super().inline_math(body)

    def latex_environment(self, name: str, body: str) -> str:
        tex = f"\\begin{{{name}}}{body}\\end{{{name}}}"
        return self._mathml(tex, "block") or super().latex_environment(name, body)

    def image(self, text: str, url: str, title: str | None = None) -> str:
        name = url.removeprefix("attachment:")
        bundle = self.attachments.get(name)
        if name != url and not (isinstance(bundle, dict) and bundle):
            url = ""  # nbconvert would raise; the alt text stays
        return super().image(text, url, title)


def render_markdown(source: str, attachments: object = None) -> str:
    """Markdown as safe HTML: formulas as MathML, image attachments as ``data:`` URIs."""
    if len(source) > MAX_MARKDOWN_CHARS:
        return f"<p>{TOO_LONG}</p><pre>{html.escape(source)}</pre>"
    images = tuple(sorted(
        (str(name), tuple(sorted((str(mime), data) for mime, data in bundle.items()
                                 if str(mime).startswith("image/") and isinstance(data, str))))
        for name, bundle in (attachments.items() if isinstance(attachments, dict) else ())
        if isinstance(bundle, dict)
    ))
    size = len(source) + sum(len(data) for _, bundle in images for _, data in bundle)
    render = _render_remembered if size <= MAX_REMEMBERED_CHARS else _render
    return render(source, images)


# A class's feedback pages share their markdown cells (the lesson's text and figures), and
# rendering them is a quarter of what a page costs: each worker renders each once. Only
# cells of the size of the course's own (at most about 106,000 characters with their
# figure) are kept, so that what students paste costs at most ~25 MB of a worker's memory.
MAX_REMEMBERED_CHARS = 128_000


def _render(source: str, images: tuple) -> str:
    attachments = {name: dict(bundle) for name, bundle in images}
    rendered = MarkdownWithMath(renderer=_CourseRenderer(escape=False, attachments=attachments))
    return sanitise(rendered.render(source))


_render_remembered = functools.lru_cache(maxsize=96)(_render)


def sanitise(html_text: str) -> str:
    """Only the allowed tags, attributes and link protocols of ``html_text``: nothing that
    runs or loads. Also nbgrader's pages' ``clean_html`` filter (for students' HTML and
    markdown outputs), so that one allow-list, MathML included, holds for the whole page."""
    return bleach.clean(html_text, tags=SAFE_TAGS, attributes=SAFE_ATTRIBUTES,
                        protocols=SAFE_PROTOCOLS, strip=True)


class _CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once per process, checked against their source's checksum."""

    def __init__(self):
        self._code: dict[str, tuple[str, object]] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        checksum, code = self._code.get(bucket.key, (None, None))
        if checksum == bucket.checksum:
            bucket.code = code

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = (bucket.checksum, bucket.code)


_COMPILED = _CompiledTemplates()


# What nbconvert's accessibility pass over a written page changes: an image without a
# description, JupyterLab's cell and output wrappers (given keyboard focus). The course's
# markdown images carry a description; feedback pages hold no outputs but text.
_ACCESSIBILITY_TARGETS = re.compile(
    r"<img\b(?![^>]*\salt=)|jp-Cell-inputWrapper|jp-OutputArea-output", re.IGNORECASE)
_NO_DESCRIPTION = "No description has been provided for this image"
# A verdict quotes the lesson in lines wider than the page: they wrap, instead of running
# on behind a scroll bar that a reader may never notice (at spaces: Bootstrap breaks
# its pre text anywhere).
OUTPUT_WRAPPING = ("<style>div.output_subarea pre{white-space:pre-wrap;word-break:normal;"
                   "overflow-wrap:anywhere}</style>")


class FeedbackExporter(HTMLExporter):
    """nbconvert's HTML exporter, compiling nbgrader's page templates once per process,
    parsing a written page again only when that changes it, and wrapping long output lines.

    nbgrader makes a new exporter, with a new template environment, for every page it
    writes: compiling the same templates again is a sixth of what a page costs. Then
    nbconvert parses the whole page (about 400 kB, mostly its style sheet) to give images
    a description and JupyterLab's cells keyboard focus: half of what is left, for a page
    with neither (nbgrader's feedback template).
    """

    def _create_environment(self):
        environment = super()._create_environment()
        environment.bytecode_cache = _COMPILED
        return environment

    def from_notebook_node(self, nb, resources=None, **kw):
        # HTMLExporter.from_notebook_node, with its final pass only where it has work.
        language = nb.metadata.get("language_info", {})
        lexer = language.get("pygments_lexer", language.get("name", None))
        highlight_code = self.filters.get(
            "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
        resources = self._init_resources(resources)
        self.register_filter("highlight_code", highlight_code)
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources))
        page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        page = page.replace("</head>", f"{OUTPUT_WRAPPING}\n</head>", 1)
        if not _ACCESSIBILITY_TARGETS.search(page):
            return page, resources
        soup = BeautifulSoup(page, features="html.parser")
        for element in soup.select("img:not([alt])"):
            element.attrs["alt"] = _NO_DESCRIPTION
        for element in soup.select(".jp-Notebook div.jp-Cell-inputWrapper, "
                                   ".jp-Notebook div.jp-OutputArea-output"):
            element.attrs["tabindex"] = "0"
        return str(soup), resources


@jinja2.pass_context
def markdown2html(context, source: str) -> str:
    """The ``markdown2html`` filter of nbgrader's HTML pages: ``render_markdown`` with
    the attachments of the cell being written, as nbconvert's own filter takes them."""
    cell = context.get("cell") or {}
    return render_markdown(source, cell.get("attachments"))
