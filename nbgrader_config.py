"""nbgrader configuration for the course.

The hand-written nbgrader *source* notebooks live in ``solutions/``; ``nbgrader
generate_assignment`` writes the student versions into ``notebooks/``.
"""

from pathlib import Path

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.root = str(Path(__file__).resolve().parent)
c.CourseDirectory.course_id = "numpy-dl-basics"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"

# The stub a student sees in place of a solution. The "(≈ N lines of code)" hint
# sits above "### BEGIN SOLUTION" in the source, so it survives into the stub.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE / 在此作答"

# A cell that loops forever must not stall a whole class.
c.ExecutePreprocessor.timeout = 60

# Feedback is built from the student's cells and the verdicts, never from what the
# graded run printed (graders/feedback.py); the hidden tests' source is removed,
# and the HTML is sanitised, since students write its markdown and outputs.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "graders.feedback.FeedbackFromVerdicts",
    "nbgrader.preprocessors.ClearHiddenTests",
    "graders.feedback.SanitiseMarkdown",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
c.HTMLExporter.sanitize_html = True

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
