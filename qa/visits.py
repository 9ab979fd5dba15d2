"""Mystery shoppers' visit reports: submission (idempotent by a client-made key),
automatic flags, and the reviewer's validation before a report counts.

A visit report is an Evaluation (source: shopper) plus a VisitReport with what
only a visit has. Its score is computed by the engine when it is submitted, so the
reviewer sees it, and again at approval, which is when it starts to count.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from qa import formats, revisions, services
from qa.http import absolute_url
from qa.models import Answer, AnswerCorrection, Evaluation, Evidence, ReportDraft, ReportSubmission, VisitReport
from scorecards import scoring
from scorecards.models import Channel
from scorecards.services import spec_for
from shops import services as shop_services
from shops.models import Assignment

Flag = VisitReport.Flag


def _stale_report(current: Evaluation) -> str:
    return _("Someone else changed this report while you had it open. "
             "Here it is as it is now; check it and try again.")


def lock_evaluation(evaluation_id: int, revision: int | None) -> Evaluation:
    """The report's evaluation, locked; a reviewer acting on an older revision is told (qa.revisions)."""
    return revisions.lock_evaluation(evaluation_id, revision, stale=_stale_report)


class AlreadyClosed(ValidationError):
    """The assignment no longer takes a report (approved, rejected, cancelled, or submitted and waiting)."""


@dataclass
class VisitData:
    arrived_at: datetime
    departed_at: datetime
    narrative: str
    answers: dict[int, services.AnswerData]
    employee: object = None
    employee_description: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    accuracy_m: float | None = None
    extra: dict = field(default_factory=dict)


