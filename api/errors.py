"""Every error as application/problem+json (RFC 9457): a title, the status, a detail in words, and for
invalid input `errors`, every field at fault in one answer (the endpoints gather all their checks before
answering: api.endpoints.base.Problems), one entry per message ({"field": "occurred_at", "message": "..."}; a
problem with the request as a whole has the field "non_field_errors")."""

from django.conf import settings
from django.core.exceptions import (
    PermissionDenied, RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent, TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.views.decorators.csrf import csrf_exempt
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

PROBLEM = "application/problem+json"

TITLES = {
    400: _("The request is not valid"),
    401: _("Not signed in"),
    403: _("Not allowed"),
    404: _("Not found"),
    405: _("Method not allowed"),
    406: _("Not acceptable"),
    409: _("Conflict"),
    413: _("Too large"),
    415: _("Unsupported media type"),
    429: _("Too many requests"),
}


def flatten(detail, prefix="") -> list[dict]:
    """DRF's nested error detail as a flat list of {field, message, code}."""
    if isinstance(detail, dict):
        found = []
        for key, value in detail.items():
            found += flatten(value, f"{prefix}.{key}" if prefix else str(key))
        return found
    if isinstance(detail, list):
        found = []
        for index, value in enumerate(detail):
            nested = isinstance(value, (dict, list))
            found += flatten(value, f"{prefix}.{index}" if nested and prefix else prefix)
        return found
    return [{"field": prefix or "non_field_errors", "message": str(detail),
             "code": getattr(detail, "code", "invalid")}]


def problem(status_code: int, detail: str, errors=None, headers=None) -> Response:
    body = {"type": "about:blank", "title": str(TITLES.get(status_code, _("Error"))), "status": status_code,
            "detail": detail}
    if errors:
        body["errors"] = errors
    response = Response(body, status=status_code, headers=headers)
    response.content_type = PROBLEM
    return response


def problem_handler(exc, context):
    refused = refused_request(exc)
    if refused is not None:
        return problem(*refused)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, SuspiciousOperation):
        exc = exceptions.ParseError(str(exc) or _("The request could not be read."))
    elif isinstance(exc, (OverflowError, ValueError)) and not isinstance(exc, exceptions.APIException):
        return None  # a programming error: let it be a 500 and be logged
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = flatten(exc.detail)
        fields = list(dict.fromkeys(e["field"] for e in errors))
        if len(fields) > 1:
            detail = _("%(n)s fields are not valid: %(fields)s.") % {"n": len(fields), "fields": ", ".join(fields)}
        else:
            messages = " ".join(e["message"] for e in errors)
            detail = messages if fields == ["non_field_errors"] else f"{fields[0]}: {messages}"
        result = problem(response.status_code, detail, errors)
    else:
        data = response.data
        detail = str(data.get("detail", "")) if isinstance(data, dict) else str(data)
        if isinstance(exc, Http404) or (isinstance(exc, exceptions.NotFound)
                                        and detail == str(exceptions.NotFound.default_detail)):
            detail = _("Nothing with this id is within your reach.")
        elif isinstance(exc, (PermissionDenied,)):
            detail = detail or _("Your role does not allow this.")
        result = problem(response.status_code, detail)
    for header in ("Retry-After", "WWW-Authenticate", "Allow"):
        if header in response:
            result[header] = response[header]
    return result


def refused_request(exception) -> tuple[int, str] | None:
    """Status and words for a request Django refuses as it reads it: a body over
    DATA_UPLOAD_MAX_MEMORY_SIZE (413), more fields or files than it accepts (400); None for anything else."""
    if isinstance(exception, RequestDataTooBig):
        return 413, _("The request is larger than this server accepts (%(n)s bytes at most outside uploaded "
                      "files).") % {"n": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
    if isinstance(exception, TooManyFieldsSent):
        return 400, _("The request has more fields than this server accepts (%(n)s at most).") % {
            "n": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS}
    if isinstance(exception, TooManyFilesSent):
        return 400, _("The request has more files than this server accepts (%(n)s at most).") % {
            "n": settings.DATA_UPLOAD_MAX_NUMBER_FILES}
    return None


def request_problem(request, exception) -> JsonResponse:
    """The answer under /api/ to a request Django refused before any view read it (config.views.bad_request,
    e.g. a form body read by a middleware): problem+json like every other error of the API."""
    status_code, detail = refused_request(exception) or (400, _("The request could not be read."))
    body = {"type": "about:blank", "title": str(TITLES[status_code]), "status": status_code, "detail": detail}
    return JsonResponse(body, status=status_code, content_type=PROBLEM, json_dumps_params={"ensure_ascii": False})


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Any address under /api/ that names nothing: a problem+json 404 (whatever the method), never the site's
    HTML page. An address that only lacks its final slash is redirected for GET and HEAD, as on the pages,
    and named in the answer for the other methods (a redirect would lose their body)."""
    path = request.path_info
    detail = _("Nothing is at this address. The endpoints are listed at %(index)s and documented at %(docs)s.") % {
        "index": reverse("api:v1:index"), "docs": reverse("api:docs")}
    if not path.endswith("/"):
        try:
            match = resolve(path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            if request.method in ("GET", "HEAD"):
                return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
            detail = _("Addresses end with a slash: send this to %(path)s.") % {"path": request.path + "/"}
    body = {"type": "about:blank", "title": str(TITLES[404]), "status": 404, "detail": detail}
    return JsonResponse(body, status=404, content_type=PROBLEM, json_dumps_params={"ensure_ascii": False})


__all__ = ["problem_handler", "problem", "PROBLEM", "status"]
