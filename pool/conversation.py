"""Messages between the QA desk and a shopper on one report, and the shopper's one appeal against a rejection.

Who: the report's shopper and QA staff (qa.roles.is_qa_staff), nobody else. Every message e-mails the other
side with a link; a message is read when its recipient opens the report's page. An appeal is made once, within
APPEAL_DAYS of the rejection, and decided by a reviewer other than the one who rejected the report: upheld, the
report stays rejected; overturned, it is approved as a reviewer's approval would (qa.visits.approve_on_appeal)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pool.models import Appeal, ReportMessage
from qa import roles, visits
from qa.http import absolute_url
from qa.models import VisitReport
from shops.models import Assignment, AssignmentEvent

S = Assignment.Status
APPEAL_DAYS = getattr(settings, "APPEAL_DAYS", 30)
MESSAGE_MAX = 4000
APPEAL_REASON_MIN = 20  # an appeal is made once: "no" does not tell the second reviewer what to look at


# --- who -----------------------------------------------------------------------------------------------------

def is_desk(user) -> bool:
    """QA staff: they read every report and speak for the QA desk."""
    return user.is_authenticated and roles.is_qa_staff(user)


def is_shopper_of(user, assignment) -> bool:
    return (user.is_authenticated and assignment.shopper_id is not None
            and assignment.shopper.user_id == user.pk and roles.has_role(user, roles.SHOPPER))


def may_talk(user, assignment) -> bool:
    return is_desk(user) or is_shopper_of(user, assignment)


def has_report(assignment) -> bool:
    return VisitReport.objects.filter(assignment=assignment).exists()


# --- messages ------------------------------------------------------------------------------------------------

def conversation(assignment):
    return ReportMessage.objects.filter(assignment=assignment).select_related("author")


def unread_for(user, assignment):
    """The messages on this report written by the other side that nobody on this user's side has read."""
    messages = ReportMessage.objects.filter(assignment=assignment, read_at__isnull=True)
    shopper_user_id = assignment.shopper.user_id
    if is_shopper_of(user, assignment):
        return messages.exclude(author_id=shopper_user_id)
    if is_desk(user):
        return messages.filter(author_id=shopper_user_id)
    return messages.none()


def mark_read(user, assignment) -> int:
    """The recipient opened the report's page: the other side's messages are read now."""
    return unread_for(user, assignment).update(read_at=timezone.now())


