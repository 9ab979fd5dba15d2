"""What every role's journey checks on the pages a person meets (issue 12 item 7): the
visible text holds no internal code and no numbered title, and nothing is wider than the
window, at a phone's and a desktop's size.

The codes are the ones the crawl test reads from the models' choices
(tests/test_no_internal_codes.py): codes with an underscore ("phone_call", "store_visit",
"yes_no"), short codes ("fcr") and stored answers whose words differ ("partial").
Plain words that are also codes ("released", "submitted") are checked where a journey
meets them, by asserting the words shown instead ("Released", "Submitted, awaiting review")."""

import re

from django.apps import apps

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 850}
SIZES = {"phone": PHONE, "desktop": DESKTOP}


def _codes_from_the_models() -> set[str]:
    codes = {"partial", "fcr"}
    for model in apps.get_models():
        if model._meta.app_label not in ("qa", "shops", "scorecards", "reports"):
            continue
        for field in model._meta.get_fields():
            for value, label in getattr(field, "choices", None) or ():
                if isinstance(value, str) and value.lower() != str(label).lower() and re.fullmatch(
                        r"[a-z]+(_[a-z0-9]+)+", value):
                    codes.add(value)
    return codes


def code_pattern():
    """The crawl test's pattern when it is there, else the same rule read here."""
    try:
        from tests.test_no_internal_codes import CODE_PATTERN
        return CODE_PATTERN
    except ImportError:
        codes = sorted(_codes_from_the_models(), key=len, reverse=True)
        return re.compile(r"(?<![\w/.-])(" + "|".join(map(re.escape, codes)) + r")(?![\w/.-])")


def seen_text(page, selector="body") -> str:
    """What a person reads: the rendered text of the element (hidden parts left out)."""
    return page.locator(selector).first.inner_text()


def assert_no_codes(page):
    text = seen_text(page)
    found = sorted(set(code_pattern().findall(text)))
    assert not found, f"{page.url}: internal codes on the page: {found}"
    assert not re.search(r"#\s?\d", page.title()), f"{page.url}: numbered title {page.title()!r}"


def assert_fits(page):
    """No horizontal scrolling: the document is no wider than the window."""
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"{page.url}: {width} px wide in a {inner} px window"


def assert_reads_well(page):
    """Both checks every page of a journey passes."""
    page.wait_for_load_state("load")
    assert_no_codes(page)
    assert_fits(page)


def at_both_sizes(page, check=assert_reads_well):
    """Run `check` on the page at the phone's and the desktop's size, leaving it at the size it was."""
    before = page.viewport_size
    for size in SIZES.values():
        page.set_viewport_size(size)
        check(page)
    page.set_viewport_size(before)


def new_page(browser, size, **options):
    """A page in its own context at a size, in the viewer's zone and language."""
    mobile = size["width"] < 600
    context = browser.new_context(viewport=size, locale="en-GB", timezone_id="Europe/London",
                                  is_mobile=mobile, has_touch=mobile, **options)
    return context.new_page()


def open_menu_item(page, name):
    """Follow a navigation link, opening the collapsed menu or the group that holds it first."""
    toggler = page.locator("nav .navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    link = page.locator("nav").get_by_role("link", name=name, exact=True).first
    for group in ("Quality work", "Mystery shopping", "Coaching"):
        if link.is_visible():
            break
        button = page.locator("nav").get_by_role("button", name=group)
        if button.count():
            button.first.click()
            if not link.is_visible():
                button.first.click()  # not in this one: close it again
    link.click()


def tidy(text: str) -> str:
    """Text with runs of white space made one space, to compare with what a template prints."""
    return re.sub(r"\s+", " ", text).strip()
