"""The API's JSON parser: every body it reads is one JSON object (the fields of one request). An array, a
string or a number is refused as the request's own fault (400 problem+json), not left to crash an endpoint
that reads fields from it."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class ObjectJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if not isinstance(data, dict):
            raise ParseError(_("Expected a JSON object with the fields by name, e.g. {\"channel\": \"email\"}, "
                               "not %(kind)s.") % {"kind": _kind(data)})
        return data


def _kind(data) -> str:
    if isinstance(data, list):
        return _("an array")
    if isinstance(data, str):
        return _("a string")
    if data is None:
        return "null"
    if isinstance(data, bool):
        return _("true or false")
    return _("a number")
