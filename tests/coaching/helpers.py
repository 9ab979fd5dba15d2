"""Objects the coaching tests share: a call scorecard, two released reviewer evaluations of Ann's calls
with a failed item and a pinned moment each, and a recording."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qa import recordings
from qa.models import Evaluation, Interaction, PinnedComment
from tests import factories as f

GOOD = {"Greeted the caller": "yes", "Tone": "5", "Acknowledged in time": "N/A", "Resolved in time": "N/A"}
NO_GREETING = dict(GOOD, **{"Greeted the caller": "no"})


def call(world, days_ago=1, employee=None, location=None):
    employee = employee or world.employee_a
    return Interaction.objects.create(
        channel="phone_call", location=location or employee.location, employee=employee,
        occurred_at=timezone.now() - timedelta(days=days_ago), created_by=world.reviewer)


def reviewed(world, version, answers, days_ago=1, employee=None, pin=None, with_recording=False):
    """A reviewer's released evaluation of a new call (with its recording and a pinned comment if asked)."""
    interaction = call(world, days_ago, employee=employee)
    if with_recording:
        recordings.store_recording(interaction, SimpleUploadedFile("c.wav", recordings.wav_bytes(0.5)), world.reviewer)
    evaluation = f.make_evaluation(version, interaction.location, world.reviewer, answers,
                                   employee=employee or world.employee_a, days_ago=days_ago, interaction=interaction)
    if pin:
        item = evaluation.answers.get(item__question=pin).item_id
        # Pinned while scoring (qa.scoring_sessions.pin_comment needs the draft); stored as it leaves it.
        PinnedComment.objects.create(evaluation=evaluation, at_seconds=0.2, text=f"Listen: {pin}", item_id=item,
                                     by=world.reviewer)
    return evaluation


def self_assessed(world, version, interaction, answers):
    """The employee's handed-in self-assessment of an interaction (as coaching.selfassessment stores it)."""
    return f.make_evaluation(version, interaction.location, world.employee, answers, employee=world.employee_a,
                             status=Evaluation.Status.SUBMITTED, source=Evaluation.Source.SELF,
                             interaction=interaction)
