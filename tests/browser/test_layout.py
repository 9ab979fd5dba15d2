"""Every page each role reaches, as the demo data shows it: it answers, it fits the window at
360, 768, 1024 and 1366 px without horizontal scrolling, and on the shopper's pages every
button a thumb must hit is at least 44 px tall.

The pages are found as a person finds them: by following links from the role's home page
(scripts/pagecrawl.py, the same crawl `make screenshots` uses)."""

import pytest
from django.core.management import call_command

from scripts.pagecrawl import DESKTOP, ROLES, WIDTHS, crawl, overflow, sign_in

SMALL_TAP_TARGETS = """() => Array.from(document.querySelectorAll(
    'main .btn:not(.btn-sm):not(.btn-close), main .item-card .form-check, nav .nav-link, nav .navbar-toggler'))
    .filter(e => e.offsetParent !== null)
    .map(e => [e.textContent.trim().slice(0, 30), Math.round(e.getBoundingClientRect().height)])
    .filter(([, h]) => h < 44)"""


@pytest.mark.django_db(transaction=True)
def test_every_page_of_every_role_answers_and_fits_every_width(live_server, browser, monkeypatch):
    # Every kind of page the demo fills, with fewer months of evaluations (lists paginate anyway).
    monkeypatch.setattr("config.demo.EVALUATIONS_PER_LOCATION", 8)
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    problems = []
    base = live_server.url + "/"
    for role in ROLES:
        context = browser.new_context(viewport=DESKTOP, timezone_id="Europe/London", locale="en-GB")
        page = context.new_page()
        sign_in(page, base, role)

        def check(page, visited, role=role):
            if visited.status >= 400:
                problems.append(f"{role}: {visited.kind} answered {visited.status} (a link leads there)")
                return
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 800})
                extra = overflow(page)
                if extra:
                    problems.append(f"{role}: {visited.kind} is {extra} px too wide at {width} px")
                if role == "shopper" and width == 360:
                    problems.extend(f"{role}: {visited.kind}: '{text}' is {height} px tall (< 44 px)"
                                    for text, height in page.evaluate(SMALL_TAP_TARGETS))
            page.set_viewport_size(DESKTOP)

        result = crawl(page, base, role, on_page=check)
        assert len(result.pages) >= 4, f"{role} reached only {[p.kind for p in result.pages]}"
        context.close()
    assert problems == [], "\n".join(problems)
