"""The roles people hold, as Django groups with permissions.

A role is a group; what a role may do is the group's permissions, checked by views
with `PermissionRequiredMixin`. *Which objects* a role may see is a separate
question answered in one place, qa.scoping.
"""

from django.utils.translation import gettext_lazy as _

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
ADMIN_APPS = ("qa", "shops", "scorecards", "reports", "auth")

# Model permissions per role, as "app_label.codename". Row-level reach is in qa.scoping.
ROLE_PERMISSIONS = {
    QA_LEAD: [
        "shops.view_region", "shops.view_location", "shops.view_employee", "shops.view_shopper",
        "scorecards.view_scorecard", "scorecards.view_scorecardversion", "scorecards.view_section",
        "scorecards.view_item",
        "qa.view_evaluation", "qa.add_evaluation", "qa.change_evaluation",
        "qa.view_answer", "qa.add_answer", "qa.change_answer",
        "shops.view_assignment", "shops.add_assignment", "shops.change_assignment",
        "qa.view_samplingrule", "qa.add_samplingrule", "qa.change_samplingrule",
        "qa.view_calibrationsession", "qa.add_calibrationsession", "qa.change_calibrationsession",
        "qa.add_interactionimport", "qa.view_interactionimport",
    ],
    QA_REVIEWER: [
        "shops.view_region", "shops.view_location", "shops.view_employee",
        "scorecards.view_scorecard", "scorecards.view_scorecardversion", "scorecards.view_section",
        "scorecards.view_item",
        "qa.view_evaluation", "qa.add_evaluation", "qa.change_evaluation",
        "qa.view_answer", "qa.add_answer", "qa.change_answer",
        "shops.view_assignment", "shops.add_assignment", "shops.change_assignment",
    ],
    SHOPPER: [],
    MANAGER: [
        "shops.view_region", "shops.view_location", "shops.view_employee",
        "qa.view_evaluation", "qa.view_answer",
    ],
    EMPLOYEE: ["qa.view_evaluation", "qa.view_answer"],
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
