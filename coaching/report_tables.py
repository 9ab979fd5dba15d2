"""Coaching's tables in the report pages and exports (reports.extensions): coverage per location or
employee, the before/after effect of sessions, and the gap between self-assessment and reviewer per item.

Each provider reads the report's own evaluations (`data.evaluations`: released people's evaluations in the
viewer's reach, with the page's filters), so a table never shows anyone the report would not. Sessions
count from the day of the report's first evaluation to now: a session still to come has not coached anyone yet
(it counts neither for coverage nor for the last session, and has no effect to measure)."""

from datetime import datetime, time

from django.db.models import Avg, Count, F, FloatField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from coaching import effect
from coaching.models import Attendance
from qa import formats, scoping
from qa.models import Answer, Evaluation
from reports.extensions import ReportTable
from shops.models import Employee, Location

EFFECT_ROWS = 30


def _interval(figure) -> str:
    """The 95% interval as text ("60.1–80.2"); the mean and n are cells of their own, numbers in Excel."""
    if figure.mean is None or not figure.ci:
        return ""
    return f"{formats.figure(figure.ci[0])}–{formats.figure(figure.ci[1])}"


def _since(data):
    """The start of the day of the report's first evaluation, which the report read with its figures (from the
    roll-ups where they serve it): not MIN() over its evaluations, which a manager's region join made a scan of
    every row (2 s, twice, at 10 million)."""
    first_day = getattr(data, "first_day", None)
    if first_day is None:
        return None
    return timezone.make_aware(datetime.combine(first_day, time.min))


def _attendances(user, data, scope):
    """Attendances of the report's employees in sessions held from the report's first evaluation up to now."""
    since = _since(data)
    if since is None:
        return None, Attendance.objects.none()
    # The report's employees as its ranking rows list them (read from the roll-ups where the report is), not a
    # subquery over its evaluations.
    employee_ids = [row["id"] for row in data.employees]
    attendances = Attendance.objects.filter(employee__in=employee_ids, session__scheduled_at__gte=since,
                                            session__scheduled_at__lte=timezone.now()).filter(
        employee__in=scoping.employees_for(user))
    return since, attendances


def coverage(user, data, scope) -> ReportTable | None:
    since, attendances = _attendances(user, data, scope)
    evaluated = data.evaluations.exclude(employee__isnull=True)
    both = Q(session__coach_confirmed_at__isnull=False, confirmed_at__isnull=False)
    note = _("Employees evaluated in this report, and the coaching sessions they attended from %(since)s to today "
             "(sessions still to come are not counted). Coverage is the share of evaluated employees coached at least once.") % {
        "since": formats.date(since) if since else "–"}
    if "location" in scope or "employee" in scope:
        per_employee = {r["employee_id"]: r["n"] for r in evaluated.values("employee_id").annotate(n=Count("pk"))
                        .order_by()}
        sessions = {r["employee_id"]: r for r in attendances.values("employee_id").annotate(
            sessions=Count("pk"), confirmed=Count("pk", filter=both), last=Max("session__scheduled_at")).order_by()}
        names = Employee.objects.in_bulk(list(per_employee))
        rows = []
        for employee_id, n in sorted(per_employee.items(), key=lambda kv: names[kv[0]].name):
            s = sessions.get(employee_id, {})
            rows.append([names[employee_id].name, n, s.get("sessions", 0), s.get("confirmed", 0),
                         s["last"] if s.get("last") else _("never")])
        return ReportTable(
            key="coaching-coverage", title=_("Coaching coverage"),
            columns=[_("Employee"), _("Evaluations (n)"), _("Coaching sessions (n)"), _("Confirmed by both (n)"),
                     _("Last session")],
            rows=rows, note=note,
            empty=_("No employee evaluations in this report yet, so there is no one to coach."))
    # The report's location rows already say how many employees were evaluated at each place (read from the
    # roll-ups where the report is), so the evaluations are not counted again here.
    per_location = {row["id"]: row["employees_evaluated"] for row in data.locations if row.get("employees_evaluated")}
    coached = {r["employee__location_id"]: r for r in attendances.values("employee__location_id").annotate(
        employees=Count("employee_id", distinct=True), sessions=Count("session_id", distinct=True),
        confirmed=Count("pk", filter=both)).order_by()}
    names = Location.objects.in_bulk(list(per_location))
    rows = []
    for location_id, n in sorted(per_location.items(), key=lambda kv: names[kv[0]].name):
        c = coached.get(location_id, {})
        people = c.get("employees", 0)
        rows.append([names[location_id].name, n, people, 100.0 * people / n if n else None,
                     c.get("sessions", 0), c.get("confirmed", 0)])
    return ReportTable(
        key="coaching-coverage", title=_("Coaching coverage"),
        columns=[_("Location"), _("Employees evaluated (n)"), _("Employees coached (n)"), _("Coverage (%)"),
                 _("Sessions (n)"), _("Confirmations by both (n)")],
        rows=rows, note=note, empty=_("No employee evaluations in this report yet, so there is no one to coach."))


