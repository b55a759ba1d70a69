"""The class's hub and a browser for the test of the whole loop on JupyterHub (hub_class.py)."""

from collections.abc import Iterator

import pytest
from hub_class import Hub, require_hub, running_hub

from browser.conftest import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="module")
def hub() -> Iterator[Hub]:
    require_hub()
    with running_hub() as running:
        yield running


@pytest.fixture(scope="module")
def browser(hub):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
