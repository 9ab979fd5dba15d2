"""The raw evaluation rows shared by the Excel and CSV exports, streamed from the
database in one query whatever the number of rows, and made safe for spreadsheets."""

import csv
import functools
import re
from datetime import datetime
from datetime import timezone as dt_timezone

from django.db.models import CharField
from django.db.models.functions import Cast
from django.db.models.sql.constants import MULTI
from django.utils import timezone

from qa.models import Evaluation
from qa.services import ANSWER_SEPARATOR
from scorecards import words
from scorecards.models import Channel, Item
from scorecards.words import RENAMED_ANSWERS
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
    """The header row: the item questions are typed by administrators, so they are made
    safe like every other cell (a question "=HYPERLINK(...)" stays text)."""
    return BASE_COLUMNS + [safe_text(question) for question, _ids in columns]


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


QUARTER = {f"{minute:02d}": minute // 15 for minute in range(60)}


def local_time_converter():
    """Stored times (an aware datetime, a naive UTC one, or the database's UTC text from
    stored_time_text) as naive local times for spreadsheets.

    A time zone's offset only changes at its transitions, and every transition in the
    tz database since 1970 falls on a quarter hour in UTC, so the offset is looked up
    once per quarter hour of the data and added: converting each of 100,000 times
    through zoneinfo would be a tenth of a CSV export's time."""
    current = timezone.get_current_timezone()
    offsets = {}

    def offset_at(key, utc: datetime):
        offset = offsets[key] = utc.replace(tzinfo=dt_timezone.utc).astimezone(current).utcoffset()
        return offset

    def convert(value) -> datetime:
        if value.__class__ is str:  # "2026-11-02 09:30:00[.ffffff][+00]", always UTC
            key = (value[:13], QUARTER[value[14:16]])
            value = datetime.fromisoformat(value[:19])
        else:
            if value.tzinfo is not None:
                value = value.astimezone(dt_timezone.utc).replace(tzinfo=None)
            key = (value.year, value.month, value.day, value.hour, value.minute // 15)
        offset = offsets.get(key)
        return value + (offset if offset is not None else offset_at(key, value))

    return convert


def raw_rows(evaluations, columns):
    """Yield one list per evaluation: the base columns, then each item's answer.

    One streamed query: each evaluation carries its answers already joined in its
    version's item order (Evaluation.answer_values, written when it was scored), so
    no answer row is read. Each version's items are mapped to the export's columns
    once; a single-version export (the usual case) needs no mapping at all.
    """
    reader = _Reader(evaluations, columns)
    for head in reader.heads():
        yield reader.base(head) + reader.cells(head)


# Characters a CSV writer would quote, or that safe_text() would act on.
CSV_UNSAFE = re.compile(r'[",\t\n\r\x00-\x08\x0b\x0c\x0e-\x1e]')
CSV_QUOTED = re.compile(r'[",\r\n]')


def plain_answers(answers: str) -> bool:
    """Whether stored answers can go into a CSV line as they are: nothing to quote and
    no answer a spreadsheet would run as a formula (plain `in` scans, faster than one regex)."""
    sep = ANSWER_SEPARATOR
    return not (answers[0] in "=+-@" or sep + "=" in answers or sep + "+" in answers or sep + "-" in answers
                or sep + "@" in answers or CSV_UNSAFE.search(answers))


def csv_field(text: str) -> str:
    """A text field as csv.writer's default dialect writes it (quoted only when it must be)."""
    return '"' + text.replace('"', '""') + '"' if CSV_QUOTED.search(text) else text


def csv_lines(evaluations, columns, date_format=str):
    """raw_rows() as CSV text lines (RFC 4180, CRLF), the same text csv.writer writes.

    Most rows are written as text directly: the names (few, repeated) are quoted once
    each, and when the stored answers hold nothing to quote or neutralise and the
    version's items are the columns in order, they go in as stored, with commas for
    separators. Other rows go through csv.writer cell by cell. Together this halves a
    100,000-row export's time."""
    writer = csv.writer(_Line())
    reader = _Reader(evaluations, columns)
    separator = ANSWER_SEPARATOR
    fields: dict = {}

    def field(value):  # a name or code, made safe and quoted once
        try:
            return fields[value]
        except KeyError:
            text = fields[value] = csv_field(reader.name(value))
            return text

    local_time = reader.local_time
    for head in reader.heads():
        (pk, when, region, location, employee, scorecard, number, version_id, channel, source, score, critical,
         answers) = head
        layout = reader.layout(version_id)
        if (layout.identity and answers and layout.width == answers.count(separator) + 1 and plain_answers(answers)
                and not any(code in answers for code in RENAMED_ANSWERS)):
            yield (f"{pk},{date_format(local_time(when))},{field(region)},{field(location)},{field(employee)},"
                   f"{field(scorecard)},{number},{field(reader.channel(channel))},{field(reader.source(source))},"
                   f"{'' if score is None else float(score)!r},{'yes' if critical else 'no'},"
                   + answers.replace(separator, ",") + "\r\n")
        else:
            base = reader.base(head)
            base[1] = date_format(base[1])
            yield writer.writerow(base + layout(answers))


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
        text = cell_text(RENAMED_ANSWERS.get(value, value)) if value else None
        if len(self.safe) < 10_000:
            self.safe[value] = text
        return text


class _Reader:
    """The export's one streamed query, and what turns its rows into cells: each
    version's layout of the columns, safe names (each distinct name checked once),
    local times."""

    def __init__(self, evaluations, columns):
        self.evaluations = evaluations
        position = {item_id: i for i, (_question, ids) in enumerate(columns) for item_id in ids}
        width = len(columns)
        version_ids = evaluations.order_by().values("version_id").distinct()
        safe = {"": None}
        self.layouts = {}
        for version_id, item_ids in item_ids_in_order(version_ids).items():
            places = [position.get(item_id) for item_id in item_ids]
            self.layouts[version_id] = _Cells(None if places == list(range(width)) else places, width, safe)
        self.no_layout = _Cells((), width, safe)
        self.names = {None: ""}
        self.local_time = local_time_converter()
        # Codes in words (their choices' labels), looked up once per distinct code.
        self.channel = functools.cache(lambda code: words.label(Channel, code))
        self.source = functools.cache(lambda code: words.label(Evaluation.Source, code))

    def heads(self):
        return raw_tuples(self.evaluations.order_by("pk").annotate(when=stored_time_text("interaction_at")).values_list(
            "pk", "when", "location__region__name", "location__name", "employee__name",
            "version__scorecard__name", "version__number", "version_id", "channel", "source", "overall_score",
            "critical_failed", "answer_values",
        ))

    def name(self, value):
        try:
            return self.names[value]
        except KeyError:
            text = self.names[value] = safe_text(value)
            return text

    def layout(self, version_id) -> _Cells:
        return self.layouts.get(version_id, self.no_layout)

    def base(self, head) -> list:
        (pk, when, region, location, employee, scorecard, number, _version_id, channel, source, score, critical,
         _answers) = head
        name = self.name
        return [
            pk, self.local_time(when), name(region), name(location), name(employee), name(scorecard),
            number, self.channel(channel), self.source(source),
            float(score) if score is not None else None, "yes" if critical else "no",
        ]

    def cells(self, head) -> list:
        return self.layout(head[7])(head[12])
