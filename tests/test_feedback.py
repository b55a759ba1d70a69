"""Do nbgrader's HTML pages show the course's formulas without MathJax, and run nothing a
student wrote?

``graders.feedback.markdown2html`` is the markdown filter of the feedback files and of the
formgrader (nbgrader_config.py): formulas become MathML, and only harmless HTML is kept.
The browser's view of both pages, offline, is tests/browser/test_formulas.py.
"""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser

import pytest
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

from course import ROOT
from graders.course_setup import assignment_ids, read, source_notebook
from graders.feedback import (
    MAX_MARKDOWN_CHARS,
    MAX_TEX_CHARS,
    SAFE_ATTRIBUTES,
    SAFE_TAGS,
    TOO_LONG,
    render_markdown,
    sanitise,
)


class _FormulaCounter(IPythonRenderer):
    """nbconvert's own markdown renderer, counting the formulas it would leave to MathJax."""

    def __init__(self):
        super().__init__(escape=False)
        self.formulas: list[str] = []

    def block_math(self, body):
        self.formulas.append(body)
        return super().block_math(body)

    def inline_math(self, body):
        self.formulas.append(body)
        return super().inline_math(body)

    def latex_environment(self, name, body):
        self.formulas.append(body)
        return super().latex_environment(name, body)

    def image(self, text, url, title=None):
        return ""  # figures are not counted (nor looked up)


def formulas_in(source: str) -> list[str]:
    """The TeX of every formula nbconvert finds in a markdown source."""
    counter = _FormulaCounter()
    MarkdownWithMath(renderer=counter).render(source)
    return counter.formulas


class _Elements(HTMLParser):
    """Every element of an HTML text: its tag and attributes, and the text of each."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[tuple[str, str]] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.texts.append((self.lasttag, data))


def structure(html_text: str) -> str:
    """The HTML with its attributes left out, to compare MathML trees."""
    return re.sub(r"<(/?\w+)[^>]*>", r"<\1>", html_text)


# --- Formulas ------------------------------------------------------------------------------

@pytest.mark.parametrize("assignment", assignment_ids())
def test_every_formula_of_the_course_becomes_mathml(assignment):
    """Does every formula of every source notebook become MathML, with no TeX left over?"""
    cells = [cell for cell in read(source_notebook(assignment)).cells
             if cell.cell_type == "markdown"]
    expected = sum(len(formulas_in(cell.source)) for cell in cells)
    assert expected > 0
    rendered = [render_markdown(cell.source, cell.get("attachments")) for cell in cells]
    assert sum(page.count("<math") for page in rendered) == expected
    for page in rendered:
        texts = _Elements(page).texts
        assert not [text for tag, text in texts if "$" in text and tag not in ("code", "pre")]
        # A command latex2mathml does not know is left as its name ("\lvert") in the math.
        assert not [text for tag, text in texts if tag.startswith("m") and "\\" in text]


@pytest.mark.parametrize(("tex", "expected"), [
    # The sigmoid: a fraction whose denominator holds a power with a minus sign.
    (r"$$\sigma(x) = \frac{1}{1 + e^{-x}}$$",
     "<mfrac><mrow><mn>1</mn></mrow><mrow><mn>1</mn><mo>+</mo>"
     "<msup><mi>e</mi><mrow><mo>−</mo><mi>x</mi></mrow></msup></mrow></mfrac>"),
    # The L1 loss: a sum with both limits, absolute value bars.
    (r"$\sum_{i=0}^{m-1} \lvert y^{(i)} \rvert$",
     "<mo>∑</mo><mrow><mi>i</mi><mo>=</mo><mn>0</mn></mrow>"
     "<mrow><mi>m</mi><mo>−</mo><mn>1</mn></mrow>"),
    (r"$\lvert y \rvert$", "<mo>|</mo><mi>y</mi><mo>|</mo>"),
    # The sigmoid's derivative: \bigl( ... \bigr), stretched parentheses around 1 − σ(x).
    (r"$\bigl(1 - \sigma(x)\bigr)$", "<mo>(</mo><mn>1</mn><mo>−</mo><mi>σ</mi>"),
    (r"$\begin{bmatrix} 0 & 3 \\ 1 & 6 \end{bmatrix}$",
     "<mtable><mtr><mtd><mn>0</mn></mtd><mtd><mn>3</mn></mtd></mtr>"
     "<mtr><mtd><mn>1</mn></mtd><mtd><mn>6</mn></mtd></mtr></mtable>"),
])
def test_a_formula_keeps_its_structure(tex, expected):
    """Is each kind of formula the course writes the right MathML tree?"""
    assert expected in structure(render_markdown(tex))


def test_display_formulas_are_blocks_and_inline_ones_are_not():
    """Does $$…$$ give a display formula and $…$ an inline one?"""
    page = render_markdown("Inline $x_1$ and display:\n\n$$x_1$$")
    assert '<math display="inline">' in page and '<math display="block">' in page


@pytest.mark.parametrize("broken", [r"$x^$", r"$$\left( x$$", r"${$"])
def test_a_formula_latex2mathml_cannot_read_keeps_its_source(broken):
    """Does a malformed formula show as its TeX (for MathJax, where it loads), not fail?"""
    page = render_markdown(f"Before {broken} after")
    assert "<math" not in page
    assert broken in page and "Before" in page and "after" in page


def test_formulas_past_a_cells_tex_budget_stay_tex():
    """Once a cell's formulas hold more TeX than the budget, do the rest stay TeX?"""
    fitting = MAX_TEX_CHARS // len("x_1")
    page = render_markdown("$x_1$ " * (fitting + 1))
    assert page.count("<math") == fitting
    assert page.count("$x_1$") == 1


