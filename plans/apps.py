"""Action plans: what failed, its root cause, corrective actions with owners and due dates, and the follow-up
re-shops or re-reviews that prove the plan worked before it closes."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Action plans")

    def ready(self):
        from plans import receivers, reminders, report_tables
        from qa import extensions as qa_extensions
        from qa import periodic
        from reports import extensions

        receivers.connect()
        qa_extensions.evaluation_links.register(receivers.evaluation_links)
        periodic.register("action plans", reminders.tick)
        extensions.register(report_tables.low_scores)
        extensions.register(report_tables.plan_table)
