from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class ConfigConfig(AppConfig):
    """Installed last so that its management commands (seed_demo, backup_db, restore_db) are found,
    and so that the role groups are made once every app's permissions exist."""

    name = "config"
    verbose_name = _("Site")

    def ready(self):
        from django.db.models.signals import post_migrate

        from config import checks  # noqa: F401  (registers the deployment checks)

        from config import lookups
        from qa.roles import ensure_role_groups

        lookups.register()

        # post_migrate is sent once per app *that has models* (Django skips the others), and each
        # app's permissions are made by its own signal: wait for the last app with models, so every
        # permission a role needs already exists. This app has no models, so it is never that app.
        last_with_models = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
        post_migrate.connect(ensure_role_groups, sender=last_with_models, dispatch_uid="config-role-groups")
