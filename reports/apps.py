from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from qa import periodic
        from reports import subscriptions, tasks

        periodic.register("scheduled reports", subscriptions.send_due)
        # Expired export files (and scheduled reports sent as links) go without a cron entry.
        periodic.register("delete expired exports", lambda now: tasks.delete_expired_exports())
