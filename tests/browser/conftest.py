"""A real JupyterLab, started by the course's own `make lab`, and Debian's headless Chromium.

The servers run in a student's checkout: a throw-away git clone of this working tree
(committed there as it is now, uncommitted changes included), so the Makefile, the
release and .gitignore under test are the ones in front of you, and the real
checkout is never touched. JupyterLab is started by running `make lab` (or
`make solutions`) in that clone, unchanged: same command line, same server root.
Only the machine's Jupyter configuration differs, as it would on any student's
machine: a port, no token, no browser, in a private JUPYTER_CONFIG_DIR.

The browser tests skip, with the reason, where Chromium or Playwright is missing.
Under CI, or with REQUIRE_BROWSER=1, that skip is a failure instead: .ci/run
installs Chromium, so a missing browser there is a broken install step.
"""

from __future__ import annotations

import contextlib
import dataclasses
import html
import io
import json
import os
import re
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from course import ASSIGNMENT, ROOT
from graders.course_setup import BIN, copy_course, run_tool, tool_env
from servers import free_port, stop_process_group

CHROMIUM = Path("/usr/bin/chromium")
# Chromium flags tried on these machines: no sandbox as root, no GPU, and no
# background connections (the network is closed, so they only fail noisily).
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
# The student's copies, as the Makefile names them.
WORK = f"work/{ASSIGNMENT}/numpy_basics.ipynb"
WORK_SOLUTION = f"work/solutions/{ASSIGNMENT}/numpy_basics.ipynb"


def require_browser() -> None:
    """Skip (or, where the browser is required, fail) unless Chromium and Playwright exist."""
    reason = None
    if not CHROMIUM.exists():
        reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    elif shutil.which("make") is None or shutil.which("git") is None:
        reason = "make and git are needed to start JupyterLab as a student does"
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


def git(*args: str, cwd: Path) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          check=True).stdout


def make(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["make", *args], cwd=cwd, env=tool_env(), capture_output=True,
                          text=True, timeout=120, check=True)


@dataclass
class Checkout:
    """The course as the instructor publishes it (upstream) and a student's clone of it."""

    upstream: Path
    student: Path


@pytest.fixture(scope="session")
def checkout(tmp_path_factory) -> Checkout:
    """A student's `git clone` of this working tree, ready for `make lab`.

    The course's .venv is reused rather than rebuilt: the clone's .venv/bin points
    at it, and make's stamps say the course is installed, so `make lab` goes
    straight to copying the notebook and starting JupyterLab.
    """
    require_browser()
    base = tmp_path_factory.mktemp("checkout")
    upstream, student = base / "upstream", base / "student"
    files = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    for name in filter(None, files.split("\0")):
        if (ROOT / name).is_file():
            (upstream / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, upstream / name)
    git("init", "-q", "-b", "main", cwd=upstream)
    git("add", "-A", cwd=upstream)
    git("commit", "-q", "-m", "The course as in the working tree", cwd=upstream)
    git("clone", "-q", str(upstream), str(student), cwd=base)

    venv = student / ".venv"
    venv.mkdir()
    (venv / "bin").symlink_to(BIN, target_is_directory=True)
    hour_ago = time.time() - 3600
    os.utime(student / "pyproject.toml", (hour_ago, hour_ago))
    for stamp in (".python", ".course"):
        (venv / stamp).touch()
    return Checkout(upstream, student)


@pytest.fixture(scope="session")
def exchange(tmp_path_factory) -> Path:
    """nbgrader's exchange, where the instructor released assignment 1."""
    require_browser()
    course = copy_course(tmp_path_factory.mktemp("instructor"))
    folder = tmp_path_factory.mktemp("exchange")
    folder.chmod(0o777)  # nbgrader's exchange must be writable by every student
    run_tool("nbgrader", "generate_assignment", ASSIGNMENT, cwd=course)
    run_tool("nbgrader", "release_assignment", ASSIGNMENT, f"--Exchange.root={folder}",
             cwd=course)
    return folder


@dataclass
class Lab:
    """A JupyterLab that `make <target>` started: its address, log, and the page it opens."""

    url: str
    log: Path
    open_path: str = ""  # what the browser `make lab` would open shows, relative to the server

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def wait_for_http(url: str, process: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"JupyterLab did not answer at {url} in {timeout} s")


