"""Bad input gets a 4xx with a clear message, never a 5xx.

A fuzz test generated from the URL configuration: every URL pattern (the Django admin
included) is opened by each persona allowed to use it, with its path ids filled with
existing objects' ids and with bad ones, and with malformed query parameters and form
fields: huge and negative numbers, non-ASCII digits, NaN and Infinity, 1e309, NUL and
lone surrogates, overlong strings, invalid and far dates (for users in far time zones),
deep JSON and truncated files. A 5xx anywhere fails the test with the list of requests.

The values are a fixed, representative set per kind of field, not a cross product:
values that no field accepts are sent in every field at once, values that a field
may accept (a far date, a huge id) one field at a time, so that the filter or view
behind a valid form is reached too.
"""

import io
import logging
import os
import re
import sys
import zipfile
from urllib.parse import quote, urlsplit

import lxml.html
import pytest
from django.conf import settings as django_settings
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import NoReverseMatch

from qa import imports, recordings
from tests import factories as f
from tests.conftest import PERSONAS
from tests.test_access_matrix import build, matrix
from tests.visits_helpers import image_bytes

SURROGATE = "\ud800"
NEVER_VALID = ["a\x00b", SURROGATE, "x" * 3000, "²", "٣", "Infinity", "1e309", "9" * 40, "2026-02-30 ¹"]
# Django's own admin forms parse "²", "Infinity" and "1e309" with the same fields as the project's forms, which get
# the whole list; what reaches the database (NUL, lone surrogates, length, other scripts' digits) is kept.
ADMIN_NEVER_VALID = [NEVER_VALID[0], NEVER_VALID[1], NEVER_VALID[2], NEVER_VALID[4]]
DATES = ["9999-12-31", "0001-01-01"]
DATETIMES = ["9999-12-31T23:59", "0001-01-01T00:00"]
NUMBERS = ["-1", "0", "99999999999999999999", "9223372036854775808", "1e29"]
BAD_IDS = [0, 99999999999999999999]
BAD_ADMIN_IDS = ["-1", "99999999999999999999", "²", "%00"]
# Query parameters views read outside their filter forms.
EXTRA_PARAMS = ["page", "interaction", "o", "q", "p", "e", "region_page", "location_page", "employee_page",
                "ranking_page", "revision", "next", "region", "location", "employee", "scorecard", "period"]
# The date filters, whether or not the page shows them.
EXTRA_DATES = [("date_from", "date", ""), ("date_to", "date", "")]
TIME_ZONES = ["Asia/Tokyo", "Pacific/Pago_Pago", "Pacific/Kiritimati"]


def encode(value: str) -> str:
    """Percent-encode a value, lone surrogates included (as the invalid UTF-8 a client could send)."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def query(params: dict) -> str:
    return "&".join(f"{encode(k)}={encode(v)}" for k, v in params.items())


def with_query(url: str, params: dict) -> str:
    return f"{url}{'&' if '?' in url else '?'}{query(params)}"


def form_body(fields: list[tuple[str, str]]) -> bytes:
    return "&".join(f"{encode(k)}={encode(v)}" for k, v in fields).encode("ascii")


# --- the URL configuration -------------------------------------------------------------------------------------

def url_patterns():
    """(name, pattern) for every URL pattern of the project, the admin's included."""
    found = []

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                found.append((namespace + pattern.name, pattern))

    walk(get_resolver().url_patterns)
    return found


def allowed_personas(method, expected):
    """The personas that get an answer other than a refusal."""
    return [p for p, status in expected.items()
            if status in (200, 201, 400) or (status == 302 and method == "post" and p != "anonymous")]


def bad_id_urls(name, url):
    """The same URL with each of its integer path parameters replaced by a bad id."""
    match = resolve(urlsplit(url).path)
    urls = []
    for key, value in match.kwargs.items():
        if isinstance(value, int):
            for bad in BAD_IDS:
                try:
                    urls.append(reverse(name, kwargs=dict(match.kwargs, **{key: bad})))
                except NoReverseMatch:
                    pass
    return urls


