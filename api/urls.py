"""/api/: the REST endpoints under /api/v1/ (namespace api:v1, with an index at /api/v1/), the schema and
its documentation page, and the pages where people manage their tokens and webhooks. Any other address
under /api/ answers a problem+json 404 (api.errors.not_found), never the site's HTML page."""

from django.contrib.auth.decorators import login_required
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from api import pages
from api.docs import DocsView, SchemaView
from api.endpoints.index import ApiIndexView
from api.errors import not_found
from api.endpoints.reports import DashboardReportView
from api.router import router

app_name = "api"

v1 = router.urls + [path("reports/dashboard/", DashboardReportView.as_view(), name="report-dashboard"),
                    path("", ApiIndexView.as_view(), name="index")]

urlpatterns = [
    path("v1/", include((v1, "v1"))),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", login_required(DocsView.as_view(url_name="api:schema")), name="docs"),
    path("tokens/", pages.TokenListView.as_view(), name="tokens"),
    path("tokens/<int:pk>/revoke/", pages.TokenRevokeView.as_view(), name="token-revoke"),
    path("tokens/<int:pk>/created/", pages.TokenCreatedView.as_view(), name="token-created"),
    path("webhooks/", pages.WebhookListView.as_view(), name="webhooks"),
    path("webhooks/<int:pk>/", pages.WebhookDetailView.as_view(), name="webhook-detail"),
    path("webhooks/<int:pk>/created/", pages.WebhookCreatedView.as_view(), name="webhook-created"),
    path("webhooks/deliveries/<int:pk>/resend/", pages.DeliveryResendView.as_view(), name="delivery-resend"),
    re_path(r"^[\s\S]*$", not_found),  # last: any other address under /api/ is a problem+json 404, not a page
]

__all__ = ["SpectacularAPIView"]
