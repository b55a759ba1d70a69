"""nbgrader configuration for the course.

The hand-written nbgrader *source* notebooks live in ``solutions/``; ``nbgrader
generate_assignment`` writes the student versions into ``notebooks/``.
"""

import contextlib
import os
import sys
from pathlib import Path

from jupyter_core.paths import jupyter_config_path
from nbgrader.coursedir import CourseDirectory
from traitlets.config.loader import ConfigFileNotFound, JSONFileConfigLoader, PyFileConfigLoader

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

# nbgrader starts `alembic` (and jupyter) as programs found on PATH. Called as
# .venv/bin/nbgrader without the environment activated, they are not there, and
# generate_assignment fails after it has deleted the previous student version.
# nbgrader loads this file in its own process before doing anything: the bin folder
# of the Python that runs it (unresolved: a venv's own) comes first, however it was called.
_bin = str(Path(sys.executable).parent)
if os.environ.get("PATH", "").split(os.pathsep)[0] != _bin:
    os.environ["PATH"] = os.pathsep.join(filter(None, [_bin, os.environ.get("PATH")]))

c.CourseDirectory.root = str(Path(__file__).resolve().parent)
c.CourseDirectory.course_id = "numpy-dl-basics"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
# An assignment's authoring material (figure script, answer bank) sits beside its
# source notebooks, in solutions/<id>/authoring/ (graders.course_setup.AUTHORING), and
# is never released to students.
c.CourseDirectory.ignore = [*CourseDirectory.class_traits()["ignore"].default(), "authoring"]

# nbgrader's exchange, where release_assignment puts an assignment, students submit, and
# release_feedback puts their feedback. nbgrader's default (/usr/local/share/nbgrader/exchange)
# exists on few machines; without it the formgrader warns on every page and feedback cannot
# be released. On one machine the course keeps it beside itself, in exchange/ (git ignores
# it). A machine that names its own (a shared server, JupyterHub: c.Exchange.root in
# /etc/jupyter/nbgrader_config.py, which students read too) keeps it: this file is read
# after the machine's and would override it.
def _machine_names_an_exchange() -> bool:
    for folder in jupyter_config_path():
        if Path(folder).resolve() == Path(__file__).resolve().parent:
            continue  # this file itself
        for loader in (PyFileConfigLoader("nbgrader_config.py", folder),
                       JSONFileConfigLoader("nbgrader_config.json", folder)):
            with contextlib.suppress(ConfigFileNotFound):
                if "root" in loader.load_config().Exchange:
                    return True
    return False


if not _machine_names_an_exchange():
    c.Exchange.root = str(Path(__file__).resolve().parent / "exchange")
    with contextlib.suppress(OSError):  # a read-only copy of the course has no exchange
        Path(c.Exchange.root).mkdir(exist_ok=True)
# Feedback is released to the students who submitted through the exchange; the others'
# is named, to be handed back where their work came from (graders/exchange.py).
c.ExchangeFactory.release_feedback = "graders.exchange.ReleaseFeedback"
# Students write the exchange's inbound folder: collect refuses a folder that is a link or
# is not owned by the student it names, and copies regular files only (graders/exchange.py).
c.ExchangeFactory.collect = "graders.exchange.Collect"

# The stub a student sees in place of a solution. The "(≈ N lines of code)" hint
# sits above "### BEGIN SOLUTION" in the source, so it survives into the stub.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE / 在此作答"

# A cell that loops forever must not stall a whole class.
c.ExecutePreprocessor.timeout = 60

# Feedback is built from the student's cells and the verdicts, never from what the
# graded run printed (graders/feedback.py), and the hidden tests' source is removed.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "graders.feedback.FeedbackFromVerdicts",
    "graders.feedback.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
# nbgrader's HTML pages, feedback files and the formgrader's views alike: students write
# their markdown and outputs, so both are sanitised; formulas become MathML, which a
# browser draws offline (nbgrader's templates would fetch MathJax from a CDN).
c.HTMLExporter.sanitize_html = True
c.HTMLExporter.filters = {"markdown2html": "graders.feedback.markdown2html",
                          "clean_html": "graders.feedback.sanitise"}
# The same exporter, compiling nbgrader's page templates once per grading worker.
c.GenerateFeedback.exporter_class = "graders.feedback.FeedbackExporter"

# nbgrader's own sanitising steps, with its OverwriteCells minus a false alarm.
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "graders.autograde_steps.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# Autograde: the student's code runs in a sandboxed kernel (graders/sandbox.py),
# and verdicts are decided outside it. A canary cell is added before the notebook
# runs; right after it runs, JudgeRecords judges each test cell, in this process,
# from the plain data the hidden tests printed (graders/autograde_steps.py).
# Students' `nbgrader validate` and the JupyterLab validate button do not use this
# list: they need no sandbox.
c.Autograde.autograde_preprocessors = [
    "graders.autograde_steps.AddCanary",
    "graders.sandbox.SandboxedExecute",
    "graders.autograde_steps.JudgeRecords",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
