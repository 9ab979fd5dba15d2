"""The home page (one per role) and the health check."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.views import defaults
from django.views.generic import TemplateView

from config import home


def health(request):
    """For load balancers and the load test's floor: answers without touching the database."""
    return HttpResponse("ok", content_type="text/plain")


class HomeView(LoginRequiredMixin, TemplateView):
    """One home page per role; a person with several roles gets the first in roles.ROLE_ORDER."""

    def get_template_names(self):
        return [home.template_for(self.request.user)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(home.context_for(self.request.user))
        return context


def bad_request(request, exception=None):
    """handler400: a request Django refused before any view ran (too large, too many fields, a bad host).
    Under /api/ a problem+json answer (api.errors.request_problem), elsewhere the site's 400 page."""
    if request.path_info.startswith("/api/"):
        from api.errors import request_problem

        return request_problem(request, exception)
    return defaults.bad_request(request, exception)
