"""Response headers that browsers enforce: a Content Security Policy with no inline
script or style, and a permissions policy. Every page's script comes from
static files, which is what makes the policy possible."""

from django.conf import settings

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
        return response
