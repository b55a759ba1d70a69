"""Start-up work that grading does not need, skipped in the processes that grade.

Imported before anything imports jsonschema (``graders.grade`` imports it first).

jsonschema imports ``rfc3987_syntax`` when it is installed (Jupyter's event schemas
bring it in), to check the "iri" string formats, and that module builds a parser of
the RFC's grammar as it is imported: 0.8 s of every process that imports nbformat or
nbgrader, i.e. the grading command and each of its workers. Nothing that grading
validates uses those formats: nbformat and nbgrader validate without format checks.
"""

import sys

UNUSED_AT_START = ("rfc3987_syntax",)

for _name in UNUSED_AT_START:
    # None in sys.modules makes `import` raise ImportError, which jsonschema expects.
    sys.modules.setdefault(_name, None)
