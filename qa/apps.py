from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QaConfig(AppConfig):
    name = "qa"
    verbose_name = _("Evaluations")

    def ready(self):
        from qa import signals  # noqa: F401
