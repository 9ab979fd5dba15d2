"""The raw evaluation rows shared by the Excel and CSV exports, streamed from the
database in one query whatever the number of rows, and made safe for spreadsheets."""

import csv
import re
from datetime import datetime
from datetime import timezone as dt_timezone

from django.db.models import CharField
from django.db.models.functions import Cast
from django.db.models.sql.constants import MULTI
from django.utils import timezone

from qa.services import ANSWER_SEPARATOR
from scorecards.models import Item
from scorecards.services import item_ids_in_order

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
CHUNK = 2000


def safe_text(value):
    """Text typed by users is written as text, never run as a formula: a leading
    =, +, -, @, tab or carriage return gets an apostrophe in front, as spreadsheets expect.
    Characters XML forbids are dropped, so the file opens without a repair prompt."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_XML.sub("", value)
    return "'" + value if value.startswith(FORMULA_START) else value


BASE_COLUMNS = [
    "Evaluation", "Date", "Region", "Location", "Employee", "Scorecard", "Version", "Channel", "Source",
    "Overall score (%)", "Critical failure",
]


def item_columns(evaluations) -> list[tuple[str, list[int]]]:
    """One column per item question across the scorecard versions in the data, in
    scorecard order, with the ids of the items (one per version) that fill it."""
    version_ids = evaluations.order_by().values("version_id").distinct()
    columns: dict[str, list[int]] = {}
    for item_id, question in Item.objects.filter(section__version__in=version_ids).order_by(
            "section__version__scorecard__name", "section__order", "order", "pk").values_list("pk", "question"):
        columns.setdefault(question, []).append(item_id)
    return list(columns.items())


def column_titles(columns) -> list[str]:
    return BASE_COLUMNS + [question for question, _ids in columns]


def cell_text(value: str):
    """safe_text, skipping the common case (yes, no, a number) cheaply."""
    if value and (value[0] in FORMULA_START or not value.isprintable()):
        return safe_text(value)
    return value


def raw_tuples(queryset):
    """The query's rows as the database driver returns them, streamed in chunks
    (server-side cursors on PostgreSQL), without Django's per-value converters:
    for a 100,000-row export those cost more than the query. Callers convert the
    few typed columns themselves (see local_time_converter)."""
    compiler = queryset.query.get_compiler(using=queryset.db)
    for chunk in compiler.execute_sql(MULTI, chunked_fetch=True, chunk_size=CHUNK):
        yield from chunk


def stored_time_text(field: str):
    """A stored time as the database's own text, in UTC (Django's connections run in UTC;
    PostgreSQL writes it in ISO form, the DateStyle psycopg itself requires): parsed by
    datetime.fromisoformat, it costs a fraction of the drivers' datetime loaders
    (PostgreSQL's timestamptz loader is Python code in Django)."""
    return Cast(field, output_field=CharField())


def local_time_converter():
    """Stored times (an aware datetime, a naive UTC one, or SQLite's UTC text) as naive
    local times for spreadsheets.

    A time zone's offset only changes at its transitions, and every transition in
    today's tz database falls on a quarter hour in UTC, so the offset is looked up once
    per quarter hour of the data and added: converting each of 100,000 times through
    zoneinfo is a tenth of a CSV export's time."""
    current = timezone.get_current_timezone()
    offsets = {}

    def offset_at(key):
        year, month, day, hour, quarter = key
        moment = datetime(year, month, day, hour, quarter * 15, tzinfo=dt_timezone.utc)
        offset = offsets[key] = moment.astimezone(current).utcoffset()
        return offset

    def convert(value) -> datetime:
        if isinstance(value, str):
            value = datetime.fromisoformat(value[:-3] if value.endswith("+00") else value)
        if value.tzinfo is not None:
            value = value.astimezone(dt_timezone.utc).replace(tzinfo=None)
        key = (value.year, value.month, value.day, value.hour, value.minute // 15)
        try:
            return value + offsets[key]
        except KeyError:
            return value + offset_at(key)

    return convert


def raw_rows(evaluations, columns):
    """Yield one list per evaluation: the base columns, then each item's answer.

    One streamed query: each evaluation carries its answers already joined in its
    version's item order (Evaluation.answer_values, written when it was scored), so
    no answer row is read. Each version's items are mapped to the export's columns
    once; a single-version export (the usual case) needs no mapping at all.
    """
    for base, answers, cells in _rows(evaluations, columns):
        yield base + cells(answers)


# Characters a CSV writer would quote, or that safe_text() would act on.
CSV_UNSAFE = re.compile(r'[",\t\n\r\x00-\x08\x0b\x0c\x0e-\x1e]')


def plain_answers(answers: str) -> bool:
    """Whether stored answers can go into a CSV line as they are: nothing to quote and
    no answer a spreadsheet would run as a formula (plain `in` scans, faster than one regex)."""
    sep = ANSWER_SEPARATOR
    return not (answers[0] in "=+-@" or sep + "=" in answers or sep + "+" in answers or sep + "-" in answers
                or sep + "@" in answers or CSV_UNSAFE.search(answers))


def csv_lines(evaluations, columns, date_format=str):
    """raw_rows() as CSV text lines (RFC 4180, CRLF), the same cells as csv.writer writes.

    The answers of most rows are short known words and numbers: when their joined text
    holds nothing to quote or neutralise and the version's items are the columns in
    order, it is written as it is stored, with commas for separators, instead of
    cell by cell (a third of a 100,000-row export's time)."""
    writer = csv.writer(_Line())
    separator = ANSWER_SEPARATOR
    for base, answers, cells in _rows(evaluations, columns):
        base[1] = date_format(base[1])
        if cells.identity and answers and cells.width == answers.count(separator) + 1 \
                and plain_answers(answers):
            yield writer.writerow(base)[:-2] + "," + answers.replace(separator, ",") + "\r\n"
        else:
            yield writer.writerow(base + cells(answers))


class _Line:
    def write(self, value):
        return value


class _Cells:
    """One version's answers as the export's cells, with the safe_text of each distinct
    answer text remembered (answers repeat: yes, no, a score)."""

    def __init__(self, places, width, safe):
        self.places, self.width, self.safe = places, width, safe
        self.identity = places is None

    def __call__(self, answers):
        safe = self.safe
        values = answers.split(ANSWER_SEPARATOR) if answers else []
        if self.identity and len(values) == self.width:
            try:
                return [safe[v] for v in values]  # the common case, without a call per answer
            except KeyError:
                return [safe[v] if v in safe else self.remember(v) for v in values]
        cells = [None] * self.width
        for place, value in zip(self.places or (), values):
            if place is not None:
                cells[place] = safe[value] if value in safe else self.remember(value)
        return cells

    def remember(self, value):
        text = cell_text(value) if value else None
        if len(self.safe) < 10_000:
            self.safe[value] = text
        return text


def _rows(evaluations, columns):
    """(base cells, the stored answers text, its version's _Cells) per evaluation."""
    position = {item_id: i for i, (_question, ids) in enumerate(columns) for item_id in ids}
    width = len(columns)
    version_ids = evaluations.order_by().values("version_id").distinct()
    safe = {"": None}
    layouts = {}
    for version_id, item_ids in item_ids_in_order(version_ids).items():
        places = [position.get(item_id) for item_id in item_ids]
        layouts[version_id] = _Cells(None if places == list(range(width)) else places, width, safe)
    no_layout = _Cells((), width, safe)
    names = {None: ""}

    def safe_name(value):
        try:
            return names[value]
        except KeyError:
            text = names[value] = safe_text(value)
            return text

    heads = raw_tuples(evaluations.order_by("pk").annotate(when=stored_time_text("interaction_at")).values_list(
        "pk", "when", "location__region__name", "location__name", "employee__name",
        "version__scorecard__name", "version__number", "version_id", "channel", "source", "overall_score",
        "critical_failed", "answer_values",
    ))
    local_time = local_time_converter()
    for (pk, when, region, location, employee, scorecard, number, version_id, channel, source, score, critical,
         answers) in heads:
        yield [
            pk, local_time(when), safe_name(region), safe_name(location), safe_name(employee), safe_name(scorecard),
            number, channel, source,
            float(score) if score is not None else None, "yes" if critical else "no",
        ], answers, layouts.get(version_id, no_layout)
