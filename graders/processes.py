"""Stopping a server together with every process it started.

The deployment's ``serve.py`` stops JupyterHub with it, and the tests stop the servers
they start (JupyterLab, Dask, the hub) with it; both reach the installed package.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess


def stop_process_group(process: subprocess.Popen, timeout: float = 30) -> None:
    """Stop a process started with ``start_new_session=True`` and every process it started.

    SIGTERM first, so that servers shut down cleanly; SIGKILL for whatever is still
    running after ``timeout`` seconds.
    """
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
