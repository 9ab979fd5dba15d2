from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class QaConfig(AppConfig):
    name = "qa"
    verbose_name = _("Evaluations")

    def ready(self):
        from django.db.models.signals import post_migrate

        from qa.roles import ensure_role_groups

        # post_migrate is sent once per app, and each app's permissions are made by its own
        # signal: wait for the last app so every permission a role needs already exists.
        last_app = list(apps.get_app_configs())[-1]
        post_migrate.connect(ensure_role_groups, sender=last_app, dispatch_uid="qa-role-groups")
        from qa import signals  # noqa: F401
