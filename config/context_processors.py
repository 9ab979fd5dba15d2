"""The navigation each role sees, built once here for the base template."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from qa import roles
from reports.views import may_read_reports


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "role_label": "", "currency": settings.CURRENCY_SYMBOL}
    items = [(_("Home"), reverse("home"))]
    if roles.primary_role(user) == roles.SHOPPER:
        # Shoppers read their own reports and pay on their own pages, which never show a score.
        items.append((_("My reports"), reverse("shopper-reports")))
        items.append((_("My pay"), reverse("shopper-pay")))
    elif user.has_perm(roles.VIEW_EVALUATION) or roles.has_role(user, roles.SHOPPER):
        items.append((_("Evaluations"), reverse("evaluation-list")))
    if may_read_reports(user):
        items.append((_("Reports"), reverse("reports:dashboard")))
    if user.has_perm(roles.CHANGE_EVALUATION):
        items.append((_("Scoring queue"), reverse("my-queue")))
        items.append((_("Report validation"), reverse("validation-queue")))
        items.append((_("Interactions"), reverse("interaction-list")))
        items.append((_("Disputes"), reverse("dispute-list")))
        items.append((_("Calibration"), reverse("calibration-list")))
    if user.has_perm(roles.ADD_SAMPLINGRULE):
        items.append((_("Sampling"), reverse("sampling")))
    if user.has_perm(roles.VIEW_ASSIGNMENT):
        items.append((_("Assignments"), reverse("assignment-list")))
    if user.has_perm(roles.MANAGE_PAYMENTS):
        items.append((_("Shopper pay"), reverse("payments")))
    if user.has_perm(roles.VIEW_SCORECARD):
        items.append((_("Scorecards"), reverse("scorecards:list")))
    if roles.has_role(user, roles.ADMINISTRATOR) and user.is_staff:
        items.append((_("Admin site"), reverse("admin:index")))
    primary = roles.primary_role(user)
    return {"nav_items": items, "role_label": roles.ROLE_LABELS.get(primary, ""), "currency": settings.CURRENCY_SYMBOL}
