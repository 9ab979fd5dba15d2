"""Pay in batches: the rules, written once for the pages, the demo and the tests.

An administrator gathers approved, unpaid visits whose approval falls in a date range (days in the
administrator's time zone) into a batch for one payment method: one payment per shopper, with the payee's
details copied in as they are that day. A visit is in at most one batch (BatchVisit.assignment is one-to-one);
two administrators making batches at the same moment cannot both take it. Shoppers without the details the
method needs are left out and listed, so the administrator can ask them.

A batch moves new -> exported (its file was made for the bank or PayPal) -> paid (the money went out: its
visits' paid_at/paid_by are set through shops.services.mark_paid, in the same transaction). Only a new batch
may be deleted; its visits return to the payable pool.
"""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, DecimalField, Max, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _

from pool.models import BatchPayment, BatchVisit, PaymentBatch, ShopperProfile
from reports.rows import FORMULA_START, safe_text
from shops import services as shop_services
from shops.models import Assignment, Shopper

B = PaymentBatch.Status
METHODS = dict(ShopperProfile.PaymentMethod.choices)
# The three-letter code for the symbol the site shows (settings.CURRENCY_SYMBOL); PAYMENT_CURRENCY overrides.
SYMBOL_CODES = {"£": "GBP", "€": "EUR", "$": "USD"}


def currency_code() -> str:
    return (getattr(settings, "PAYMENT_CURRENCY", "") or SYMBOL_CODES.get(settings.CURRENCY_SYMBOL, "GBP")).upper()


def day_bounds(date_from, date_to, tz):
    """The aware instants that start date_from and end date_to in time zone tz (half-open)."""
    start = timezone.make_aware(datetime.combine(date_from, time.min), tz)
    end = timezone.make_aware(datetime.combine(date_to + timedelta(days=1), time.min), tz)
    return start, end


def payable(date_from, date_to, tz):
    """Approved, unpaid visits with a fee, approved in the range, in no batch yet."""
    start, end = day_bounds(date_from, date_to, tz)
    return Assignment.objects.filter(
        status=Assignment.Status.APPROVED, paid_at__isnull=True, fee__gt=0, shopper__isnull=False,
        approved_at__gte=start, approved_at__lt=end, batch_visit__isnull=True)


def missing_detail(profile, method) -> str:
    """Why this shopper cannot be paid by `method` ("" when they can)."""
    if profile is None or not profile.payment_method:
        return _("no payment method chosen")
    if profile.payment_method != method:
        return ""  # paid by the other method: they belong in the other method's batch
    if method == ShopperProfile.PaymentMethod.PAYPAL and not profile.paypal_email:
        return _("no PayPal e-mail")
    if method == ShopperProfile.PaymentMethod.BANK and not profile.iban:
        return _("no IBAN")
    # The payment file would have to change such a detail (reports.rows.safe_text) and pay the wrong payee.
    detail = profile.paypal_email if method == ShopperProfile.PaymentMethod.PAYPAL else profile.account_name
    if detail.startswith(FORMULA_START):
        return _("their payee details start with “%(sign)s”, which a spreadsheet reads as a formula: ask them to "
                 "correct their profile") % {"sign": detail[:1]}
    return ""


@dataclass
class Line:
    shopper: Shopper
    visits: list = field(default_factory=list)
    reason: str = ""

    @property
    def amount(self) -> Decimal:
        return sum((a.fee for a in self.visits), Decimal("0.00"))

    @property
    def detail(self) -> str:
        """The payee detail as the batch will show it ("•••• 4321"), so two shoppers of one name are told apart
        before the batch is made; empty for a shopper left out."""
        profile = getattr(self.shopper, "profile", None)
        if self.reason or profile is None:
            return ""
        return masked(SimpleNamespace(**payee(self.shopper, profile)))


@dataclass
class Plan:
    """What a batch for these dates and this method would hold, and who would be left out and why."""

    method: str
    lines: list
    left_out: list
    other_method: int  # shoppers with payable visits in the range who are paid by the other method

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    @property
    def visit_count(self) -> int:
        return sum(len(line.visits) for line in self.lines)


def plan(method, date_from, date_to, tz, assignments=None) -> Plan:
    visits = list(assignments if assignments is not None else payable(date_from, date_to, tz).select_related(
        "shopper__user", "shopper__profile", "location").order_by("shopper_id", "approved_at", "pk"))
    by_shopper = defaultdict(list)
    shoppers = {}
    for visit in visits:
        by_shopper[visit.shopper_id].append(visit)
        shoppers[visit.shopper_id] = visit.shopper
    lines, left_out, other = [], [], 0
    for shopper_id, its_visits in by_shopper.items():
        shopper = shoppers[shopper_id]
        profile = getattr(shopper, "profile", None)
        reason = missing_detail(profile, method)
        if reason:
            left_out.append(Line(shopper, its_visits, reason))
        elif profile.payment_method != method:
            other += 1
        else:
            lines.append(Line(shopper, its_visits))
    key = lambda line: (str(line.shopper).lower(), line.shopper.pk)  # noqa: E731
    return Plan(method, sorted(lines, key=key), sorted(left_out, key=key), other)


