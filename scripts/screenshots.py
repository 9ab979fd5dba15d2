"""`make screenshots`: a screenshot of every page each role reaches, at phone and desktop size,
under var/screenshots/<role>/<size>/, so a person can look at the whole app after a change.

It builds a fresh demo database (var/screenshots/demo.sqlite3), serves it with runserver on
127.0.0.1:$SCREENSHOTS_PORT (8765), and drives Debian's Chromium with Playwright. It also lists
pages that overflow horizontally, in var/screenshots/index.txt.
"""

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.pagecrawl import DESKTOP, PHONE, ROLES, crawl, overflow, sign_in  # noqa: E402

OUT = ROOT / "var" / "screenshots"
PORT = int(os.environ.get("SCREENSHOTS_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}/"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


def serve(env):
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([python, "manage.py", "seed_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    server = subprocess.Popen([python, "manage.py", "runserver", "--noreload", f"127.0.0.1:{PORT}"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _attempt in range(100):
        try:
            urllib.request.urlopen(BASE + "health/", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the web app did not start")


def file_name(kind: str) -> str:
    return re.sub(r"[^A-Za-z0-9{}_-]+", "_", kind.strip("/")) or "home"


def main():
    from playwright.sync_api import sync_playwright

    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{OUT / 'demo.sqlite3'}", REPORT_CACHE_SECONDS="0")
    server = serve(env)
    lines = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for role in ROLES:
                context = browser.new_context(viewport=DESKTOP, timezone_id="Europe/London", locale="en-GB")
                page = context.new_page()
                sign_in(page, BASE, role)

                def shoot(page, visited, role=role):
                    name = file_name(visited.kind)
                    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
                        page.set_viewport_size(size)
                        folder = OUT / role / label
                        folder.mkdir(parents=True, exist_ok=True)
                        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
                        extra = overflow(page)
                        if extra:
                            lines.append(f"OVERFLOW {role} {label} {visited.kind}: {extra} px")
                    page.set_viewport_size(DESKTOP)
                    lines.append(f"{role} {visited.status} {visited.kind} | {visited.title}")

                result = crawl(page, BASE, role, on_page=shoot)
                print(f"{role}: {len(result.pages)} pages")
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    (OUT / "index.txt").write_text("\n".join(lines) + "\n")
    print(f"screenshots in {OUT} (index.txt lists every page and any overflow)")


if __name__ == "__main__":
    main()
