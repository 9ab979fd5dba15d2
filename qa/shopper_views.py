"""A mystery shopper's own pages beyond filing a report: the reports they sent (each readable,
never editable, and never with a score: shoppers must not be biased by one), their fees, and
declining a visit they cannot make. Each shopper reaches only their own; anything else is a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View

from qa import extensions
from qa.models import Answer, VisitReport
from qa.visit_views import ShopperMixin
from scorecards.services import load_structure
from shops import services as shop_services
from shops.forms import DeclineForm
from shops.models import Assignment

S = Assignment.Status

# The shopper's words for each stage of a report they sent, and what it means for them.
OUTCOMES = {
    S.SUBMITTED: _("Sent, waiting for a reviewer"),
    S.RETURNED: _("Returned to you for a change"),
    S.APPROVED: _("Approved"),
    S.REJECTED: _("Rejected"),
    S.CANCELLED: _("Cancelled"),
}


def report_state_label(assignment) -> str:
    """A sent report's state as the shopper reads it, the one label on every page (home, the
    list of reports, the report itself)."""
    return str(OUTCOMES.get(assignment.status, assignment.get_status_display()))


FILTERS = {
    "waiting": [S.SUBMITTED],
    "returned": [S.RETURNED],
    "approved": [S.APPROVED],
    "rejected": [S.REJECTED],
}
FILTER_LABELS = {
    "": _("All"), "waiting": _("Waiting"), "returned": _("Returned"), "approved": _("Approved"),
    "rejected": _("Rejected"),
}


class ReportHistoryView(ShopperMixin, View):
    """Every report this shopper sent, newest visit first, dated by the day of the visit."""

    http_method_names = ["get"]

    def get(self, request):
        reports = (
            VisitReport.objects.filter(assignment__shopper=self.shopper)
            .select_related("assignment__location").order_by("-arrived_at", "-pk")
        )
        shown = request.GET.get("show", "")
        if shown not in FILTER_LABELS:
            shown = ""
        if shown:
            reports = reports.filter(assignment__status__in=FILTERS[shown])
        page = Paginator(reports, 25).get_page(request.GET.get("page"))
        badges = extensions.report_badges_for(request.user, [report.assignment_id for report in page.object_list])
        for report in page.object_list:
            report.outcome = report_state_label(report.assignment)
            report.badges = badges.get(report.assignment_id, [])
        return render(request, "qa/shopper_reports.html", {
            "reports": page.object_list, "page_obj": page, "shown": shown,
            "query_without_page": urlencode({"show": shown}) if shown else "",
            "filters": [(key, label) for key, label in FILTER_LABELS.items()],
        })


class ReportReadView(ShopperMixin, View):
    """One sent report as the shopper filed it, with the reviewer's outcome: read-only, no score."""

    http_method_names = ["get"]

    def get(self, request, pk):
        assignment = self.own_assignment(pk)
        report = VisitReport.objects.select_related("evaluation__employee").filter(assignment=assignment).first()
        if report is None:
            raise Http404(_("No report was sent for this visit yet."))
        answers = {a.item_id: a for a in Answer.objects.filter(evaluation=report.evaluation).select_related("item")}
        sections = []
        for section in load_structure(assignment.version):
            rows = [answers[item.pk] for item in section.items.all() if item.pk in answers]
            if rows:
                sections.append({"name": section.name, "answers": rows})
        return render(request, "qa/shopper_report.html", {
            "assignment": assignment, "report": report, "sections": sections,
            "evidence": assignment.evidence.all(),
            "outcome": report_state_label(assignment),
            "rejected_at": assignment.events.filter(to_status=S.REJECTED).order_by("-at", "-pk")
            .values_list("at", flat=True).first() if assignment.status == S.REJECTED else None,
            "report_panels": extensions.report_panels_for(request, assignment),
        })


class PayView(ShopperMixin, View):
    """Fees earned, payable and paid, in total and per month of the visit."""

    http_method_names = ["get"]

    def get(self, request):
        fees = shop_services.fees(self.shopper, timezone.get_current_timezone())
        payable = (
            Assignment.objects.filter(shopper=self.shopper, status=S.APPROVED, paid_at__isnull=True)
            .select_related("location", "report").order_by("-report__arrived_at", "-pk")
        )
        return render(request, "qa/shopper_pay.html", dict(fees, payable=payable))


class DeclineView(ShopperMixin, View):
    """Give back an offered or accepted visit before its window, saying why: it returns to planning."""

    http_method_names = ["get", "post"]

    def get_assignment(self, pk) -> Assignment:
        mine_or_offered = Q(shopper=self.shopper) | Q(pk__in=shop_services.offered_to(self.shopper).values("pk"))
        return get_object_or_404(Assignment.objects.filter(mine_or_offered).select_related("location"), pk=pk)

    def render_form(self, request, assignment, form, status=200):
        return render(request, "qa/shopper_decline.html", {
            "assignment": assignment, "form": form,
            "refusal": shop_services.decline_refusal(assignment, self.shopper),
        }, status=status)

    def get(self, request, pk):
        return self.render_form(request, self.get_assignment(pk), DeclineForm())

    def post(self, request, pk):
        assignment = self.get_assignment(pk)
        form = DeclineForm(request.POST)
        if form.is_valid():
            try:
                shop_services.decline(assignment, self.shopper, form.cleaned_data["reason"])
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    form.add_error(None, exc)
                else:
                    messages.error(request, " ".join(exc.messages))
                    return redirect("home")
            else:
                messages.success(request, _("You declined the visit to %(location)s. It goes back to the QA team "
                                            "to plan again; it no longer appears in your visits.") % {
                    "location": assignment.location.name})
                return redirect("home")
        return self.render_form(request, assignment, form, status=422)
