"""Which plans each person may see and what they may do with them, from qa.scoping's reach (never re-typed):
QA staff every plan; a regional manager the plans of their regions' locations and employees; an employee the
plans about themselves; anyone the plans they own or hold an action in (an action's owner must reach it to
mark it done)."""

from django.db.models import Q

from plans.models import ActionPlan
from qa import roles, scoping


def plan_filter(user) -> Q:
    if not user.is_authenticated:
        return Q(pk__in=[])
    if roles.is_qa_staff(user):
        return Q()
    locations = scoping.locations_for(user)
    employees = scoping.employees_for(user)
    reach = Q(owner=user) | Q(pk__in=ActionPlan.objects.filter(actions__owner=user).values("pk"))
    if roles.has_role(user, roles.MANAGER):
        reach |= Q(location__in=locations) | Q(employee__in=employees)
    elif roles.has_role(user, roles.EMPLOYEE):
        reach |= Q(employee__in=employees)
    return reach


def plans_for(user):
    return ActionPlan.objects.filter(plan_filter(user))


def may_open_plans(user) -> bool:
    """QA staff and regional managers open plans; employees take part in them."""
    return user.is_authenticated and (roles.is_qa_staff(user) or roles.has_role(user, roles.MANAGER))


def may_manage(user, plan) -> bool:
    """Edit the plan, add actions, sign off: QA staff, the plan's owner, and a manager of its region."""
    if not may_open_plans(user) and plan.owner_id != user.pk:
        return False
    if roles.is_qa_staff(user) or plan.owner_id == user.pk:
        return True
    region = plan.place.region_id if plan.place else None
    return region is not None and user.regions.filter(pk=region).exists()


def may_sign_off(user, plan) -> bool:
    """The manager's sign-off: a regional manager of the plan's region, or a QA lead or administrator."""
    if roles.has_role(user, roles.ADMINISTRATOR, roles.QA_LEAD):
        return True
    region = plan.place.region_id if plan.place else None
    return roles.has_role(user, roles.MANAGER) and region is not None and user.regions.filter(pk=region).exists()


def is_plan_employee(user, plan) -> bool:
    return bool(plan.employee_id) and plan.employee.user_id == user.pk


def may_mark_done(user, action) -> bool:
    return action.owner_id == user.pk or may_manage(user, action.plan)


def may_choose(user):
    """Locations and employees a person may open a plan about: those whose reports they read."""
    return scoping.locations_for(user), scoping.employees_for(user)