def payee(shopper, profile) -> dict:
    return {"payee_name": (profile.account_name or str(shopper))[:150], "paypal_email": profile.paypal_email,
            "iban": profile.iban.replace(" ", "").upper(), "bic": profile.bic.replace(" ", "").upper()}


def create_batch(*, method, date_from, date_to, by, tz):
    """Make the batch; returns (batch, plan). ValidationError when nothing can be paid or another batch took the
    visits first. The visits are locked while the batch is made, and the one-to-one BatchVisit refuses a visit
    that a batch made at the same moment already holds."""
    if method not in METHODS:
        raise ValidationError({"method": _("Choose how the shoppers are paid.")})
    if date_to < date_from:
        raise ValidationError({"date_to": _("The last day comes before the first day.")})
    try:
        with transaction.atomic():
            locked = list(payable(date_from, date_to, tz).select_for_update(of=("self",)).order_by("pk"))
            loaded = {a.pk: a for a in Assignment.objects.filter(pk__in=[a.pk for a in locked]).select_related(
                "shopper__user", "shopper__profile", "location")}
            result = plan(method, date_from, date_to, tz, [loaded[a.pk] for a in locked if a.pk in loaded])
            if not result.lines:
                raise ValidationError(nothing_to_pay(result))
            batch = PaymentBatch.objects.create(method=method, approved_from=date_from, approved_to=date_to,
                                                currency=currency_code(), created_by=by)
            batch.reference = f"SHOPPER PAY {batch.pk}"[:18]
            batch.save(update_fields=["reference"])
            for line in result.lines:
                payment = BatchPayment.objects.create(batch=batch, shopper=line.shopper, amount=line.amount,
                                                      **payee(line.shopper, line.shopper.profile))
                BatchVisit.objects.bulk_create([BatchVisit(payment=payment, assignment=a) for a in line.visits])
    except IntegrityError:
        raise ValidationError(_("Another batch took some of these visits at the same moment. Look at the "
                                "batches, then make this one again: it will hold only the visits still unpaid."))
    return batch, result


def nothing_to_pay(result) -> str:
    if result.left_out:
        return _("No shopper can be paid this way yet: every shopper with visits to pay in these dates lacks "
                 "payment details (listed below).")
    if result.other_method:
        return _("Every shopper with visits to pay in these dates is paid by the other method: make a batch "
                 "for that method instead.")
    return _("No approved, unpaid visits were approved in these dates, or they are already in a batch.")


def locked(batch) -> PaymentBatch:
    return PaymentBatch.objects.select_for_update().get(pk=batch.pk)


def export(batch, by) -> PaymentBatch:
    """new -> exported (making the file again later changes nothing)."""
    with transaction.atomic():
        current = locked(batch)
        if current.status == B.NEW:
            current.status, current.exported_at = B.EXPORTED, timezone.now()
            current.save(update_fields=["status", "exported_at"])
    return current


def mark_paid(batch, by) -> int:
    """exported -> paid; the visits' paid_at/paid_by set in the same transaction. Returns how many visits."""
    with transaction.atomic():
        current = locked(batch)
        if current.status == B.NEW:
            raise ValidationError(_("Export this batch and pay it at the bank or PayPal before marking it paid."))
        if current.status == B.PAID:
            raise ValidationError(_("This batch is already marked paid."))
        count = shop_services.mark_paid(
            Assignment.objects.filter(batch_visit__payment__batch=current), by)
        current.status, current.paid_at = B.PAID, timezone.now()
        current.save(update_fields=["status", "paid_at"])
    return count


def delete(batch):
    with transaction.atomic():
        current = locked(batch)
        if current.status != B.NEW:
            raise ValidationError(_("Only a new batch can be deleted: this one was exported, and the bank or "
                                    "PayPal may already be paying it."))
        BatchVisit.objects.filter(payment__batch=current).delete()
        current.payments.all().delete()
        current.delete()


def with_totals(batches):
    """Each batch with its total, payments and visits, each from its own subquery (one join for all three would
    count each payment once per visit)."""
    def of_batch(queryset, value):
        return Subquery(queryset.order_by().values(value)[:1])

    payments = BatchPayment.objects.filter(batch=OuterRef("pk")).values("batch")
    visits = BatchVisit.objects.filter(payment__batch=OuterRef("pk")).values("payment__batch")
    return batches.annotate(
        total=Coalesce(of_batch(payments.annotate(s=Sum("amount")), "s"), Value(Decimal("0.00")),
                       output_field=DecimalField(max_digits=12, decimal_places=2)),
        payment_count=Coalesce(of_batch(payments.annotate(n=Count("pk")), "n"), Value(0)),
        visit_count=Coalesce(of_batch(visits.annotate(n=Count("pk")), "n"), Value(0)))


