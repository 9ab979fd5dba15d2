"""The navigation fits: at 1366 px and 360 px every item of the longest bar (the
administrator's, with a long name) is on screen, "Sign out" included (issue 12.6)."""

import pytest

from tests import factories as f
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

OFF_SCREEN = """() => Array.from(document.querySelectorAll('nav .nav-link, nav .navbar-brand'))
    .filter(e => e.offsetParent !== null)
    .map(e => [e.textContent.trim().slice(0, 40), e.getBoundingClientRect()])
    .filter(([, r]) => r.left < 0 || r.right > window.innerWidth || r.width === 0)
    .map(([text]) => text)"""


@pytest.mark.parametrize("width,height", [(1366, 850), (1200, 850), (360, 740)])
def test_no_navigation_item_of_the_administrator_is_off_screen(browser, live_server, world, width, height):
    admin = world.admin
    admin.first_name, admin.last_name, admin.is_staff = "Alexandra", "Administrator-Whitfield", True
    admin.save()
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB")
    page = context.new_page()
    sign_in(page, live_server, "admin", f.PASSWORD)
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        page.locator("#main-nav.collapse.show").wait_for()  # after the animation ("collapsing")
    sign_out = page.get_by_role("button", name="Sign out")
    assert sign_out.is_visible()
    box = sign_out.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.evaluate(OFF_SCREEN) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # The QA desk's pages are in one menu that opens on screen.
    page.get_by_role("button", name="Quality work").click()
    sampling = page.get_by_role("link", name="Sampling")
    sampling.wait_for()
    box = sampling.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    page.screenshot(path=f"/tmp/staff-nav-{width}.png", full_page=False)
    context.close()
