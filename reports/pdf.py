"""PDF reports with reportlab's platypus.

One document class sets up the page, header and footer (when the report was generated,
the filters used; "Page N of M" from page_count_canvas); each report supplies its story.
Long tables are cut into one table per page, each repeating its header row:
one long platypus Table costs time that grows with the square of its rows.
Text is real text (selectable, searchable); user text is escaped before it
reaches platypus' markup.
"""

from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Group, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate, Flowable, Frame, NextPageTemplate, PageBreak, PageTemplate, Paragraph, Spacer, Table, TableStyle,
)
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus.tableofcontents import TableOfContents

from qa import formats
from reports.rows import local_time_converter, raw_tuples

STYLES = getSampleStyleSheet()
H1 = ParagraphStyle("H1", parent=STYLES["Heading1"], fontSize=18, spaceAfter=6)
H2 = ParagraphStyle("H2", parent=STYLES["Heading2"], fontSize=13, spaceBefore=10, spaceAfter=4)
BODY = STYLES["BodyText"]
SMALL = ParagraphStyle("Small", parent=BODY, fontSize=8, leading=10)
ROWS_PER_TABLE = 38
BLUE = colors.HexColor("#0b3d6e")
TABLE_STYLE = TableStyle([
    ("BACKGROUND", (0, 0), (-1, 0), BLUE), ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
    ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"), ("FONTSIZE", (0, 0), (-1, -1), 8),
    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f1f3f5")]),
])


def text(value) -> str:
    return escape("" if value is None else str(value))


def pct(value, places=1) -> str:
    return "–" if value is None else f"{formats.figure(value, places)}%"


def number(value, places=1) -> str:
    return "–" if value is None else formats.figure(value, places)


def filters_line(filters) -> str:
    """The filters a report was made with, as every page footer and title block says them."""
    return "Filters: " + ("; ".join(f"{label}: {value}" for label, value in filters) or "none")


def generated_text(generated_at) -> str:
    """When the report was made, in the reader's time zone, naming the zone (qa.formats.DATETIME)."""
    return formats.datetime(generated_at)


FOOTER_FONT, FOOTER_SIZE = "Helvetica", 7.5
PAGE_LABEL = "Page %(page)s of %(pages)s"


def page_count_canvas(label=PAGE_LABEL):
    """A canvas class that holds every page back until save(), then writes label % {"page", "pages"} at the
    bottom right of each (reportlab's canvasmaker pattern): the page count is known only then. Pass it to
    build()/multiBuild() as canvasmaker."""

    class PageCountCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._held_pages = []

        def showPage(self):
            self._held_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            pages = len(self._held_pages)
            for number, state in enumerate(self._held_pages, start=1):
                self.__dict__.update(state)
                self.setFont(FOOTER_FONT, FOOTER_SIZE)
                self.drawRightString(self._pagesize[0] - 18 * mm, 10 * mm,
                                     label % {"page": number, "pages": pages})
                super().showPage()
            super().save()

    return PageCountCanvas


class ReportDocument(BaseDocTemplate):
    """A4 pages with a footer on every page; headings of level 0 and 1 feed the contents."""

    def __init__(self, out, title: str, filters: list, generated_at):
        super().__init__(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm,
                         bottomMargin=20 * mm, title=title, author="Service QA")
        self.report_title = title
        self.filters_line = filters_line(filters)
        self.generated_text = generated_text(generated_at)
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        wide = landscape(A4)
        wide_frame = Frame(self.leftMargin, self.bottomMargin, wide[0] - self.leftMargin - self.rightMargin,
                           wide[1] - self.topMargin - self.bottomMargin, id="wide")
        self.addPageTemplates([
            PageTemplate(id="cover", frames=[frame], onPage=self.footer),
            PageTemplate(id="body", frames=[frame], onPage=self.footer),
            # Landscape pages for a table too wide for portrait (extension_story).
            PageTemplate(id="wide", frames=[wide_frame], onPage=self.footer, pagesize=wide),
        ])

    def footer(self, canvas, doc):
        canvas.saveState()
        canvas.setFont(FOOTER_FONT, FOOTER_SIZE)
        canvas.drawString(self.leftMargin, 10 * mm, f"{self.report_title} · generated {self.generated_text}")
        canvas.drawString(self.leftMargin, 6.5 * mm, self.filters_line[:150])
        canvas.restoreState()  # "Page N of M" is written by page_count_canvas once the count is known

    def afterFlowable(self, flowable):
        if isinstance(flowable, Paragraph) and getattr(flowable, "toc_level", None) is not None:
            # The contents page parses its entries as markup again: the plain text (a
            # location's name, typed by an administrator) is escaped a second time for it.
            self.notify("TOCEntry", (flowable.toc_level, text(flowable.getPlainText()), self.page))


