"""Employees scoring their own interactions, where the QA lead has switched it on for the scorecard.

The rules, decided here and nowhere else:
- An employee assesses an interaction of their own while no reviewer's evaluation of it is released; once
  one is, the self-assessment is closed (as it stands) and shown beside the reviewer's.
- A self-assessment is an Evaluation with source SELF, scored by the same engine (qa.services), kept as a
  draft while the employee works and SUBMITTED when they finish. It is never released, so it never counts:
  Evaluation.objects.counted() takes people's sources only, and qa.scoping leaves SELF out of every qa page,
  list and report, so reviewers do not see it before they release their own evaluation (no anchoring), and
  employees see it on their self-assessment pages.
- To score a call the employee must hear it: while it is open for their self-assessment, they may play the
  recording of their own interaction (views.SelfRecordingView), which qa shows them otherwise only after
  release."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from coaching.models import SelfAssessmentSetting
from qa import scoring_sessions, services
from qa.models import Evaluation, Interaction
from scorecards.models import Channel, ScorecardVersion
from scorecards.services import spec_for


def enabled_scorecard_ids() -> set[int]:
    return set(SelfAssessmentSetting.objects.filter(enabled=True).values_list("scorecard_id", flat=True))


def version_for(interaction) -> ScorecardVersion | None:
    """The published version the employee scores with: the one the reviewer's draft uses when there is one
    (so the two compare item by item), else the channel's first enabled scorecard; None when not enabled."""
    enabled = enabled_scorecard_ids()
    if not enabled:
        return None
    draft = scoring_sessions.open_draft(interaction)
    if draft is not None and draft.version.scorecard_id in enabled:
        return draft.version
    return scoring_sessions.candidate_versions(interaction).filter(scorecard_id__in=enabled).order_by(
        "scorecard__name").first()


def _reviewed():
    return Evaluation.objects.filter(interaction=OuterRef("pk"), calibration__isnull=True,
                                     source=Evaluation.Source.REVIEWER, status=Evaluation.Status.RELEASED)


def open_interactions(employee):
    """The employee's interactions still to assess: not yet released by a reviewer, on channels with
    self-assessment on, and not already handed in (those are listed once, under "Handed in")."""
    handed_in = Evaluation.objects.filter(source=Evaluation.Source.SELF, employee=employee,
                                          status=Evaluation.Status.SUBMITTED).values("interaction_id")
    return (Interaction.objects.filter(employee=employee, channel__in=_enabled_channels())
            .exclude(pk__in=handed_in)
            .annotate(reviewed=Exists(_reviewed())).filter(reviewed=False)
            .select_related("location").order_by("-occurred_at", "-pk"))


def _enabled_channels() -> set[str]:
    """Channels an enabled scorecard can score (candidate_versions' fall-backs included)."""
    enabled = enabled_scorecard_ids()
    if not enabled:
        return set()
    return {value for value, _label in Interaction.CHANNEL_CHOICES if value != Channel.STORE_VISIT
            and scoring_sessions.candidate_versions(Interaction(channel=value)).filter(scorecard_id__in=enabled).exists()}


def self_evaluation(interaction, employee) -> Evaluation | None:
    return Evaluation.objects.filter(interaction=interaction, employee=employee,
                                     source=Evaluation.Source.SELF).first()


def is_open(interaction) -> bool:
    """Open for self-assessment: not released by a reviewer, and a scorecard for it has it switched on."""
    return (not Evaluation.objects.filter(interaction=interaction, calibration__isnull=True,
                                          source=Evaluation.Source.REVIEWER,
                                          status=Evaluation.Status.RELEASED).exists()
            and version_for(interaction) is not None)


@transaction.atomic
def save(interaction, employee, *, by, answers: dict, comments: str, finish: bool) -> Evaluation:
    """Keep the employee's answers (finish=False: as they stand), or score them and hand them in
    (finish=True: every item answered, as the engine requires). Refused once a reviewer has released."""
    Interaction.objects.select_for_update().filter(pk=interaction.pk).first()
    if not is_open(interaction):
        raise ValidationError(_("A reviewer has released their evaluation of this interaction, so your "
                                "self-assessment is closed. Compare the two on the evaluation's page."))
    evaluation = self_evaluation(interaction, employee)
    if evaluation is None:
        evaluation = Evaluation.objects.create(
            version=version_for(interaction), employee=employee, location=interaction.location,
            channel=interaction.channel, source=Evaluation.Source.SELF, interaction_at=interaction.occurred_at,
            evaluator=by, interaction=interaction, status=Evaluation.Status.DRAFT)
    services.save_answers(evaluation, answers)
    evaluation.comments = comments
    if finish:
        services.check_complete(evaluation, answers, spec_for(evaluation.version))
        evaluation.status = Evaluation.Status.SUBMITTED
        evaluation.submitted_at = timezone.now()
        services.score_and_store(evaluation)
    else:
        evaluation.revision += 1
        evaluation.save(update_fields=["comments", "revision", "updated_at"])
    return evaluation


def pair_of(reviewer_evaluation) -> Evaluation | None:
    """The employee's handed-in self-assessment of the interaction a released reviewer's evaluation scored."""
    if (reviewer_evaluation.source != Evaluation.Source.REVIEWER or not reviewer_evaluation.interaction_id
            or reviewer_evaluation.status != Evaluation.Status.RELEASED or reviewer_evaluation.is_calibration):
        return None
    return Evaluation.objects.filter(interaction_id=reviewer_evaluation.interaction_id,
                                     employee_id=reviewer_evaluation.employee_id, source=Evaluation.Source.SELF,
                                     status=Evaluation.Status.SUBMITTED).first()


def side_by_side(reviewer_evaluation, own) -> list[dict]:
    """Item by item (matched by question, so another version of the scorecard still pairs): both answers,
    both scores and the gap (self minus reviewer, in points)."""
    mine = {a.item.question: a for a in own.answers.select_related("item")}
    rows = []
    for answer in reviewer_evaluation.answers.select_related("item__section"):
        other = mine.get(answer.item.question)
        gap = None
        if other is not None and other.score is not None and answer.score is not None:
            gap = float(other.score - answer.score)
        rows.append({"question": answer.item.question, "reviewer": answer, "self": other, "gap": gap})
    return rows
