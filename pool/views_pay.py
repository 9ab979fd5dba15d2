"""The pay pages: payment batches for whoever may pay shoppers (pool.access.may_pay), and each shopper's own
payments and yearly statements. Batches are reached through `batch_for`; a shopper reaches only their own."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from pool import access, pay, pay_pdf
from pool.forms_pay import BatchFilter, BatchForm
from pool.models import PaymentBatch
from pool.pages import PayerPage, ShopperPage
from qa.forms import add_service_errors

PAGE_SIZE = 20


class PayerMixin(PayerPage):
    def batch_for(self, pk) -> PaymentBatch:
        return get_object_or_404(pay.with_totals(PaymentBatch.objects.select_related("created_by")), pk=pk)


class BatchListView(PayerMixin, View):
    http_method_names = ["get"]

    def get(self, request):
        form = BatchFilter(request.GET or None)
        batches = pay.with_totals(PaymentBatch.objects.all()).order_by("-created_at", "-pk")
        status = 200
        if form.is_bound and not form.is_valid():
            batches, status = batches.none(), 400
        elif form.is_bound:
            if form.cleaned_data["status"]:
                batches = batches.filter(status=form.cleaned_data["status"])
            if form.cleaned_data["method"]:
                batches = batches.filter(method=form.cleaned_data["method"])
        page = Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, "pool/pay/batch_list.html", {
            "form": form, "page_obj": page, "query_without_page": query.urlencode(), "bad_filter": status == 400,
            "filtered": any(request.GET.get(k) for k in ("status", "method")),
        }, status=status)


def default_range(today):
    """Last calendar month up to today: the usual pay run."""
    first_this_month = today.replace(day=1)
    return (first_this_month - timedelta(days=1)).replace(day=1), today


class BatchCreateView(PayerMixin, View):
    """The form; "Show what it would hold" (or a GET with the fields) previews the batch and who is left out,
    "Make the batch" makes it."""

    http_method_names = ["get", "post"]

    def get(self, request):
        if {"method", "date_from", "date_to"} & set(request.GET):
            form = BatchForm(request.GET)
            preview = None
            if form.is_valid():
                preview = self.preview(form.cleaned_data, timezone.get_current_timezone())
            return self.page(request, form, preview, status=200 if form.is_valid() else 400)
        start, end = default_range(timezone.localdate())
        return self.page(request, BatchForm(initial={"date_from": start, "date_to": end}), None)

    @staticmethod
    def preview(data, tz):
        """The plan, and when it holds nothing for want of visits, how many in the dates are paid or batched."""
        result = pay.plan(data["method"], data["date_from"], data["date_to"], tz)
        result.already = 0
        if not (result.lines or result.left_out or result.other_method):
            result.already = pay.already_handled(data["date_from"], data["date_to"], tz)
        return result

    def page(self, request, form, preview, status=200):
        previewed = ""
        if preview is not None and form.is_valid():
            previewed = f"{preview.visit_count}:{BatchForm.preview_key(form.cleaned_data)}"
        return render(request, "pool/pay/batch_form.html", {"form": form, "preview": preview,
                                                             "previewed": previewed}, status=status)

    def post(self, request):
        form = BatchForm(request.POST)
        tz = timezone.get_current_timezone()
        if form.is_valid() and request.POST.get("action") == "preview":
            data = form.cleaned_data
            return self.page(request, form, self.preview(data, tz))
        if form.is_valid():
            data = form.cleaned_data
            try:
                batch, result = pay.create_batch(method=data["method"], date_from=data["date_from"],
                                                 date_to=data["date_to"], by=request.user, tz=tz)
            except ValidationError as exc:
                add_service_errors(form, exc)
                return self.page(request, form, self.preview(data, tz), status=400)
            messages.success(request, ngettext("Batch %(n)s made: %(payments)s payment, %(total)s.",
                                               "Batch %(n)s made: %(payments)s payments, %(total)s.",
                                               len(result.lines)) % {
                "n": batch.pk, "payments": len(result.lines), "total": pay.money(result.total)})
            previewed = form.previewed_visits()
            if previewed is not None and previewed > result.visit_count:
                messages.warning(request, ngettext(
                    "%(n)s visit was paid or put in another batch since the preview: this batch holds %(held)s, "
                    "not %(shown)s.",
                    "%(n)s visits were paid or put in another batch since the preview: this batch holds %(held)s, "
                    "not %(shown)s.", previewed - result.visit_count) % {
                    "n": previewed - result.visit_count, "held": result.visit_count, "shown": previewed})
            if result.left_out:
                messages.warning(request, ngettext(
                    "%(n)s shopper was left out for want of payment details: listed on this page.",
                    "%(n)s shoppers were left out for want of payment details: listed on this page.",
                    len(result.left_out)) % {"n": len(result.left_out)})
                request.session[f"pay-left-out-{batch.pk}"] = [
                    [str(line.shopper), line.reason, len(line.visits), pay.money(line.amount)]
                    for line in result.left_out]
            return redirect("pool:pay-batch", batch.pk)
        return self.page(request, form, None, status=400)


class BatchDetailView(PayerMixin, View):
    http_method_names = ["get"]

    def get(self, request, pk):
        batch = self.batch_for(pk)
        payments = list(batch.payments.select_related("shopper__user").prefetch_related(
            "visits__assignment__location", "visits__assignment__report").order_by("payee_name", "pk"))
        for p in payments:
            p.masked = pay.masked(p)
            p.visit_list = pay.by_visit_day(v.assignment for v in p.visits.all())
        return render(request, "pool/pay/batch_detail.html", {
            "batch": batch, "payments": payments,
            "left_out": request.session.get(f"pay-left-out-{batch.pk}", []),
        })


class BatchExportView(PayerMixin, View):
    """Make the batch's file: a new batch becomes exported; then the file is downloaded from its page."""

    http_method_names = ["post"]

    def post(self, request, pk):
        batch = self.batch_for(pk)
        was_new = batch.status == PaymentBatch.Status.NEW
        pay.export(batch, request.user)
        if was_new:
            where = _("PayPal (Payouts)") if batch.method == "paypal" else _("your bank's bulk payments")
            messages.success(request, _("Batch %(n)s exported. Download its file and upload it to %(where)s; once "
                                        "the money has gone out, mark the batch paid.") % {"n": batch.pk,
                                                                                          "where": where})
        else:
            messages.info(request, _("Batch %(n)s was already exported: its file is the same.") % {"n": batch.pk})
        return redirect("pool:pay-batch", batch.pk)


