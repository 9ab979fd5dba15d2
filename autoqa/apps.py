"""Automatic QA: transcripts of recordings (redacted before they are stored), rules on scorecard items,
automatic evaluations with their evidence, their measured agreement with reviewers, and spotlights for sampling."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AutoqaConfig(AppConfig):
    name = "autoqa"
    verbose_name = _("Automatic QA")

    def ready(self):
        from django.db.models.signals import post_save

        from autoqa import panels, receivers, services, signals, suggestions  # noqa: F401 (receivers connect on import)
        from qa import extensions
        from qa import signals as qa_signals
        from qa.models import Interaction
        from scorecards.models import Scorecard

        signals.transcript_ready.connect(receivers.transcript_ready, dispatch_uid="autoqa-transcript-ready")
        post_save.connect(receivers.interaction_saved, sender=Interaction, dispatch_uid="autoqa-interaction-saved")
        post_save.connect(receivers.scorecard_created, sender=Scorecard, dispatch_uid="autoqa-scorecard-created")
        qa_signals.interactions_imported.connect(receivers.interactions_imported, dispatch_uid="autoqa-imported")
        qa_signals.review_submitted.connect(receivers.review_submitted, dispatch_uid="autoqa-review-submitted")
        extensions.answer_suggestions.register(suggestions.for_evaluation)
        extensions.interaction_panels.register(panels.transcript_panel)
        extensions.recording_audio.register(services.audio_for)
