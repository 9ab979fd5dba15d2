"""The shopper's app with no connection: the service worker that keeps the app shell (styles
and scripts), the shopper's home and the report page of each accepted visit (with its
scorecard) on the phone, so the app opens offline instead of the browser's error page.

It is served by Django rather than as a static file so that it can sit at /sw.js (a worker
controls only pages under its own path) and name the static files by their hashed names."""

import hashlib
import json

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

# What a shopper's pages load; kept so that a page opened offline still has its look and scripts.
SHELL = [
    "vendor/bootstrap/bootstrap.min.css", "css/app.css", "favicon.svg", "vendor/bootstrap/bootstrap.bundle.min.js",
    "js/qa.js", "js/error-summary.js", "js/offline.js", "js/outbox.js", "js/form-errors.js", "js/visit-checks.js", "js/visit-steps.js",
    "js/visit-report.js", "js/home-refresh.js",
]
# Pages kept for offline opening: the home page, a visit's report page (with its scorecard), and,
# once visited, the shopper's reports, their pay and each past report.
KEPT_PAGES = r"^/visits/(\d+/report/|reports/|pay/|\d+/)$"


class ServiceWorkerView(View):
    """Anyone may fetch it (it is a script, like any static file); it only ever keeps pages the
    browser itself was allowed to load, and drops them when the person signs out."""

    http_method_names = ["get", "head"]

    def get(self, request):
        assets = [static(path) for path in SHELL]
        context = {  # JSON literals, so nothing in a URL can break out of the script
            "assets_json": json.dumps(assets), "version": hashlib.sha256("\n".join(assets).encode()).hexdigest()[:12],
            "home_json": json.dumps(reverse("home")), "logout_json": json.dumps(reverse("logout")),
            "login_json": json.dumps(reverse("login")), "kept_json": json.dumps(KEPT_PAGES),
            "offline_json": json.dumps(reverse("offline-page")),
        }
        response = HttpResponse(render_to_string("qa/service_worker.js", context, request=request),
                                content_type="text/javascript; charset=utf-8")
        response["Service-Worker-Allowed"] = reverse("home")
        response["Cache-Control"] = "no-cache"
        return response


class OfflinePageView(TemplateView):
    """What the service worker shows for a page it has no copy of, with no connection: the app's
    header and a way home, instead of the browser's error page. Anyone may load it (the worker
    fetches it when installed); it holds nothing but those words."""

    template_name = "qa/offline_page.html"
    http_method_names = ["get", "head"]
