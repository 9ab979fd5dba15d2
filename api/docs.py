"""The OpenAPI schema and its documentation page (Swagger UI from drf-spectacular-sidecar's vendored files).

Both are for signed-in people (the page, with their session) and for tokens. The page is drf-spectacular's
split view: its start-up script is a separate file (?script), and our template keeps its styles in a static
file, so it runs under the site's Content Security Policy (config.security) with no inline script or style."""

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated

from api.authentication import BearerTokenAuthentication


class SignedIn(IsAuthenticated):
    pass


class SchemaView(SpectacularAPIView):
    authentication_classes = [BearerTokenAuthentication, SessionAuthentication]
    permission_classes = [SignedIn]
    throttle_classes = []


class DocsView(SpectacularSwaggerSplitView):
    authentication_classes = [SessionAuthentication, BearerTokenAuthentication]
    permission_classes = [SignedIn]
    throttle_classes = []
    template_name = "api/swagger_ui.html"
