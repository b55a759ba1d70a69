"""What a person does on the class's hub, in Chromium: log in, use nbgrader's pages.

Each user has a browser context of their own (their own cookies), as each person
has their own browser. Waits are for what the page shows, with generous timeouts:
the machine may be busy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from course import ROOT

ARTIFACTS = ROOT / "test-artifacts" / "hub"

# Starting a server, fetching or grading on a busy 2-core machine: minutes, not seconds.
SLOW_MS = 180_000
ACTION_MS = 120_000


@dataclass
class Person:
    """One user's browser tab on the hub, with the errors it logged."""

    name: str
    page: object
    base: str  # this user's server, e.g. http://127.0.0.1:8000/user/nbt-ada
    console_errors: list[str] = field(default_factory=list)

    def screenshot(self, step: str) -> None:
        self.page.screenshot(path=str(ARTIFACTS / f"{step}.png"), full_page=False)


def log_in(browser, url: str, user: str, password: str) -> Person:
    """Log in on the hub's page, as a person would, and wait for their JupyterLab."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    person = Person(user, page, f"{url}/user/{user}")
    page.on("console", lambda message: message.type == "error" and person.console_errors.append(
        f"{message.text} ({(message.location or {}).get('url', '')})"))
    # Requests the browser abandons when the person leaves a page (JupyterLab's polling) are
    # no fault of the next page.
    page.on("requestfailed", lambda request: request.failure != "net::ERR_ABORTED"
            and person.console_errors.append(f"{request.url}: {request.failure}"))
    page.goto(f"{url}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", password)
    page.click("#login_submit")
    page.wait_for_url(re.compile(rf"/user/{re.escape(user)}/lab"), timeout=SLOW_MS)
    wait_for_lab(person)
    return person


def wait_for_lab(person: Person) -> None:
    """JupyterLab is ready when its menu bar shows nbgrader's menu."""
    person.page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").wait_for(timeout=SLOW_MS)


def open_lab(person: Person, path: str = "") -> None:
    person.page.goto(f"{person.base}/lab/tree/{path}" if path else f"{person.base}/lab")
    wait_for_lab(person)


# --- a student's Assignment List ----------------------------------------------------------

def open_assignment_list(person: Person) -> list[str]:
    """Open nbgrader's Assignment List from its menu; returns what the menu offered."""
    page = person.page
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    offered = page.locator(".lm-Menu .lm-Menu-itemLabel").all_inner_texts()
    page.locator(".lm-Menu-itemLabel", has_text="Assignment List").click()
    page.locator("#released_assignments_list").wait_for(timeout=ACTION_MS)
    return offered


def assignment_row(person: Person, listing: str, assignment: str):
    """The row of an assignment in one of the lists: released, fetched or submitted."""
    return person.page.locator(f"#{listing}_assignments_list .list_item",
                               has_text=assignment).first


def fetch(person: Person, assignment: str) -> None:
    assignment_row(person, "released", assignment).get_by_role("button", name="Fetch").click()
    assignment_row(person, "fetched", assignment).wait_for(timeout=ACTION_MS)


def validate(person: Person, assignment: str, notebook: str) -> tuple[str, str]:
    """Press Validate on one of the assignment's notebooks: the verdict and the dialog's text."""
    row = assignment_row(person, "fetched", assignment)
    button = row.locator(".list_item", has_text=notebook).get_by_role("button", name="Validate")
    if not button.is_visible():  # an assignment's notebooks are folded away at first
        row.locator("a.assignment-notebooks-link").click()
    button.click()
    message = person.page.locator("#validation-message")
    message.wait_for(timeout=ACTION_MS)
    verdict = "passed" if "btn-success" in (button.get_attribute("class") or "") else "failed"
    return verdict, message.inner_text()


def submit(person: Person, assignment: str) -> str:
    """Press Submit; returns what nbgrader answered: '' when submitted, else its error."""
    page = person.page
    assignment_row(person, "fetched", assignment).get_by_role("button", name="Submit").click()
    refused = page.locator("#submission-message")
    submitted = assignment_row(person, "submitted", assignment)
    refused.or_(submitted).first.wait_for(timeout=ACTION_MS)
    return refused.inner_text() if refused.is_visible() else ""


def close_dialog(person: Person) -> None:
    person.page.locator(".jp-Dialog").get_by_role("button").last.click()
    person.page.locator(".jp-Dialog").wait_for(state="detached", timeout=ACTION_MS)


def fetch_feedback(person: Person, assignment: str) -> None:
    row = assignment_row(person, "submitted", assignment)
    row.get_by_role("button", name="Fetch Feedback").click()
    assignment_row(person, "submitted", assignment).get_by_text(
        "(view feedback)").wait_for(timeout=ACTION_MS)


# --- the instructor's formgrader ----------------------------------------------------------

def formgrader_action(person: Person, assignment: str, column: str, says: str) -> str:
    """Press one of the formgrader's buttons on the assignment's row and read its answer."""
    page = person.page
    page.goto(f"{person.base}/formgrader/manage_assignments")
    row = page.locator("tr", has_text=assignment).first
    row.locator(f"td.{column} a").click()
    modal = page.locator(".modal.in .modal-dialog", has_text=says)  # .in: fading in
    modal.wait_for(timeout=ACTION_MS)
    # Read (and photograph) it as the instructor does: once the fade is over.
    modal.evaluate("dialog => new Promise(done => { const check = () => "
                   "getComputedStyle(dialog.closest('.modal')).opacity === '1' ? done() : "
                   "requestAnimationFrame(check); check(); })")
    return modal.inner_text()


# After Run All, JupyterLab makes the last cell active and shows it: done when no code cell
# in view waits ([*]) and the last one in view has run.
RAN_TO_THE_END = """() => {
  const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')];
  return prompts.length > 0 && !prompts.some(p => p.textContent.includes('*'))
      && /\\[\\d+\\]/.test(prompts[prompts.length - 1].textContent);
}"""


def run_all(person: Person) -> None:
    """Run every cell of the open notebook from the Run menu, as a student does."""
    page = person.page
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").click()
    page.locator(".lm-Menu").get_by_text("Run All Cells", exact=True).click()
    page.wait_for_function(RAN_TO_THE_END, timeout=SLOW_MS)

