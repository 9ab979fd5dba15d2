"""The navigation each role sees, built once here for the base template.

Each entry is {"label", "url", "children", "badge"}: a link, or (with children) a menu.
The QA desk's work pages are one "Quality work" menu, assignments and pay one "Mystery shopping" menu,
so that the administrator's bar, the longest, fits a 1366 px screen with "Sign out" in view (issue 12.6)."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from qa import disputes, roles
from reports.views import may_read_reports


def link(label, url, badge=None):
    return {"label": label, "url": url, "children": [], "badge": badge}


def menu(request, label, children):
    """A menu of several links; a single link stays a link. None when there is nothing in it."""
    if len(children) == 1:
        return children[0]
    if children:
        return {"label": label, "url": "", "children": children, "badge": None,
                "active": any(request.path == child["url"] for child in children)}
    return None


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "role_label": "", "currency": settings.CURRENCY_SYMBOL}
    items = [link(_("Home"), reverse("home"))]
    if roles.primary_role(user) == roles.SHOPPER:
        # Shoppers read their own reports and pay on their own pages, which never show a score.
        items.append(link(_("My reports"), reverse("shopper-reports")))
        items.append(link(_("My pay"), reverse("shopper-pay")))
    elif user.has_perm(roles.VIEW_EVALUATION) or roles.has_role(user, roles.SHOPPER):
        new = disputes.unacknowledged(user).count() if roles.has_role(user, roles.EMPLOYEE) else 0
        items.append(link(_("Evaluations"), reverse("evaluation-list"),
                          badge=(new, _("%(n)s new, not yet acknowledged") % {"n": new}) if new else None))
    if may_read_reports(user):
        items.append(link(_("Reports"), reverse("reports:dashboard")))
    work = []
    if user.has_perm(roles.CHANGE_EVALUATION):
        work += [link(_("Scoring queue"), reverse("my-queue")),
                 link(_("Report validation"), reverse("validation-queue")),
                 link(_("Interactions"), reverse("interaction-list")),
                 link(_("Disputes"), reverse("dispute-list")),
                 link(_("Calibration"), reverse("calibration-list"))]
    if user.has_perm(roles.ADD_SAMPLINGRULE):
        work.append(link(_("Sampling"), reverse("sampling")))
    shopping = []
    if user.has_perm(roles.VIEW_ASSIGNMENT):
        shopping.append(link(_("Assignments"), reverse("assignment-list")))
    if user.has_perm(roles.MANAGE_PAYMENTS):
        shopping.append(link(_("Shopper pay"), reverse("payments")))
    items += [m for m in (menu(request, _("Quality work"), work), menu(request, _("Mystery shopping"), shopping)) if m]
    if user.has_perm(roles.VIEW_SCORECARD):
        items.append(link(_("Scorecards"), reverse("scorecards:list")))
    if roles.has_role(user, roles.ADMINISTRATOR) and user.is_staff:
        items.append(link(_("Admin site"), reverse("admin:index")))
    primary = roles.primary_role(user)
    return {"nav_items": items, "role_label": roles.ROLE_LABELS.get(primary, ""), "currency": settings.CURRENCY_SYMBOL}
