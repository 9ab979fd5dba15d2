"""Interaction scoring: QA reviewers score calls, emails, chats and social replies.
They start (answers the interaction's times can give are filled in), save as they go,
and submit. Every save names the revision it was based on, so two reviewers saving the
same evaluation never overwrite each other: the second is told and keeps what they
typed (qa.revisions). (Validating shoppers' visit reports is the other review
workflow: qa.visits and qa.validation_views.)"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from qa import calibration, extensions, revisions, services, timelines
from qa.models import Answer, Evaluation, Interaction, PinnedComment, ReviewTask
from qa.signals import acting_user, review_submitted
from qa.visits import comment_problems
from scorecards import scoring
from scorecards.models import TEXT_CHANNELS, Channel, Item, ScorecardVersion
from scorecards.services import spec_for


class Conflict(revisions.Conflict):
    """The evaluation was saved by someone else (or this person elsewhere) since this page
    was loaded. Carries the revision now stored, so the reviewer can choose to save their
    answers over it knowingly, and who saved it."""

    def __init__(self, message, *, revision: int, who: str, code="conflict"):
        super().__init__(message, code=code)
        self.revision, self.who = revision, who


def last_saved_by(evaluation: Evaluation) -> tuple[object, object]:
    """Who saved the evaluation last and when, from its history (None if nobody is recorded)."""
    record = evaluation.history.select_related("history_user").order_by("-history_date", "-history_id").first()
    if record is None:
        return None, None
    return record.history_user, record.history_date


class NotEditable(ValidationError):
    """The evaluation is no longer a draft."""


@dataclass
class ReviewData:
    answers: dict[int, services.AnswerData]
    override_reasons: dict[int, str] = field(default_factory=dict)
    comments: str = ""


def candidate_versions(interaction: Interaction):
    """Published scorecards for the interaction's channel; written channels fall back to the email one."""
    published = ScorecardVersion.objects.filter(status=ScorecardVersion.Status.PUBLISHED).select_related("scorecard")
    exact = published.filter(scorecard__channel=interaction.channel)
    if exact.exists():
        return exact
    if interaction.channel in TEXT_CHANNELS:
        written = published.filter(scorecard__channel__in=TEXT_CHANNELS)
        if written.exists():
            return written
    return published.exclude(scorecard__channel=Channel.STORE_VISIT)


def open_draft(interaction: Interaction, calibration=None, user=None):
    drafts = Evaluation.objects.filter(interaction=interaction, source=Evaluation.Source.REVIEWER,
                                       status=Evaluation.Status.DRAFT)
    if calibration is not None:
        return drafts.filter(calibration=calibration, evaluator=user).first()
    return drafts.filter(calibration__isnull=True).first()


def released_review(interaction: Interaction):
    """A reviewer's released evaluation of the interaction (the automatic one does not count)."""
    return Evaluation.objects.filter(interaction=interaction, calibration__isnull=True,
                                     source=Evaluation.Source.REVIEWER, status=Evaluation.Status.RELEASED).first()


@transaction.atomic
def start_review(interaction: Interaction, version: ScorecardVersion, by, calibration=None) -> tuple[Evaluation, bool]:
    """The draft to score: the open one if a reviewer already started (in calibration, only
    this reviewer's own), else a new one with the answers the interaction's times give."""
    Interaction.objects.select_for_update().filter(pk=interaction.pk).first()
    existing = open_draft(interaction, calibration, by)
    if existing is not None:
        return existing, False
    if calibration is None and released_review(interaction) is not None:
        raise ValidationError(_("This interaction has already been scored; see its evaluation."))
    if version.status != ScorecardVersion.Status.PUBLISHED:
        raise ValidationError(_("Only a published scorecard can be used for scoring."))
    evaluation = Evaluation.objects.create(
        version=version, employee=interaction.employee, location=interaction.location,
        channel=interaction.channel, source=Evaluation.Source.REVIEWER, interaction_at=interaction.occurred_at,
        evaluator=by, interaction=interaction, calibration=calibration, is_calibration=calibration is not None,
    )
    fill_auto_answers(evaluation, interaction)
    fill_suggested_answers(evaluation)
    return evaluation, True