def distance_m(lat1, lon1, lat2, lon2) -> float:
    """Great-circle distance in metres (haversine), enough to tell a store from the next street."""
    r = 6_371_000
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lon2) - float(lon1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


ARRIVAL_SLACK = timedelta(minutes=10)  # a phone's clock may run a little ahead of the server's


def visit_messages() -> dict[str, str]:
    """The words for every reason check_visit and comment_problems refuse a report, in the
    active language. The phone checks a report before it queues it and shows these same
    words (qa.visit_forms.VisitReportForm.phone_rules), so a shopper meets one wording."""
    return {
        "comment_no": _("Say what happened: a comment is required when the answer is No."),
        "comment_critical": _("Say what happened: a comment is required when a critical item fails."),
        "departure_before_arrival": _("Departure is before arrival."),
        "arrival_future": _("Arrival is in the future."),
        "employee": _("Choose the employee who served you, or describe them (name badge, appearance)."),
        "employee_elsewhere": _("This employee does not work at this location."),
        "narrative": _("Tell the story of your visit in a few sentences."),
        "receipt": _("Add a photo of the receipt: this visit requires one."),
        "photo": _("Add a photo: this visit requires one."),
    }


def window_words(assignment: Assignment) -> str:
    """The visit's window as a shopper reads it: "Tue 1 Dec – Sat 5 Dec" (one day: "Tue 1 Dec")."""
    start, end = (date_format(d, "D j M") for d in (assignment.window_start, assignment.window_end))
    return start if start == end else f"{start} – {end}"


def outside_window_message(assignment: Assignment) -> str:
    """The phone's warning when the arrival is outside the window: the server takes such a report
    (flagged "outside the window" for the reviewer), so the shopper confirms rather than is refused."""
    return _("This arrival is outside the visit's window (%(window)s). Check the date; if it is right, "
             "tap again to go on: the reviewer will see that the visit was outside the window.") % {
        "window": window_words(assignment)}


def comment_problems(spec: scoring.ScorecardSpec, answers: dict[int, services.AnswerData]) -> dict[int, str]:
    """Items whose answer needs a comment: every "no", and every failed critical item."""
    words = visit_messages()
    problems = {}
    for item in spec.items():
        answer = answers.get(item.id)
        if answer is None or answer.na or answer.comment.strip():
            continue
        try:
            value = scoring.item_score(item, scoring.AnswerInput(value=answer.value))
        except scoring.AnswerError:
            continue
        if answer.value == "no":
            problems[item.id] = words["comment_no"]
        elif item.critical and value == 0:
            problems[item.id] = words["comment_critical"]
    return problems


def visit_flags(assignment: Assignment, report: VisitReport, evidence_kinds: set[str], now) -> list[str]:
    """What a reviewer should look at before approving, as Flag codes."""
    flags = []
    arrived = timezone.localtime(report.arrived_at).date()
    if not assignment.window_start <= arrived <= assignment.window_end:
        flags.append(Flag.OUTSIDE_WINDOW)
    if now > shop_services.report_due_at(assignment, report.departed_at):
        flags.append(Flag.LATE)
    minutes = (report.departed_at - report.arrived_at).total_seconds() / 60
    if assignment.channel == Channel.STORE_VISIT and minutes < settings.VISIT_MIN_MINUTES:
        flags.append(Flag.SHORT)
    if report.checkin_distance_m is not None and report.checkin_distance_m > settings.CHECKIN_MAX_DISTANCE_M:
        flags.append(Flag.FAR)
    missing_receipt = assignment.receipt_required and Evidence.Kind.RECEIPT not in evidence_kinds
    missing_photo = assignment.photo_required and Evidence.Kind.PHOTO not in evidence_kinds
    if missing_receipt or missing_photo:
        flags.append(Flag.NO_EVIDENCE)
    # A revision after its deadline is still taken (the shopper's work is not thrown away),
    # but the reviewer sees that it came late and decides.
    if assignment.status == Assignment.Status.RETURNED and assignment.revision_deadline \
            and now > assignment.revision_deadline:
        flags.append(Flag.LATE_REVISION)
    return [str(f) for f in flags]


def check_visit(assignment: Assignment, data: VisitData, spec: scoring.ScorecardSpec) -> None:
    """Every reason the report cannot be accepted yet, keyed by form field."""
    words = visit_messages()
    errors = {}
    if data.departed_at < data.arrived_at:
        errors["departed_at"] = words["departure_before_arrival"]
    if data.arrived_at > timezone.now() + ARRIVAL_SLACK:
        errors["arrived_at"] = words["arrival_future"]
    if data.employee is None and not data.employee_description.strip():
        errors["employee_description"] = words["employee"]
    if data.employee is not None and data.employee.location_id != assignment.location_id:
        errors["employee"] = words["employee_elsewhere"]
    if not data.narrative.strip():
        errors["narrative"] = words["narrative"]
    for item_id, message in scoring.answer_problems(spec, services.engine_answers(data.answers)).items():
        errors[f"item_{item_id}"] = message
    for item_id, message in comment_problems(spec, data.answers).items():
        errors.setdefault(f"comment_{item_id}", message)
    if errors:
        raise ValidationError(errors)


def keep_checkin(report: VisitReport, data: VisitData, location) -> None:
    """Record the check-in sent with this submission. A revision sent without one keeps the
    check-in of the earlier submission: the revision form (and a report queued offline) carries
    no coordinates unless the shopper shares their location again, and "not shared" would then
    wipe out what the reviewer already saw. A new check-in replaces the old one."""
    if data.latitude is not None and data.longitude is not None:
        report.checkin_latitude, report.checkin_longitude = data.latitude, data.longitude
        report.checkin_accuracy_m = data.accuracy_m
    has_checkin = report.checkin_latitude is not None and report.checkin_longitude is not None
    report.checkin_distance_m = (
        distance_m(report.checkin_latitude, report.checkin_longitude, location.latitude, location.longitude)
        if has_checkin and location.has_coordinates else None
    )


def find_replay(key: str):
    submission = ReportSubmission.objects.select_related("report__assignment").filter(key=key).first()
    return submission.report if submission else None


def submit_visit_report(assignment: Assignment, user, data: VisitData, key: str) -> tuple[VisitReport, bool]:
    """File (or re-file after a return) the report. Returns (report, created).

    Replaying a key that was already accepted returns the same report and changes
    nothing, however many times it arrives and whatever else happened in between.
    """
    if not key or len(key) > 64:
        raise ValidationError({"submission_key": _("The submission key is missing. Reload the page and try again.")})
    replay = find_replay(key)
    if replay is not None:
        if replay.assignment_id != assignment.pk or replay.evaluation.evaluator_id != user.pk:
            raise ValidationError(_("This submission key belongs to another report."))
        return replay, False
    try:
        with transaction.atomic():
            return _submit(assignment, user, data, key)
    except IntegrityError:
        # A concurrent request with the same key won the race: it is the one report.
        replay = find_replay(key)
        if replay is None:
            raise
        return replay, False


def _submit(assignment, user, data: VisitData, key: str) -> tuple[VisitReport, bool]:
    assignment = Assignment.objects.select_for_update().select_related("location", "version").get(pk=assignment.pk)
    # The same key may have been filed while this request waited for the lock (a resend
    # racing the dropped original): it is the one report, not a closed visit.
    replay = find_replay(key)
    if replay is not None and replay.assignment_id == assignment.pk:
        return replay, False
    if not assignment.is_open_for_report:
        raise AlreadyClosed(_("This visit is %(status)s: it takes no new report.") % {
            "status": assignment.get_status_display().lower()})
    spec = spec_for(assignment.version)
    check_visit(assignment, data, spec)
    now = timezone.now()
    report = VisitReport.objects.select_related("evaluation").filter(assignment=assignment).first()
    evaluation = report.evaluation if report else Evaluation(
        version=assignment.version, location=assignment.location, evaluator=user,
        source=Evaluation.Source.SHOPPER, channel=assignment.channel,
    )
    evaluation.employee = data.employee
    evaluation.interaction_at = data.arrived_at
    evaluation.status = Evaluation.Status.SUBMITTED
    evaluation.submitted_at = now
    evaluation.save()
    services.save_answers(evaluation, data.answers, spec)
    services.score_and_store(evaluation, spec)

    report = report or VisitReport(evaluation=evaluation, assignment=assignment, first_submitted_at=now)
    report.arrived_at, report.departed_at = data.arrived_at, data.departed_at
    report.employee_description = data.employee_description if data.employee is None else ""
    report.narrative = data.narrative
    keep_checkin(report, data, assignment.location)
    report.last_submitted_at = now
    kinds = set(assignment.evidence.values_list("kind", flat=True))
    report.flags = visit_flags(assignment, report, kinds, now)
    report.save()
    ReportSubmission.objects.create(key=key, report=report)
    ReportDraft.objects.filter(assignment=assignment).delete()
    shop_services.change_status(assignment, Assignment.Status.SUBMITTED, user)
    return report, True


def validation_queue():
    """Reports waiting for a reviewer, oldest first."""
    return (
        VisitReport.objects.filter(assignment__status=Assignment.Status.SUBMITTED)
        .select_related("assignment__location__region", "assignment__shopper__user", "evaluation__version__scorecard",
                        "evaluation__employee")
        .order_by("last_submitted_at", "pk")
    )


@transaction.atomic
def correct_answer(answer: Answer, *, value: str, na: bool, reason: str, by, revision=None) -> AnswerCorrection:
    """A reviewer's correction, kept beside the original; the score follows at once."""
    answer.evaluation = lock_evaluation(answer.evaluation_id, revision)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you are correcting this answer.")})
    if answer.evaluation.status != Evaluation.Status.SUBMITTED:
        raise ValidationError(_("Only a report awaiting validation can be corrected."))
    spec = spec_for(answer.evaluation.version)
    item = next(i for i in spec.items() if i.id == answer.item_id)
    try:
        scoring.item_score(item, scoring.AnswerInput(value=value, na=na))
    except scoring.AnswerError as exc:
        raise ValidationError({"value": str(exc)}) from exc
    correction = AnswerCorrection.objects.create(
        answer=answer, old_value=answer.value, old_na=answer.na, new_value="" if na else value, new_na=na,
        reason=reason, by=by,
    )
    answer.value, answer.na = ("" if na else value), na
    answer.save(update_fields=["value", "na"])
    services.score_and_store(answer.evaluation, spec)
    return correction


def _awaiting_validation(report: VisitReport, revision=None) -> VisitReport:
    report.evaluation = lock_evaluation(report.evaluation_id, revision)
    report.assignment.refresh_from_db()
    if report.assignment.status != Assignment.Status.SUBMITTED:
        raise ValidationError(_("This report is not waiting for validation."))
    return report


@transaction.atomic
def return_report(report: VisitReport, *, by, note: str, deadline, revision=None) -> VisitReport:
    _awaiting_validation(report, revision)
    if not note.strip():
        raise ValidationError({"note": _("Tell the shopper what to change.")})
    assignment = report.assignment
    assignment.review_note, assignment.revision_deadline = note, deadline
    shop_services.change_status(assignment, Assignment.Status.RETURNED, by, note)
    Evaluation.objects.filter(pk=report.evaluation_id).update(status=Evaluation.Status.RETURNED)
    shopper = assignment.shopper.user
    if shopper.email:
        link = absolute_url(reverse("visit-report", args=[assignment.pk]))
        with formats.viewer_time_zone(shopper):  # the shopper's clock, not the reviewer's
            deadline_text = formats.datetime(deadline)
        transaction.on_commit(lambda: send_mail(
            _("Your visit report for %(location)s needs a change") % {"location": assignment.location.name},
            _("%(note)s\n\nPlease revise it by %(deadline)s: %(link)s") % {
                "note": note, "deadline": deadline_text, "link": link},
            None, [shopper.email], fail_silently=True,
        ))
    return report


def _count(report: VisitReport) -> None:
    """What approval does to the report's evaluation: it is released, scored and starts to count."""
    evaluation = report.evaluation
    evaluation.status = Evaluation.Status.SUBMITTED
    services.release(evaluation)


@transaction.atomic
def approve(report: VisitReport, *, by, revision=None) -> VisitReport:
    _awaiting_validation(report, revision)
    _count(report)
    report.assignment.review_note = ""
    shop_services.change_status(report.assignment, Assignment.Status.APPROVED, by)
    return report


@transaction.atomic
def approve_on_appeal(report: VisitReport, *, by, note: str) -> VisitReport:
    """A rejection overturned on appeal (pool's appeals): the report counts as if approved, and its history
    says who overturned it and why."""
    report.evaluation = lock_evaluation(report.evaluation_id, None)
    report.assignment.refresh_from_db()
    if report.assignment.status != Assignment.Status.REJECTED:
        raise ValidationError(_("This report is not rejected."))
    _count(report)
    report.assignment.review_note = ""
    shop_services.overturn_rejection(report.assignment, by, note)
    return report


@transaction.atomic
def reject(report: VisitReport, *, by, reason: str, revision=None) -> VisitReport:
    _awaiting_validation(report, revision)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the report is rejected.")})
    report.assignment.review_note = reason
    shop_services.change_status(report.assignment, Assignment.Status.REJECTED, by, reason)
    Evaluation.objects.filter(pk=report.evaluation_id).update(status=Evaluation.Status.REJECTED)
    return report
