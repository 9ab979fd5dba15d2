"""How dates, times and periods are shown to people: one format per kind, always in
the viewer's time zone.

Pages (through the `when` template filter), charts, PDF, Excel, CSV and e-mails all
format through here, so a period is named the same everywhere and no label is
computed from a UTC instant. A period start is an instant (local midnight); read
in UTC, June's start in London is "31 May", which is how the trend once carried the
previous month's name. Times are 24-hour everywhere: 12- and 24-hour times are
never mixed.
"""

import zoneinfo
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from datetime import datetime as datetime_type

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

# Django date-format strings, one per kind.
DATE = "j M Y"            # 29 Nov 2026
DAY = "D j M Y"           # Sun 29 Nov 2026 (days someone acts on: visits, their windows)
DATETIME = "j M Y, H:i T"  # 29 Nov 2026, 14:05 GMT (the zone named, as it is the reader's own)
TIME = "H:i"              # 14:05
MONTH = "M Y"             # Nov 2026
WEEK_DAY = "j M Y"        # the Monday a week starts: "Week of 23 Nov 2026"
WEEK_AXIS = "j M"         # the same Monday on a chart's axis titled "Week starting": "23 Nov"
STAMP = "Ymd-Hi"          # file names: 20261129-1405

# CSV files are read by programs as much as by people: local time, ISO order, 24-hour.
CSV_DATETIME = "Y-m-d H:i"  # 2026-11-29 14:05

# Spreadsheet number formats for the same kinds (Excel and LibreOffice).
SHEET_DATE = "d mmm yyyy"
SHEET_DATETIME = "d mmm yyyy, hh:mm"

KINDS = ("date", "day", "datetime", "time", "month", "week", "stamp")


def local(value):
    """An aware datetime in the viewer's (current) time zone; dates are returned as they are."""
    if isinstance(value, datetime_type) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def naive_local(value):
    """An aware datetime as the naive local time spreadsheets store (they have no time zones)."""
    if value is None:
        return None
    return local(value).replace(tzinfo=None)


def _format(value, pattern: str) -> str:
    if value is None or value == "":
        return ""
    return dateformat.format(local(value), pattern)


def date(value) -> str:
    return _format(value, DATE)


def day(value) -> str:
    return _format(value, DAY)


def datetime(value) -> str:
    return _format(value, DATETIME)


def time(value) -> str:
    return _format(value, TIME)


def month(value) -> str:
    return _format(value, MONTH)


def week(value) -> str:
    if value is None or value == "":
        return ""
    return _("Week of %(day)s") % {"day": _format(value, WEEK_DAY)}


def stamp(value=None) -> str:
    return _format(value or timezone.now(), STAMP)


def period_axis(value, kind: str) -> str:
    """A period's short name under a chart axis titled by period_axis_title(): "Jun 2026", "1 Jun"."""
    return _format(value, WEEK_AXIS) if kind == "week" else month(value)


def period_axis_title(kind: str) -> str:
    return _("Week starting") if kind == "week" else _("Month")


def csv_datetime(value) -> str:
    """A time for a CSV cell (CSV_DATETIME); a naive value is taken as already local
    (reports.rows). Written with isoformat, the same text as CSV_DATETIME a tenth of the
    cost: a CSV export formats 100,000 of them."""
    if value is None:
        return ""
    return local(value).isoformat(" ", "minutes")[:16]


def period(value, kind: str) -> str:
    """A trend period's name from its start: "Jun 2026", or "Week of 1 Jun 2026"."""
    return week(value) if kind == "week" else month(value)


def as_kind(value, kind: str) -> str:
    """`value` formatted as `kind` (one of KINDS): what the `when` template filter calls."""
    if kind not in KINDS:
        raise ValueError(f"unknown date kind {kind!r}; use one of {', '.join(KINDS)}")
    if kind == "stamp":
        return stamp(value) if value else ""
    return globals()[kind](value)


def zone_of(user):
    """The user's time zone (User.time_zone), or the site's when it is unset or unknown."""
    name = getattr(user, "time_zone", "") or ""
    try:
        return zoneinfo.ZoneInfo(name) if name else timezone.get_default_timezone()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.get_default_timezone()


@contextmanager
def viewer_time_zone(user):
    """Format as `user` sees it, outside their request: exports built by the worker,
    e-mails sent to them by someone else."""
    previous = timezone.get_current_timezone()
    timezone.activate(zone_of(user))
    try:
        yield
    finally:
        timezone.activate(previous)



def figure(value, places: int = 1) -> str:
    """A displayed figure rounded halves up (81.25 -> "81.3", 12.5 -> "13"), the project's rule
    (scorecards/scoring.py). Python's round() and f"{x:.1f}" round halves to even and work on
    the binary float, so the chart once said 81.2% where the table said 81.3%: every page,
    chart, PDF and spreadsheet text rounds through here. None or "" gives ""."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return str(value)
    exponent = Decimal(1).scaleb(-int(places))
    return f"{number.quantize(exponent, rounding=ROUND_HALF_UP):f}"
