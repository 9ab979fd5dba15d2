"""Scheduled reports: subscribe from a report page, list, change, pause and remove subscriptions,
and unsubscribe from an e-mail's link without signing in (a signed token, django.core.signing).

Subscriptions are their recipient's and their creator's (an administrator may subscribe someone
else); other people get a 404, as if they did not exist. Administrators may manage every one."""

from django.contrib import messages
from django.core import signing
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from qa import formats, roles
from reports import subscriptions
from reports.exporters import get_exporter
from reports.models import Subscription, SubscriptionDelivery
from reports.subscription_forms import SubscriptionForm
from reports.views import ReportAccessMixin

PAGE_PARAMS = ("page", "locations_page", "employees_page")
MAX_FILTERS_LENGTH = 2000


def manageable(user):
    """The subscriptions `user` may see and change: their own and those they set up; all for administrators."""
    if roles.has_role(user, roles.ADMINISTRATOR):
        return Subscription.objects.all()
    return Subscription.objects.filter(Q(user=user) | Q(created_by=user))


def saved_filters(query: QueryDict) -> dict:
    return {key: value for key, value in query.dict().items() if key not in PAGE_PARAMS and value != ""}


class SubscribeView(ReportAccessMixin, View):
    """"Subscribe" on the dashboard, a location's or an employee's page: the page's filters come along."""

    template_name = "reports/subscription_form.html"

    def setup_report(self, request, report, object_id):
        if report not in Subscription.Report.values or (report == "dashboard") != (object_id is None):
            raise Http404
        raw = request.POST.get("filters", "") if request.method == "POST" else request.GET.urlencode()
        if len(raw) > MAX_FILTERS_LENGTH:
            return None, render(request, "reports/export_refused.html", {
                "errors": [(_("Filters"), _("Too many filters to save."))], "back": reverse("reports:dashboard")},
                status=400)
        self.filters = saved_filters(QueryDict(raw))
        self.exporter = get_exporter(report, request.user, self.filters, object_id)
        self.scope = self.exporter.scope()  # 404 outside the viewer's reach
        # Named as the page it was made from: "Dashboard", a location's or an employee's name.
        self.title = _("Dashboard") if report == Subscription.Report.DASHBOARD else str(self.scope["title"])
        self.report, self.object_id = report, object_id
        errors = self.exporter.filter_errors()
        if errors:
            return None, render(request, "reports/export_refused.html", {"errors": errors, "back": self.page_url()},
                                status=400)
        return self.exporter, None

    def page_url(self):
        if self.report == "dashboard":
            path = reverse("reports:dashboard")
        else:
            path = reverse(f"reports:{self.report}", args=[self.object_id])
        query = QueryDict(mutable=True)
        query.update(self.filters)
        return path + ("?" + query.urlencode() if self.filters else "")

    def form(self, request, data=None):
        return SubscriptionForm(data, viewer=request.user, report=self.report, object_id=self.object_id,
                                filters=self.filters)

    def show(self, request, form, status=200):
        query = QueryDict(mutable=True)
        query.update(self.filters)
        described = subscriptions.describe_filters(request.user, self.filters)
        return render(request, self.template_name, {
            "form": form, "title": self.title, "report_label": Subscription.Report(self.report).label,
            "heading": subscriptions.heading(self.report, self.title, described),
            "described": described,
            "filters_query": query.urlencode(), "back": self.page_url(), "zone": formats.zone_of(request.user),
            "send_hour": subscriptions.send_hour_text(),
        }, status=status)

    def get(self, request, report, object_id=None):
        _exporter, refused = self.setup_report(request, report, object_id)
        return refused or self.show(request, self.form(request))

    def post(self, request, report, object_id=None):
        _exporter, refused = self.setup_report(request, report, object_id)
        if refused:
            return refused
        form = self.form(request, request.POST)
        if not form.is_valid():
            return self.show(request, form, status=422)
        subscription = form.save(commit=False)
        if "user" not in form.fields:
            subscription.user = request.user
        subscription.created_by = request.user
        subscription.report, subscription.object_id = self.report, self.object_id
        subscription.title, subscription.filters = self.title, self.filters
        subscription.save()
        subscriptions.named(subscription)
        first = subscriptions.next_send(subscription, timezone.now())
        with formats.viewer_time_zone(subscription.user):
            first_text = formats.datetime(first)
        recipient = subscription.user
        who = _("You") if recipient == request.user else (recipient.get_full_name() or recipient.username)
        messages.success(request, _("Subscribed. %(who)s will receive “%(title)s” as %(format)s: %(when)s. "
                                    "The first one comes on %(first)s.") % {
            "who": who, "title": subscription.heading, "format": subscription.get_file_format_display(),
            "when": subscriptions.schedule_text(subscription), "first": first_text})
        return redirect("reports:subscriptions")


