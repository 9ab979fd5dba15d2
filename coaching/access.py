"""Who may coach, which sessions each person sees and what they may do with one. Built on qa.scoping
(the reach of evaluations and employees), never re-typed: a coach picks from the employees and the
evaluations qa.scoping gives them; a manager sees the sessions of their regions' employees, an employee
their own."""

from django.db.models import Q

from coaching.models import Attendance, CoachingSession
from qa import roles, scoping
from shops.models import Employee


def may_coach(user) -> bool:
    """QA reviewers, QA leads, administrators and regional managers coach."""
    return user.is_authenticated and (roles.is_qa_staff(user) or roles.has_role(user, roles.MANAGER))


def manages_templates(user) -> bool:
    """Templates and the self-assessment switch are the QA lead's (and the administrator's)."""
    return user.is_authenticated and roles.has_role(user, roles.QA_LEAD, roles.ADMINISTRATOR)


def coached_employee(user):
    """The employee record of a person with the employee role, or None."""
    if not user.is_authenticated or not roles.has_role(user, roles.EMPLOYEE):
        return None
    return Employee.objects.filter(user=user).select_related("location").first()


def sessions_for(user):
    """QA staff see every session; a manager the sessions of their regions' employees (and any they coach);
    an employee the sessions they attend."""
    if not user.is_authenticated:
        return CoachingSession.objects.none()
    if roles.is_qa_staff(user):
        return CoachingSession.objects.all()
    reach = Q(pk__in=[])
    if roles.has_role(user, roles.MANAGER):
        reach |= Q(coach=user) | Q(attendances__employee__location__region__in=user.regions.all())
    if roles.has_role(user, roles.EMPLOYEE):
        reach |= Q(attendances__employee__user=user)
    ids = CoachingSession.objects.filter(reach).values("pk")
    return CoachingSession.objects.filter(pk__in=ids)


def may_edit(user, session) -> bool:
    """The coach writes the agenda, notes and goals; a QA lead or administrator may step in."""
    return user.is_authenticated and (session.coach_id == user.pk or manages_templates(user))


def awaiting_confirmation(user):
    """This employee's attendances of sessions that have taken place and that they have not confirmed yet."""
    from django.utils import timezone

    if not user.is_authenticated or not roles.has_role(user, roles.EMPLOYEE):
        return Attendance.objects.none()
    return Attendance.objects.filter(employee__user=user, confirmed_at__isnull=True,
                                     session__scheduled_at__lte=timezone.now())


def attendance_of(user, session):
    """The attendance this person confirms (they are one of the employees coached), or None."""
    if not user.is_authenticated or not roles.has_role(user, roles.EMPLOYEE):
        return None
    return next((a for a in session.attendances.all() if a.employee.user_id == user.pk), None)


def visible_evaluations(user, session):
    """The session's evaluations this person may open: in a team workshop an employee sees only their own."""
    return scoping.evaluations_for(user).filter(pk__in=session.evaluations.values("pk"))
