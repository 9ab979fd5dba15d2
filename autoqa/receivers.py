"""What autoqa does when something happens elsewhere (qa never imports autoqa):
a stored recording asks for its transcript, a deleted recording takes its silenced copy with it, and a deleted
transcript its file (connected here with @receiver); a transcript is ready or a written interaction is saved or
imported -> check it on the worker; a reviewer submits an evaluation -> keep what they did with the automatic
answers (connected in AutoqaConfig.ready)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from autoqa import services
from autoqa.models import Transcript
from qa.models import Recording
from scorecards.models import TEXT_CHANNELS


@receiver(post_save, sender=Recording, dispatch_uid="autoqa-transcribe-recording")
def transcribe_new_recording(sender, instance, created, raw=False, **kwargs):
    if raw:  # loaddata / restore: the transcripts come with the data
        return
    services.request_transcript(instance)


@receiver(post_delete, sender=Recording, dispatch_uid="autoqa-recording-deleted")
def forget_redacted_audio(sender, instance, **kwargs):
    for transcript in Transcript.objects.filter(interaction_id=instance.interaction_id).exclude(redacted_audio=""):
        services.forget_audio(transcript)
        Transcript.objects.filter(pk=transcript.pk).update(redacted_audio="")


@receiver(post_delete, sender=Transcript, dispatch_uid="autoqa-transcript-deleted")
def delete_redacted_audio(sender, instance, **kwargs):
    services.forget_audio(instance)


def transcript_ready(sender, transcript, **kwargs):
    from autoqa.tasks import evaluate_interaction_task

    interaction_id = transcript.interaction_id
    transaction.on_commit(lambda: evaluate_interaction_task.enqueue(interaction_id))


def interaction_saved(sender, instance, raw=False, **kwargs):
    """A written interaction, created or edited; one still hidden by its import waits for it."""
    if raw or instance.pending_import or instance.channel not in TEXT_CHANNELS or not instance.conversation.strip():
        return
    from autoqa.tasks import evaluate_interaction_task

    interaction_id = instance.pk
    transaction.on_commit(lambda: evaluate_interaction_task.enqueue(interaction_id))


def interactions_imported(sender, job, **kwargs):
    from autoqa.tasks import evaluate_import_task

    job_id = job.pk
    transaction.on_commit(lambda: evaluate_import_task.enqueue(job_id))


def review_submitted(sender, evaluation, **kwargs):
    from autoqa import suggestions

    suggestions.capture(evaluation)


def scorecard_created(sender, instance, created, raw=False, **kwargs):
    """A default scorecard being installed gets its default checks (they match items by question)."""
    if created and not raw:
        from autoqa.defaults import DEFAULT_RULES, install_default_rules

        if instance.name in DEFAULT_RULES:
            install_default_rules()
