"""Assignments: creating them one by one or in bulk, the shopper-visit bar, and
every status change (always through `change_status`, which records who and when)."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from shops import eligibility
from shops.models import Assignment, AssignmentEvent, Shopper

S = Assignment.Status

TRANSITIONS = {
    S.OFFERED: {S.ACCEPTED, S.CANCELLED, S.OFFERED},  # offered -> offered: a shopper declined (decline)
    S.ACCEPTED: {S.SUBMITTED, S.CANCELLED, S.OFFERED},
    S.SUBMITTED: {S.RETURNED, S.APPROVED, S.REJECTED},
    S.RETURNED: {S.SUBMITTED, S.CANCELLED},
    S.APPROVED: set(),
    S.REJECTED: set(),
    S.CANCELLED: set(),
}
VISITED = (S.SUBMITTED, S.RETURNED, S.APPROVED)


def change_status(assignment: Assignment, to_status: str, by, note: str = "") -> Assignment:
    if to_status not in TRANSITIONS[assignment.status]:
        raise ValidationError(
            _("This assignment is %(current)s and cannot become %(new)s.")
            % {"current": assignment.get_status_display().lower(), "new": S(to_status).label.lower()}
        )
    AssignmentEvent.objects.create(
        assignment=assignment, from_status=assignment.status, to_status=to_status, by=by, note=note
    )
    assignment.status = to_status
    if to_status == S.APPROVED:
        assignment.approved_at = timezone.now()
    assignment._history_user = by  # the audit history names who, also outside a request
    assignment.save()
    return assignment


def overturn_rejection(assignment: Assignment, by, note: str) -> Assignment:
    """A rejected report approved after all: the one way out of REJECTED, which TRANSITIONS keeps closed for
    every other path. Only an appeal's decision calls it (pool, through qa.visits.approve_on_appeal)."""
    if assignment.status != S.REJECTED:
        raise ValidationError(_("Only a rejected report can be approved on appeal."))
    if not note.strip():
        raise ValidationError(_("Say why the rejection is overturned."))
    AssignmentEvent.objects.create(assignment=assignment, from_status=S.REJECTED, to_status=S.APPROVED, by=by,
                                   note=note)
    assignment.status = S.APPROVED
    assignment.approved_at = timezone.now()
    assignment._history_user = by
    assignment.save()
    return assignment


def last_visit_at(shopper: Shopper, location):
    """When this shopper last visited this location (by their report's arrival), or None."""
    # Read through the assignment's reverse relation to its report, so shops never imports qa.
    return (
        Assignment.objects.filter(shopper=shopper, location=location, status__in=VISITED, report__isnull=False)
        .order_by("-report__arrived_at").values_list("report__arrived_at", flat=True).first()
    )


def bar_reason(shopper: Shopper, location, bar_days: int) -> str | None:
    """Why this shopper may not take a visit to this location now, or None."""
    if not bar_days:
        return None
    last = last_visit_at(shopper, location)
    if last and last >= timezone.now() - timedelta(days=bar_days):
        text = (_("You visited %(location)s on %(date)s, within the last %(days)s days.")
                if eligibility.to_shopper() else
                _("%(shopper)s visited %(location)s on %(date)s, within the last %(days)s days."))
        return eligibility.RecentVisit(text % {
            "shopper": shopper, "location": location.name, "days": bar_days,
            "date": date_format(timezone.localtime(last).date(), "j M Y"),  # as qa.formats.DATE (shops is below qa)
        }, lifts_on=timezone.localdate(last + timedelta(days=bar_days)))
    return None


@transaction.atomic
def create_assignment(*, created_by, **fields) -> Assignment:
    version = fields["version"]
    if version.status != version.Status.PUBLISHED:
        raise ValidationError(_("Assignments use a published scorecard version."))
    shopper = fields.get("shopper")
    assignment = Assignment(created_by=created_by, status=S.OFFERED, **fields)
    if shopper is not None:
        reason = eligibility.refusal(shopper, assignment)
        if reason:
            raise ValidationError(reason)
    assignment.save()
    AssignmentEvent.objects.create(assignment=assignment, to_status=S.OFFERED, by=created_by)
    return assignment