def masked(payment) -> str:
    """The payee detail as pages show it: an IBAN's last four characters, the PayPal e-mail's domain."""
    if payment.iban:
        return "•••• " + payment.iban[-4:]
    if payment.paypal_email:
        name, _at, domain = payment.paypal_email.partition("@")
        return f"{name[:1]}•••@{domain}"
    return "–"


def money(amount) -> str:
    """An amount as people read it, on the pages (`{{ currency }}{{ amount|floatformat:"2g" }}`), in their
    messages and in the statement PDF: the currency symbol, thousands grouped, two decimals ("£1,276.00")."""
    return f"{settings.CURRENCY_SYMBOL}{floatformat(amount, '2g')}"


def amount_text(amount) -> str:
    """Two decimals and a dot, whatever the language: what the bank's and PayPal's files take."""
    return f"{Decimal(amount).quantize(Decimal('0.01')):.2f}"


def note(batch) -> str:
    return _("Mystery shopping fees, visits approved %(start)s to %(end)s") % {
        "start": batch.approved_from.strftime("%d/%m/%Y"), "end": batch.approved_to.strftime("%d/%m/%Y")}


def paypal_rows(batch):
    """PayPal Payouts (Payouts Web) payment file: one payee a row, no header row, in PayPal's order:
    recipient identifier (the PayPal e-mail), payment amount, currency (ISO 4217, one per file), customer ID
    (our unique reference for the payout, here "B<batch>-P<payment>"), note to the recipient, recipient wallet
    ("PAYPAL"). Amounts with a dot and two decimals. Source: PayPal developer documentation, "Payouts Web" /
    "Use Web UI" (developer.paypal.com/payouts/use-payouts/send-money/use-web-ui): "Create a .csv file and add
    payout records as line items ... a maximum of 5000 rows"; the older Mass Payments user guide (2013) names
    the same first five columns."""
    text = note(batch)
    for p in batch.payments.order_by("payee_name", "pk"):
        yield [safe_text(p.paypal_email), amount_text(p.amount), batch.currency, f"B{batch.pk}-P{p.pk}",
               safe_text(text), "PAYPAL"]


BANK_HEADER = ["beneficiary_name", "iban", "amount", "label", "reference", "currency", "bic"]


def bank_rows(batch):
    """A bank bulk-transfer CSV (credit transfers to IBANs): a header row, then one payee a row with the columns
    beneficiary_name, iban (no spaces), amount (a decimal point, two decimals), label (what the payee reads on
    their statement), reference (ours, for reconciling). Layout as documented by GoDutch's business banking,
    "How to make batch payments using a CSV file" (helpcenter.godutch.com/en/articles/675135), the same five
    columns most SEPA CSV-to-transfer converters ask for; then the batch's currency (ISO 4217) and the payee's BIC,
    so that a file is never read in another currency than it was made in (a bank that takes only the first five
    columns ignores or is given those five). This is a CSV, not SEPA pain.001 XML: a bank that wants XML
    converts it or needs its own writer."""
    yield BANK_HEADER
    label = _("Mystery shopping fees")
    for p in batch.payments.order_by("payee_name", "pk"):
        yield [safe_text(p.payee_name), p.iban, amount_text(p.amount), safe_text(label),
               safe_text(f"{batch.reference} P{p.pk}"), batch.currency, p.bic]


def export_file(batch) -> tuple[str, bytes]:
    """(file name, CSV bytes) for the batch's method."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    rows = paypal_rows(batch) if batch.method == ShopperProfile.PaymentMethod.PAYPAL else bank_rows(batch)
    writer.writerows(rows)
    name = f"{'paypal-payouts' if batch.method == 'paypal' else 'bank-transfers'}-batch-{batch.pk}.csv"
    return name, out.getvalue().encode("utf-8")


def shopper_payments(shopper):
    """The shopper's batch payments, newest first, each with its batch and visits."""
    return (BatchPayment.objects.filter(shopper=shopper).select_related("batch")
            .prefetch_related("visits__assignment__location", "visits__assignment__report")
            .order_by("-batch__created_at", "-pk"))


def visit_day(assignment):
    """The day the shopper remembers: their report's arrival, else the visit window's first day."""
    report = getattr(assignment, "report", None)
    return report.arrived_at if report is not None and report.arrived_at else assignment.window_start


def _sort_instant(value):
    return value if isinstance(value, datetime) else timezone.make_aware(datetime.combine(value, time.min))