def coaching_effect(user, data, scope) -> ReportTable | None:
    since, attendances = _attendances(user, data, scope)
    chosen = list(attendances.select_related("session", "employee").order_by("-session__scheduled_at")[:EFFECT_ROWS])
    rows = []
    for attendance in chosen:
        for row in effect.effects(attendance.session, [attendance.employee]):
            change = row.change
            rows.append([attendance.employee.name, attendance.session.scheduled_at, row.question,
                         row.before.mean, row.before.n, _interval(row.before),
                         row.after.mean, row.after.n, _interval(row.after), change])
    return ReportTable(
        key="coaching-effect", title=_("Coaching effect (coached items)"),
        columns=[_("Employee"), _("Session"), _("Coached item"), _("Before (mean %)"), _("Before (n)"),
                 _("Before (95% CI, %)"), _("After (mean %)"), _("After (n)"), _("After (95% CI, %)"),
                 _("Change (points)")],
        rows=rows,
        note=_("The items the session's evaluations failed or pinned, scored in released evaluations of the "
               "employee in the %(days)s days before the session and from the session to today; the latest "
               "%(rows)s sessions.") % {"days": effect.BEFORE_DAYS, "rows": EFFECT_ROWS},
        empty=_("No coaching sessions for these employees in this period. Coach from an evaluation's page."))


def self_gap(user, data, scope) -> ReportTable | None:
    """Average of (self score − reviewer score) per item over pairs of a reviewer's released evaluation in
    this report and the employee's self-assessment of the same interaction (items matched by question)."""
    own = Answer.objects.filter(
        evaluation__interaction_id=OuterRef("evaluation__interaction_id"),
        evaluation__employee_id=OuterRef("evaluation__employee_id"),
        evaluation__source=Evaluation.Source.SELF, evaluation__status=Evaluation.Status.SUBMITTED,
        item__question=OuterRef("item__question"), score__isnull=False).values("score")[:1]
    reviewed = data.evaluations.filter(source=Evaluation.Source.REVIEWER, interaction__isnull=False)
    rows = list(
        Answer.objects.filter(evaluation__in=reviewed.values("pk"), score__isnull=False)
        .annotate(own=Subquery(own)).filter(own__isnull=False)
        .values("item__question").order_by()
        .annotate(pairs=Count("pk"), gap=Avg(Cast(F("own") - F("score"), FloatField())),
                  own_mean=Avg(Cast("own", FloatField())), reviewer_mean=Avg(Cast("score", FloatField())))
        .order_by("-pairs", "item__question"))
    if not rows and not _any_self():
        return None
    return ReportTable(
        key="self-gap", title=_("Self-assessment gap per item"),
        columns=[_("Item"), _("Pairs (n)"), _("Self (mean %)"), _("Reviewer (mean %)"), _("Gap (points, self − reviewer)")],
        rows=[[r["item__question"], r["pairs"], r["own_mean"], r["reviewer_mean"], r["gap"]] for r in rows],
        note=_("Each pair is a reviewer's released evaluation in this report and the employee's own assessment of "
               "the same interaction; a positive gap means employees rate themselves higher than reviewers do."),
        empty=_("No self-assessments paired with a released review in this report yet."))


def _any_self() -> bool:
    """Some employee has assessed themselves (read through the partial index of self-assessments, not a scan)."""
    return Evaluation.objects.filter(source=Evaluation.Source.SELF).exists()
