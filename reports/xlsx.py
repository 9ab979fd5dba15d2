"""Excel workbooks in openpyxl's write-only mode: memory stays flat as rows grow.

Sheets: Summary (with a native line chart of the trend), Sections (with a bar
chart), Locations, Employees, Evaluations (raw, one column per item). Headers are
frozen and filtered; scores are coloured by conditional formatting.
"""

from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from qa import formats
from reports.extensions import Link, rounded
from reports.rows import column_titles, raw_rows, safe_text

BOLD = Font(bold=True)
RED = PatternFill(start_color="F8D7DA", end_color="F8D7DA", fill_type="solid")
AMBER = PatternFill(start_color="FFF3CD", end_color="FFF3CD", fill_type="solid")
GREEN = PatternFill(start_color="D1E7DD", end_color="D1E7DD", fill_type="solid")
SCORE_FORMAT = "0.00"
COUNT_FORMAT = "0"
FIGURE_FORMAT = "0.0"  # the extension tables' figures: one decimal, as their pages show them
LINK_FONT = Font(color="0563C1", underline="single")
DATE_FORMAT = formats.SHEET_DATETIME


def header(ws, titles):
    row = []
    for title in titles:
        cell = WriteOnlyCell(ws, value=safe_text(title))
        cell.font = BOLD
        row.append(cell)
    ws.append(row)


def cell(ws, value, number_format=None):
    c = WriteOnlyCell(ws, value=safe_text(value))
    if number_format:
        c.number_format = number_format
    return c


def colour_scores(ws, column: int, first_row: int, last_row: int):
    if last_row < first_row:
        return
    letter = get_column_letter(column)
    area = f"{letter}{first_row}:{letter}{last_row}"
    ws.conditional_formatting.add(area, CellIsRule(operator="lessThan", formula=["60"], fill=RED))
    ws.conditional_formatting.add(area, CellIsRule(operator="between", formula=["60", "79.99"], fill=AMBER))
    ws.conditional_formatting.add(area, CellIsRule(operator="greaterThanOrEqual", formula=["80"], fill=GREEN))


def table_sheet(wb, title, titles, rows, score_columns=(), widths=None):
    ws = wb.create_sheet(title)
    for index, width in enumerate(widths or [], start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    header(ws, titles)
    count = 0
    for row in rows:
        ws.append([cell(ws, v, SCORE_FORMAT if i in score_columns and isinstance(v, float) else None)
                   for i, v in enumerate(row)])
        count += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(titles))}{count + 1}"
    for column in score_columns:
        colour_scores(ws, column + 1, 2, count + 1)
    return ws, count


def show_axes(chart):
    """openpyxl marks chart axes as deleted unless told otherwise: recent Excel then draws none."""
    chart.x_axis.delete = False
    chart.y_axis.delete = False


def to_float(value):
    return float(value) if value is not None else None


SHEET_NAME_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def sheet_name(table, taken: set) -> str:
    """An Excel sheet name from the table's title: at most 31 characters, none of []:*?/\\, unique."""
    name = " ".join(str(table.title).translate(SHEET_NAME_FORBIDDEN).split())[:31].strip("'") or table.key[:31]
    base, n = name, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def extension_sheet(wb, table, taken: set):
    """A sheet for one table that plans or coaching add (reports.extensions): title, note, then the
    table with its header frozen and filtered; numbers and dates stay numbers and dates."""
    ws = wb.create_sheet(sheet_name(table, taken))
    ws.column_dimensions["A"].width = 30
    for index in range(2, len(table.columns) + 1):
        ws.column_dimensions[get_column_letter(index)].width = 18
    header_row = 3
    ws.freeze_panes = f"A{header_row + 1}"  # before the first row: write-only sheets write their views then
    ws.append([cell(ws, table.title)])
    ws.append([cell(ws, table.note)] if table.note else [])
    header(ws, table.columns)
    for row in table.rows:
        values = []
        for value in row:
            if isinstance(value, datetime):
                values.append(cell(ws, formats.naive_local(value), DATE_FORMAT))
            elif isinstance(value, date):
                values.append(cell(ws, value, formats.SHEET_DATE))
            elif isinstance(value, (Decimal, float)):
                values.append(cell(ws, rounded(value), FIGURE_FORMAT))
            elif isinstance(value, int) and not isinstance(value, bool):
                values.append(cell(ws, value, COUNT_FORMAT))
            elif isinstance(value, Link):
                link = cell(ws, str(value.text))
                link.hyperlink = value.absolute_url
                link.font = LINK_FONT
                values.append(link)
            else:
                values.append(cell(ws, value))
        ws.append(values)
    if table.rows:
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(max(len(table.columns), 1))}{header_row + len(table.rows)}"
    else:
        ws.append([cell(ws, table.empty or "Nothing to show yet.")])
    return ws