def suggested_answers(evaluation: Evaluation) -> dict:
    """What apps above qa suggest for this evaluation's items (qa.extensions.answer_suggestions):
    {item_id: {"value", "na", "note", "evidence": [{"s", "e", "text", ...}], "trusted"}}."""
    found = {}
    for suggest in extensions.answer_suggestions:
        found.update(suggest(evaluation) or {})
    return found


def fill_suggested_answers(evaluation: Evaluation) -> int:
    """Pre-fill the trusted suggestions on items not answered yet (the interaction's times come first).
    The reviewer accepts or changes each; untrusted ones are only shown, never pre-filled."""
    answered = set(evaluation.answers.values_list("item_id", flat=True))
    valid = set(Item.objects.filter(section__version=evaluation.version).values_list("pk", flat=True))
    answers = [Answer(evaluation=evaluation, item_id=item_id, value=s.get("value") or "", na=bool(s.get("na")))
               for item_id, s in suggested_answers(evaluation).items()
               if s.get("trusted", True) and item_id in valid and item_id not in answered]
    bulk_create_with_history(answers, Answer, default_user=acting_user())
    return len(answers)


def fill_auto_answers(evaluation: Evaluation, interaction: Interaction, now=None) -> int:
    items = Item.objects.filter(section__version=evaluation.version).exclude(auto_answer="")
    answers = []
    for item in items:
        computed = timelines.compute(item, interaction, now)
        if computed is None:
            continue
        answers.append(Answer(evaluation=evaluation, item=item, value=computed.value, na=computed.na,
                              auto_value=computed.value, auto_na=computed.na, auto_note=computed.note))
    bulk_create_with_history(answers, Answer, default_user=acting_user())
    return len(answers)


def _still_a_draft(current: Evaluation) -> None:
    if current.status != Evaluation.Status.DRAFT:
        raise NotEditable(_("This evaluation has been submitted and can no longer be changed here."))
    if current.calibration_id and current.calibration.is_closed:
        raise NotEditable(_("The lead has closed this calibration session; no more scores are taken."))


def _lock(evaluation_id: int, revision: int | None, by=None) -> Evaluation:
    """The draft, locked: NotEditable once submitted or its calibration closed, then the revision
    check (qa.revisions), whose conflict says who saved and keeps the revision now stored."""
    found = {}

    def stale(current):
        found["conflict"] = conflict(current, by)
        return found["conflict"].messages[0]

    try:
        return revisions.lock_evaluation(evaluation_id, revision, stale=stale, check=_still_a_draft)
    except revisions.Conflict:
        raise found["conflict"] from None


def conflict(current: Evaluation, by) -> Conflict:
    """The message names the other person, never the reviewer themself: their own save from
    another tab is called that. Nothing typed is lost; they choose to keep theirs or load the other."""
    user, at = last_saved_by(current)
    when = formats.time_format(timezone.localtime(at), "H:i") if at else ""
    if user is not None and by is not None and user.pk == by.pk:
        message = _("You saved this evaluation in another tab or window at %(when)s, after this page was opened, "
                    "so this save was not made. Your answers on this page are kept: keep them (they replace the "
                    "other save) or load the other save.") % {"when": when}
        who = ""
    else:
        who = (user.get_full_name() or user.username) if user is not None else str(_("Someone else"))
        message = _("%(who)s saved this evaluation at %(when)s, after you opened it, so this save was not made. "
                    "Your answers on this page are kept: keep them (they replace %(who)s's) or load %(who)s's "
                    "answers.") % {"who": who, "when": when}
    return Conflict(message, revision=current.revision, who=who)


def _write(evaluation: Evaluation, data: ReviewData) -> None:
    services.save_answers(evaluation, data.answers)
    auto = {a.item_id: a for a in evaluation.answers.exclude(auto_note="")}
    for item_id, answer in auto.items():
        reason = data.override_reasons.get(item_id, "").strip() if answer.overridden else ""
        if answer.override_reason != reason:
            answer.override_reason = reason
            answer.save(update_fields=["override_reason"])
    evaluation.comments = data.comments


@transaction.atomic
def save_review(evaluation: Evaluation, data: ReviewData, *, revision: int | None, by=None) -> Evaluation:
    """Save a draft as it stands (incomplete is fine) and return it with its new revision."""
    current = _lock(evaluation.pk, revision, by)
    _write(current, data)
    current.revision += 1
    current.save(update_fields=["comments", "revision", "updated_at"])
    return current


