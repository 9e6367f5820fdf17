"""Real Chromium (Debian's, driven by Playwright) against a real server over the seeded article.

Without Chromium the browser tests are skipped and the run says so loudly; with CI=true a missing
Chromium is a failure. `scripts/test` installs it where it can (root and apt-get).
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from app import migrate
from app.config import Settings
from app.db import create_db_engine, create_session_factory
from seed.loader import load_seed
from tests.conftest import not_available
from tests.live import live_server

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-reports" / "screenshots"
CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    found = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if found is None:
        not_available("browser tests", f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    return found


@pytest.fixture(scope="session")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server on a SQLite file holding the seed article."""
    path = tmp_path_factory.mktemp("browser") / "kb.sqlite3"
    engine = create_db_engine(Settings(database_url=f"sqlite:///{path}"))
    migrate.upgrade(engine)
    load_seed(create_session_factory(engine))
    with live_server(engine) as base:
        yield base
    engine.dispose()


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    new_page = context.new_page()
    errors: list[str] = []
    new_page.on("pageerror", lambda error: errors.append(str(error)))
    yield new_page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot where CI keeps it; its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
