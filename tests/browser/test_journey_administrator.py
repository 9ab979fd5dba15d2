"""The administrator's setup at a desk (1366x850), in real Chromium (issue 12 item 7): build
a scorecard (a section, a critical Yes/No item and a Yes/Partly/No item), preview it,
publish it after the confirmation, read what was built in words, read the Django admin,
and find every navigation item on screen at 1366 px and on a 360 px phone."""

import pytest

from scorecards.models import Item, Scorecard
from tests import factories as f
from tests.browser.conftest import sign_in
from tests.browser.journey import DESKTOP, PHONE, assert_reads_well, new_page, seen_text, tidy

pytestmark = pytest.mark.django_db(transaction=True)


def off_screen_navigation(page) -> list:
    """Navigation links and buttons shown but not wholly inside the window."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('nav a, nav button'))
        .filter(e => e.offsetParent !== null)
        .map(e => [e.textContent.trim().replace(/\\s+/g, ' '), e.getBoundingClientRect()])
        .filter(([, r]) => r.left < 0 || r.right > window.innerWidth)
        .map(([text, r]) => `${text}: ${Math.round(r.left)}-${Math.round(r.right)}`)""")


def test_administrator_builds_publishes_reads_the_admin_and_the_navigation_fits(browser, live_server, world):
    world.admin.first_name, world.admin.last_name = "Alexandra", "Montgomery-Featherstonehaugh"
    world.admin.save()
    page = new_page(browser, DESKTOP)
    sign_in(page, live_server, "admin", f.PASSWORD)
    assert off_screen_navigation(page) == []
    assert page.locator("nav").get_by_role("button", name="Sign out").or_(
        page.locator("nav").get_by_role("link", name="Sign out")).first.is_visible()
    assert_reads_well(page)

    # A scorecard built in the forms.
    page.get_by_role("link", name="New scorecard").first.click()
    page.get_by_label("Name").fill("Returns desk")
    page.get_by_label("Channel").select_option(label="Store visit")
    page.get_by_role("button", name="Save scorecard").click()
    page.get_by_text("Scorecard created").wait_for()
    page.get_by_role("link", name="Add a section").click()
    page.get_by_label("Name").fill("Handling the return")
    page.get_by_label("Weight").fill("2")
    page.get_by_role("button", name="Save section").click()
    for question, kind, critical in [("Never argued about the receipt", "Yes / No", True),
                                     ("Explained the refund, repair or replacement", None, False)]:
        page.get_by_role("link", name="Add an item").first.click()
        page.get_by_label("Question").fill(question)
        answer_type = page.get_by_label("Answer type")
        labels = answer_type.locator("option").all_inner_texts()
        answer_type.select_option(label=kind or next(o for o in labels if "Partly" in o or "Partial" in o))
        if critical:
            page.get_by_label("Critical").check()
        page.get_by_role("button", name="Save item").click()
        page.get_by_text("Item added").wait_for()
    assert_reads_well(page)
    items = {i.question: i for i in Item.objects.filter(section__version__scorecard__name="Returns desk")}
    assert items["Never argued about the receipt"].critical and items["Never argued about the receipt"].answer_type == "yes_no"
    assert items["Explained the refund, repair or replacement"].answer_type == "yes_partial_no"
    body = tidy(seen_text(page, "main"))
    assert "Never argued about the receipt" in body and "Yes / No" in body and "Critical" in body
    page.get_by_role("link", name="Preview on a phone").click()
    page.get_by_text("As a scorer sees it on a phone").wait_for()
    assert_reads_well(page)
    page.go_back()

    # Published after the confirmation, then frozen.
    page.get_by_role("button", name="Publish this version").click()
    confirm = page.get_by_role("button", name="Yes, publish it")
    if confirm.count():
        assert page.locator("h1").inner_text().startswith("Publish Returns desk")
        assert_reads_well(page)
        confirm.click()
    page.get_by_text("is published and frozen").wait_for()
    scorecard = Scorecard.objects.get(name="Returns desk")
    assert scorecard.published_version.number == 1
    assert "Published" in page.locator("main .badge").first.inner_text()
    assert page.get_by_role("button", name="Publish this version").count() == 0
    assert_reads_well(page)

    # The Django admin: the scorecard listed with its channel in words.
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("heading", name="Site administration").wait_for()
    assert_reads_well(page)
    page.locator("#content-main a[href$='/scorecards/scorecard/']").first.click()
    row = page.locator("#result_list tr", has_text="Returns desk")
    assert "Store visit" in row.inner_text()
    assert_reads_well(page)

    # The navigation at a phone's width: collapsed, and every item on screen once opened.
    phone = new_page(browser, PHONE)
    sign_in(phone, live_server, "admin", f.PASSWORD)
    assert_reads_well(phone)
    phone.locator("nav .navbar-toggler").click()
    phone.wait_for_function("() => document.querySelector('nav .navbar-collapse.show')"
                            " && !document.querySelector('nav .collapsing')")  # opened, not opening
    assert off_screen_navigation(phone) == []
    assert_reads_well(phone)
    phone.context.close()
    page.context.close()
