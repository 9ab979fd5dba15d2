"""`Authorization: Bearer sqa_...`: the API's only way in. The request then acts as the token's owner,
so every view's scoping (qa.scoping) and permission check (qa.roles) is the owner's own."""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from api import tokens


class BearerTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != b"bearer":
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send the header as “Authorization: Bearer <token>”."))
        try:
            text = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("This token is not valid."))
        token = tokens.find(text)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("This token is not valid: it may be mistyped, expired or revoked."))
        tokens.record_use(token)
        return token.owner, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


try:  # the schema names the scheme (drf-spectacular finds extensions by subclassing)
    from drf_spectacular.extensions import OpenApiAuthenticationExtension

    class BearerTokenScheme(OpenApiAuthenticationExtension):
        target_class = "api.authentication.BearerTokenAuthentication"
        name = "token"

        def get_security_definition(self, auto_schema):
            return {"type": "http", "scheme": "bearer", "bearerFormat": "sqa_<prefix>_<secret>"}
except ImportError:  # pragma: no cover
    pass
