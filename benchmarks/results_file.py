"""Where a benchmark keeps what it measured: ``benchmarks/results/<assignment>/<name>.json``.

The benchmarks run as scripts (``python benchmarks/bench_x.py``), so this folder is on
``sys.path`` and they import this module by its bare name.
"""

from __future__ import annotations

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def write_results(assignment: str, name: str, data: dict) -> Path:
    """Write ``data`` as indented JSON to ``results/<assignment>/<name>.json``; its path."""
    path = RESULTS / assignment / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n")
    return path
