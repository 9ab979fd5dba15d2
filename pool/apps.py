"""The shopper pool as mystery-shopping agencies run it: programmes with their scheduling rules, shoppers'
home areas and payment details, a job board by distance, qualifications (certification quizzes and checked
documents), ratings computed from report reviews, messages and appeals on reports, and pay in batches."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoolConfig(AppConfig):
    name = "pool"
    verbose_name = _("Shopper pool")

    def ready(self):
        from pool import ratings, receivers, rules
        from shops import eligibility

        receivers.connect()
        eligibility.register_notes(ratings.notes)

        for check in rules.CHECKS:
            eligibility.register(check)

        from pool import views_conversation
        from qa import extensions

        extensions.report_panels.register(views_conversation.report_panel)
        extensions.report_history.register(views_conversation.report_history)
        extensions.report_badges.register(views_conversation.report_badges)