def review_problems(evaluation: Evaluation, data: ReviewData, spec: scoring.ScorecardSpec) -> dict[str, str]:
    errors = {}
    for item_id, message in scoring.answer_problems(spec, services.engine_answers(data.answers)).items():
        errors[f"item_{item_id}"] = message
    computed = list(evaluation.answers.exclude(auto_note=""))
    # A computed "no" carries its own explanation (the times), so it needs no comment.
    given = {item_id: (a.value, a.na) for item_id, a in data.answers.items()}
    kept = {a.item_id for a in computed if given.get(a.item_id) == (a.auto_value, a.auto_na)}
    for item_id, message in comment_problems(spec, data.answers).items():
        if item_id not in kept:
            errors.setdefault(f"comment_{item_id}", message)
    for answer in computed:
        if answer.item_id not in given:
            continue
        overridden = given[answer.item_id] != (answer.auto_value, answer.auto_na)
        if overridden and not data.override_reasons.get(answer.item_id, "").strip():
            errors[f"override_{answer.item_id}"] = _(
                "You changed the answer computed from the interaction's times (%(auto)s): say why.") % {
                "auto": _("N/A") if answer.auto_na else answer.auto_value}
    return errors


@transaction.atomic
def submit_review(evaluation: Evaluation, data: ReviewData, *, revision: int | None, by) -> scoring.ScoreResult:
    """Save, check everything is answered (with comments and override reasons), score.
    A review counts at once; a calibration score is kept apart and never released."""
    current = _lock(evaluation.pk, revision, by)
    _write(current, data)
    spec = spec_for(current.version)
    errors = review_problems(current, data, spec)
    if errors:
        raise ValidationError(errors)
    current.evaluator = by
    result = services.submit(current, release=not current.is_calibration)
    if current.is_calibration:
        calibration.refresh_completion(current.calibration)
    elif current.interaction_id:
        ReviewTask.objects.filter(interaction_id=current.interaction_id).update(status=ReviewTask.Status.DONE)
        review_submitted.send(sender=Evaluation, evaluation=current)
    return result


def running_score(evaluation: Evaluation) -> dict:
    """The score so far of a draft, by the engine (scorecards.scoring) from its saved answers:
    answers not (yet) valid are left out, as unanswered items are. The scoring screen shows
    it as the reviewer works; the rule is the engine's, written once."""
    spec = spec_for(evaluation.version)
    given = {}
    for item_id, answer in services.engine_answers(services.stored_answers(evaluation)).items():
        try:
            scoring.item_score(next(i for i in spec.items() if i.id == item_id), answer)
        except (scoring.AnswerError, StopIteration):
            continue
        if not answer.is_blank:
            given[item_id] = answer
    result = scoring.score(spec, given)
    scored = [item for item in spec.items() if item.is_scored]
    return {"overall": None if result.overall is None else f"{result.overall:.1f}",
            "answered": sum(1 for item in scored if item.id in given), "of": len(scored),
            "critical_failed": result.critical_failed}


def pin_comment(evaluation: Evaluation, *, at_seconds, text: str, item_id: int | None, by) -> PinnedComment:
    if evaluation.status != Evaluation.Status.DRAFT:
        raise NotEditable(_("This evaluation has been submitted; its comments can no longer be changed."))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the comment to pin.")})
    at = Decimal(str(at_seconds)).quantize(Decimal("0.01"))
    if at < 0:
        raise ValidationError({"at_seconds": _("The moment cannot be before the start of the recording.")})
    recording = getattr(evaluation.interaction, "recording", None) if evaluation.interaction_id else None
    if recording is not None and recording.duration_seconds and at > Decimal(str(recording.duration_seconds)) + 1:
        raise ValidationError({"at_seconds": _("The moment is after the end of the recording.")})
    if item_id is not None and not Item.objects.filter(pk=item_id, section__version=evaluation.version_id).exists():
        raise ValidationError({"item": _("That item is not on this scorecard.")})
    return PinnedComment.objects.create(evaluation=evaluation, item_id=item_id, at_seconds=at, text=text, by=by)


def delete_pin(pin: PinnedComment) -> None:
    if pin.evaluation.status != Evaluation.Status.DRAFT:
        raise NotEditable(_("This evaluation has been submitted; its comments can no longer be changed."))
    pin.delete()
