"""Response headers that browsers enforce: a Content Security Policy with no inline
script or style, and a permissions policy. Every page's script comes from
static files, which is what makes the policy possible. Whatever a signed-in person
is shown (pages, JSON, exports) is marked private and not to be stored, so neither a
shared proxy nor the browser's disk cache keeps it after they sign out."""

from django.conf import settings
from django.utils.cache import patch_cache_control

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "media-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(settings.ADMIN_CSP_EXEMPT_PREFIX):
            response.setdefault("Content-Security-Policy", CSP)
        response.setdefault("Permissions-Policy", "geolocation=(self), camera=(self), microphone=()")
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