# --- pages and their forms -------------------------------------------------------------------------------------

def forms_in(response, page_url):
    """The forms of an HTML page: (method, action, [(name, kind, value)])."""
    if "html" not in response.get("Content-Type", "") or not response.content.strip():
        return []
    document = lxml.html.fromstring(response.content)
    found = []
    for form in document.forms:
        fields = []
        for element in form.inputs:
            name = element.get("name")
            if not name or name == "csrfmiddlewaretoken":
                continue
            tag = element.tag
            kind = element.get("type", "text") if tag == "input" else tag
            if kind in ("submit", "button", "image", "reset"):
                continue
            if kind in ("checkbox", "radio"):
                value = element.get("value", "on") if element.checked else None
                if value is None:
                    if kind == "radio" and not any(n == name for n, _k, _v in fields):
                        value = element.get("value", "on")
                    else:
                        continue
            elif tag == "select":
                selected = [o.get("value", o.text or "") for o in element.xpath(".//option[@selected]")]
                options = [o.get("value", o.text or "") for o in element.xpath(".//option")]
                value = (selected or options or [""])[0]
                if element.multiple and not selected:
                    continue
            elif tag == "textarea":
                value = element.text or ""
            else:
                value = element.get("value", "")
            fields.append((name, kind, value))
        action = form.get("action") or page_url
        if action.startswith("#"):
            action = page_url
        found.append(((form.get("method") or "get").lower(), urlsplit(action).path or urlsplit(page_url).path,
                      fields))
    return found


# "items-2-question", "items-__prefix__-question": a formset row after the first, or the empty template row.
LATER_FORMSET_ROW = re.compile(r"-(?:[1-9][0-9]*|__prefix__)-")


def per_field_values(kind):
    """Values a field of this kind may accept, sent to it alone so that the view behind a valid form runs."""
    if kind == "date":
        return DATES
    if kind == "datetime-local":
        return DATETIMES
    if kind == "number":
        return ["-1", "99999999999999999999"]
    if kind in ("select", "hidden"):
        return ["99999999999999999999"]
    return []


class Fuzzer:
    """Sends requests, one persona at a time, and collects every 5xx."""

    def __init__(self, world):
        self.world = world
        self.client = Client(raise_request_exception=False)
        self.persona = None
        self.failures = []
        self.count = 0

    def as_persona(self, persona):
        if persona != self.persona:
            self.client.logout()
            user = self.world.persona(persona) if persona != "root" else self.world.root
            if user.is_authenticated:
                self.client.force_login(user)
            self.persona = persona
        return self.client

    def record(self, response, what):
        self.count += 1
        if response.streaming:  # a download must not break after its 200 has been sent
            try:
                b"".join(response.streaming_content)
            except Exception as exc:  # noqa: BLE001 - any error here is the finding
                self.failures.append(f"stream broke ({exc!r}) as {self.persona}: {what}"[:400])
        if response.status_code >= 500:
            self.failures.append(f"{response.status_code} as {self.persona}: {what}"[:400])
        return response

    def get(self, url):
        return self.record(self.client.get(url), f"GET {url}")

    def post(self, url, fields, label=""):
        body = form_body(fields)
        response = self.client.post(url, body, content_type="application/x-www-form-urlencoded")
        return self.record(response, f"POST {url} {label or body[:200]!r}")

    def post_raw(self, url, body, content_type, label):
        return self.record(self.client.post(url, body, content_type=content_type), f"POST {url} {label}")

    def post_multipart(self, url, data, label):
        return self.record(self.client.post(url, data), f"POST {url} {label}")

    def fuzz_query(self, url, fields):
        """Malformed query parameters: the page's own GET form fields and the extra ones views read."""
        kinds = {name: kind for name, kind, _value in fields if name not in EXTRA_PARAMS}
        for value in NEVER_VALID:
            self.get(with_query(url, {name: value for name in list(kinds) + EXTRA_PARAMS + ["date_from", "date_to"]}))
        self.far_dates(url, fields)
        for name, kind in kinds.items():
            if kind not in ("date", "datetime-local"):
                for value in per_field_values(kind):
                    self.get(with_query(url, {name: value}))

    def far_dates(self, url, fields):
        dates = {name: kind for name, kind, _value in EXTRA_DATES + fields if kind in ("date", "datetime-local")}
        for name, kind in dates.items():
            for value in per_field_values(kind):
                self.get(with_query(url, {name: value}))

    def fuzz_form(self, action, fields, baseline=False, choices_together=False):
        """A POST form: every field malformed at once, then far dates and huge numbers one field at a time.

        With `choices_together` (the admin, whose choice fields are all Django's ModelChoiceField), the
        choices and hidden ids get their unknown id in one request: each is refused by its own field's
        validation, which runs whatever the other fields hold."""
        if not fields:
            return
        plain = [(n, v) for n, k, v in fields if k != "file"]
        if baseline:
            self.post(action, plain, "(as shown)")
        for value in NEVER_VALID[:6] if not choices_together else ADMIN_NEVER_VALID:
            self.post(action, [(n, value) for n, _k, _v in fields if _k != "file"], f"every field = {value[:20]!r}")
        if choices_together:
            unknown = per_field_values("select")[0]
            self.post(action, [(n, unknown if k in ("select", "hidden") and not LATER_FORMSET_ROW.search(n) else v)
                               for n, k, v in fields if k != "file"], f"every choice = {unknown}")
        for index, (name, kind, _value) in enumerate(fields):
            if LATER_FORMSET_ROW.search(name) or choices_together and kind in ("select", "hidden"):
                continue  # the rows of a formset share their fields' code: the first row stands for them all
            for value in per_field_values(kind):
                changed = [(n, value if i == index else v) for i, (n, _k, v) in enumerate(fields) if _k != "file"]
                self.post(action, changed, f"{name}={value!r}")


