"""The roles people hold, as Django groups with permissions.

A role is a group; what a role may do is the group's permissions, checked by views
with `PermissionRequiredMixin` and always named by the constants below (never as
strings written again in a view). *Which objects* a role may see is a separate
question answered in one place, qa.scoping.
"""

from django.utils.translation import gettext_lazy as _

from scorecards.permissions import (  # noqa: F401 (re-exported: modules above qa name permissions through here)
    CHANGE_SCORECARD, PUBLISH_SCORECARDVERSION, VIEW_ITEM, VIEW_SCORECARD, VIEW_SCORECARDVERSION, VIEW_SECTION,
)
from shops.permissions import (  # noqa: F401 (re-exported, as above)
    ADD_ASSIGNMENT, ADD_EMPLOYEE, ADD_LOCATION, ADD_SHOPPER, CHANGE_ASSIGNMENT, CHANGE_EMPLOYEE, CHANGE_LOCATION,
    CHANGE_SHOPPER, MANAGE_PAYMENTS, VIEW_ASSIGNMENT, VIEW_EMPLOYEE, VIEW_LOCATION, VIEW_REGION, VIEW_SHOPPER,
)

ADMINISTRATOR = "Administrator"
QA_LEAD = "QA lead"
QA_REVIEWER = "QA reviewer"
SHOPPER = "Mystery shopper"
MANAGER = "Regional manager"
EMPLOYEE = "Employee"

ROLE_LABELS = {
    ADMINISTRATOR: _("Administrator"),
    QA_LEAD: _("QA lead"),
    QA_REVIEWER: _("QA reviewer"),
    SHOPPER: _("Mystery shopper"),
    MANAGER: _("Regional manager"),
    EMPLOYEE: _("Employee"),
}

# Apps whose every permission an administrator holds.
ADMIN_APPS = ("qa", "shops", "scorecards", "reports", "pool", "auth")

# Permission names, each written once: qa's here, the lower apps' in their own
# permissions modules (re-exported here, so modules above qa import them all from here).
VIEW_EVALUATION = "qa.view_evaluation"
ADD_EVALUATION = "qa.add_evaluation"
# Held by QA staff (leads and reviewers): scoring, validating reports, deciding disputes, sampling.
CHANGE_EVALUATION = "qa.change_evaluation"
VIEW_ANSWER = "qa.view_answer"
ADD_ANSWER = "qa.add_answer"
CHANGE_ANSWER = "qa.change_answer"
VIEW_SAMPLINGRULE = "qa.view_samplingrule"
ADD_SAMPLINGRULE = "qa.add_samplingrule"
CHANGE_SAMPLINGRULE = "qa.change_samplingrule"
VIEW_CALIBRATIONSESSION = "qa.view_calibrationsession"
# Held by QA leads: creating and closing calibration sessions, reaching every session.
ADD_CALIBRATIONSESSION = "qa.add_calibrationsession"
CHANGE_CALIBRATIONSESSION = "qa.change_calibrationsession"
VIEW_INTERACTIONIMPORT = "qa.view_interactionimport"
ADD_INTERACTIONIMPORT = "qa.add_interactionimport"

# Model permissions per role. Row-level reach is in qa.scoping.
ROLE_PERMISSIONS = {
    QA_LEAD: [
        VIEW_REGION, VIEW_LOCATION, VIEW_EMPLOYEE, VIEW_SHOPPER,
        VIEW_SCORECARD, VIEW_SCORECARDVERSION, VIEW_SECTION, VIEW_ITEM,
        VIEW_EVALUATION, ADD_EVALUATION, CHANGE_EVALUATION,
        VIEW_ANSWER, ADD_ANSWER, CHANGE_ANSWER,
        VIEW_ASSIGNMENT, ADD_ASSIGNMENT, CHANGE_ASSIGNMENT,
        VIEW_SAMPLINGRULE, ADD_SAMPLINGRULE, CHANGE_SAMPLINGRULE,
        VIEW_CALIBRATIONSESSION, ADD_CALIBRATIONSESSION, CHANGE_CALIBRATIONSESSION,
        ADD_INTERACTIONIMPORT, VIEW_INTERACTIONIMPORT,
    ],
    QA_REVIEWER: [
        VIEW_REGION, VIEW_LOCATION, VIEW_EMPLOYEE,
        VIEW_SCORECARD, VIEW_SCORECARDVERSION, VIEW_SECTION, VIEW_ITEM,
        VIEW_EVALUATION, ADD_EVALUATION, CHANGE_EVALUATION,
        VIEW_ANSWER, ADD_ANSWER, CHANGE_ANSWER,
        VIEW_ASSIGNMENT, ADD_ASSIGNMENT, CHANGE_ASSIGNMENT,
    ],
    SHOPPER: [],
    MANAGER: [
        VIEW_REGION, VIEW_LOCATION, VIEW_EMPLOYEE,
        VIEW_EVALUATION, VIEW_ANSWER,
    ],
    EMPLOYEE: [VIEW_EVALUATION, VIEW_ANSWER],
}

# The order in which a person holding several roles sees their home page.
ROLE_ORDER = [ADMINISTRATOR, QA_LEAD, QA_REVIEWER, MANAGER, SHOPPER, EMPLOYEE]


def roles_of(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_role_cache", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached.add(ADMINISTRATOR)
        user._role_cache = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def is_qa_staff(user) -> bool:
    """Administrators, QA leads and QA reviewers: they read every evaluation, report and interaction."""
    return has_role(user, ADMINISTRATOR, QA_LEAD, QA_REVIEWER)


def primary_role(user) -> str | None:
    held = roles_of(user)
    return next((role for role in ROLE_ORDER if role in held), None)


def ensure_role_groups(**kwargs):
    """Create the role groups and give them their permissions; safe to run after every migrate."""
    from django.contrib.auth.models import Group, Permission

    admin_group, _created = Group.objects.get_or_create(name=ADMINISTRATOR)
    admin_group.permissions.set(Permission.objects.filter(content_type__app_label__in=ADMIN_APPS))
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = []
        for name in names:
            app_label, codename = name.split(".")
            wanted.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)