def _desk_recipients(assignment, exclude=None) -> list[str]:
    """Who hears of a shopper's message: the staff who wrote on this report or decided on it; when none has, the
    QA leads. `exclude`: someone who must not be the one asked (the reviewer who rejected, for an appeal)."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if exclude is not None:
        users = users.exclude(pk=exclude)
    shopper_user_id = assignment.shopper.user_id
    involved = set(ReportMessage.objects.filter(assignment=assignment).exclude(author_id=shopper_user_id)
                   .values_list("author_id", flat=True))
    involved |= set(AssignmentEvent.objects.filter(
        assignment=assignment, to_status__in=[S.RETURNED, S.REJECTED, S.APPROVED], by__isnull=False,
    ).values_list("by_id", flat=True))
    chosen = [u for u in users.filter(pk__in=involved) if roles.is_qa_staff(u)]
    if not chosen:
        chosen = list(users.filter(groups__name=roles.QA_LEAD))
    return sorted({u.email for u in chosen})


def _mail_later(subject, body, recipients):
    if recipients:
        transaction.on_commit(lambda: send_mail(subject, body, None, recipients, fail_silently=True))


@transaction.atomic
def post_message(assignment, author, body: str) -> ReportMessage:
    """A message on the report from its shopper or the QA desk; the other side is e-mailed a link."""
    if not may_talk(author, assignment):
        raise PermissionDenied
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message before sending it.")})
    if len(body) > MESSAGE_MAX:
        raise ValidationError({"body": _("Keep the message under %(n)s characters (it has %(has)s).") % {
            "n": MESSAGE_MAX, "has": len(body)}})
    if assignment.status == S.CANCELLED or not has_report(assignment):
        raise ValidationError(_("There is no report to write about: the visit was not reported or was cancelled."))
    message = ReportMessage.objects.create(assignment=assignment, author=author, body=body)
    report = assignment.report
    location = str(assignment.location)
    if is_shopper_of(author, assignment):
        _mail_later(
            _("The shopper answered about the report for %(location)s") % {"location": location},
            _("%(shopper)s wrote:\n\n%(body)s\n\nRead and answer: %(link)s") % {
                "shopper": assignment.shopper, "body": body,
                "link": absolute_url(reverse("validation-detail", args=[report.pk]))},
            _desk_recipients(assignment))
    else:
        email = assignment.shopper.user.email
        _mail_later(
            _("A question about your report for %(location)s") % {"location": location},
            _("The QA team wrote about your visit report:\n\n%(body)s\n\nRead and answer: %(link)s") % {
                "body": body, "link": absolute_url(reverse("shopper-report", args=[assignment.pk]))},
            [email] if email else [])
    return message


# --- appeals -------------------------------------------------------------------------------------------------

def rejection_event(assignment):
    """The status change that rejected the report (who and when), or None."""
    return (AssignmentEvent.objects.filter(assignment=assignment, to_status=S.REJECTED)
            .select_related("by").order_by("-at", "-pk").first())


def appeal_of(assignment):
    return Appeal.objects.filter(assignment=assignment).select_related("decided_by").first()


def appeal_deadline(assignment):
    event = rejection_event(assignment)
    return event.at + timedelta(days=APPEAL_DAYS) if event else None


def appeal_refusal(assignment) -> str | None:
    """Why this report cannot be appealed now, or None when it can: the one rule for the appeal page, its link on
    the report and the service."""
    if Appeal.objects.filter(assignment=assignment).exists():
        return _("You have already appealed this rejection; a report can be appealed once.")
    deadline = appeal_deadline(assignment)
    if assignment.status != S.REJECTED or deadline is None:
        return _("There is nothing to appeal: only a rejected report can be appealed.")
    if timezone.now() > deadline:
        return _("The %(days)s days to appeal this rejection have passed.") % {"days": APPEAL_DAYS}
    return None


def appeal_too_short(length: int) -> str:
    return _("Explain what the reviewer missed in at least %(n)s characters (yours has %(has)s).") % {
        "n": APPEAL_REASON_MIN, "has": length}


@transaction.atomic
def appeal(assignment, user, reason: str) -> Appeal:
    if not is_shopper_of(user, assignment):
        raise PermissionDenied
    Assignment.objects.select_for_update().filter(pk=assignment.pk).first()  # one appeal, even if sent twice
    refusal = appeal_refusal(assignment)
    if refusal:
        raise ValidationError(refusal)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the rejection is wrong.")})
    if len(reason) < APPEAL_REASON_MIN:
        raise ValidationError({"reason": appeal_too_short(len(reason))})
    if len(reason) > MESSAGE_MAX:
        raise ValidationError({"reason": _("Keep the reason under %(n)s characters.") % {"n": MESSAGE_MAX}})
    made = Appeal.objects.create(assignment=assignment, reason=reason)
    _mail_later(
        _("A shopper appealed the rejection of the report for %(location)s") % {
            "location": str(assignment.location)},
        _("%(shopper)s wrote:\n\n%(reason)s\n\nA reviewer other than the one who rejected it decides: %(link)s") % {
            "shopper": assignment.shopper, "reason": reason,
            "link": absolute_url(reverse("pool:appeal", args=[made.pk]))},
        _desk_recipients(assignment, exclude=getattr(rejection_event(assignment), "by_id", None)))
    return made


def decision_refusal(appeal_obj, user) -> str | None:
    """Why this person may not decide this appeal, or None."""
    if appeal_obj.decision != Appeal.Decision.PENDING:
        return _("This appeal has already been decided.")
    event = rejection_event(appeal_obj.assignment)
    if event is not None and event.by_id == user.pk:
        return _("You rejected this report, so another reviewer decides the appeal.")
    return None


@transaction.atomic
def decide(appeal_obj, user, decision: str, reason: str) -> Appeal:
    """Uphold or overturn the rejection; the shopper is e-mailed the decision and its reason."""
    if not is_desk(user):
        raise PermissionDenied
    # The appeal's row only (PostgreSQL locks no row on the nullable side of a join: the shopper).
    appeal_obj = Appeal.objects.select_for_update(of=("self",)).select_related(
        "assignment__shopper__user", "assignment__location").get(pk=appeal_obj.pk)
    refusal = decision_refusal(appeal_obj, user)
    if refusal:
        raise ValidationError(refusal)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"decision_reason": _("Give the shopper the reason for the decision.")})
    if decision not in (Appeal.Decision.UPHELD, Appeal.Decision.OVERTURNED):
        raise ValidationError({"decision": _("Choose to uphold or to overturn the rejection.")})
    assignment = appeal_obj.assignment
    if decision == Appeal.Decision.OVERTURNED:
        visits.approve_on_appeal(assignment.report, by=user,
                                 note=_("Rejection overturned on appeal: %(reason)s") % {"reason": reason})
    appeal_obj.decision, appeal_obj.decision_reason = decision, reason
    appeal_obj.decided_by, appeal_obj.decided_at = user, timezone.now()
    appeal_obj.save()
    email = assignment.shopper.user.email
    if decision == Appeal.Decision.OVERTURNED:
        subject = _("Your appeal was accepted: the report for %(location)s is approved")
    else:
        subject = _("Your appeal was refused: the report for %(location)s stays rejected")
    _mail_later(
        subject % {"location": str(assignment.location)},
        _("%(decision)s\n\nReason: %(reason)s\n\nYour report: %(link)s") % {
            "decision": appeal_obj.get_decision_display(), "reason": reason,
            "link": absolute_url(reverse("shopper-report", args=[assignment.pk]))},
        [email] if email else [])
    return appeal_obj


def unanswered_reports():
    """Reports where a shopper's message waits to be read by the QA desk, with how many."""
    waiting = Q(messages__read_at__isnull=True, messages__author_id=F("shopper__user_id"))
    return (Assignment.objects.annotate(unread=Count("messages", filter=waiting)).filter(unread__gt=0)
            .select_related("location", "shopper__user", "report").order_by("pk"))


def new_for_shopper(user):
    """The shopper's reports with a message from the QA desk they have not read (for their home page), with how
    many, oldest first; one query."""
    unread = (ReportMessage.objects.filter(assignment=OuterRef("pk"), read_at__isnull=True).exclude(author_id=user.pk)
              .order_by().values("assignment").annotate(n=Count("pk")).values("n"))
    return (Assignment.objects.filter(shopper__user=user, report__isnull=False)
            .annotate(unread=Subquery(unread)).filter(unread__gt=0)
            .select_related("location").order_by("pk"))


# --- reach ---------------------------------------------------------------------------------------------------

def reports_for(user):
    """The reported visits this person may talk about: every one for QA staff, their own for a shopper."""
    reported = Assignment.objects.filter(report__isnull=False).select_related(
        "location", "shopper__user", "report", "version__scorecard")
    if is_desk(user):
        return reported
    if user.is_authenticated and roles.has_role(user, roles.SHOPPER):
        return reported.filter(shopper__user=user, shopper__active=True)
    raise PermissionDenied


def appeals_for(user):
    if not is_desk(user):
        raise PermissionDenied
    return Appeal.objects.select_related("assignment__location", "assignment__shopper__user",
                                         "assignment__report", "decided_by")
