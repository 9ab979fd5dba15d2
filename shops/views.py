"""Planning mystery-shopping visits (QA staff) and paying shoppers (administrators)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView

from shops import permissions, services
from shops.filters import AssignmentFilter
from shops.forms import COMMON_FIELDS, AssignmentForm, BulkAssignmentForm, CancelForm, MarkPaidForm, PaymentPeriodForm
from shops.models import Assignment, Shopper


class AssignmentListView(PermissionRequiredMixin, FilterView):
    permission_required = permissions.VIEW_ASSIGNMENT
    filterset_class = AssignmentFilter
    template_name = "shops/assignment_list.html"
    paginate_by = 25

    def get_queryset(self):
        # plan_follow_up: the reverse relation plans adds, read like `report` (the re-shop marker), no import.
        return Assignment.objects.select_related("location", "shopper__user", "version__scorecard",
                                                 "plan_follow_up").order_by(
            "-window_start", "-pk")


class AssignmentCreateView(PermissionRequiredMixin, FormView):
    permission_required = permissions.ADD_ASSIGNMENT
    form_class = AssignmentForm
    template_name = "shops/assignment_form.html"
    extra_context = {"title": _("New assignment")}

    def get_initial(self):
        # ?location=<id> (coverage's "Plan a visit" beside a location) chooses it; anything else is ignored.
        initial = super().get_initial()
        location = self.request.GET.get("location", "")
        if location.isascii() and location.isdigit() and len(location) < 10:
            initial["location"] = int(location)
        return initial

    def form_valid(self, form):
        fields = {name: form.cleaned_data[name] for name in ["location"] + COMMON_FIELDS}
        try:
            assignment = services.create_assignment(created_by=self.request.user, **fields)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Assignment created and offered: %(a)s.") % {"a": assignment})
        return redirect("assignment-detail", assignment.pk)


class AssignmentBulkCreateView(PermissionRequiredMixin, FormView):
    permission_required = permissions.ADD_ASSIGNMENT
    form_class = BulkAssignmentForm
    template_name = "shops/assignment_form.html"
    extra_context = {"title": _("New assignments for many locations")}

    def form_valid(self, form):
        common = {name: form.cleaned_data[name] for name in COMMON_FIELDS}
        created, skipped = services.create_bulk(
            locations=form.cleaned_data["locations"], created_by=self.request.user, **common)
        if created:
            messages.success(self.request, _("%(n)s assignments created.") % {"n": len(created)})
        else:
            messages.warning(self.request, _("No assignment created: the shopper may not take any of these visits."))
        for reason in skipped:
            messages.warning(self.request, _("Skipped: %(reason)s") % {"reason": reason})
        return redirect("assignment-list")


class AssignmentDetailView(PermissionRequiredMixin, DetailView):
    permission_required = permissions.VIEW_ASSIGNMENT
    template_name = "shops/assignment_detail.html"
    context_object_name = "assignment"
    queryset = Assignment.objects.select_related("location__region", "shopper__user", "version__scorecard", "created_by",
                                                 "plan_follow_up")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["events"] = self.object.events.select_related("by")
        context["report"] = getattr(self.object, "report", None)  # the visit report, once one is filed (qa)
        context["cancel_form"] = CancelForm()
        return context


class AssignmentCancelView(PermissionRequiredMixin, View):
    permission_required = permissions.CHANGE_ASSIGNMENT
    http_method_names = ["post"]

    def post(self, request, pk):
        assignment = get_object_or_404(Assignment, pk=pk)
        form = CancelForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        try:
            services.cancel(assignment, request.user, note)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Assignment cancelled."))
        return redirect("assignment-detail", pk)


def approved_in(form):
    qs = Assignment.objects.filter(status=Assignment.Status.APPROVED)
    if form.is_valid():
        if form.cleaned_data["date_from"]:
            qs = qs.filter(approved_at__date__gte=form.cleaned_data["date_from"])
        if form.cleaned_data["date_to"]:
            qs = qs.filter(approved_at__date__lte=form.cleaned_data["date_to"])
    return qs


def with_names(rows) -> list:
    """The rows, each with its shopper's name as everyone else reads it (Shopper.__str__: the full name, the
    login name only when no name is set), in one more query."""
    rows = list(rows)
    names = {s.pk: str(s) for s in Shopper.objects.filter(pk__in=[r["shopper_id"] for r in rows])
             .select_related("user")}
    for row in rows:
        row["name"] = names.get(row["shopper_id"], "")
    return rows


class PaymentsView(PermissionRequiredMixin, View):
    """Fees payable per shopper for a period, and marking them paid."""

    permission_required = permissions.MANAGE_PAYMENTS
    http_method_names = ["get", "post"]

    def get(self, request):
        return self.page(request, PaymentPeriodForm(request.GET or None))

    def page(self, request, form, status=200):
        bad_period = form.is_bound and not form.is_valid()
        rows = (
            approved_in(form).values("shopper_id")
            .annotate(
                approved=Count("pk"),
                payable=Sum("fee", filter=Q(paid_at__isnull=True), default=0),
                # Visits in a payment batch (pool's, by relation name) are paid with their batch, not here.
                unpaid=Count("pk", filter=Q(paid_at__isnull=True, batch_visit__isnull=True)),
                batched=Count("pk", filter=Q(paid_at__isnull=True, batch_visit__isnull=False)),
                paid=Sum("fee", filter=Q(paid_at__isnull=False), default=0),
            )
            .order_by("shopper__user__last_name", "shopper__user__first_name", "shopper__user__username")
        )
        if bad_period:  # a period that was not understood shows nothing rather than every period
            rows, status = rows.none(), 400
        rows = with_names(rows)
        return render(request, "shops/payments.html", {"form": form, "rows": rows, "bad_period": bad_period,
                                                        "query": request.GET.urlencode()}, status=status)

    def post(self, request):
        form = MarkPaidForm(request.POST)
        if not form.is_valid():
            # Marking fees paid outside the period asked for would be worse than refusing.
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return self.page(request, PaymentPeriodForm(QueryDict(request.POST.get("query", "")) or None), status=400)
        shopper = form.cleaned_data["shopper"]
        # A visit in a payment batch (the pool's batches, reached by their relation name: shops imports no pool
        # code) is paid with its batch, never here as well: the bank or PayPal may be paying it already.
        fees = approved_in(form).filter(shopper=shopper, batch_visit__isnull=True, paid_at__isnull=True)
        if request.POST.get("confirm") != "yes":
            # First step: say how many fees and how much, and ask before marking them paid.
            summary = fees.aggregate(n=Count("pk"), total=Sum("fee", default=0))
            return render(request, "shops/payments_confirm.html", {
                "shopper": shopper, "count": summary["n"], "total": summary["total"],
                "date_from": form.cleaned_data["date_from"], "date_to": form.cleaned_data["date_to"],
                "query": request.POST.get("query", "")})
        summary = fees.aggregate(total=Sum("fee", default=0))
        count = services.mark_paid(fees, request.user)
        messages.success(request, ngettext(
            "%(n)s fee marked paid for %(shopper)s (%(currency)s%(total)s).",
            "%(n)s fees marked paid for %(shopper)s (%(currency)s%(total)s).", count) % {
            "n": count, "shopper": shopper, "currency": settings.CURRENCY_SYMBOL,
            "total": floatformat(summary["total"], "2g")})
        return redirect(reverse("payments") + ("?" + request.POST.get("query", "") if request.POST.get("query") else ""))