def write_workbook(out, data, columns, progress=None, tables=()):
    """Write the report `data` (reports.services.ReportData) and its raw rows to `out`."""
    wb = Workbook(write_only=True)

    summary = wb.create_sheet("Summary")
    summary.column_dimensions["A"].width = 58
    summary.column_dimensions["B"].width = 22
    summary.append([cell(summary, data.title)])
    summary.append([cell(summary, "Generated at"), cell(summary, formats.naive_local(data.generated_at), DATE_FORMAT)])
    for label, value in data.filters:
        summary.append([cell(summary, label), cell(summary, value)])
    summary.append([])
    compared = [(title, figures) for title, figures in (("Company", data.company), ("Region", data.region)) if figures]
    header(summary, ["Figure", "Value"] + [title for title, _figures in compared])
    summary.append([cell(summary, "Evaluations (n)"), data.summary["count"]] + [f["count"] for _t, f in compared])
    for label, key in (("Average score (%)", "average"), ("Critical failures (%)", "critical_rate")):
        summary.append([cell(summary, label), cell(summary, to_float(data.summary[key]), SCORE_FORMAT)]
                       + [cell(summary, to_float(f[key]), SCORE_FORMAT) for _t, f in compared])
    if data.hidden_comparisons:
        summary.append([cell(summary, data.hidden_note())])
    for row in data.targets:
        target = row["target"]
        label = f"{target.get_kpi_display()} (target {target.get_comparison_display()} {float(target.target):g}{target.unit})"
        summary.append([cell(summary, label), cell(summary, to_float(row["value"]), SCORE_FORMAT)])
    summary.append([])
    period_title = "Week" if data.period == "week" else "Month"
    header(summary, [period_title, "Average score (%)", "Evaluations (n)"])
    # Rows so far: title, generated, filters, blank, header, 3 figures, a note, targets, blank, this header.
    start = len(data.filters) + 9 + len(data.targets) + (1 if data.hidden_comparisons else 0)
    for point in data.trend:  # each period named as the page and the PDF name it
        summary.append([cell(summary, formats.period(point["period"], data.period)),
                        cell(summary, to_float(point["average"]), SCORE_FORMAT), point["count"]])
    if data.trend:
        chart = LineChart()
        chart.title = "Average score by " + period_title.lower()
        chart.y_axis.title = "Score (%)"
        chart.x_axis.title = period_title
        values = Reference(summary, min_col=2, min_row=start, max_row=start + len(data.trend))
        chart.add_data(values, titles_from_data=True)
        chart.set_categories(Reference(summary, min_col=1, min_row=start + 1, max_row=start + len(data.trend)))
        for series in chart.series:
            series.smooth = False  # straight lines between periods: a curve would invent values
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100  # the same 0-100 scale as the page
        show_axes(chart)
        summary.add_chart(chart, "E2")

    sections_ws, n_sections = table_sheet(
        wb, "Sections", ["Section", "Average score (%)", "Scores (n)", "Note"],
        ([s.name, to_float(s.average), s.count, ("Defined differently in " + ", ".join(s.changed_in)) if s.changed_in else ""]
         for s in data.sections), score_columns=(1,), widths=[28, 18, 12, 50])
    if n_sections:
        chart = BarChart()
        chart.title = "Average score by section"
        chart.y_axis.title = "Score (%)"
        chart.x_axis.title = "Section"
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
        show_axes(chart)
        chart.add_data(Reference(sections_ws, min_col=2, min_row=1, max_row=n_sections + 1), titles_from_data=True)
        chart.set_categories(Reference(sections_ws, min_col=1, min_row=2, max_row=n_sections + 1))
        sections_ws.add_chart(chart, "F2")

    ranking_titles = ["Rank", "Name", "Region", "Evaluations (n)", "Average score (%)", "95% low", "95% high", "Note"]

    def ranking_rows(rows, name_key):
        for r in rows:
            low, high = r["ci"] if r["ci"] else (None, None)
            yield [r.get("rank"), r[name_key], r["location__region__name"], r["count"], to_float(r["average"]),
                   low, high, "too few evaluations" if r["too_few"] else ""]

    table_sheet(wb, "Locations", ranking_titles, ranking_rows(data.locations, "location__name"),
                score_columns=(4,), widths=[6, 28, 14, 14, 16, 10, 10, 20])
    table_sheet(wb, "Employees", ranking_titles, ranking_rows(data.employees, "employee__name"),
                score_columns=(4,), widths=[6, 28, 14, 14, 16, 10, 10, 20])

    taken = {"summary", "sections", "locations", "employees", "evaluations"}
    for table in tables:
        extension_sheet(wb, table, taken)

    raw = wb.create_sheet("Evaluations")
    titles = column_titles(columns)
    raw.column_dimensions["B"].width = 17
    raw.freeze_panes = "B2"
    header(raw, titles)
    total = data.summary["count"] or 0
    written = 0
    for row in raw_rows(data.evaluations, columns):
        row[1] = cell(raw, row[1], DATE_FORMAT)
        if row[9] is not None:
            row[9] = cell(raw, row[9], SCORE_FORMAT)
        raw.append(row)
        written += 1
        if progress and written % 1000 == 0:
            progress(written, total)
    raw.auto_filter.ref = f"A1:{get_column_letter(len(titles))}{written + 1}"
    colour_scores(raw, 10, 2, written + 1)
    wb.save(out)
    if progress:
        progress(written, total)
    return written
