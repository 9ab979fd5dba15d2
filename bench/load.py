"""Load test (`make load`, not part of CI): gunicorn on 127.0.0.1 against PostgreSQL
holding the demo data grown to 100,000 evaluations.

For LOAD_SECONDS (default 120): 50 simulated shoppers, pausing LOAD_THINK_SECONDS
(default 1 to 3) between actions, submit visit reports (a fifth
of them replayed with the same idempotency key, a tenth sent on a connection that
is dropped before the answer and then resent), 10 managers open dashboards and
location reports, and one client calls the bare /health/ view as the floor.
Loopback only, bounded in time; it stops by itself and stops gunicorn. Gunicorn runs
LOAD_WORKERS (4) sync workers, as `make serve` does: on this 2-core machine, threaded
workers (5 x 4 threads) tripled the submission p95 through contention.

LOAD_DATABASE_URL may name a database made by bench/scale.py (qa_scale_100k,
qa_scale_10m): its evaluations stand in for the 100,000 built here.

Prints requests per second, p50/p95/p99, errors and duplicate reports.
Targets: zero errors, zero duplicates, submission p95 at most 5x the floor's p95
and under 500 ms.
"""

import http.client
import os
import random
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOAD_URL = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/qa_load")
HOST, PORT = "127.0.0.1", int(os.environ.get("LOAD_PORT", "8099"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "120"))
SHOPPERS, MANAGERS, ASSIGNMENTS_EACH = 50, 10, 80
# Seconds a simulated person pauses between actions (reading, typing). 0 turns the test
# into a saturation test, where every latency is queueing.
THINK = tuple(float(x) for x in os.environ.get("LOAD_THINK_SECONDS", "1,3").split(","))
PASSWORD = "load-test-password-2026"

sys.path.insert(0, str(ROOT))
os.environ["BENCH_DATABASE_URL"] = LOAD_URL


