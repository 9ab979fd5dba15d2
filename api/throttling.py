"""Per-token rate limits (API_RATE_READ for GET/HEAD, API_RATE_WRITE for the rest), counted in the default
cache; over the limit the answer is 429 with Retry-After. Requests without a valid token are counted per
client address, so guessing tokens is slow too."""

from django.conf import settings
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def get_rate(self):
        return settings.API_RATE_READ  # replaced per request in allow_request

    def allow_request(self, request, view):
        kind = "read" if request.method in SAFE_METHODS else "write"
        self.rate = settings.API_RATE_READ if kind == "read" else settings.API_RATE_WRITE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.kind = kind
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            return f"api-rate:{self.kind}:token:{request.auth.pk}"
        # REMOTE_ADDR is the client's own address once config.proxies.ForwardedHeadersMiddleware has run.
        return f"api-rate:{self.kind}:address:{request.META.get('REMOTE_ADDR')}"