@pytest.mark.parametrize(("what", "source"), [
    ("nested elements", "<span><i>x</i></span>" * 30_000),
    ("formulas", "$x$ " * 200_000),
])
def test_a_huge_cell_is_shown_as_its_source_at_once(what, source):
    """Is a cell past the size limit shown as its text, escaped, in bounded time?"""
    started = time.perf_counter()
    page = render_markdown(source)
    assert time.perf_counter() - started < 2
    assert page.startswith(f"<p>{TOO_LONG}</p><pre>")
    assert [tag for tag, _ in _Elements(page).elements] == ["p", "pre"]


def test_the_largest_cell_within_the_limits_is_written_quickly():
    """Does a cell at the limits (the TeX budget in one formula, then nested elements)
    take well under a second or so, though the sanitiser's time grows quadratically?"""
    formula = "$" + "x+" * (MAX_TEX_CHARS // 2 - 1) + "x$ "
    source = formula + "<span><i>x</i></span>" * ((MAX_MARKDOWN_CHARS - len(formula)) // 22)
    assert len(source) <= MAX_MARKDOWN_CHARS
    started = time.perf_counter()
    assert render_markdown(source).count("<math") == 1
    assert time.perf_counter() - started < 3


# --- Nothing that runs ---------------------------------------------------------------------

ATTACKS = {
    "script": "<script>window.owned = 1</script>",
    "event handler": '<img src="x" onerror="window.owned = 1">',
    "javascript: link": "[click](javascript:window.owned=1)",
    "obfuscated javascript: link": '<a href="jav&#x09;ascript:window.owned=1">x</a>',
    "frame": '<iframe src="javascript:window.owned=1"></iframe>',
    "style": '<p style="background:url(https://example.org/track)">x</p>',
    "svg script": "<svg><script>window.owned = 1</script></svg>",
    r"TeX \href": r"$\href{javascript:window.owned=1}{x}$",
    r"TeX \style": r"$\style{background:url(https://example.org/track)}{x}$",
    r"TeX \text with HTML": r"$\text{<img src=x onerror=window.owned=1>}$",
    "MathML maction": '<math><maction actiontype="statusline" href="javascript:window.owned=1">'
                      "<mi>x</mi></maction></math>",
    "MathML annotation with HTML": '<math><semantics><annotation-xml encoding="text/html">'
                                   '<img src="x" onerror="window.owned=1">'
                                   "</annotation-xml></semantics></math>",
    "MathML xlink": '<math><mi xlink:href="javascript:window.owned=1">x</mi></math>',
    # Mutation XSS: elements whose namespace differs between two parses of the same text.
    "namespace confusion": "<math><mtext><table><mglyph><style><!--</style>"
                           '<img title="--&gt;&lt;img src=1 onerror=window.owned=1&gt;">',
}


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_nothing_a_student_writes_can_run_or_load(attack):
    """Are only allowed tags and attributes left, with no script, handler or javascript:?"""
    page = render_markdown(ATTACKS[attack])
    for tag, attributes in _Elements(page).elements:
        assert tag in SAFE_TAGS, (tag, page)
        allowed = {*SAFE_ATTRIBUTES["*"], *SAFE_ATTRIBUTES.get(tag, [])}
        assert set(attributes) <= allowed, (tag, attributes, page)
        for value in attributes.values():
            assert not re.sub(r"[\s\x00-\x1f]", "", value or "").lower().startswith(
                "javascript:"), page
    assert "<script" not in page.lower() and "<style" not in page.lower()


def test_the_output_filter_keeps_formulas_and_drops_scripts():
    """Does `sanitise` (nbgrader's clean_html for outputs) keep MathML and drop a script?"""
    page = sanitise(render_markdown("$x$") + "<script>window.owned = 1</script>")
    assert "<math" in page and "<script" not in page


# --- Figures -------------------------------------------------------------------------------

def test_an_attachment_becomes_a_data_image_and_a_missing_one_its_alt_text():
    """Is a cell's own attachment embedded, and a reference to a missing one only its alt?"""
    attachments = {"here.png": {"image/png": "iVBORw0KGgo="}}
    page = render_markdown("![a figure](attachment:here.png) ![gone](attachment:gone.png)",
                           attachments)
    images = [attributes for tag, attributes in _Elements(page).elements if tag == "img"]
    assert images[0]["src"] == "data:image/png;base64,iVBORw0KGgo="
    assert images[1]["alt"] == "gone" and not images[1].get("src")


def test_a_cell_every_page_shares_is_rendered_once_and_a_pasted_one_is_not_kept(monkeypatch):
    """Is a lesson cell (figure included) rendered once per worker, the same HTML every time,
    while a cell past the size of the course's own is rendered each time and never kept?"""
    from graders import feedback

    renders = []
    original = MarkdownWithMath.render
    monkeypatch.setattr(MarkdownWithMath, "render",
                        lambda self, source: renders.append(source) or original(self, source))
    feedback._render_remembered.cache_clear()
    figure = {"figure.png": {"image/png": "iVBORw0KGgo=" * 4000}}  # ~48 kB, as the course's
    lesson = "## 1. Sigmoid\n\n$\\sigma(x) = \\frac{1}{1+e^{-x}}$ ![σ](attachment:figure.png)"
    pages = [render_markdown(lesson, dict(figure)) for _ in range(3)]
    assert len(renders) == 1 and pages[0] == pages[1] == pages[2]
    assert "<math" in pages[0] and "data:image/png;base64," in pages[0]
    # The same text with another figure is another cell.
    render_markdown(lesson, {"figure.png": {"image/png": "R0lGODlh"}})
    assert len(renders) == 2

    pasted = {"huge.png": {"image/png": "A" * (feedback.MAX_REMEMBERED_CHARS + 1)}}
    for _ in range(2):
        render_markdown("![a photo](attachment:huge.png)", pasted)
    assert len(renders) == 4
    assert feedback._render_remembered.cache_info().currsize == 2


def test_page_templates_are_compiled_once_per_process_and_write_the_same_page(monkeypatch):
    """Does a second exporter (nbgrader makes one per page) compile no template again, and
    write the page the first wrote? A template whose source changed is compiled again."""
    import jinja2
    from nbformat.v4 import new_markdown_cell, new_notebook

    from graders import feedback

    compiled = []
    original = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile",
                        lambda self, source, name=None, *rest, **kw:
                        compiled.append(name) or original(self, source, name, *rest, **kw))
    monkeypatch.setattr(feedback, "_COMPILED", feedback._CompiledTemplates())
    nb = new_notebook(cells=[new_markdown_cell("# A page · 一页\n\n$x^2$")])
    first, _ = feedback.FeedbackExporter().from_notebook_node(nb)
    assert compiled
    compiled.clear()
    second, _ = feedback.FeedbackExporter().from_notebook_node(nb)
    assert compiled == [] and second == first
    for key, (_, code) in list(feedback._COMPILED._code.items()):
        feedback._COMPILED._code[key] = ("a template edited since", code)
    feedback.FeedbackExporter().from_notebook_node(nb)
    assert compiled


def _feedback_template_config():
    """The HTML exporter's configuration nbgrader's GenerateFeedback sets, from nbgrader's
    own converter (its template and the course's filters)."""
    from nbgrader.converters import GenerateFeedback

    from graders.grade import load_config

    return GenerateFeedback(config=load_config(ROOT)).config


@pytest.mark.parametrize("assignment", assignment_ids())
@pytest.mark.parametrize("template", ["feedback", "lab"])
def test_a_page_is_nbconverts_page_without_parsing_it_again_when_that_changes_nothing(
        assignment, template, monkeypatch):
    """Is the course's page nbconvert's own (with its accessibility pass), for nbgrader's
    feedback template (no pass needed: the page is not parsed again) and JupyterLab's
    (the pass runs), on every assignment's lesson with an image without a description?"""
    import bs4
    from nbconvert.exporters import HTMLExporter
    from nbformat.v4 import new_markdown_cell

    from graders import feedback

    config = _feedback_template_config()
    config.HTMLExporter.template_name = template
    nb = read(source_notebook(assignment))
    for cell in nb.cells:  # the lesson as a page, without the grades of graded cells
        cell.metadata.pop("nbgrader", None)
    nb.cells.append(new_markdown_cell('<img src="data:image/png;base64,iVBORw0KGgo=">'))

    def page(exporter) -> str:
        grades = {"notebook": "lesson", "score": 1.0, "max_score": 2.0, "late_penalty": 0.0}
        return exporter(config=config).from_notebook_node(nb, {"nbgrader": grades})[0]

    theirs = page(HTMLExporter)
    parsed = []
    monkeypatch.setattr(feedback, "BeautifulSoup",
                        lambda *args, **kwargs: parsed.append(1) or bs4.BeautifulSoup(
                            *args, **kwargs))
    def without_wrapping(page: str) -> str:  # the one thing the course adds to the page
        assert page.count(feedback.OUTPUT_WRAPPING) == 1
        return page.replace(f"{feedback.OUTPUT_WRAPPING}\n", "")

    ours = page(feedback.FeedbackExporter)
    assert str(bs4.BeautifulSoup(without_wrapping(ours), features="html.parser")) == theirs
    assert feedback._NO_DESCRIPTION in ours
    nb.cells.pop()
    parsed.clear()
    ours = page(feedback.FeedbackExporter)
    assert bool(parsed) == (template == "lab")
    assert without_wrapping(str(bs4.BeautifulSoup(ours, features="html.parser"))) == str(
        bs4.BeautifulSoup(page(HTMLExporter), features="html.parser"))
