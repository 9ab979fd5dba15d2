from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QaConfig(AppConfig):
    name = "qa"
    verbose_name = _("Evaluations")

    def ready(self):
        from django.core.signals import request_started
        from django.db.models.signals import post_migrate

        from qa import signals  # noqa: F401
        from qa import tasks

        # What keeps exactly one periodic tick alive (qa.tasks): after migrate, and on requests.
        post_migrate.connect(tasks.ensure_tick_after_migrate, sender=self, dispatch_uid="qa-periodic-tick")
        request_started.connect(tasks.ensure_tick_now_and_then, dispatch_uid="qa-periodic-tick")
