"""Small request helpers shared by views."""

from django.conf import settings


def wants_json(request) -> bool:
    """The page's script asked for JSON (fetch with Accept: application/json), not HTML."""
    return "application/json" in request.headers.get("Accept", "")


def absolute_url(path: str) -> str:
    """A link for an e-mail: e-mails are read outside the site, so a path alone leads nowhere.
    The host comes from SITE_URL, never from a request's Host header."""
    return settings.SITE_URL + path