def opened_path(runtime: Path, base_url: str, timeout: float = 30) -> str:
    """The notebook JupyterLab was asked to open, read from the file it writes for the browser."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for page in runtime.glob("jpserver-file-to-run-*-open.html"):
            match = re.search(r'url=([^"]+)"', page.read_text(encoding="utf-8"))
            if match:
                url = html.unescape(match.group(1))
                assert url.startswith(f"{base_url}/lab/tree/"), url
                return urllib.parse.unquote(url.removeprefix(f"{base_url}/lab/tree/"))
        time.sleep(0.2)
    raise RuntimeError(f"JupyterLab wrote no page to open in {runtime}")


@contextlib.contextmanager
def make_lab(target: str, checkout: Path, state: Path, exchange: Path) -> Iterator[Lab]:
    """Run `make <target>` in the checkout, as a student types it; stop it at the end."""
    with lab_server(["make", target], checkout, state,
                    f"c.Exchange.root = {str(exchange)!r}\n") as lab:
        yield dataclasses.replace(lab, open_path=opened_path(state / "runtime", lab.url))


@contextlib.contextmanager
def lab_server(command: list[str], cwd: Path, state: Path,
               nbgrader_config: str = "") -> Iterator[Lab]:
    """Run a command that starts JupyterLab in ``cwd``; stop it, and all it started, at the end.

    Only the machine's Jupyter configuration is set, in ``state``: a port, no token, no
    browser, and the machine's ``nbgrader_config.py`` (empty unless given).
    """
    port = free_port()
    config = state / "config"
    config.mkdir(parents=True)
    # The machine's configuration, not the command's: what a student's ~/.jupyter might hold.
    (config / "jupyter_server_config.json").write_text(json.dumps({
        "ServerApp": {"ip": "127.0.0.1", "port": port, "port_retries": 0,
                      "open_browser": False, "password": "",
                      "disable_check_xsrf": True},
        "IdentityProvider": {"token": ""},
        "LabApp": {"expose_app_in_browser": True},
    }))
    (config / "nbgrader_config.py").write_text(nbgrader_config)
    settings = state / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    # The news pop-up would cover the notebook; it cannot fetch anything here anyway.
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    runtime = state / "runtime"
    env = {
        **tool_env(),
        "JUPYTER_CONFIG_DIR": str(config),
        "JUPYTERLAB_SETTINGS_DIR": str(state / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(state / "workspaces"),
        "JUPYTER_RUNTIME_DIR": str(runtime),
    }
    log = state / f"{'-'.join(command[:2])}.log"
    url = f"http://127.0.0.1:{port}"
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for_http(f"{url}/api/status", process, log)
        yield Lab(url, log)
    finally:
        stop_process_group(process)  # the command and the JupyterLab it started
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copy2(log, ARTIFACTS / log.name)


def attachment_try(url: str) -> str | None:
    """The attachment's name, if ``url`` is an ``attachment:`` reference Chromium tried to load.

    JupyterLab puts a markdown cell's HTML in the page and then replaces each
    ``attachment:name`` by the attachment's ``data:`` URL; in between, Chromium tries
    the unknown scheme once and logs an error. Such tries are kept apart
    (``page.attachment_tries``): the figure tests check that each one's image loaded.
    """
    return url.removeprefix("attachment:") if url.startswith("attachment:") else None


@pytest.fixture(scope="session")
def solutions_lab(checkout, exchange, tmp_path_factory) -> Iterator[Lab]:
    """JupyterLab as `make solutions` starts it in the student's clone."""
    with make_lab("solutions", checkout.student, tmp_path_factory.mktemp("solutions-lab"),
                  exchange) as lab:
        yield lab


@pytest.fixture
def browser_page():
    """A Chromium page that records console errors, uncaught page errors and failed requests."""
    from playwright.sync_api import sync_playwright

    def on_console(message) -> None:
        url = (message.location or {}).get("url", "")
        if message.type == "error" and not attachment_try(url):
            page.console_errors.append(f"{message.text} ({url})" if url else message.text)

    def on_failed(request) -> None:
        name = attachment_try(request.url)
        if name:
            page.attachment_tries.append(name)
        else:
            page.failed_requests.append(f"{request.url}: {request.failure}")

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.console_errors, page.failed_requests, page.attachment_tries = [], [], []
        page.on("console", on_console)
        page.on("pageerror", lambda e: page.console_errors.append(f"page error: {e}"))
        page.on("requestfailed", on_failed)
        page.on("response", lambda r: r.status >= 400
                and page.failed_requests.append(f"{r.url}: HTTP {r.status}"))
        try:
            yield page
        finally:
            browser.close()


# --- Shared page helpers -----------------------------------------------------------------

