"""Do the figures show wherever a notebook is read outside JupyterLab, in a real browser?

Two pages, each made by the real command and served over HTTP on 127.0.0.1: the
feedback a student gets back (`nbgrader autograde` and `nbgrader generate_feedback`
in a throw-away course with one submission), and nbconvert's HTML of the student
notebook. In each, every image must load, and the server must answer no request
with 404. (JupyterLab itself is tested in test_make_lab.py.)
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser.conftest import ARTIFACTS, IMAGES_IN_PAGE, require_browser
from course import ASSIGNMENT, NOTEBOOK, RELEASE
from graders.course_setup import (
    complete_answers,
    make_submission,
    read,
    released_course,
    run_tool,
    submit,
)

pytestmark = pytest.mark.browser

PAGE = NOTEBOOK.replace(".ipynb", ".html")


@pytest.fixture(scope="module")
def feedback_page(tmp_path_factory, sandbox_ready) -> Path:
    """The feedback page of a student who answered everything, as nbgrader writes it."""
    require_browser()
    course, release = released_course(tmp_path_factory.mktemp("course"), ASSIGNMENT)
    submit(course, "ada", ASSIGNMENT, make_submission(release, complete_answers(ASSIGNMENT)))
    run_tool("nbgrader", "autograde", ASSIGNMENT, cwd=course)
    run_tool("nbgrader", "generate_feedback", ASSIGNMENT, cwd=course)
    return course / "feedback" / "ada" / ASSIGNMENT / PAGE


@pytest.fixture(scope="module")
def nbconvert_page(tmp_path_factory) -> Path:
    """The student notebook converted to HTML by `jupyter nbconvert`, in a folder of its own."""
    require_browser()
    folder = tmp_path_factory.mktemp("nbconvert")
    run_tool("jupyter", "nbconvert", "--to", "html", str(RELEASE), "--output-dir", str(folder),
             cwd=folder)
    return folder / PAGE


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[tuple[str, list[tuple[str, int]]]]:
    """Serve a folder on 127.0.0.1; yield its address and the log of (path, status)."""
    log: list[tuple[str, int]] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_request(self, code="-", size="-"):
            log.append((self.path, int(code)))

        def log_message(self, *args):  # quiet: the log above is what the test reads
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", log
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.mark.parametrize("where", ["feedback", "nbconvert"])
def test_every_figure_loads_in_the_html_page(where, request, browser_page):
    """Does every image of the page load, with no 404 from the server?"""
    page_file = request.getfixturevalue(f"{where}_page")
    expected = sorted(name for cell in read(RELEASE).cells
                      for name in (cell.get("attachments") or {}))
    assert len(expected) == 2
    page = browser_page
    with serve(page_file.parent) as (url, log):
        page.goto(f"{url}/{PAGE}")
        page.wait_for_load_state("load")
        images = page.evaluate(IMAGES_IN_PAGE)
        for number, image in enumerate(page.locator("img").all(), start=1):
            image.scroll_into_view_if_needed()
            image.screenshot(path=ARTIFACTS / f"{where}-figure-{number}.png")
        page.screenshot(path=ARTIFACTS / f"{where}-page.png")
    assert len(images) == len(expected), images
    for image in images:
        assert image["complete"] and image["width"] > 0 and image["height"] > 0, image
        assert image["src"].startswith("data:image/png;base64,"), image
    # Chromium asks every site for /favicon.ico on its own; the page never refers to it.
    assert [entry for entry in log if entry[1] >= 400 and entry[0] != "/favicon.ico"] == [], log
    assert (f"/{PAGE}", 200) in log
    local = [failure for failure in page.failed_requests if failure.startswith(url)]
    assert local == [], local
