"""Small request helpers shared by views: what a request asks for, and reading its ids and JSON safely."""

import json
import logging
import math

from django.shortcuts import render

from django.conf import settings


def wants_json(request) -> bool:
    """The page's script asked for JSON (fetch with Accept: application/json), not HTML."""
    return "application/json" in request.headers.get("Accept", "")


def opened_by_person(request) -> bool:
    """The page was opened by its reader (a navigation), not fetched in the background: the service worker keeps
    copies of a shopper's pages for offline use (templates/qa/service_worker.js), and such a fetch must not count
    as reading them. Browsers say which in Sec-Fetch-Mode; a client that sends none (an old browser, the test
    client) counts as a person."""
    return request.headers.get("Sec-Fetch-Mode", "navigate") == "navigate"


def absolute_url(path: str) -> str:
    """A link for an e-mail: e-mails are read outside the site, so a path alone leads nowhere.
    The host comes from SITE_URL, never from a request's Host header."""
    return settings.SITE_URL + path


# The largest id a database integer column holds; a bigger number names no row.
MAX_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """A positive whole number typed in ASCII digits, or None.

    `str.isdigit()` accepts superscripts ("²") that `int()` refuses, and `int()` accepts
    other scripts' digits ("٣"); ids and revisions come from our own pages, so anything
    but plain ASCII digits is treated as absent, and so is a number no column can hold.
    """
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit():
        number = int(value)
    else:
        return None
    return number if 0 <= number <= MAX_ID else None


# How deep a JSON body may nest: a report draft is a flat object of fields.
JSON_MAX_DEPTH = 8


def _refuse_constant(name):
    raise ValueError(f"{name} is not a number")


def _finite(text):
    number = float(text)
    if not math.isfinite(number):
        raise ValueError("number out of range")
    return number


def _check(value, depth=0):
    """Refuse what the database cannot store: deep nesting, NUL characters and lone surrogates."""
    if depth > JSON_MAX_DEPTH:
        raise ValueError("nested too deeply")
    if isinstance(value, str):
        if "\x00" in value or not value.isascii() and any("\ud800" <= c <= "\udfff" for c in value):
            raise ValueError("text with a NUL character or a lone surrogate")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check(key, depth + 1)
            _check(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check(item, depth + 1)
    return value


def read_json(body: bytes, max_bytes: int):
    """A request body as JSON that can be stored as it is, or ValueError.

    json.loads alone accepts NaN, Infinity, 1e309 (as infinity), nesting deep enough to
    exhaust the stack, NUL characters (which PostgreSQL's jsonb refuses) and lone surrogates.
    """
    if len(body) > max_bytes:
        raise ValueError("too large")
    try:
        return _check(json.loads(body, parse_constant=_refuse_constant, parse_float=_finite))
    except RecursionError as exc:
        raise ValueError("nested too deeply") from exc


def read_int(value, low: int, high: int) -> int:
    """A JSON number that is a whole number between `low` and `high`, or ValueError."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("not a number")
    if not low <= value <= high:
        raise ValueError("number out of range")
    return int(value)


media_log = logging.getLogger("qa.media")


def missing_file(request, instance, what: str):
    """A stored file that the database names but storage lacks (a database restored without its
    media, a file removed by hand): logged for the administrators, 404 with a message for the user."""
    media_log.error("%s %s: its file %r is missing from storage", type(instance).__name__, instance.pk,
                    getattr(getattr(instance, "file", None), "name", None))
    return render(request, "missing_file.html", {"what": what}, status=404)
