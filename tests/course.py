"""Assignment 1, which most tests are about: its id and where its notebooks are.

The helpers that set a course up are ``graders.course_setup``; they take the
assignment's id, and these tests pass ``ASSIGNMENT``.
"""

from graders.course_setup import course_root, release_notebook, source_notebook

ROOT = course_root()
ASSIGNMENT = "01_numpy_basics"
SOLUTION = source_notebook(ASSIGNMENT)
RELEASE = release_notebook(ASSIGNMENT)
NOTEBOOK = SOLUTION.name
