"""A shopper's yearly pay statement as PDF, in the reports' house style (reports.pdf: A4, tables repeating their
header): every visit marked paid in the calendar year (in the shopper's time zone), with its location, visit date,
fee and how and when it was paid ("PayPal, paid 14 Nov 2026"), and the totals.

The footer names the shopper and the year (the title is already at the top of the first page) and counts the
pages as "Page N of M". M is known only once every page is laid out, so the page number is drawn by a canvas
that keeps each page until the document is saved (reportlab's canvasmaker pattern), not by the page template."""

import io
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from pool import pay
from qa import formats
from reports.pdf import (
    BODY, FOOTER_FONT, FOOTER_SIZE, H1, SMALL, TABLE_STYLE, ReportDocument, heading, page_count_canvas, text,
)



money = pay.money


def visit_day(assignment):
    report = getattr(assignment, "report", None)
    return formats.date(report.arrived_at) if report is not None and report.arrived_at else formats.date(
        assignment.window_start)


def payment_text(assignment) -> str:
    """How and when a visit was paid, as the shopper knows it: "PayPal, paid 14 Nov 2026" (the batch's method
    and the day it was marked paid, in the current time zone), or "Paid outside a batch, 14 Nov 2026" for a
    visit marked paid on the older "Shopper pay" page. Never the batch's number, which means nothing to them."""
    visit = getattr(assignment, "batch_visit", None)
    if visit is None:
        return _("Paid outside a batch, %(day)s") % {"day": formats.date(assignment.paid_at)}
    batch = visit.payment.batch
    return _("%(method)s, paid %(day)s") % {"method": batch.get_method_display(),
                                              "day": formats.date(batch.paid_at or assignment.paid_at)}


class StatementDocument(ReportDocument):
    """The reports' pages with the statement's own footer: whose statement, which year, when it was made."""

    def __init__(self, out, title, shopper, year, generated_at):
        super().__init__(out, title, [], generated_at)
        self.footer_line = _("%(name)s · %(year)s · made %(when)s") % {
            "name": str(shopper), "year": year, "when": self.generated_text}

    def footer(self, canvas, doc):
        canvas.saveState()
        canvas.setFont(FOOTER_FONT, FOOTER_SIZE)
        canvas.drawString(self.leftMargin, 10 * mm, self.footer_line[:100])
        canvas.restoreState()


def statement(shopper, year: int, tz) -> bytes:
    """The PDF; every date in it is read in tz (the shopper's time zone)."""
    with timezone.override(tz):
        return _statement(shopper, year, tz)


def _statement(shopper, year, tz) -> bytes:
    visits = list(pay.paid_visits_in(shopper, year, tz))
    title = _("Pay statement %(year)s") % {"year": year}
    out = io.BytesIO()
    doc = StatementDocument(out, title, shopper, year, timezone.now())
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
        rows = [[Paragraph(text(payment_text(a)), SMALL), Paragraph(text(str(a.location)), SMALL),
                 visit_day(a), money(a.fee)] for a in visits]
        rows.append([_("Total"), "", "", money(total)])
        # One table that splits at page ends, its header repeated at the top of each page only (a shopper's year
        # is a few hundred rows at most, so measuring them all is cheap).
        table = Table([[_("Payment"), _("Location"), _("Visit"), _("Fee")]] + rows,
                      colWidths=[56 * mm, 68 * mm, 27 * mm, 23 * mm], repeatRows=1, style=TABLE_STYLE)
        table.setStyle(TableStyle([("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
                                   ("ALIGN", (3, 0), (3, -1), "RIGHT")]))
        story.append(table)
    doc.build(story, canvasmaker=page_count_canvas(_("Page %(page)s of %(pages)s")))
    return out.getvalue()
