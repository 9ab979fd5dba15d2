"""No internal value reaches a person (issue 12.10, the *Words* class).

Every page each role reaches by following links from home (bounded), and every export
those pages link to (CSV, Excel, PDF), is read as a person reads it, the visible text
only (no tags, attributes, scripts or URLs), and must not contain a stored code.

The codes are read from the models' choices: every value that differs from its label.
Plain English words among them ("open", "done", "billing", "submitted") would also be
found in ordinary sentences, so the scan looks for the ones no sentence contains: codes
with an underscore ("phone_call", "store_visit", "yes_no"), short codes ("fcr"), and the
stored answers whose words differ ("partial", which people read as "Partly")."""

import io
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from qa import calibration, services
from scorecards.words import RENAMED_ANSWERS
from tests import factories as f
from tests.test_access_matrix import build

pytestmark = pytest.mark.django_db

ROLES = ["admin", "lead", "reviewer", "manager_a", "employee", "shopper"]
PAGES_PER_ROLE = 120
SHORT_CODES = {"fcr"}


def internal_codes() -> set[str]:
    codes = set(RENAMED_ANSWERS)
    for model in apps.get_models():
        if model._meta.app_label not in ("qa", "shops", "scorecards", "reports"):
            continue
        for field in model._meta.get_fields():
            for value, label in getattr(field, "choices", None) or ():
                if not isinstance(value, str) or value.lower() == str(label).lower():
                    continue
                if re.fullmatch(r"[a-z]+(_[a-z0-9]+)+", value) or value in SHORT_CODES:
                    codes.add(value)
    return codes


CODES = internal_codes()
CODE_PATTERN = re.compile(r"(?<![\w/.-])(" + "|".join(sorted(map(re.escape, CODES), key=len, reverse=True))
                          + r")(?![\w/.-])")


class VisibleText(HTMLParser):
    """The text a person sees (and the page's title), without tags, attributes, scripts or
    styles; and the page's links (GET only: forms that change things are not followed)."""

    def __init__(self):
        super().__init__()
        self.text, self.links, self.hidden, self.title, self.in_title = [], [], 0, "", False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "template"):
            self.hidden += 1
        self.in_title = tag == "title"
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        self.in_title = False
        if tag in ("script", "style", "template") and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        if not self.hidden:
            self.text.append(data)


def export_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response["Content-Type"]
    if "csv" in kind:
        return content.decode("utf-8-sig")
    if "spreadsheetml" in kind:
        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(" ".join(str(c) for c in row if c is not None)
                         for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))
    if "pdf" in kind:
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    return ""


def crawl(client, start="/", titles=None):
    """Breadth first from home, each path once (query strings kept apart only for exports),
    the app's pages before the admin site's, at most PAGES_PER_ROLE requests."""
    seen, found, queue, admin_queue, fetched = set(), [], deque([start]), deque(), 0
    titles = [] if titles is None else titles
    while (queue or admin_queue) and fetched < PAGES_PER_ROLE:
        url = queue.popleft() if queue else admin_queue.popleft()
        fetched += 1
        response = client.get(url)
        if response.status_code != 200:
            continue
        kind = response.get("Content-Type", "")
        if "text/html" not in kind:
            found.append((url, export_text(response)))
            continue
        parser = VisibleText()
        parser.feed(response.content.decode())
        found.append((url, " ".join(parser.text)))
        titles.append((url, parser.title.strip()))
        for href in parser.links:
            href = urldefrag(href)[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if parts.path.startswith(("/static/", "/media/", "/accounts/logout")) or "/recordings/" in parts.path:
                continue
            key = href if "/export/" in parts.path else parts.path
            if key in seen:
                continue
            seen.add(key)
            (admin_queue if parts.path.startswith("/admin/") else queue).append(href)
    return found


@pytest.fixture
def lived_in(world, settings):
    """The access matrix's world (reports, disputes, calibration, sampling, imports...), with a
    "partial" answer, a closed calibration's results and a corrected answer to show."""
    objects = build(world, settings)
    settings.EXPORT_SYNC_LIMIT = 10_000  # exports answer at once, so the crawl reads them
    f.make_evaluation(world.version, world.location_a, world.reviewer,
                      dict(f.ALL_GOOD, **{"Explained the return policy": "partial"}), employee=world.employee_a)
    session = objects["session"]
    calibration.close(session)
    return objects


def test_the_code_list_is_read_from_the_models():
    assert {"phone_call", "store_visit", "yes_no", "yes_partial_no", "partial", "fcr"} <= CODES
    assert "open" not in CODES and "Yes" not in CODES


@pytest.mark.parametrize("role", ROLES)
def test_no_page_or_export_a_role_reaches_shows_an_internal_code(lived_in, world, role):
    client = Client()
    client.force_login(world.persona(role))
    titles = []
    found = crawl(client, titles=titles)
    assert len(found) > 3
    # Titles name things ("Phone call with Ben Clarke, 29 Nov"), never a number ("Evaluation #313").
    numbered = [(url, title) for url, title in titles if re.search(r"#\s?\d", title) and not url.startswith("/admin/")]
    assert not numbered, numbered
    leaks = [(url, CODE_PATTERN.findall(text)) for url, text in found if CODE_PATTERN.search(text)]
    assert not leaks, "\n".join(f"{url}: {sorted(set(codes))}" for url, codes in leaks)
