"""CI: a fresh checkout served as the README's Production section says, and used as people would.

`make serve` under DJANGO_ENV=production (collectstatic through the manifest storage, migrate,
gunicorn on a local port, the task worker) against a fresh SQLite file with the demo data. This
script then plays the TLS-terminating reverse proxy in front of gunicorn (PROXY_COUNT=1: it sends
X-Forwarded-Proto and X-Forwarded-For) and, for every demo role, signs in, opens three pages, and
fetches every static file they name, which must have a hashed name and answer 200. A manager's
export is built by the task worker, which shows the worker started. Loopback only, bounded in time;
it stops what it started. Standard library only.

    .venv/bin/python .ci/serve_check.py        (VENV=... names another virtual environment)
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PASSWORD = "service-first-2026"
ROLES = ["admin", "lead", "reviewer", "shopper", "manager", "employee"]
HASHED = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")
FAILURES = []


def fail(message):
    FAILURES.append(message)
    print("FAIL", message, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


class Browser:
    """Cookies by hand: the session and CSRF cookies are Secure, which http.cookiejar would
    not send over the plain-http hop between the proxy (this script) and gunicorn."""

    def __init__(self, base):
        self.base = base
        self.cookies = {}

    def request(self, path, data=None, accept=None):
        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7",
                   "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if accept:
            headers["Accept"] = accept
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers["Origin"] = "https://" + self.base.split("://", 1)[1]
            headers["Referer"] = headers["Origin"] + path
        req = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            response = OPENER.open(req, timeout=30)
        except urllib.error.HTTPError as exc:
            response = exc
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers, response.read()


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.static, self.nav, self.csrf = [], [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.static.append(a["src"])
        elif tag == "link" and a.get("href"):
            self.static.append(a["href"])
        elif tag == "a" and "nav-link" in (a.get("class") or "").split() and (a.get("href") or "").startswith("/"):
            self.nav.append(a["href"])
        elif tag == "input" and a.get("name") == "csrfmiddlewaretoken":
            self.csrf = a.get("value")


def parse(body):
    links = Links()
    links.feed(body.decode("utf-8", "replace"))
    return links


def open_page(browser, path, role, seen_static):
    status, headers, body = browser.request(path)
    if status != 200:
        fail(f"{role}: {path} answered {status}")
        return parse(b"")
    links = parse(body)
    if "no-store" not in (headers.get("Cache-Control") or ""):
        fail(f"{role}: {path} may be stored by caches (Cache-Control: {headers.get('Cache-Control')})")
    if not links.static:
        fail(f"{role}: {path} names no static file")
    for url in links.static:
        if not url.startswith("/static/"):
            fail(f"{role}: {path} names {url}, not a static URL")
            continue
        if not HASHED.search(url.split("?", 1)[0]):
            fail(f"{role}: {path} names {url} without a content hash")
        if url in seen_static:
            continue
        seen_static.add(url)
        s_status, s_headers, s_body = browser.request(url)
        if s_status != 200 or not s_body:
            fail(f"{role}: static {url} answered {s_status}")
        elif "immutable" not in (s_headers.get("Cache-Control") or ""):
            fail(f"{role}: static {url} is not cached as immutable ({s_headers.get('Cache-Control')})")
    print(f"ok {role}: {path} ({len(links.static)} static files)", flush=True)
    return links


def sign_in(browser, role):
    status, _, body = browser.request("/accounts/login/")
    token = parse(body).csrf
    if status != 200 or not token:
        fail(f"{role}: the sign-in page answered {status} without a form")
        return False
    status, headers, _ = browser.request("/accounts/login/", {"csrfmiddlewaretoken": token, "username": role,
                                                               "password": PASSWORD})
    if status != 302:
        fail(f"{role}: signing in answered {status}, not a redirect")
        return False
    return True


def export_through_the_worker(browser):
    """EXPORT_SYNC_LIMIT=0 sends every export to the task worker: the job must finish."""
    status, headers, _ = browser.request("/reports/export/dashboard.xlsx")
    job = headers.get("Location", "")
    if status != 302 or "/reports/exports/" not in job:
        fail(f"manager: the export answered {status} ({job}), not a background job")
        return
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        _, _, body = browser.request(urllib.parse.urlparse(job).path, accept="application/json")
        state = json.loads(body)
        if state["status"] == "done":
            d_status, _, d_body = browser.request(state["download"])
            if d_status != 200 or not d_body.startswith(b"PK"):
                fail(f"manager: the finished export downloaded with {d_status}")
            print("ok manager: export built by the task worker", flush=True)
            return
        if state["status"] == "failed":
            fail(f"manager: the export failed: {state['error']}")
            return
        time.sleep(0.5)
    fail("manager: the export was not built within 30 s: is the task worker running?")


def stop(server):
    """`make serve` and everything it started (gunicorn and its workers, the task worker) share
    one process group of their own."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            return
        try:
            server.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def main():
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="serve-check-"))
    port = free_port()
    venv = os.environ.get("VENV", str(ROOT / ".venv"))
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(DJANGO_ENV="production", DJANGO_SETTINGS_MODULE="config.settings",
               SECRET_KEY="ci-serve-check-" + os.urandom(24).hex(), ALLOWED_HOSTS=HOST,
               PROXY_COUNT="1", TRUSTED_PROXIES=HOST, SITE_URL=f"https://{HOST}:{port}",
               DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}", STATIC_ROOT=str(tmp / "static"),
               MEDIA_ROOT=str(tmp / "media"), EXPORT_SYNC_LIMIT="0", WEB_CONCURRENCY="2")
    python = str(Path(venv) / "bin" / "python")
    for args in (["migrate", "--no-input", "-v", "0"], ["seed_demo"]):
        subprocess.run([python, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL if args[0] == "seed_demo" else None)
    print(f"database migrated and demo data loaded in {time.monotonic() - started:.0f} s", flush=True)
    log = open(tmp / "serve.log", "w")
    server = subprocess.Popen(["make", "--no-print-directory", "serve", f"VENV={venv}", f"HOST={HOST}",
                               f"PORT={port}"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    try:
        browser = Browser(f"http://{HOST}:{port}")
        deadline = time.monotonic() + 120
        while True:
            try:
                if browser.request("/health/")[0] == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                fail("gunicorn did not answer /health/")
                break
            time.sleep(0.3)
        print(f"make serve answered after {time.monotonic() - started:.0f} s", flush=True)
        if not FAILURES:
            plain = urllib.request.Request(f"http://{HOST}:{port}/accounts/login/")
            try:
                OPENER.open(plain, timeout=30)
                fail("plain http was answered instead of redirected to https")
            except urllib.error.HTTPError as exc:
                if exc.status != 301 or not exc.headers.get("Location", "").startswith("https://"):
                    fail(f"plain http answered {exc.status}, not a redirect to https")
            seen_static = set()
            for role in ROLES:
                browser = Browser(f"http://{HOST}:{port}")
                if not sign_in(browser, role):
                    continue
                home = open_page(browser, "/", role, seen_static)
                pages = [href for href in dict.fromkeys(home.nav) if href != "/"][:2]
                pages += ["/accounts/password/change/", "/account/time-zone/"][: 2 - len(pages)]
                for path in pages:
                    open_page(browser, path, role, seen_static)
                if role == "manager":
                    export_through_the_worker(browser)
    finally:
        stop(server)
        log.close()
    if FAILURES:
        print((tmp / "serve.log").read_text()[-6000:])
        print(f"serve check: {len(FAILURES)} failures")
        return 1
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"serve check passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