def heading(title: str, style=H2, toc_level=None):
    paragraph = Paragraph(text(title), style)
    paragraph.toc_level = toc_level
    return paragraph


def paged_table(header: list, rows, col_widths=None) -> list:
    """Tables of at most ROWS_PER_TABLE rows, each repeating the header: time stays linear in rows."""
    flowables, chunk = [], []
    for row in rows:
        chunk.append(row)
        if len(chunk) == ROWS_PER_TABLE:
            flowables.append(Table([header] + chunk, colWidths=col_widths, repeatRows=1, style=TABLE_STYLE))
            chunk = []
    if chunk or not flowables:
        flowables.append(Table([header] + chunk, colWidths=col_widths, repeatRows=1, style=TABLE_STYLE))
    return flowables


class RowTable(Flowable):
    """A long list of plain-text rows, drawn straight onto the canvas.

    Platypus tables measure every cell; for thousands of evaluations that costs
    several times the drawing itself. Here each row is one line of fixed-width
    text (columns padded to their width in characters), so a page costs one
    drawString per row. It splits at any row, by offsets without copying, and
    repeats its header on every page.
    """

    ROW_HEIGHT = 10
    FONT, BOLD_FONT, SIZE = "Courier", "Courier-Bold", 7.5

    def __init__(self, header, rows, widths, start=0, end=None):
        super().__init__()
        self.header, self.rows, self.widths = header, rows, widths
        self.start, self.end = start, len(rows) if end is None else end
        self.template = "".join(f"{{:<{w}.{w - 1}}}" for w in widths)

    def line(self, values) -> str:
        return self.template.format(*[str(v) for v in values])

    def wrap(self, avail_width, avail_height):
        self.width = stringWidth("x", self.FONT, self.SIZE) * sum(self.widths)
        self.height = (self.end - self.start + 1) * self.ROW_HEIGHT + 3
        return self.width, self.height

    def split(self, avail_width, avail_height):
        fits = int((avail_height - 3) // self.ROW_HEIGHT) - 1
        if fits <= 0:
            return []
        if self.start + fits >= self.end:
            return [self]
        cut = self.start + fits
        return [RowTable(self.header, self.rows, self.widths, self.start, cut),
                RowTable(self.header, self.rows, self.widths, cut, self.end)]

    def draw(self):
        canvas = self.canv
        top = self.height - self.ROW_HEIGHT
        canvas.setFillColor(BLUE)
        canvas.rect(0, top - 2.5, self.width, self.ROW_HEIGHT, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont(self.BOLD_FONT, self.SIZE)
        canvas.drawString(1, top, self.line(self.header))
        canvas.setFillColor(colors.black)
        canvas.setFont(self.FONT, self.SIZE)
        y = top
        template = self.template
        for row in self.rows[self.start:self.end]:
            y -= self.ROW_HEIGHT
            canvas.drawString(1, y, template.format(*row))
        canvas.setStrokeColor(colors.grey)
        canvas.setLineWidth(0.25)
        canvas.line(0, y - 3, self.width, y - 3)


def axis_title(drawing, x, y, words: str, angle: int = 0):
    label = String(x, y, words, fontName="Helvetica", fontSize=7, textAnchor="middle")
    if angle:
        group = Group(label)
        group.rotate(angle)
        # rotate() turns about the origin: place the label so it lands at (x, y) once turned.
        label.x, label.y = y, -x
        drawing.add(group)
    else:
        drawing.add(label)


def trend_chart(trend: list, period: str) -> Drawing | None:
    """The trend with both axes titled ("Score (%)", Month or Week), each period named
    as the page and the Excel sheet name it (qa.formats)."""
    points = [p for p in trend if p["average"] is not None]
    if len(points) < 2:
        return None
    drawing = Drawing(170 * mm, 62 * mm)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 16 * mm, 16 * mm, 150 * mm, 42 * mm
    chart.data = [[float(p["average"]) for p in points]]
    every = -(-len(points) // 12)  # at most about twelve names fit under the axis; the rest are left blank
    chart.categoryAxis.categoryNames = [formats.period_axis(p["period"], period) if i % every == 0 else ""
                                        for i, p in enumerate(points)]
    chart.categoryAxis.labels.fontSize = 6
    chart.categoryAxis.labels.angle = 30 if len(points) > 8 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if chart.categoryAxis.labels.angle else "n"
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontSize = 6
    chart.lines[0].strokeColor = BLUE
    chart.lines[0].strokeWidth = 1.5
    drawing.add(chart)
    axis_title(drawing, 5 * mm, chart.y + chart.height / 2, "Score (%)", angle=90)
    axis_title(drawing, chart.x + chart.width / 2, 1.5 * mm, formats.period_axis_title(period))
    return drawing


def section_chart(sections: list) -> Drawing | None:
    rows = [s for s in sections if s.average is not None]
    if not rows:
        return None
    height = max(30, 9 * len(rows)) * mm
    drawing = Drawing(170 * mm, height + 14 * mm)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40 * mm, 10 * mm, 120 * mm, height
    chart.data = [[float(s.average) for s in rows]]
    chart.categoryAxis.categoryNames = [s.name[:24] for s in rows]
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontSize = 6
    chart.bars[0].fillColor = BLUE
    chart.barLabelFormat = pct
    chart.barLabels.fontSize = 6
    chart.barLabels.nudge = 12  # past the bar's end, with room for the % sign
    drawing.add(chart)
    axis_title(drawing, chart.x + chart.width / 2, 1.5 * mm, "Score (%)")
    return drawing


def summary_story(data) -> list:
    story = [heading("Summary")]
    compared = [("Company", data.company), ("Region", data.region)]
    compared = [(title, figures) for title, figures in compared if figures]
    rows = [
        ["Figure", "This report"] + [title for title, _figures in compared],
        ["Average score", pct(data.summary["average"])] + [pct(f["average"]) for _t, f in compared],
        ["Evaluations (n)", str(data.summary["count"])] + [str(f["count"]) for _t, f in compared],
        ["Critical failures", pct(data.summary["critical_rate"])] + [pct(f["critical_rate"]) for _t, f in compared],
    ]
    story.append(Table(rows, style=TABLE_STYLE, hAlign="LEFT"))
    if data.hidden_comparisons:
        story.append(Paragraph(text(data.hidden_note()), SMALL))
    if data.targets:
        story.append(heading("Policy targets"))
        target_rows = [[Paragraph(text(r["target"].get_kpi_display()), SMALL),
                        Paragraph(text(f"{r['target'].get_comparison_display()} {float(r['target'].target):g}{r['target'].unit}"), SMALL),
                        "–" if r["value"] is None else f"{formats.figure(r['value'])}{r['target'].unit}",
                        {True: "met", False: "not met", None: "no data"}[r["met"]], str(r["n"])] for r in data.targets]
        story += paged_table(["KPI", "Target", "Current", "", "n"], target_rows, [45 * mm, 55 * mm, 22 * mm, 18 * mm, 12 * mm])
    chart = trend_chart(data.trend, data.period)
    if chart:
        story += [heading("Trend by " + data.period), chart, Spacer(1, 4 * mm)]
    chart = section_chart(data.sections)
    if chart:
        story += [heading("Score by section"), chart, Spacer(1, 8 * mm)]
    if data.sections:
        story += paged_table(
            ["Section", "Average", "n", "Note"],
            ([Paragraph(text(s.name), SMALL), pct(s.average), str(s.count),
              Paragraph(text(("Defined differently in " + ", ".join(s.changed_in)) if s.changed_in else ""), SMALL)]
             for s in data.sections),
            [45 * mm, 20 * mm, 15 * mm, 90 * mm])
    if data.failed_items:
        story.append(heading("Items failed most often"))
        story += paged_table(
            ["Item", "Policy", "Failed", "Rate"],
            ([Paragraph(text(i["item__question"]), SMALL), Paragraph(text(i["item__policy_reference"]), SMALL),
              f"{i['failures']} of {i['answered']}", pct(i["rate"], 0)] for i in data.failed_items),
            [75 * mm, 60 * mm, 20 * mm, 15 * mm])
    return story


def ranking_story(title: str, rows: list, name_key: str) -> list:
    if not rows:
        return []
    return [heading(title)] + paged_table(
        ["#", "Name", "Region", "n", "Average", "95% interval", ""],
        ([str(r.get("rank", "–")), Paragraph(text(r[name_key]), SMALL), Paragraph(text(r["location__region__name"]), SMALL),
          str(r["count"]), pct(r["average"]),
          f"{formats.figure(r['ci'][0])}–{formats.figure(r['ci'][1])}" if r["ci"] and not r["too_few"] else "–",
          "too few evaluations" if r["too_few"] else ""] for r in rows),
        [10 * mm, 50 * mm, 25 * mm, 12 * mm, 18 * mm, 25 * mm, 30 * mm])


# Characters per column of the evaluation list (fixed-width font).
EVALUATION_COLUMNS = [8, 12, 25, 25, 21, 16]


def evaluation_rows(evaluations, progress=None, total=0):
    """Plain strings for RowTable: drawn as text, never parsed as markup, cut to their column.

    Rows come as the driver returns them (reports.rows.raw_tuples, without Django's
    per-value converters), and the labels that repeat (dates, scorecards) are
    formatted once each: for a 500-page report this is most of the work besides drawing."""
    local_time = local_time_converter()
    days, scorecards = {}, {}
    done = 0
    for pk, when, location, employee, scorecard, number, score, critical in raw_tuples(
            evaluations.order_by("-interaction_at", "-pk").values_list(
                "pk", "interaction_at", "location__name", "employee__name", "version__scorecard__name",
                "version__number", "overall_score", "critical_failed")):
        done += 1
        if progress and done % 500 == 0:
            progress(done, total)
        day = local_time(when).date()
        day_text = days.get(day) or days.setdefault(day, formats.date(day))
        label = scorecards.get((scorecard, number)) or scorecards.setdefault((scorecard, number), f"{scorecard} v{number}")
        yield [str(pk), day_text, location or "", employee or "-", label,
               pct(score, 2) + (" critical" if critical else "")]


def evaluations_story(data, progress=None) -> list:
    rows = list(evaluation_rows(data.evaluations, progress, data.summary["count"]))
    return [heading("Evaluations"),
            RowTable(["#", "Date", "Location", "Employee", "Scorecard", "Score"], rows, EVALUATION_COLUMNS)]


WIDE_COLUMNS = 7  # a table with more columns goes on landscape pages: names no longer wrap over several lines
PORTRAIT_WIDTH, LANDSCAPE_WIDTH = A4[0] - 36 * mm, A4[1] - 36 * mm


def column_widths(columns, rows, width) -> list:
    """Widths in proportion to each column's longest text (capped, so one long name cannot starve the rest)."""
    weights = []
    for index, title in enumerate(columns):
        longest = max([len(word) for word in str(title).split()] + [len(row[index][0]) for row in rows[:200]])
        weights.append(min(max(longest, 4), 36) + 2)
    total = sum(weights)
    return [width * w / total for w in weights]


def cell_paragraph(value, url) -> Paragraph:
    """A cell; a link (reports.extensions.Link) stays one, to its address made absolute from SITE_URL."""
    if url:
        return Paragraph(f'<a href="{escape(url, {chr(34): "&quot;"})}" color="blue">{text(value)}</a>', SMALL)
    return Paragraph(text(value), SMALL)


def extension_story(tables) -> list:
    """One section per table that plans and coaching add (reports.extensions): title, note,
    then the rows, the header repeated on every page; or what to do when there are none. A table of more than
    WIDE_COLUMNS columns has landscape pages of its own."""
    story = []
    for table in tables:
        wide = bool(table.rows) and len(table.columns) > WIDE_COLUMNS
        if wide:
            story += [NextPageTemplate("wide"), PageBreak()]
        story.append(heading(table.title))
        if table.note:
            story.append(Paragraph(text(table.note), SMALL))
        if not table.rows:
            story.append(Paragraph(text(table.empty or "Nothing to show yet."), BODY))
            continue
        rows = table.file_rows()
        header = [Paragraph(f"<font color='white'><b>{text(c)}</b></font>", SMALL) for c in table.columns]
        widths = column_widths(table.columns, rows, LANDSCAPE_WIDTH if wide else PORTRAIT_WIDTH)
        story += paged_table(header, ([cell_paragraph(t, url) for t, url in row] for row in rows), widths)
        if wide:
            story += [NextPageTemplate("body"), PageBreak()]
    return story


def title_block(data) -> list:
    return [Paragraph(text(data.title), H1),
            Paragraph(text(filters_line(data.filters)), SMALL),
            Spacer(1, 4 * mm)]


def write_report(out, data, *, rankings=(), progress=None, tables=()):
    """A single report: summary, charts, rankings, the tables other apps add, then every evaluation behind it."""
    doc = ReportDocument(out, data.title, data.filters, data.generated_at)
    story = title_block(data) + summary_story(data)
    for title, rows, key in rankings:
        story += ranking_story(title, rows, key)
    story += extension_story(tables)
    story += evaluations_story(data, progress)
    doc.build(story, canvasmaker=page_count_canvas())


def write_booklet(out, data, chapters, progress=None, tables=()):
    """A region's booklet: cover, contents, the region's summary, then one chapter per location."""
    doc = ReportDocument(out, data.title, data.filters, data.generated_at)
    contents = TableOfContents()
    contents.levelStyles = [ParagraphStyle("TOC0", fontSize=10, leftIndent=0, leading=14),
                            ParagraphStyle("TOC1", fontSize=9, leftIndent=12, leading=12)]
    story = [Spacer(1, 60 * mm), Paragraph(text(data.title), H1),
             Paragraph(text(f"Generated {generated_text(data.generated_at)}"), BODY),
             Paragraph(text(filters_line(data.filters)), BODY),
             NextPageTemplate("body"), PageBreak(), Paragraph("Contents", H1), contents, PageBreak(),
             heading("Region summary", H1, toc_level=0)]
    story += summary_story(data)
    story += ranking_story("Locations", data.locations, "location__name")
    story += extension_story(tables)
    for index, (location, chapter) in enumerate(chapters, start=1):
        story += [PageBreak(), heading(location.name, H1, toc_level=0)]
        story += summary_story(chapter)
        story += ranking_story("Employees", chapter.employees, "employee__name")
        story += evaluations_story(chapter)
        if progress:
            progress(index, len(chapters))
    doc.multiBuild(story, canvasmaker=page_count_canvas())
