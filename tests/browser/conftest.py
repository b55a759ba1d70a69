"""A real JupyterLab on 127.0.0.1 and Debian's headless Chromium, driven by Playwright.

The browser tests skip, with the reason, where Chromium or Playwright is missing.
Under CI, or with REQUIRE_BROWSER=1, that skip is a failure instead: .ci/run
installs Chromium, so a missing browser there is a broken install step.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from course import ASSIGNMENT, ROOT, run_tool, tool_env

CHROMIUM = Path("/usr/bin/chromium")
# Chromium flags tried on these machines: no sandbox as root, no GPU, and no
# background connections (the network is closed, so they only fail noisily).
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
ARTIFACTS = ROOT / "test-artifacts" / "browser"


def require_browser() -> None:
    """Skip (or, where the browser is required, fail) unless Chromium and Playwright exist."""
    reason = None
    if not CHROMIUM.exists():
        reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "Python Playwright is not installed (pip install playwright)"
    if reason is None:
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, process: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"JupyterLab did not answer at {url} in {timeout} s")


@pytest.fixture(scope="session")
def lab_root(tmp_path_factory) -> Path:
    """A student's checkout in miniature, beside a course that released assignment 1.

    The folder holds the solution notebook (working answers) and the assets; its
    nbgrader configuration points at an exchange where the instructor released the
    assignment, so the student's assignment list has something to show.
    """
    require_browser()
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "solutions", root / "solutions")
    shutil.copytree(ROOT / "assets", root / "assets")
    exchange = root / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)  # nbgrader's exchange must be writable by every student
    config = (ROOT / "nbgrader_config.py").read_text()
    (root / "nbgrader_config.py").write_text(f"{config}\nc.Exchange.root = {str(exchange)!r}\n")
    for step in (["generate_assignment", ASSIGNMENT], ["release_assignment", ASSIGNMENT]):
        run_tool("nbgrader", *step, cwd=root)
    return root


@pytest.fixture(scope="session")
def lab_url(lab_root: Path, tmp_path_factory) -> Iterator[str]:
    """JupyterLab served on 127.0.0.1 for the session; stopped at the end."""
    state = tmp_path_factory.mktemp("lab-state")
    settings = state / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    # The news pop-up would cover the notebook; it cannot fetch anything here anyway.
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    port = free_port()
    env = {
        **tool_env(),
        "JUPYTERLAB_SETTINGS_DIR": str(state / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(state / "workspaces"),
        "JUPYTER_RUNTIME_DIR": str(state / "runtime"),
    }
    log = state / "jupyterlab.log"
    command = [
        str(Path(tool_env()["PATH"].split(os.pathsep)[0]) / "jupyter"), "lab", "--no-browser",
        "--ip=127.0.0.1", f"--port={port}", "--ServerApp.token=", "--ServerApp.password=",
        "--ServerApp.disable_check_xsrf=True", "--LabApp.expose_app_in_browser=True",
        f"--ServerApp.root_dir={lab_root}", "--allow-root",
    ]
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=lab_root, env=env, stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/api/status", process, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copy2(log, ARTIFACTS / "jupyterlab.log")


@pytest.fixture
def browser_page():
    """A Chromium page that records console errors and uncaught page errors."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.console_errors = []
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        page.on("pageerror", lambda e: page.console_errors.append(f"page error: {e}"))
        try:
            yield page
        finally:
            browser.close()