def setup_world(world, settings):
    objects = build(world, settings)
    # `migrate` queued the first scheduled-jobs tick (qa.tasks.periodic_tick) with a run_after, on the database
    # backend; the tests run tasks on the immediate backend, which cannot describe such a task, so the task
    # results' admin page could not show that row here. In production the same backend queued and shows it.
    from django_tasks_db.models import DBTaskResult
    DBTaskResult.objects.all().delete()
    for index, persona in enumerate(PERSONAS[1:]):
        user = world.persona(persona)
        user.time_zone = TIME_ZONES[index % len(TIME_ZONES)]
        user.save(update_fields=["time_zone"])
    world.root = f.make_user("root", is_superuser=True, is_staff=True, time_zone="Pacific/Pago_Pago")
    return objects


SKIP = {"logout"}


@pytest.fixture
def quiet_requests():
    """Thousands of refused requests need not each be logged; 5xx are collected by the test itself."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


# --- the tests -------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_every_project_url_with_malformed_parameters_and_fields(world, settings, private_media, quiet_requests):
    objects = setup_world(world, settings)
    fuzzer = Fuzzer(world)
    entries = matrix(objects)
    # The REST endpoints (api:v1:...) have their own matrix and bad-input tests in tests/api/.
    names = {name for name, _pattern in url_patterns() if not name.startswith(("admin:", "api:v1:"))}
    assert names <= {name for name, *_rest in entries}, "every project URL needs an entry in the access matrix"
    # Each URL is fuzzed fully once, by one of the personas allowed to use it (taken in turn), and its
    # far dates by one allowed persona per time zone; every allowed persona opens it and its bad ids.
    by_persona, fuzzed, dated, turn = {}, set(), set(), 0
    for name, method, url, data, expected in entries:
        if name in SKIP:
            continue
        allowed = allowed_personas(method, expected)
        for index, persona in enumerate(allowed):
            zone = world.persona(persona).time_zone if persona != "anonymous" else "UTC"
            full = name not in fuzzed and index == turn % len(allowed)
            by_persona.setdefault(persona, []).append((name, method, url, data, full, (name, zone) not in dated))
            fuzzed.add(name) if full else None
            dated.add((name, zone))
        turn += 1
    posts = []
    for persona, requests in by_persona.items():
        client = fuzzer.as_persona(persona)
        for name, method, url, data, full, dates in requests:
            for bad in bad_id_urls(name, url):
                fuzzer.record(client.post(bad, data or {}) if method == "post" else client.get(bad), f"{method} {bad}")
            if method == "post":
                if full:
                    posts.append((persona, url, [(key, "text", str(value)) for key, value in (data or {}).items()]))
                continue
            response = fuzzer.get(url)
            forms = forms_in(response, url)
            query_fields = [field for form_method, _action, fields in forms if form_method == "get" for field in fields]
            if full:
                fuzzer.fuzz_query(url, query_fields)
            elif dates:
                fuzzer.far_dates(url, query_fields)
            posts.extend((persona, action, fields) for form_method, action, fields in forms
                         if full and form_method == "post")
    seen = set()
    for persona, action, fields in posts:
        key = (resolve(action).route, tuple(sorted(name for name, _k, _v in fields)))
        if key in seen or action.startswith("/accounts/logout"):
            continue
        seen.add(key)
        fuzzer.as_persona(persona)
        fuzzer.fuzz_form(action, fields)
    print(f"{fuzzer.count} requests", file=sys.stderr)
    assert not fuzzer.failures, f"{len(fuzzer.failures)} of {fuzzer.count} requests answered 5xx:\n" + "\n".join(
        fuzzer.failures)


def deep_json(depth):
    return "[" * depth + "]" * depth


DRAFT_BODIES = [
    b'{"data": {}, "client_saved_at": 1e309}',
    b'{"data": {}, "client_saved_at": Infinity}',
    b'{"data": {}, "client_saved_at": -Infinity}',
    b'{"data": {}, "client_saved_at": NaN}',
    b'{"data": {}, "client_saved_at": 1e29}',
    b'{"data": {}, "client_saved_at": 99999999999999999999999}',
    b'{"data": {}, "client_saved_at": -99999999999999999999999}',
    b'{"data": {}, "client_saved_at": "\xc2\xb2"}',
    b'{"data": {}, "client_saved_at": "1"}',
    b'{"data": {"narrative": "a\\u0000b"}, "client_saved_at": 5}',
    b'{"data": {"a\\u0000": "b"}, "client_saved_at": 6}',
    b'{"data": {"narrative": "\\ud800"}, "client_saved_at": 7}',
    b'{"data": {"narrative": "\xed\xa0\x80"}, "client_saved_at": 8}',
    ('{"data": {"x": %s}, "client_saved_at": 9}' % deep_json(100_000)).encode(),
    ('{"data": {"x": %s}, "client_saved_at": 10}' % deep_json(2_000)).encode(),
    b'{"data": [], "client_saved_at": 1}',
    b'[]', b'null', b'"x"', b'', b'\x00', b'{',
]


def truncated_xlsx():
    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(imports.COLUMNS))
    for n in range(300):
        sheet.append([{"channel": "phone_call", "occurred_at": "2026-11-02 09:15", "customer_reference": f"C-{n}",
                       "recording": f"r{n}.wav"}.get(column, "") for column in imports.COLUMNS])
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    return data


def xlsx_with_truncated_worksheet():
    """A valid zip whose worksheet XML stops half-way: opening works, reading the rows fails."""
    source = zipfile.ZipFile(io.BytesIO(truncated_xlsx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]
            target.writestr(info, data)
    return out.getvalue()


def xlsx_without_worksheet():
    source = zipfile.ZipFile(io.BytesIO(truncated_xlsx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if not info.filename.startswith("xl/worksheets/"):
                target.writestr(info, source.read(info.filename))
    return out.getvalue()


def uploads():
    """Hostile files, each as (name, bytes, content type)."""
    xlsx = truncated_xlsx()
    wav = recordings.wav_bytes(0.5)
    jpeg = io.BytesIO()
    from PIL import Image
    Image.new("RGB", (64, 64), "red").save(jpeg, "JPEG")
    recording_zip = io.BytesIO()
    with zipfile.ZipFile(recording_zip, "w") as archive:
        archive.writestr("r0.wav", wav)
    return [
        ("calls.xlsx", xlsx[: len(xlsx) // 2], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("calls.xlsx", xlsx_with_truncated_worksheet(),
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("calls.xlsx", xlsx_without_worksheet(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("calls.csv", bytes(range(256)) * 8, "text/csv"),
        ("calls.csv", "occurred_at\n\x00\ud800".encode("utf-8", "surrogatepass"), "text/csv"),
        ("recordings.zip", recording_zip.getvalue()[:-30], "application/zip"),
        ("c.wav", wav[:30], "audio/wav"),
        ("c.wav", wav[: len(wav) // 2], "audio/wav"),
        ("p.jpg", jpeg.getvalue()[: len(jpeg.getvalue()) // 2], "image/jpeg"),
        ("p.jpg", jpeg.getvalue()[:10], "image/jpeg"),
        ("p.png", image_bytes()[:40], "image/png"),
        ("empty.png", b"", "image/png"),
    ]


@pytest.mark.django_db
def test_json_endpoints_and_uploads_with_malformed_bodies(world, settings, private_media, quiet_requests):
    objects = setup_world(world, settings)
    fuzzer = Fuzzer(world)
    fuzzer.as_persona("shopper")
    draft_url = reverse("visit-draft", args=[objects["open"].pk])
    for body in DRAFT_BODIES:
        fuzzer.post_raw(draft_url, body, "application/json", repr(body[:60]))
    upload_url = reverse("evidence-upload", args=[objects["open"].pk])
    for key in ["k" * 65, "k" * 5000, "\x00", "a\x00b", "²"]:
        image = SimpleUploadedFile("p.png", image_bytes(), content_type="image/png")
        fuzzer.post_multipart(upload_url, {"file": image, "client_key": key, "kind": "photo"}, f"client_key={key[:20]!r}")
    for kind in ["\x00", "x" * 300, "receipt", ""]:
        image = SimpleUploadedFile("p.png", image_bytes(), content_type="image/png")
        fuzzer.post_multipart(upload_url, {"file": image, "kind": kind}, f"kind={kind[:20]!r}")
    # Every file field of every page a persona may post to gets every hostile file.
    targets = [("shopper", reverse("visit-report", args=[objects["open"].pk])),
               ("lead", reverse("interaction-import")), ("reviewer", reverse("interaction-create")),
               ("root", reverse("admin:qa_evidence_add")), ("root", reverse("admin:qa_recording_add")),
               ("root", reverse("admin:qa_interactionimport_add"))]
    for persona, page in targets:
        client = fuzzer.as_persona(persona)
        for method, action, fields in forms_in(fuzzer.get(page), page):
            files = [name for name, kind, _v in fields if kind == "file"]
            if method != "post" or not files:
                continue
            plain = {name: value for name, kind, value in fields if kind != "file"}
            for filename, content, content_type in uploads() + [(upload_url and "e.png", image_bytes(), "image/png")]:
                data = dict(plain, **{name: SimpleUploadedFile(filename, content, content_type) for name in files})
                fuzzer.record(client.post(action, data), f"POST {action} {files}={filename} ({len(content)} bytes)")
    for name, content, content_type in uploads():
        fuzzer.as_persona("shopper")
        fuzzer.post_multipart(upload_url, {"file": SimpleUploadedFile(name, content, content_type)}, name)
    assert not fuzzer.failures, f"{len(fuzzer.failures)} of {fuzzer.count} requests answered 5xx:\n" + "\n".join(
        fuzzer.failures)


def admin_urls(full):
    """Every page of every model in the admin: list, add, change, and (when `full`) history, delete, bad ids."""
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:%s_%s_changelist" % info))
        urls.append(reverse("admin:%s_%s_add" % info))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            for view in ("change", "history", "delete") if full else ("change",):
                urls.append(reverse(f"admin:%s_%s_{view}" % info, args=[first.pk]))
        for bad in BAD_ADMIN_IDS if full else []:
            urls.append(reverse("admin:%s_%s_change" % info, args=["PK"]).replace("PK", bad))
    return urls


# CI runs the suite on SQLite and PostgreSQL side by side within 30 minutes, and the SQLite run also drives the
# browser: the admin (Django's own views over our admin classes) is fuzzed on PostgreSQL, the project's URLs on both.
@pytest.mark.skipif(django_settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
                    and os.environ.get("ADMIN_FUZZ_ON_SQLITE", "") != "1",
                    reason="the admin is fuzzed on PostgreSQL (ADMIN_FUZZ_ON_SQLITE=1 fuzzes it here too)")
@pytest.mark.django_db
# The admin's list filters hand the URL's dates to the query as naive times, which Django only warns
# about (the test settings make that warning an error); what matters here is what follows it.
@pytest.mark.filterwarnings("ignore:DateTimeField .* received a naive datetime:RuntimeWarning")
def test_admin_with_ordinary_use_and_malformed_fields(world, settings, private_media, quiet_requests):
    setup_world(world, settings)
    fuzzer = Fuzzer(world)
    assert {name for name, _p in url_patterns() if name.startswith("admin:")}, "the admin is in the URL configuration"
    # A model's add form has the fields of its change form: when an object exists, the change form (which also
    # saves over a real row) is fuzzed and the add form only opened.
    add_forms_with_a_change_form = {
        reverse("admin:%s_%s_add" % (model._meta.app_label, model._meta.model_name))
        for model in admin.site._registry if model._default_manager.exists()}
    for persona in ("root", "admin"):
        fuzzer.as_persona(persona)
        for url in admin_urls(full=persona == "root"):
            response = fuzzer.get(url)
            if persona != "root" or response.status_code != 200:
                continue
            for method, action, fields in forms_in(response, url):
                if method == "get":
                    params = {name: value for name, _k, value in fields}
                    for value in NEVER_VALID[:6] + DATES:
                        fuzzer.get(f"{action}?{query(dict(params, q=value, o=value, p=value))}")
                    continue
                if url.endswith("/delete/") or not fields or url in add_forms_with_a_change_form:
                    continue
                fuzzer.fuzz_form(action, fields, baseline=True, choices_together=True)
                managed = [(n, k, v) for n, k, v in fields]
                for suffix, value in (("INITIAL_FORMS", "-1"), ("TOTAL_FORMS", "99999999999"),
                                      ("INITIAL_FORMS", "99999999999"), ("TOTAL_FORMS", "²")):
                    changed = [(n, value if n.endswith(suffix) else v) for n, k, v in managed if k != "file"]
                    if any(n.endswith(suffix) for n, _k, _v in managed):
                        fuzzer.post(action, changed, f"*-{suffix}={value}")
        # the changelist filters read from the links in its sidebar, and its date drill-down
        for model, model_admin in admin.site._registry.items() if persona == "root" else []:
            info = (model._meta.app_label, model._meta.model_name)
            changelist = reverse("admin:%s_%s_changelist" % info)
            if model_admin.date_hierarchy:
                for year, month, day in (("9999", None, None), ("9999", "12", "31"), ("1", "1", "1"), ("²", None, None)):
                    params = {f"{model_admin.date_hierarchy}__year": year, f"{model_admin.date_hierarchy}__month": month,
                              f"{model_admin.date_hierarchy}__day": day}
                    fuzzer.get(with_query(changelist, {k: v for k, v in params.items() if v is not None}))
            response = fuzzer.client.get(changelist)
            if response.status_code != 200:
                continue
            params = set()
            for href in lxml.html.fromstring(response.content).xpath("//nav[@id='changelist-filter']//a/@href"):
                params.update(key for key in dict(pair.split("=", 1) for pair in urlsplit(href).query.split("&") if "=" in pair))
            for value in NEVER_VALID[:7] + DATES + NUMBERS[2:3]:
                fuzzer.get(f"{changelist}?{query({p: value for p in params})}")
    assert not fuzzer.failures, f"{len(fuzzer.failures)} of {fuzzer.count} requests answered 5xx:\n" + "\n".join(
        fuzzer.failures)
