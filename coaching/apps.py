from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = _("Coaching")

    def ready(self):
        from coaching import panels, report_tables
        from qa import extensions as qa_extensions
        from reports import extensions as report_extensions

        qa_extensions.evaluation_panels.register(panels.coaching_panel)
        qa_extensions.evaluation_panels.register(panels.self_assessment_panel)
        for provider in (report_tables.coverage, report_tables.coaching_effect, report_tables.self_gap):
            report_extensions.register(provider)