class SubscriptionListView(ReportAccessMixin, View):
    """My subscriptions (and those I set up for others): what, when, the last delivery, and actions."""

    SHOW = {"active": Q(paused=False), "paused": Q(paused=True)}

    def get(self, request):
        last = SubscriptionDelivery.objects.filter(subscription=OuterRef("pk")).order_by("-period_start", "-pk")
        rows = (manageable(request.user).select_related("user")
                .annotate(last_status=Subquery(last.values("status")[:1]),
                          last_day=Subquery(last.values("period_start")[:1]),
                          last_error=Subquery(last.values("error")[:1])))
        show = request.GET.get("show", "")
        if show in self.SHOW:
            rows = rows.filter(self.SHOW[show])
        page = Paginator(rows.order_by("paused", "title", "pk"), 25).get_page(request.GET.get("page"))
        now = timezone.now()
        status_labels = dict(SubscriptionDelivery.Status.choices)
        for row in page.object_list:
            row.schedule = subscriptions.schedule_text(row)
            row.next_at = None if row.paused else subscriptions.next_send(row, now)
            row.last_label = status_labels.get(row.last_status, "")
            subscriptions.named(row)
        return render(request, "reports/subscription_list.html", {
            "page_obj": page, "show": show, "query_without_page": f"show={show}" if show else "",
            "is_admin": roles.has_role(request.user, roles.ADMINISTRATOR)})


def managed(request, pk) -> Subscription:
    return subscriptions.named(get_object_or_404(manageable(request.user).select_related("user"), pk=pk))


class SubscriptionEditView(ReportAccessMixin, View):
    def get(self, request, pk):
        subscription = managed(request, pk)
        return self.show(request, subscription, SubscriptionForm(instance=subscription, viewer=request.user))

    def show(self, request, subscription, form, status=200):
        return render(request, "reports/subscription_edit.html", {
            "form": form, "subscription": subscription, "schedule": subscriptions.schedule_text(subscription),
            "described": subscription.described,
            "page_url": subscriptions.page_path(subscription)}, status=status)

    def post(self, request, pk):
        subscription = managed(request, pk)
        form = SubscriptionForm(request.POST, instance=subscription, viewer=request.user)
        if not form.is_valid():
            return self.show(request, subscription, form, status=422)
        subscriptions.named(form.save())
        messages.success(request, _("Saved. “%(title)s” now comes %(when)s.") % {
            "title": subscription.heading, "when": subscriptions.schedule_text(subscription)[0].lower()
            + subscriptions.schedule_text(subscription)[1:]})
        return redirect("reports:subscriptions")


class SubscriptionPauseView(ReportAccessMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        subscription = managed(request, pk)
        subscription.paused = not subscription.paused
        subscription.save(update_fields=["paused"])
        if subscription.paused:
            messages.success(request, _("Paused: “%(title)s” is not sent until you resume it.") % {"title": subscription.heading})
        else:
            messages.success(request, _("Resumed: “%(title)s” is sent again from its next date.") % {"title": subscription.heading})
        return redirect("reports:subscriptions")


class SubscriptionDeleteView(ReportAccessMixin, View):
    def get(self, request, pk):
        return render(request, "reports/subscription_delete.html", {"subscription": managed(request, pk)})

    def post(self, request, pk):
        subscription = managed(request, pk)
        title = subscription.heading
        subscription.delete()
        messages.success(request, _("Deleted: “%(title)s” is no longer sent.") % {"title": title})
        return redirect("reports:subscriptions")


@method_decorator(csrf_exempt, name="dispatch")  # the signed token is the credential; mail clients post one-click
class UnsubscribeView(View):
    """From the link in every e-mail, without signing in. GET asks (mail scanners open links); POST removes."""

    http_method_names = ["get", "post"]

    def find(self, request, token):
        try:
            found = subscriptions.subscription_from_token(token)
            return (subscriptions.named(found) if found else None), None
        except signing.BadSignature:
            return None, render(request, "reports/unsubscribe.html", {"invalid": True}, status=400)

    def get(self, request, token):
        subscription, refused = self.find(request, token)
        return refused or render(request, "reports/unsubscribe.html", {"subscription": subscription, "token": token})

    def post(self, request, token):
        subscription, refused = self.find(request, token)
        if refused:
            return refused
        title = subscription.heading if subscription else ""
        if subscription:
            subscription.delete()
        return render(request, "reports/unsubscribe.html", {"done": True, "title": title})