NOTEBOOK_READY = """path => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernel = w && w.sessionContext && w.sessionContext.session
      && w.sessionContext.session.kernel;
  return Boolean(w && w.context && w.context.path === path && kernel
      && kernel.status === 'idle');
}"""

# Tag every cell's node with its notebook id, so selectors can find one cell.
TAG_CELLS = """() => {
  for (const cell of window.jupyterapp.shell.currentWidget.content.widgets) {
    cell.node.setAttribute('data-test-cell', cell.model.id);
  }
}"""

# Bring every markdown cell into view once (JupyterLab renders cells as they come into
# view), then describe every image of the notebook: its cell, source, size and state.
RENDERED_IMAGES = """async () => {
  const panel = window.jupyterapp.shell.currentWidget;
  const notebook = panel.content;
  for (let i = 0; i < notebook.widgets.length; i++) {
    if (notebook.widgets[i].model.type !== 'markdown') continue;
    await notebook.scrollToItem(i, 'center');
    await new Promise(resolve => setTimeout(resolve, 150));
  }
  const images = [...panel.node.querySelectorAll('.jp-MarkdownOutput img')];
  await Promise.all(images.map(img => img.decode().catch(() => null)));
  return images.map(img => ({
    cell: img.closest('.jp-Cell') && img.closest('.jp-Cell').getAttribute('data-test-cell'),
    alt: img.alt, src: img.src.slice(0, 40), complete: img.complete,
    width: img.naturalWidth, height: img.naturalHeight,
  }));
}"""

IMAGES_IN_PAGE = """async () => {
  const images = [...document.querySelectorAll('img')];
  await Promise.all(images.map(img => img.decode().catch(() => null)));
  return images.map(img => ({alt: img.alt, src: img.src.slice(0, 40), complete: img.complete,
                             width: img.naturalWidth, height: img.naturalHeight}));
}"""


def open_notebook(page, lab: Lab, path: str) -> None:
    """Open a notebook in JupyterLab and wait until it is current and its kernel idle."""
    # ?reset: the notebooks an earlier test left open in the workspace stay closed.
    page.goto(f"{lab.url}/lab/tree/{path}?reset")
    page.wait_for_function(NOTEBOOK_READY, arg=path, timeout=90_000)
    page.evaluate(TAG_CELLS)


# A request the server answered "not found": "[W 2026-11-25 13:37:58.404 ServerApp] 404 GET /…".
# (A bare 404 also matches the milliseconds of a log line's time stamp.)
NOT_FOUND = re.compile(r"\]\s+404\s+[A-Z]+\s")


def server_problems(lab: Lab) -> list[str]:
    """Lines of the server's log that mean a student would see something broken."""
    return [line for line in lab.log_text().splitlines()
            if NOT_FOUND.search(line) or "not a subdirectory of the notebook server root"
            in line or "Traceback" in line]


# Whether each slider description in a cell shows its whole text (not "temperat…").
CUT_LABELS = """selector => [...document.querySelectorAll(selector + ' .widget-slider label')]
  .filter(label => label.scrollWidth > label.clientWidth + 1).map(label => label.innerText)"""

RUN_FINISHED = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const code = w.content.widgets.filter(c => c.model.type === 'code');
  const errored = code.some(c => c.model.outputs.toJSON().some(o => o.output_type === 'error'));
  const done = code.every(c => c.model.executionCount !== null);
  return (errored || done) && w.sessionContext.session.kernel.status === 'idle';
}"""

ERROR_OUTPUTS = """() => window.jupyterapp.shell.currentWidget.content.widgets
  .filter(c => c.model.type === 'code')
  .flatMap(c => c.model.outputs.toJSON()
    .filter(o => o.output_type === 'error')
    .map(o => `${c.model.id}: ${o.ename}: ${o.evalue}`))"""

# What each hidden test cell printed, by cell id.
HIDDEN_OUTPUTS = """() => Object.fromEntries(window.jupyterapp.shell.currentWidget.content.widgets
  .filter(c => c.model.type === 'code' && c.model.id.endsWith('_hidden'))
  .map(c => [c.model.id, c.model.outputs.toJSON().map(o => o.text || '').join('')]))"""


def canvas_pixels(page, cell: str) -> np.ndarray:
    """The pixels of the first figure canvas in a cell, as the browser draws them."""
    png = page.locator(f"{cell} .jupyter-matplotlib-canvas-div canvas").first.screenshot()
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


def changed_fraction(before: np.ndarray, after: np.ndarray) -> float:
    """The share of pixels that changed between two screenshots of a canvas."""
    if before.shape != after.shape:
        return 1.0
    return float(np.mean(np.any(before != after, axis=-1)))
