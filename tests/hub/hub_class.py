"""A JupyterHub for a class of three students and an instructor, made and removed by the test.

The class is made by the deployment's own ``classroom.py`` (real Unix accounts with
a test prefix, their homes, the instructor's course, the exchange) under a fresh
folder, and served by its own ``serve.py`` on free ports of 127.0.0.1. Whatever
happens, the hub, every user's server and the accounts with their homes are removed.

The test skips, with the reason, where it cannot run (not root, no Chromium, no
proxy, no JupyterHub); under CI (``.ci/run`` installs all of them) a skip fails.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hub_pages import ARTIFACTS

from browser.conftest import CHROMIUM
from course import ASSIGNMENT, ROOT
from servers import free_port

DEPLOY = ROOT / "deploy" / "jupyterhub"
sys.path.insert(0, str(DEPLOY))  # the deployment's scripts: no package, found by their folder

import classroom  # noqa: E402
import serve  # noqa: E402

# Accounts the test makes: a prefix of their own, never a demo class's (nbc-) or a person's.
TEST_PREFIX = "nbt-"
# Each student's role in the story, by class-list id.
RIGHT, MISTAKES, HOSTILE = "ada", "ben", "cai"
CLASS_LIST = ("id,first_name,last_name,email\n"
              f"{RIGHT},Ada,Lovelace,\n{MISTAKES},本,李,\n{HOSTILE},Cai,Wang,\n")
INSTRUCTOR = "prof"


def require_hub() -> None:
    """Skip (under CI: fail) unless this machine can run a class on JupyterHub."""
    reason = None
    if os.geteuid() != 0:
        reason = "making Unix accounts and starting servers as them needs root"
    elif not CHROMIUM.exists():
        reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    elif shutil.which("configurable-http-proxy") is None:
        reason = "JupyterHub's proxy is missing (npm install -g configurable-http-proxy)"
    elif shutil.which("useradd") is None or shutil.which("runuser") is None:
        reason = "useradd and runuser are needed to make the class's accounts"
    else:
        try:
            import jupyterhub  # noqa: F401
            import playwright.sync_api  # noqa: F401
        except ImportError as missing:
            reason = f"{missing.name} is not installed (pip install -e '.[test]')"
    if reason:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)


def remove_stale_test_accounts() -> None:
    """Accounts a killed earlier run left behind (its folder is gone or was a test's)."""
    for entry in pwd.getpwall():
        if entry.pw_name.startswith(TEST_PREFIX) and entry.pw_dir.startswith(
                os.path.join(tempfile.gettempdir(), "course-hub-")):
            classroom.stop_processes_of([entry.pw_name])
            subprocess.run(["userdel", "--remove", entry.pw_name], capture_output=True)
    subprocess.run(["groupdel", f"{TEST_PREFIX}class"], capture_output=True)


@dataclass
class Hub:
    """The running hub: its address, the class, and the passwords the class list got."""

    url: str
    classroom: classroom.Classroom
    passwords: dict[str, str]
    pid: int  # JupyterHub's process

    def user(self, class_list_id: str) -> str:
        return TEST_PREFIX + class_list_id


@contextlib.contextmanager
def running_hub() -> Iterator[Hub]:
    """The class made, its hub started; at the end, the hub stopped and the class removed."""
    remove_stale_test_accounts()
    # Not under pytest's temporary folders: those are private to root, and the class's
    # users must reach their homes and the exchange.
    folder = Path(tempfile.mkdtemp(prefix="course-hub-"))
    folder.chmod(0o755)
    class_list = folder / "class_list.csv"
    class_list.write_text(CLASS_LIST, encoding="utf-8")
    root = folder / "class"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        made = classroom.create(root, class_list, INSTRUCTOR, TEST_PREFIX, "", [ASSIGNMENT])
        passwords = dict(line.split(",") for line in made.passwords.read_text().split()[1:])
        port = free_port()
        process = serve.start_hub(made, port, free_port(), free_port())
        try:
            url = f"http://127.0.0.1:{port}"
            serve.wait_for_login_page(url, process, timeout=180)
            yield Hub(url, made, passwords, process.pid)
        finally:
            serve.stop_hub(process)
            log = made.state / "jupyterhub.log"
            if log.exists():
                shutil.copy2(log, ARTIFACTS / "jupyterhub.log")
    finally:
        classroom.remove(root)
        shutil.rmtree(folder, ignore_errors=True)
