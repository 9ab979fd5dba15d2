"""The coaching session's life: scheduled from evaluations (the employee is told by e-mail), written up
by the coach (agenda, notes, goals), confirmed by both sides. Views call these; nothing else writes a
session."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from coaching.models import Attendance, CoachingSession, Goal
from qa import formats
from qa.http import absolute_url


@transaction.atomic
def schedule(*, coach, employees, evaluations, scheduled_at, title, agenda="", template=None) -> CoachingSession:
    """A new session for these employees, discussing these evaluations (each of one of the employees;
    the form has already limited both to the coach's reach). The template's goals are copied as goals
    due `goal_days` after the session, and each employee with an e-mail address is told."""
    employees = list(employees)
    evaluations = list(evaluations)
    if not employees:
        raise ValidationError({"employees": _("Choose the employee to coach.")})
    ids = {e.pk for e in employees}
    strangers = [e for e in evaluations if e.employee_id not in ids]
    if strangers:
        raise ValidationError({"evaluations": _("Choose evaluations of the employees coached in this session.")})
    session = CoachingSession.objects.create(coach=coach, title=title, scheduled_at=scheduled_at, agenda=agenda,
                                             template=template)
    session.evaluations.set(evaluations)
    bulk_create_with_history([Attendance(session=session, employee=e) for e in employees], Attendance,
                             default_user=coach)
    if template is not None:
        due = timezone.localtime(scheduled_at).date() + timedelta(days=template.goal_days)
        for line in template.goal_lines():
            Goal.objects.create(session=session, text=line[:300], due_on=due)
    for employee in employees:
        notify_scheduled(session, employee)
    return session


def notify_scheduled(session, employee) -> None:
    """E-mail the employee when and with whom, in their own time zone, with a link to confirm afterwards."""
    user = employee.user
    address = user.email if user is not None else ""
    if not address:
        return
    coach = session.coach.get_full_name() or session.coach.username
    with formats.viewer_time_zone(user):
        when = formats.datetime(session.scheduled_at)
    link = absolute_url(reverse("coaching:detail", args=[session.pk]))
    subject = _("Coaching session with %(coach)s on %(when)s") % {"coach": coach, "when": when}
    body = _("%(coach)s has scheduled a coaching session with you: %(title)s, %(when)s.\n\n"
             "Agenda:\n%(agenda)s\n\nThe session, the moments of your evaluations it is about and your goals: "
             "%(link)s\nAfter the session, please confirm it there.") % {
        "coach": coach, "title": session.title, "when": when, "agenda": session.agenda or "-", "link": link}
    transaction.on_commit(lambda: send_mail(subject, body, None, [address], fail_silently=True))


@transaction.atomic
def confirm_as_coach(session: CoachingSession) -> bool:
    """The coach confirms the session took place as written; False when it already was."""
    session = CoachingSession.objects.select_for_update().get(pk=session.pk)
    if session.coach_confirmed_at:
        return False
    if session.scheduled_at > timezone.now():
        raise ValidationError(_("The session has not taken place yet: confirm it after %(when)s.") % {
            "when": formats.datetime(session.scheduled_at)})
    session.coach_confirmed_at = timezone.now()
    session.save(update_fields=["coach_confirmed_at"])
    return True


@transaction.atomic
def confirm_as_employee(attendance: Attendance, *, by, comment: str = "") -> bool:
    """The employee confirms they took part and agree with the notes and goals; False when already done."""
    attendance = Attendance.objects.select_for_update().select_related("session").get(pk=attendance.pk)
    if attendance.confirmed_at:
        return False
    return _confirm(attendance, by=by, comment=comment)


def _confirm(attendance: Attendance, *, by, comment: str) -> bool:
    """The one rule of an employee's confirmation, on the site or recorded in person: after the session only."""
    if attendance.session.scheduled_at > timezone.now():
        raise ValidationError(_("The session has not taken place yet: confirm it after %(when)s.") % {
            "when": formats.datetime(attendance.session.scheduled_at)})
    attendance.confirmed_at = timezone.now()
    attendance.confirmed_by = by
    attendance.comment = comment.strip()
    attendance.save(update_fields=["confirmed_at", "confirmed_by", "comment"])
    return True


@transaction.atomic
def record_in_person(attendance: Attendance, *, by, comment: str = "") -> bool:
    """The coach records the confirmation an employee without a login gave in person (`by` is kept as who recorded
    it); False when already done. An employee with a login confirms on the site themselves."""
    attendance = Attendance.objects.select_for_update().select_related("session", "employee").get(pk=attendance.pk)
    if attendance.confirmed_at:
        return False
    if attendance.employee.user_id is not None:
        raise ValidationError(_("%(name)s has a login and confirms the session themselves.") % {
            "name": attendance.employee.name})
    return _confirm(attendance, by=by, comment=comment)


def status_of(session: CoachingSession) -> str:
    """In words: scheduled, awaiting confirmation (by whom), or confirmed by both sides."""
    attendances = list(session.attendances.all())
    waiting = [a for a in attendances if not a.confirmed_at]
    if session.scheduled_at > timezone.now() and not session.coach_confirmed_at:
        return _("Scheduled")
    if not session.coach_confirmed_at and waiting:
        return _("Awaiting both confirmations")
    if not session.coach_confirmed_at:
        return _("Awaiting the coach's confirmation")
    if waiting:
        return _("Awaiting the employee's confirmation")
    return _("Confirmed by both")
