"""The navigation each role sees, built once here for the base template.

Each entry is {"label", "url", "children", "badge"}: a link, or (with children) a menu.
The QA desk's work pages are one "Quality work" menu, assignments and pay one "Mystery shopping" menu,
so that the administrator's bar, the longest, fits a 1366 px screen with "Sign out" in view (issue 12.6).
The person's name opens their own menu (account_items): time zone, password, API tokens, webhooks."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from api.pages import may_integrate
from coaching import access as coaching_access
from pool import navigation as pool_navigation
from qa import disputes, roles
from reports.views import may_read_reports


def link(label, url, badge=None):
    return {"label": label, "url": url, "children": [], "badge": badge}


def menu(request, label, children):
    """A menu of several links; a single link stays a link. None when there is nothing in it."""
    if len(children) == 1:
        return children[0]
    if children:
        # A child's badge (sessions awaiting the employee's confirmation) shows on the closed menu too.
        return {"label": label, "url": "", "children": children,
                "badge": next((child["badge"] for child in children if child["badge"]), None),
                "active": any(request.path == child["url"] for child in children)}
    return None


def coaching_links(user) -> list:
    """Coaches (QA staff, managers) and the coached (employees) have a sessions page; employees also
    their self-assessments."""
    links = []
    if coaching_access.may_coach(user):
        links.append(link(_("Coaching sessions"), reverse("coaching:list")))
    elif coaching_access.coached_employee(user) is not None:
        waiting = coaching_access.awaiting_confirmation(user).count()
        links.append(link(_("My coaching"), reverse("coaching:list"), badge=(waiting, ngettext(
            "%(n)s session awaits your confirmation", "%(n)s sessions await your confirmation", waiting) % {
            "n": waiting}) if waiting else None))
        links.append(link(_("My self-assessments"), reverse("coaching:self-list")))
    return links


def account_links(user) -> list:
    """The menu under the person's name: their account, and connecting other systems (API tokens, webhooks
    and the API's documentation for those with something to call or hear: not mystery shoppers)."""
    links = [link(_("Your time zone"), reverse("account-time-zone")),
             link(_("Change your password"), reverse("password_change"))]
    if may_integrate(user):
        links += [link(_("API tokens"), reverse("api:tokens")), link(_("Webhooks"), reverse("api:webhooks")),
                  link(_("API documentation"), reverse("api:docs"))]
    return links


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "account_items": [], "role_label": "", "currency": settings.CURRENCY_SYMBOL}
    items = [link(_("Home"), reverse("home"))]
    if roles.primary_role(user) == roles.SHOPPER:
        # Shoppers read their own reports and pay on their own pages, which never show a score.
        items.append(link(_("My reports"), reverse("shopper-reports")))
        items.append(link(_("My pay"), reverse("shopper-pay")))
        items += [link(label, reverse(name)) for label, name in pool_navigation.links(user)]
    elif user.has_perm(roles.VIEW_EVALUATION) or roles.has_role(user, roles.SHOPPER):
        new = disputes.unacknowledged(user).count() if roles.has_role(user, roles.EMPLOYEE) else 0
        items.append(link(_("Evaluations"), reverse("evaluation-list"),
                          badge=(new, _("%(n)s new, not yet acknowledged") % {"n": new}) if new else None))
    if may_read_reports(user):
        items.append(link(_("Reports"), reverse("reports:dashboard")))
        if not user.has_perm(roles.CHANGE_EVALUATION):
            # Managers run plans and employees read theirs (plans.scoping decides which); the QA desk finds them
            # in its "Quality work" menu, so the administrator's bar still fits 1366 px.
            items.append(link(_("Action plans"), reverse("plans:list")))
    work = []
    if user.has_perm(roles.CHANGE_EVALUATION):
        work += [link(_("Scoring queue"), reverse("my-queue")),
                 link(_("Report validation"), reverse("validation-queue")),
                 link(_("Interactions"), reverse("interaction-list")),
                 link(_("Disputes"), reverse("dispute-list")),
                 link(_("Calibration"), reverse("calibration-list")),
                 link(_("Action plans"), reverse("plans:list"))]
    if user.has_perm(roles.ADD_SAMPLINGRULE):
        work.append(link(_("Sampling"), reverse("sampling")))
    if user.has_perm(roles.CHANGE_SAMPLINGRULE):  # autoqa.permissions.MANAGE_AUTOQA, named through qa.roles
        work.append(link(_("Automatic checks"), reverse("autoqa:rules")))
    shopping = []
    if user.has_perm(roles.VIEW_ASSIGNMENT):
        shopping.append(link(_("Assignments"), reverse("assignment-list")))
    if user.has_perm(roles.MANAGE_PAYMENTS):
        shopping.append(link(_("Shopper pay"), reverse("payments")))
    if roles.primary_role(user) != roles.SHOPPER:
        shopping += [link(label, reverse(name)) for label, name in pool_navigation.links(user)]
    coaching = coaching_links(user)
    if user.has_perm(roles.CHANGE_EVALUATION):
        # The QA desk coaches from its "Quality work" menu: a menu of its own would push the administrator's
        # "Sign out" off a 1200 px screen (tests/browser/test_navigation.py).
        work += coaching
        coaching = []
    items += [m for m in (menu(request, _("Quality work"), work), menu(request, _("Mystery shopping"), shopping)) if m]
    if coaching:
        items.append(menu(request, _("Coaching"), coaching))
    if user.has_perm(roles.VIEW_SCORECARD):
        items.append(link(_("Scorecards"), reverse("scorecards:list")))
    if roles.has_role(user, roles.ADMINISTRATOR) and user.is_staff:
        items.append(link(_("Admin site"), reverse("admin:index")))
    primary = roles.primary_role(user)
    return {"nav_items": items, "account_items": account_links(user), "may_integrate": may_integrate(user),
            "role_label": roles.ROLE_LABELS.get(primary, ""), "currency": settings.CURRENCY_SYMBOL}
