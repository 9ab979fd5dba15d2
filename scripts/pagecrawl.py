"""Every page each role reaches, found the way a person finds them: sign in, then follow the
links on each page, breadth first, in a real browser.

Used by `make screenshots` (scripts/screenshots.py saves each page at phone and desktop width)
and by tests/browser/test_layout.py (no page overflows horizontally at any width). One page is
kept per kind of URL: `/evaluations/313/` and `/evaluations/314/` are one kind (digits become
`{id}`, the query string is dropped), so the crawl grows with the app's pages, not its data.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

DEMO_PASSWORD = "service-first-2026"
# The demo logins (config/demo.py) and the widths a page must fit.
ROLES = ["shopper", "employee", "reviewer", "lead", "manager", "admin"]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 850}
WIDTHS = [360, 768, 1024, 1366]

# Never followed: leaving the session, files rather than pages, and actions behind a GET; and the API's
# schema (a file) and documentation page (Swagger UI, not a site page: tests/browser/test_api_pages.py).
SKIP = re.compile(
    r"/accounts/logout/|/logout|\.(csv|pdf|xlsx|zip|wav|mp3|ogg|m4a|jpg|jpeg|png)$|/export|/download|"
    r"/recordings/\d+|/evidence/\d+|/pool/pay/batches/\d+/file/|/pool/pay/mine/statement/\d+/|/pool/qualifications/documents/\d+/|template\.csv|/sw\.js|/static/|/api/schema/|/api/docs/|/api/v1/"
)
# The Django admin has a page per model and action: a few of its kinds are enough to judge its layout.
ADMIN_KINDS = 12


def kind_of(url: str) -> str:
    """The kind of page a URL shows: its path with every number replaced by {id}."""
    return re.sub(r"\d+", "{id}", urlsplit(url).path)


@dataclass
class Visited:
    url: str
    kind: str
    title: str
    status: int


@dataclass
class Crawl:
    role: str
    pages: list[Visited] = field(default_factory=list)


def sign_in(page, base_url: str, username: str, password: str = DEMO_PASSWORD):
    page.goto(urljoin(base_url, "/accounts/login/"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(urljoin(base_url, "/"))


def links_on(page, base_url: str) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "a[href]:not([download])", "els => els.map(e => e.href)")
    origin = urlsplit(base_url).netloc
    found = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.netloc != origin or parts.scheme not in ("http", "https"):
            continue
        url = parts._replace(fragment="").geturl()
        if not SKIP.search(parts.path):
            found.append(url)
    return found


def crawl(page, base_url: str, role: str, limit: int = 80, on_page=None) -> Crawl:
    """Follow links from the home page, one page per kind, at most `limit` pages.
    `on_page(page, visited)` is called on each page once it has loaded (screenshots, checks)."""
    result = Crawl(role)
    seen_kinds = set()
    queue = [urljoin(base_url, "/")]
    admin_kinds = 0
    while queue and len(result.pages) < limit:
        url = queue.pop(0)
        kind = kind_of(url)
        if kind in seen_kinds:
            continue
        if kind.startswith("/admin/") and kind != "/admin/":
            if admin_kinds >= ADMIN_KINDS:
                continue
            admin_kinds += 1
        seen_kinds.add(kind)
        response = page.goto(url)
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        page.wait_for_load_state("load")
        visited = Visited(url=page.url, kind=kind, title=page.title(), status=response.status)
        result.pages.append(visited)
        if on_page is not None:
            on_page(page, visited)
        queue.extend(link for link in links_on(page, base_url) if kind_of(link) not in seen_kinds)
    return result


def overflow(page) -> int:
    """How many pixels the page is wider than the window (0 when it fits)."""
    return page.evaluate("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")
