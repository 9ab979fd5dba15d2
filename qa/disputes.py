"""Acknowledging and disputing released evaluations.

An employee (or a manager of their region) may dispute a released evaluation
item by item, within DISPUTE_WINDOW_DAYS of its release and while fewer than
DISPUTE_MAX_OPEN disputes are open for that employee. A reviewer other than the
one who scored it upholds or amends each item with a reason; the engine rescores.
The original answer, the dispute and the decision all stay on record.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from qa import roles, services
from qa.models import Answer, Dispute, DisputeItem, Evaluation
from scorecards import scoring
from scorecards.services import spec_for


def is_employee_of(user, evaluation) -> bool:
    return evaluation.employee_id is not None and evaluation.employee.user_id == user.pk


def manages(user, evaluation) -> bool:
    return roles.has_role(user, roles.MANAGER) and user.regions.filter(pk=evaluation.location.region_id).exists()


def dispute_refusal(user, evaluation: Evaluation) -> str | None:
    """Why this user may not dispute this evaluation now, or None if they may."""
    if not (is_employee_of(user, evaluation) or manages(user, evaluation)):
        return _("Only the employee evaluated, or their manager, can dispute an evaluation.")
    if evaluation.status != Evaluation.Status.RELEASED or evaluation.is_calibration:
        return _("Only released evaluations can be disputed.")
    if evaluation.released_at and timezone.now() > evaluation.released_at + timedelta(days=settings.DISPUTE_WINDOW_DAYS):
        return _("Disputes are possible for %(days)s days after release; this one was released on %(date)s.") % {
            "days": settings.DISPUTE_WINDOW_DAYS, "date": timezone.localtime(evaluation.released_at).date()}
    if evaluation.disputes.filter(status=Dispute.Status.OPEN).exists():
        return _("This evaluation already has an open dispute.")
    open_for_employee = Dispute.objects.filter(evaluation__employee_id=evaluation.employee_id,
                                               status=Dispute.Status.OPEN).count()
    if evaluation.employee_id and open_for_employee >= settings.DISPUTE_MAX_OPEN:
        return _("%(n)s disputes are already open for this employee; wait for a decision first.") % {
            "n": open_for_employee}
    return None


@transaction.atomic
def raise_dispute(evaluation: Evaluation, user, reasons: dict[int, str]) -> Dispute:
    """reasons: {answer id: why it is wrong}. At least one item, each with a reason."""
    # Lock the evaluation row only: PostgreSQL refuses FOR UPDATE across the nullable employee join.
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    refusal = dispute_refusal(user, evaluation)
    if refusal:
        raise PermissionDenied(refusal)
    reasons = {answer_id: reason.strip() for answer_id, reason in reasons.items() if reason and reason.strip()}
    if not reasons:
        raise ValidationError(_("Write a reason next to at least one answer."))
    answers = {a.pk: a for a in Answer.objects.filter(evaluation=evaluation, pk__in=reasons)}
    if set(answers) != set(reasons):
        raise ValidationError(_("Those answers do not belong to this evaluation."))
    dispute = Dispute.objects.create(evaluation=evaluation, raised_by=user, score_before=evaluation.overall_score)
    DisputeItem.objects.bulk_create(
        DisputeItem(dispute=dispute, answer=answers[pk], reason=reason, original_value=answers[pk].value,
                    original_na=answers[pk].na)
        for pk, reason in reasons.items()
    )
    return dispute


def decision_refusal(user, dispute: Dispute) -> str | None:
    if not roles.is_qa_staff(user):
        return _("Only QA reviewers decide disputes.")
    if dispute.evaluation.evaluator_id == user.pk:
        return _("A reviewer other than the one who scored this evaluation must decide the dispute.")
    if dispute.status != Dispute.Status.OPEN:
        return _("This dispute has already been decided.")
    return None


@transaction.atomic
def decide(dispute: Dispute, user, decisions: dict[int, tuple[str, str, bool, str]]) -> Dispute:
    """decisions: {dispute item id: (upheld|amended, new value, new N/A, reason)}, one for every item."""
    dispute = Dispute.objects.select_for_update().select_related("evaluation").get(pk=dispute.pk)
    refusal = decision_refusal(user, dispute)
    if refusal:
        raise PermissionDenied(refusal)
    items = list(dispute.items.select_related("answer"))
    errors = {}
    spec = spec_for(dispute.evaluation.version)
    specs = {item.id: item for item in spec.items()}
    for item in items:
        decision, value, na, reason = decisions.get(item.pk, ("", "", False, ""))
        if decision not in (DisputeItem.Decision.UPHELD, DisputeItem.Decision.AMENDED):
            errors[f"decision_{item.pk}"] = _("Uphold or amend this answer.")
        elif not reason.strip():
            errors[f"reason_{item.pk}"] = _("Give the reason for your decision.")
        elif decision == DisputeItem.Decision.AMENDED and not na and not value.strip():
            errors[f"value_{item.pk}"] = _("Give the new answer (or tick Not applicable).")
        elif decision == DisputeItem.Decision.AMENDED:
            try:
                scoring.item_score(specs[item.answer.item_id], scoring.AnswerInput(value=value, na=na))
            except scoring.AnswerError as exc:
                errors[f"value_{item.pk}"] = str(exc)
    if errors:
        raise ValidationError(errors)
    for item in items:
        decision, value, na, reason = decisions[item.pk]
        item.decision, item.decision_reason = decision, reason.strip()
        if decision == DisputeItem.Decision.AMENDED:
            item.new_value, item.new_na = ("" if na else value), na
            answer = item.answer
            answer.value, answer.na = item.new_value, na
            answer.save(update_fields=["value", "na"])
        item.save()
    evaluation = dispute.evaluation
    services.score_and_store(evaluation, spec)
    dispute.status, dispute.decided_by, dispute.decided_at = Dispute.Status.DECIDED, user, timezone.now()
    dispute.score_after = evaluation.overall_score
    dispute.save()
    return dispute


def with_standing(evaluations):
    """Evaluations annotated with `open_dispute` (an open dispute exists), so a list shows
    "Acknowledged", "Not acknowledged" or "Disputed" beside each released evaluation in
    one query rather than one per row (acknowledged_at is on the row itself)."""
    return evaluations.annotate(open_dispute=Exists(
        Dispute.objects.filter(evaluation=OuterRef("pk"), status=Dispute.Status.OPEN)))


def unacknowledged(user):
    """The released evaluations of this user's own service they have not acknowledged yet: what
    is "new" to an employee, on their home page, their evaluation list and in the navigation."""
    return Evaluation.objects.counted().filter(employee__user=user, acknowledged_at__isnull=True)


def acknowledge(evaluation: Evaluation, user) -> Evaluation:
    if not is_employee_of(user, evaluation) or evaluation.status != Evaluation.Status.RELEASED:
        raise PermissionDenied(_("Only the employee evaluated can acknowledge a released evaluation."))
    if evaluation.acknowledged_at is None:
        evaluation.acknowledged_at = timezone.now()
        evaluation.save(update_fields=["acknowledged_at", "updated_at"])
    return evaluation