def ensure_database():
    parsed = urllib.parse.urlparse(LOAD_URL)
    admin_url = parsed._replace(path="/postgres").geturl()
    name = parsed.path.lstrip("/")
    exists = subprocess.run(["psql", admin_url, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
                            capture_output=True, text=True, check=True).stdout.strip()
    if not exists:
        subprocess.run(["psql", admin_url, "-qc", f'CREATE DATABASE "{name}"'], check=True)


ensure_database()
from bench import run as bench  # noqa: E402  (sets up Django against LOAD_URL)
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402


def prepare():
    """100,000 evaluations, the demo, and 50 shoppers each holding accepted visits to file."""
    from django.contrib.auth.models import Group

    from qa import roles
    from qa.models import User
    from scorecards.models import Channel, Item, Scorecard
    from shops.models import Assignment, Location, Shopper

    if Scorecard.objects.filter(name="Scale scorecard").exists():
        print("# a bench/scale.py database: its evaluations are the load's background", flush=True)
    else:
        bench.build_data(fresh=False)
    call_command("seed_demo", verbosity=0)
    version = Scorecard.objects.get(channel=Channel.STORE_VISIT).published_version
    location = Location.objects.get(code="N01")
    group = Group.objects.get(name=roles.SHOPPER)
    today = timezone.localdate()
    shoppers = []
    for n in range(SHOPPERS):
        user, created = User.objects.get_or_create(username=f"load-shopper-{n}")
        if created:
            user.set_password(PASSWORD)
            user.save()
            user.groups.add(group)
        shopper, _ = Shopper.objects.get_or_create(user=user)
        Assignment.objects.filter(shopper=shopper, status="accepted").delete()
        Assignment.objects.bulk_create(
            Assignment(location=location, version=version, shopper=shopper, status="accepted",
                       window_start=today - timedelta(days=1), window_end=today + timedelta(days=5),
                       brief="Load test visit", created_by=user)
            for _ in range(ASSIGNMENTS_EACH))
        shoppers.append((user.username, list(
            Assignment.objects.filter(shopper=shopper, status="accepted").values_list("pk", flat=True))))
    manager, _ = User.objects.get_or_create(username="load-manager")
    manager.set_password(PASSWORD)
    manager.save()
    manager.groups.add(Group.objects.get(name=roles.MANAGER))
    manager.regions.set(location.region.__class__.objects.all())
    answers = {}
    for item in Item.objects.filter(section__version=version):
        answers[f"item_{item.pk}"] = {"number": "1", "scale_5": "5", "text": "fine"}.get(item.answer_type, "yes")
    employee = location.employees.first().pk
    return shoppers, answers, employee, location


class Client:
    """A browser-like HTTP client: keeps its connection, its cookies and its CSRF token."""

    def __init__(self):
        self.conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            # The server closed an idle keep-alive connection; a browser reconnects and
            # sends again (safe for reports: the same idempotency key goes with it).
            self.conn.close()
            self.conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data

    def form_headers(self):
        return {"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": self.cookies.get("csrftoken", ""),
                "Accept": "application/json"}

    def login(self, username, recorder=None):
        """Sign in; with a recorder, the POST (where the password is hashed) is timed as sign_in."""
        status, _ = self.request("GET", "/accounts/login/")
        body = urllib.parse.urlencode({"username": username, "password": PASSWORD,
                                       "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})
        post = lambda: self.request("POST", "/accounts/login/", body, self.form_headers())  # noqa: E731
        status, _ = timed(recorder, "sign_in", post, {302}) if recorder else post()
        if status != 302:
            raise RuntimeError(f"login of {username} failed: {status}")


SLOW = 2.0  # seconds: requests slower than this are listed with the moment they started


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.started = time.perf_counter()
        self.times, self.errors, self.statuses, self.slow = {}, {}, {}, {}

    def add(self, kind, seconds, ok, status=None):
        with self.lock:
            self.times.setdefault(kind, []).append(seconds)
            if seconds > SLOW:
                self.slow.setdefault(kind, []).append(time.perf_counter() - seconds - self.started)
            if not ok:
                self.errors[kind] = self.errors.get(kind, 0) + 1
                key = (kind, status)
                self.statuses[key] = self.statuses.get(key, 0) + 1


def timed(recorder, kind, fn, ok_statuses):
    start = time.perf_counter()
    try:
        status, data = fn()
        ok = status in ok_statuses
    except Exception as exc:
        status, data, ok = type(exc).__name__, b"", False
    recorder.add(kind, time.perf_counter() - start, ok, status)
    return status, data


def drop_connection(path, body, headers):
    """Send a request and hang up before reading the answer, as a phone losing signal does."""
    with socket.create_connection((HOST, PORT), timeout=10) as raw:
        head = f"POST {path} HTTP/1.1\r\nHost: {HOST}:{PORT}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        raw.sendall(head.encode() + b"\r\n" + body.encode())


def shopper_loop(username, assignment_ids, answers, employee, recorder, deadline, rng):
    client = Client()
    client.login(username, recorder)
    keys = []
    for pk in assignment_ids:
        if time.monotonic() > deadline:
            break
        path = f"/visits/{pk}/report/"
        timed(recorder, "report_form", lambda: client.request("GET", path), {200})
        time.sleep(rng.uniform(*THINK))
        now = timezone.localtime()
        key = uuid.uuid4().hex
        fields = dict(answers, arrived_at=(now - timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"),
                      departed_at=(now - timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M"), employee=employee,
                      narrative="Load test visit.", submission_key=key,
                      csrfmiddlewaretoken=client.cookies.get("csrftoken", ""))
        body = urllib.parse.urlencode(fields)
        headers = client.form_headers()
        if rng.random() < 0.1:
            cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
            try:
                drop_connection(path, body, dict(headers, Cookie=cookie))
            except OSError:
                pass
        timed(recorder, "submit", lambda: client.request("POST", path, body, headers), {200})
        if rng.random() < 0.2:
            timed(recorder, "submit_replay", lambda: client.request("POST", path, body, headers), {200})
        keys.append(key)
        time.sleep(rng.uniform(*THINK))
    return keys


def manager_loop(recorder, deadline, location_pk, region_pk):
    client = Client()
    client.login("load-manager", recorder)
    pages = [f"/reports/?region={region_pk}", f"/reports/locations/{location_pk}/", "/reports/"]
    n = 0
    while time.monotonic() < deadline:
        timed(recorder, "dashboard", lambda: client.request("GET", pages[n % len(pages)]), {200})
        n += 1
        time.sleep(random.uniform(*THINK))


FLOOR_PAUSE = float(os.environ.get("LOAD_FLOOR_PAUSE", "0.05"))


def floor_loop(recorder, deadline):
    """The floor's latency under the same load, sampled about 20 times a second: a probe,
    not a load generator (unpaced, it sent 400 requests a second and took a core itself)."""
    client = Client()
    while time.monotonic() < deadline:
        timed(recorder, "hello_floor", lambda: client.request("GET", "/health/"), {200})
        time.sleep(FLOOR_PAUSE)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    shoppers, answers, employee, location = prepare()
    env = dict(os.environ, DATABASE_URL=LOAD_URL, DEBUG="false", ALLOWED_HOSTS=HOST, DB_CONN_MAX_AGE="60")
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi", "--bind", f"{HOST}:{PORT}",
                               "--workers", os.environ.get("LOAD_WORKERS", "4"), "--threads", os.environ.get("LOAD_THREADS", "1"),
                               "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        for _ in range(100):
            try:
                if Client().request("GET", "/health/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        recorder = Recorder()
        started = time.monotonic()
        deadline = started + SECONDS
        threads = [threading.Thread(target=floor_loop, args=(recorder, deadline))]
        threads += [threading.Thread(target=manager_loop, args=(recorder, deadline, location.pk, location.region_id))
                    for _ in range(MANAGERS)]
        threads += [threading.Thread(target=shopper_loop, args=(name, ids, answers, employee, recorder, deadline,
                                                                random.Random(i)))
                    for i, (name, ids) in enumerate(shoppers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(SECONDS + 60)
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(20)
    report(recorder, elapsed, shoppers)


def report(recorder, elapsed, shoppers):
    from qa.models import Evaluation, VisitReport

    for kind, values in sorted(recorder.times.items()):
        print(f"{kind}_requests: {len(values)}")
        print(f"{kind}_rps: {len(values) / elapsed:.1f} req/s")
        for p in (50, 95, 99):
            print(f"{kind}_p{p}: {percentile(values, p) * 1000:.0f} ms")
        print(f"{kind}_errors: {recorder.errors.get(kind, 0)}")
        slow = sorted(recorder.slow.get(kind, []))
        if slow:
            first = sum(1 for moment in slow if moment < 15)
            print(f"{kind}_over_{SLOW:.0f}s: {len(slow)} ({first} started in the first 15 s; "
                  f"started at {', '.join(f'{moment:.0f}' for moment in slow[:12])}{' ...' if len(slow) > 12 else ''} s)")
    users = [name for name, _ids in shoppers]
    evaluations = Evaluation.objects.filter(evaluator__username__in=users).count()
    reports = VisitReport.objects.filter(assignment__shopper__user__username__in=users).count()
    print(f"reports_filed: {reports}")
    print(f"duplicate_reports: {evaluations - reports} (target 0)")
    if "submit" in recorder.times and "hello_floor" in recorder.times:
        ratio = percentile(recorder.times["submit"], 95) / percentile(recorder.times["hello_floor"], 95)
        print(f"submit_p95_over_floor_p95: {ratio:.1f} x (target <= 5)")
    print(f"total_errors: {sum(recorder.errors.values())} (target 0)")
    for (kind, status), n in sorted(recorder.statuses.items(), key=str):
        print(f"error_{kind}_{status}: {n}")


if __name__ == "__main__":
    main()
