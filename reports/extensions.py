"""Where apps above reports (plans, coaching) add their figures to the report pages and exports.

reports may not import them (the layers in .importlinter), so they register a provider here in their
`AppConfig.ready()`. A provider is called with (user, data, scope): the viewer, the `ReportData` being shown
(its filters, period and the evaluations in the viewer's reach) and the fixed scope of the page ({} on the
dashboard, {"location": location} or {"employee": employee} on those pages). It returns a `ReportTable`, or None
when it has nothing to show there. (A region's PDF booklet passes {"region": region}.) The filters the viewer chose on
the page (a region, location or employee) are in `data.places`: a table that counts something other than the
report's evaluations (plans) narrows itself with them, as the report's own figures are narrowed. The dashboard, the location and employee pages and the PDF and Excel exports
render every table the same way, so a figure is written once by the app that owns it.

A cell may be a `Link(text, url)`: the page shows a link (e.g. plans' "Open a plan" on a low-scoring row), and the PDF
and Excel a link to the same address made absolute from SITE_URL (a relative address means nothing in a file sent
by e-mail). Figures (float, Decimal) show with one decimal, rounded halves up, on the page, in the PDF and in Excel
alike (`rounded`)."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from qa import formats
from qa.http import absolute_url

FIGURE_PLACES = 1  # decimals of a figure in these tables, everywhere they are shown


@dataclass(frozen=True)
class Link:
    """A cell that is a link on the page; its text everywhere else."""
    text: str
    url: str

    def __str__(self):
        return str(self.text)

    @property
    def absolute_url(self) -> str:
        """The address for a file (PDF, Excel): from SITE_URL, never from a request's Host header."""
        return self.url if "://" in self.url else absolute_url(self.url)


@dataclass
class ReportTable:
    key: str                 # stable identifier, e.g. "plans"; used for anchors and Excel sheet names
    title: str               # the heading shown above the table
    columns: list            # column headings, with units where numbers have one
    rows: list = field(default_factory=list)  # one list of cells per row: str, int, Decimal, date, Link or None
    note: str = ""           # what the figures are based on (period, sample sizes, what is left out)
    empty: str = ""          # what to say (and what to do next) when there are no rows

    def text_rows(self) -> list:
        """Each row as (text, is_number) cells: what the page and the PDF show (qa.formats rules)."""
        return [[(cell_text(value), is_number(value)) for value in row] for row in self.rows]

    def file_rows(self) -> list:
        """Each row as (text, url) cells for a file (the PDF): url is absolute for a link, else ""."""
        return [[(cell_text(value), value.absolute_url if isinstance(value, Link) else "") for value in row]
                for row in self.rows]

    def page_rows(self) -> list:
        """Each row as (text, is_number, url) cells: what the page shows; url is "" for a cell that is no link."""
        return [[(cell_text(value), is_number(value), value.url if isinstance(value, Link) else "") for value in row]
                for row in self.rows]


def is_number(value) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def cell_text(value) -> str:
    """A cell as text: a dash for nothing, dates in the viewer's time zone, figures rounded halves up."""
    if value is None or value == "":
        return "–"
    if isinstance(value, Link):
        return str(value.text)
    if isinstance(value, datetime):
        return formats.datetime(value)
    if isinstance(value, date):
        return formats.date(value)
    if isinstance(value, (float, Decimal)):
        return formats.figure(value, FIGURE_PLACES)
    return str(value)


def rounded(value) -> float:
    """A figure as a number for a spreadsheet, rounded as the page shows it (77.292 -> 77.3)."""
    return float(formats.figure(value, FIGURE_PLACES))


_providers = []


def register(provider):
    """Add a provider (callable(user, data, scope) -> ReportTable | None). Registering twice is harmless."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def unregister(provider):
    """Take a provider out again (tests that register one of their own)."""
    if provider in _providers:
        _providers.remove(provider)


def tables(user, data, scope: dict) -> list:
    """Every registered app's table for this report, in registration order, leaving out those with nothing."""
    found = []
    for provider in _providers:
        table = provider(user, data, scope)
        if table is not None:
            found.append(table)
    return found
