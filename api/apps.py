"""The REST API for integrations: tokens, endpoints over the same scoping as the pages, the OpenAPI schema,
and signed webhooks."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self):
        from api import signals, webhooks
        from qa import periodic

        signals.connect()
        periodic.register("webhook retries", webhooks.retry_due)
