"""Which client a request comes from, and which forwarded headers are believed.

Behind a reverse proxy every request arrives from the proxy's address; the client's own
address and scheme travel in X-Forwarded-For and X-Forwarded-Proto. Any client can send those
headers too, so they are believed only when the request comes from one of TRUSTED_PROXIES and
PROXY_COUNT says proxies are in front at all (PROXY_COUNT=0: gunicorn faces clients directly).
Sign-in lockout (django-axes) and the password throttles count by the address found here.
"""

import ipaddress

from django.conf import settings

FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST",
                     "HTTP_X_FORWARDED_PORT", "HTTP_FORWARDED")


def parse_address(value: str | None):
    try:
        return ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None


def from_trusted_proxy(request) -> bool:
    if settings.PROXY_COUNT <= 0:
        return False
    peer = parse_address(request.META.get("REMOTE_ADDR"))
    return peer is not None and any(peer in ipaddress.ip_network(net)
                                    for net in settings.TRUSTED_PROXIES)


class ForwardedHeadersMiddleware:
    """First in the chain: drop forwarded headers that did not come from a configured proxy,
    so Django's SECURE_PROXY_SSL_HEADER, the HTTPS redirect and the lockout never see them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not from_trusted_proxy(request):
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)


def client_ip(request) -> str | None:
    """The client's address: with N proxies in front, the Nth address from the right of
    X-Forwarded-For (each proxy appends the address it was reached from); else REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR") if from_trusted_proxy(request) else None
    if forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= settings.PROXY_COUNT and parse_address(hops[-settings.PROXY_COUNT]) is not None:
            return str(parse_address(hops[-settings.PROXY_COUNT]))
    return remote


def ratelimit_key(group, request) -> str:
    """django-ratelimit's key for 'per client address'."""
    return client_ip(request) or "unknown"
