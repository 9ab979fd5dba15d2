"""Real headless Chromium from Debian's package, driven by Playwright. Never a downloaded browser.

Without /usr/bin/chromium every test here is skipped, and pytest's summary says so
(`make test` prints skip reasons). `.ci/run` installs Chromium, so CI always runs them.

They run on the embedded default database (SQLite, what `make run` serves). On PostgreSQL (`DATABASE_URL`)
they are skipped unless BROWSER_TESTS_ON_POSTGRESQL=1: what they check is the pages and their scripts in a
real browser, and the same views, forms and queries run on PostgreSQL through the Django test client in every
other test module. CI runs the suite on both databases side by side on two cores, and running the browser
twice would take it past its 30 minutes.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
HAVE_CHROMIUM = Path(CHROMIUM).exists() or shutil.which("chromium") is not None
PHONE = {"width": 360, "height": 740}

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def on_postgresql() -> bool:
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def pytest_collection_modifyitems(config, items):
    skip = pytest.mark.skip(reason=f"BROWSER TESTS SKIPPED: no Chromium at {CHROMIUM} (apt-get install chromium)")
    once = pytest.mark.skip(reason="browser tests run on SQLite (the embedded default); on PostgreSQL set "
                                   "BROWSER_TESTS_ON_POSTGRESQL=1 to run them too")
    twice = os.environ.get("BROWSER_TESTS_ON_POSTGRESQL", "").lower() in ("1", "true", "yes", "on")
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            if not HAVE_CHROMIUM:
                item.add_marker(skip)
            elif on_postgresql() and not twice:
                item.add_marker(once)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "has_touch": True, "is_mobile": True,
            "timezone_id": "Europe/London", "locale": "en-GB"}


def sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def assert_fits_the_phone(page):
    """No horizontal scrolling, and every button or answer a thumb must hit is at least 44 px tall,
    judged on the page once it has loaded (its scripts lay out the sections)."""
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    small = page.evaluate("""() => Array.from(document.querySelectorAll(
        'main .btn:not(.btn-sm):not(.btn-close), main .item-card .form-check, nav .nav-link, nav .navbar-toggler'))
        .filter(e => e.offsetParent !== null)
        .map(e => [e.textContent.trim().slice(0, 30), e.getBoundingClientRect().height])
        .filter(([, h]) => h < 44)""")
    assert small == []