class BatchFileView(PayerMixin, View):
    http_method_names = ["get"]

    def get(self, request, pk):
        batch = self.batch_for(pk)
        if batch.status == PaymentBatch.Status.NEW:
            messages.error(request, _("Export the batch first: its file is made when it is exported."))
            return redirect("pool:pay-batch", batch.pk)
        name, content = pay.export_file(batch)
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class BatchPaidView(PayerMixin, View):
    http_method_names = ["get", "post"]

    def get(self, request, pk):
        return render(request, "pool/pay/batch_confirm.html", {"batch": self.batch_for(pk), "action": "paid"})

    def post(self, request, pk):
        batch = self.batch_for(pk)
        try:
            count = pay.mark_paid(batch, request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("pool:pay-batch", batch.pk)
        messages.success(request, ngettext(
            "Batch %(n)s marked paid: %(count)s visit is now paid, and its shopper sees the payment on their pay page.",
            "Batch %(n)s marked paid: %(count)s visits are now paid, and each shopper sees the payment on their pay "
            "page.", count) % {"n": batch.pk, "count": count})
        return redirect("pool:pay-batch", batch.pk)


class BatchDeleteView(PayerMixin, View):
    http_method_names = ["get", "post"]

    def get(self, request, pk):
        return render(request, "pool/pay/batch_confirm.html", {"batch": self.batch_for(pk), "action": "delete"})

    def post(self, request, pk):
        batch = self.batch_for(pk)
        try:
            pay.delete(batch)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("pool:pay-batch", batch.pk)
        request.session.pop(f"pay-left-out-{pk}", None)
        messages.success(request, _("Batch %(n)s deleted: its visits can go in a new batch.") % {"n": pk})
        return redirect("pool:pay-batches")




class MyPaymentsView(ShopperPage, View):
    """Each payment with its visits, and the yearly statements."""

    http_method_names = ["get"]

    def get(self, request):
        tz = timezone.get_current_timezone()
        page = Paginator(pay.payment_keys(self.shopper, tz), 10).get_page(request.GET.get("page"))
        page.object_list = pay.load_payments(self.shopper, list(page.object_list), tz)
        years = pay.statement_years(self.shopper, tz)
        this_year = timezone.localdate().year
        return render(request, "pool/pay/mine.html", {
            "page_obj": page, "years": years, "this_year": this_year,
            "unpaid_years": [y for y in (this_year, this_year - 1) if y not in years],
            "missing_detail": pay.own_missing_detail(self.shopper),
        })


class StatementView(ShopperPage, View):
    http_method_names = ["get"]

    def get(self, request, year):
        tz = timezone.get_current_timezone()
        if not 2000 <= year <= timezone.localdate().year + 1 or not pay.paid_visits_in(self.shopper, year, tz).exists():
            return render(request, "pool/pay/no_statement.html", {"year": year}, status=404)
        content = pay_pdf.statement(self.shopper, year, tz)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="pay-statement-{year}.pdf"'
        return response