def by_visit_day(assignments) -> list:
    """The visits in the order they were made (visit_day), oldest first."""
    return sorted(assignments, key=lambda a: (_sort_instant(visit_day(a)), a.pk))


@dataclass
class Payment:
    """One payment as the shopper reads it: a batch's payment to them, or the visits marked paid outside a batch
    on one day (the older "Shopper pay" page)."""

    key: tuple  # ("batch", BatchPayment pk) or ("outside", local day)
    when: datetime  # for the order, newest first
    status: str = "paid"  # the batch's status; "paid" outside a batch
    paid_on: object = None
    method: str = ""
    amount: Decimal = Decimal("0.00")
    visits: list = field(default_factory=list)

    @property
    def outside(self) -> bool:
        return self.key[0] == "outside"

    @property
    def ref(self) -> str:
        return f"{self.key[0]}-{self.key[1]}"


def payment_keys(shopper, tz) -> list[Payment]:
    """Every payment of the shopper, newest first, without their visits (two queries): batch payments, and the
    visits marked paid outside a batch grouped by the day (in tz) they were marked paid."""
    entries = []
    for pk, created, paid_at in BatchPayment.objects.filter(shopper=shopper).values_list(
            "pk", "batch__created_at", "batch__paid_at"):
        entries.append(Payment(("batch", pk), paid_at or created))
    outside = (Assignment.objects.filter(shopper=shopper, paid_at__isnull=False, batch_visit__isnull=True)
               .annotate(day=TruncDate("paid_at", tzinfo=tz)).values("day").annotate(last=Max("paid_at")))
    for row in outside:
        entries.append(Payment(("outside", row["day"]), row["last"]))
    return sorted(entries, key=lambda e: (_sort_instant(e.when), e.key[0] == "batch", str(e.key[1])),
                  reverse=True)


def load_payments(shopper, entries, tz) -> list[Payment]:
    """Fill in the given payments' status, amount and visits (sorted by the day of the visit): three queries."""
    batch_ids = [e.key[1] for e in entries if not e.outside]
    days = [e.key[1] for e in entries if e.outside]
    batch_payments = {p.pk: p for p in shopper_payments(shopper).filter(pk__in=batch_ids)} if batch_ids else {}
    by_day = defaultdict(list)
    if days:
        start, end = day_bounds(min(days), max(days), tz)
        for a in (Assignment.objects.filter(shopper=shopper, paid_at__gte=start, paid_at__lt=end,
                                            batch_visit__isnull=True).select_related("location", "report")):
            by_day[timezone.localtime(a.paid_at, tz).date()].append(a)
    for entry in entries:
        if entry.outside:
            entry.visits = by_day.get(entry.key[1], [])
            entry.paid_on, entry.method = entry.key[1], _("Paid outside a batch")
            entry.amount = sum((a.fee for a in entry.visits), Decimal("0.00"))
        else:
            p = batch_payments[entry.key[1]]
            entry.status, entry.paid_on, entry.amount = p.batch.status, p.batch.paid_at, p.amount
            entry.method = p.batch.get_method_display()
            entry.visits = [v.assignment for v in p.visits.all()]
        entry.visits = by_visit_day(entry.visits)
    return entries


def own_missing_detail(shopper) -> str:
    """Why the QA team cannot pay this shopper by the method they chose ("" when they can)."""
    if shopper is None:
        return ""
    profile = ShopperProfile.objects.filter(shopper=shopper).first()
    return missing_detail(profile, profile.payment_method if profile else "")


def already_handled(date_from, date_to, tz) -> int:
    """Approved visits with a fee, approved in the range, that are already paid or in a batch."""
    start, end = day_bounds(date_from, date_to, tz)
    return Assignment.objects.filter(status=Assignment.Status.APPROVED, fee__gt=0, shopper__isnull=False,
                                     approved_at__gte=start, approved_at__lt=end).exclude(
        paid_at__isnull=True, batch_visit__isnull=True).count()


def paid_visits_in(shopper, year, tz):
    """The shopper's visits marked paid in calendar year `year` (in tz), in order of payment."""
    start = timezone.make_aware(datetime(year, 1, 1), tz)
    end = timezone.make_aware(datetime(year + 1, 1, 1), tz)
    return (Assignment.objects.filter(shopper=shopper, paid_at__gte=start, paid_at__lt=end)
            .select_related("location", "report", "batch_visit__payment__batch").order_by("paid_at", "pk"))


def statement_years(shopper, tz) -> list[int]:
    """Calendar years (in tz) in which the shopper was paid, newest first."""
    years = {timezone.localtime(when, tz).year
             for when in Assignment.objects.filter(shopper=shopper, paid_at__isnull=False).values_list(
                 "paid_at", flat=True)}
    return sorted(years, reverse=True)