@transaction.atomic
def create_bulk(*, locations, created_by, **common) -> tuple[list[Assignment], list[str]]:
    """One assignment per location with the same scorecard, window and brief.
    Locations the chosen shopper may not take (shops.eligibility) are skipped and reported, not half-created."""
    created, skipped = [], []
    for location in locations:
        shopper = common.get("shopper")
        reason = eligibility.refusal(shopper, Assignment(location=location, **common)) if shopper else None
        if reason:
            skipped.append(reason)
            continue
        created.append(create_assignment(location=location, created_by=created_by, **common))
    return created, skipped


def offered_to(shopper: Shopper):
    """Offers this shopper may accept: made to them, or to the whole pool, not yet past,
    and not one they have declined."""
    today = timezone.localdate()
    declined = AssignmentEvent.objects.filter(AssignmentEvent.declines(), assignment=OuterRef("pk"), by=shopper.user_id)
    return Assignment.objects.filter(
        Q(shopper=shopper) | Q(shopper__isnull=True), status=S.OFFERED, window_end__gte=today,
    ).exclude(Exists(declined))


def decline_refusal(assignment: Assignment, shopper: Shopper) -> str | None:
    """Why this shopper may not decline this visit now, or None. A visit can be declined
    (an offer, or one they accepted) until its window starts; after that the QA team decides."""
    offer = assignment.status == S.OFFERED and assignment.shopper_id in (None, shopper.pk)
    accepted = assignment.status == S.ACCEPTED and assignment.shopper_id == shopper.pk
    if not (offer or accepted):
        return _("This visit is %(status)s: it can no longer be declined.") % {
            "status": assignment.get_status_display().lower()}
    if assignment.window_start <= timezone.localdate():
        return _("This visit's window has started, so it can no longer be declined here. "
                 "If you cannot go, tell the QA team.")
    return None


@transaction.atomic
def decline(assignment: Assignment, shopper: Shopper, reason: str) -> Assignment:
    """The shopper gives the visit back with a reason: it returns to planning, offered to no
    one in particular (the whole pool, except this shopper), and the reason is in its history."""
    assignment = Assignment.objects.select_for_update().select_related("location").get(pk=assignment.pk)
    refusal = decline_refusal(assignment, shopper)
    if refusal:
        raise ValidationError(refusal)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you cannot make this visit, so the QA team can plan it again.")})
    assignment.shopper = None
    return change_status(assignment, S.OFFERED, shopper.user, reason.strip())


@transaction.atomic
def accept(assignment: Assignment, shopper: Shopper) -> Assignment:
    # Lock the row: two shoppers tapping "accept" on the same pool offer must not both get it.
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status != S.OFFERED or (assignment.shopper_id not in (None, shopper.pk)):
        raise ValidationError(_("This visit is no longer available."))
    if assignment.window_end < timezone.localdate():
        raise ValidationError(_("This visit's window has passed."))
    with eligibility.addressing_shopper():  # the shopper accepts: the reasons speak to them
        reason = eligibility.refusal(shopper, assignment)
    if reason:
        raise ValidationError(reason)
    assignment.shopper = shopper
    return change_status(assignment, S.ACCEPTED, shopper.user)


def cancel(assignment: Assignment, by, note: str = "") -> Assignment:
    return change_status(assignment, S.CANCELLED, by, note)


def report_due_at(assignment: Assignment, departed_at):
    return departed_at + timedelta(hours=assignment.report_due_hours)


@transaction.atomic
def mark_paid(assignments, by) -> int:
    """Mark approved, unpaid fees as paid now. Returns how many."""
    now = timezone.now()
    return Assignment.objects.filter(
        pk__in=[a.pk for a in assignments], status=S.APPROVED, paid_at__isnull=True
    ).update(paid_at=now, paid_by=by)


def fees(shopper: Shopper, tz) -> dict:
    """A shopper's fees: earned (approved visits), payable (approved, not yet paid) and paid,
    in total and per month. A month is the month of the visit (its report's arrival) in the
    time zone `tz`, the day the shopper remembers, not the day it was approved or paid."""
    approved = Assignment.objects.filter(shopper=shopper, status=S.APPROVED)
    sums = {
        "visits": Count("pk"),
        "earned": Sum("fee", default=0),
        "payable": Sum("fee", filter=Q(paid_at__isnull=True), default=0),
        "paid": Sum("fee", filter=Q(paid_at__isnull=False), default=0),
    }
    months = (
        approved.annotate(month=TruncMonth("report__arrived_at", tzinfo=tz)).values("month")
        .annotate(**sums).order_by("-month")
    )
    return {"totals": approved.aggregate(**sums), "months": list(months)}
