"""Request middleware: show every date and time in the signed-in user's own time zone, and keep NUL
characters out of every form field and query parameter."""

import zoneinfo

from django.utils import timezone


class UserTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.time_zone:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except zoneinfo.ZoneInfoNotFoundError:
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


def without_nul(data):
    """The same QueryDict without NUL characters, or itself when it has none."""
    if not any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists()):
        return data
    cleaned = data.copy()
    cleaned.clear()
    for key, values in data.lists():
        cleaned.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
    cleaned._mutable = False
    return cleaned


class NulCharacterMiddleware:
    """Remove NUL characters from every query parameter and form field, once for every view.

    Nobody types a NUL; PostgreSQL refuses it in text, so one reaching a query or a save
    answers 500. Django's own form fields refuse it, but views that read a field directly
    (dispute reasons, submission keys) and the admin's JSON fields did not.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = without_nul(request.GET)
        if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded",
                                                                  "multipart/form-data"):
            request.POST = without_nul(request.POST)
        return self.get_response(request)
