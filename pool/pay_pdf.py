"""A shopper's yearly pay statement as PDF, in the reports' house style (reports.pdf: A4, the footer with when it
was made, tables repeating their header): every visit marked paid in the calendar year (in the shopper's time
zone), with its location, visit date, fee and the batch that paid it, and the totals."""

import io
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from pool import pay
from qa import formats
from reports.pdf import BODY, H1, TABLE_STYLE, ReportDocument, heading, text


def money(value) -> str:
    return f"{settings.CURRENCY_SYMBOL}{Decimal(value).quantize(Decimal('0.01')):,.2f}"


def visit_day(assignment):
    report = getattr(assignment, "report", None)
    return formats.date(report.arrived_at) if report is not None and report.arrived_at else formats.date(
        assignment.window_start)


def statement(shopper, year: int, tz) -> bytes:
    visits = list(pay.paid_visits_in(shopper, year, tz))
    title = _("Pay statement %(year)s") % {"year": year}
    out = io.BytesIO()
    doc = ReportDocument(out, title, [], timezone.now())
    doc.filters_line = _("Statement for %(name)s, %(year)s") % {"name": str(shopper), "year": year}
    story = [Paragraph(text(title), H1),
             Paragraph(text(_("%(name)s · visits paid from 1 January to 31 December %(year)s") % {
                 "name": str(shopper), "year": year}), BODY), Spacer(1, 4 * mm)]
    if not visits:
        story.append(Paragraph(text(_("No payments in %(year)s: no visit of yours was paid that year.") % {
            "year": year}), BODY))
    else:
        total = sum((a.fee for a in visits), Decimal("0.00"))
        story.append(Paragraph(text(_("Total paid: %(total)s for %(n)s visits.") % {
            "total": money(total), "n": len(visits)}), BODY))
        story.append(heading(_("Paid visits")))
        rows = []
        for a in visits:
            visit = getattr(a, "batch_visit", None)
            batch = _("Batch %(n)s") % {"n": visit.payment.batch_id} if visit is not None else _("Paid outside a batch")
            rows.append([formats.date(timezone.localtime(a.paid_at, tz)), text(a.location.name)[:48],
                         visit_day(a), money(a.fee), batch])
        rows.append(["", _("Total"), "", money(total), ""])
        # One table that splits at page ends, its header repeated at the top of each page only (a shopper's year
        # is a few hundred rows at most, so measuring them all is cheap).
        table = Table([[_("Paid on"), _("Location"), _("Visit"), _("Fee"), _("Payment")]] + rows,
                      colWidths=[28 * mm, 62 * mm, 28 * mm, 25 * mm, 31 * mm], repeatRows=1, style=TABLE_STYLE)
        table.setStyle(TableStyle([("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold")]))
        story.append(table)
    doc.build(story)
    return out.getvalue()
