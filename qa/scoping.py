"""Which objects each role may see: the one place row-level access is decided.

Every page, export and task asks these helpers for its base queryset; no view
filters by role itself. A person with several roles sees the union. What blind
calibration hides is qa.calibration's rule (blind_filter), applied here.
"""

from django.db.models import Q

from qa import calibration, roles
from qa.models import Evaluation
from shops.models import Employee, Location

NOTHING = Q(pk__in=[])


def _sees_everything(user) -> bool:
    return roles.is_qa_staff(user)


def _linked_employee_id(user):
    return Employee.objects.filter(user=user).values_list("pk", flat=True).first()


def evaluation_filter(user) -> Q:
    """Evaluations within this person's reach by role, less the calibration scores blind
    calibration hides from them (qa.calibration.blind_filter, the one place that rule lives),
    and less employees' self-assessments: those are coaching's (who sees one, and when, is its
    rule: a reviewer must not see it before releasing their own evaluation, to avoid bias)."""
    if not user.is_authenticated:
        return NOTHING
    return _evaluation_reach(user) & calibration.blind_filter(user) & ~Q(source=Evaluation.Source.SELF)


def _evaluation_reach(user) -> Q:
    if _sees_everything(user):
        return Q()
    return _people_reach(user) & ~Q(source=Evaluation.Source.AUTOMATIC)


def _people_reach(user) -> Q:
    """Managers, employees and shoppers never see automatic evaluations: they are suggestions for
    QA staff, measured against reviewers (autoqa.trust), not a judgement of a person."""
    released = Q(status=Evaluation.Status.RELEASED)
    reach = NOTHING
    if roles.has_role(user, roles.MANAGER):
        reach |= released & Q(location__region__in=user.regions.all())
    if roles.has_role(user, roles.EMPLOYEE):
        employee_id = _linked_employee_id(user)
        if employee_id:
            reach |= _released_to(employee_id)
    if roles.has_role(user, roles.SHOPPER):
        reach |= Q(evaluator=user, source=Evaluation.Source.SHOPPER)
    return reach


def reach_signature(user) -> str:
    """What decides the rows `user` may see, as text, from the same rules as evaluation_filter():
    people with equal signatures see the same rows, so they may share cached report figures.
    Only what applies to the user's roles counts: a region left on an employee's account
    gives them nothing, and must not give them a regional manager's figures either."""
    if not user.is_authenticated:
        return "nobody"
    if _sees_everything(user):
        return "all"
    parts = []
    if roles.has_role(user, roles.MANAGER):
        parts.append("regions=" + ",".join(str(pk) for pk in sorted(user.regions.values_list("pk", flat=True))))
    if roles.has_role(user, roles.EMPLOYEE):
        parts.append(f"employee={_linked_employee_id(user)}")
    if roles.has_role(user, roles.SHOPPER):
        parts.append(f"shopper={user.pk}")
    return ";".join(parts) or "nothing"


def _released_to(employee_id) -> Q:
    """An employee's evaluations once released to them: all they see of their evaluations, and
    through them of their interactions and recordings (interactions_for). Never an automatic one."""
    return Q(status=Evaluation.Status.RELEASED, employee_id=employee_id) & ~Q(source=Evaluation.Source.AUTOMATIC)


def evaluations_for(user):
    return Evaluation.objects.filter(evaluation_filter(user)) if user.is_authenticated else Evaluation.objects.none()


def counted_for(user, sources=None):
    """The evaluations that count in results (qa.models.EvaluationQuerySet.counted) within
    the user's reach: what every report and export reads. Calibration scores never count,
    so nothing the blind rule hides can reach a report; QA staff need no blind filter here,
    and reports over 100,000 rows keep a plain, index-friendly WHERE clause. People's
    evaluations unless `sources` asks for others (a report whose source filter picks them)."""
    if user.is_authenticated and _sees_everything(user):
        return Evaluation.objects.counted(sources)
    return evaluations_for(user).counted(sources)


def counted_rollup_filter(user) -> Q | None:
    """counted_for(user) as a filter on the report roll-ups (qa.models.rollups), which hold
    counted evaluations only (released, never calibration, so the blind rule has nothing
    to hide there), keyed by employee and location: the same reach as _evaluation_reach.
    None when the reach cannot be said in those keys (a shopper's own reports are chosen by
    evaluator): such a person's reports add up the raw rows."""
    if not user.is_authenticated:
        return NOTHING
    if _sees_everything(user):
        return Q()
    if roles.has_role(user, roles.SHOPPER):
        return None
    reach = NOTHING
    if roles.has_role(user, roles.MANAGER):
        reach |= Q(location__region__in=user.regions.all())
    if roles.has_role(user, roles.EMPLOYEE):
        employee_id = _linked_employee_id(user)
        if employee_id:
            reach |= Q(employee_id=employee_id)
    return reach


def sees_unreleased(user) -> bool:
    """Whether evaluations other than released ones are within this person's reach (the
    rule _evaluation_reach writes): QA staff's, and a shopper's own reports. Managers and
    employees read released evaluations only, so lists offer them no status to filter by."""
    return user.is_authenticated and (_sees_everything(user) or roles.has_role(user, roles.SHOPPER))


def reads_location_reports(user) -> bool:
    """Whether this person reads any location's report: QA staff and regional managers do;
    employees read only their own page and shoppers none. Pages use it to link a location's
    name only where the link would open (the rows locations_for gives)."""
    return user.is_authenticated and (_sees_everything(user) or roles.has_role(user, roles.MANAGER))


def locations_for(user):
    """Locations whose results this person may read (shoppers read none: they see assignments instead)."""
    if not reads_location_reports(user):
        return Location.objects.none()
    if _sees_everything(user):
        return Location.objects.all()
    reach = NOTHING
    if roles.has_role(user, roles.MANAGER):
        reach |= Q(region__in=user.regions.all())
    return Location.objects.filter(reach)


def employees_for(user):
    if not user.is_authenticated:
        return Employee.objects.none()
    if _sees_everything(user):
        return Employee.objects.all()
    reach = NOTHING
    if roles.has_role(user, roles.MANAGER):
        reach |= Q(location__region__in=user.regions.all())
    if roles.has_role(user, roles.EMPLOYEE):
        reach |= Q(user=user)
    return Employee.objects.filter(reach)


def interactions_for(user):
    """Interactions (and so their recordings): QA staff all, managers their regions, employees
    their own once an evaluation of it has been released to them (before that, nothing of it,
    as the README's role table says); shoppers none."""
    from qa.models import Interaction

    if not user.is_authenticated:
        return Interaction.objects.none()
    if _sees_everything(user):
        return Interaction.objects.all()
    reach = NOTHING
    if roles.has_role(user, roles.MANAGER):
        reach |= Q(location__region__in=user.regions.all())
    if roles.has_role(user, roles.EMPLOYEE):
        employee_id = _linked_employee_id(user)
        if employee_id:
            scored = Evaluation.objects.filter(_released_to(employee_id) & calibration.blind_filter(user))
            reach |= Q(employee_id=employee_id, pk__in=scored.values("interaction_id"))
    return Interaction.objects.filter(reach)
