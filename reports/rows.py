"""The raw evaluation rows shared by the Excel and CSV exports, streamed from the
database in one query whatever the number of rows, and made safe for spreadsheets."""

import re
from datetime import datetime
from datetime import timezone as dt_timezone

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


def local_time_converter():
    """Stored times (an aware datetime, or SQLite's UTC text) as naive local times for spreadsheets."""
    current = timezone.get_current_timezone()

    def convert(value) -> datetime:
        if isinstance(value, str):
            value = datetime.fromisoformat(value).replace(tzinfo=dt_timezone.utc)
        elif timezone.is_naive(value):
            value = value.replace(tzinfo=dt_timezone.utc)
        return value.astimezone(current).replace(tzinfo=None)

    return convert


def raw_rows(evaluations, columns):
    """Yield one list per evaluation: the base columns, then each item's answer.

    One streamed query: each evaluation carries its answers already joined in its
    version's item order (Evaluation.answer_values, written when it was scored), so
    no answer row is read. Each version's items are mapped to the export's columns
    once; a single-version export (the usual case) needs no mapping at all.
    """
    position = {item_id: i for i, (_question, ids) in enumerate(columns) for item_id in ids}
    width = len(columns)
    version_ids = evaluations.order_by().values("version_id").distinct()
    layouts = {}
    for version_id, item_ids in item_ids_in_order(version_ids).items():
        places = [position.get(item_id) for item_id in item_ids]
        layouts[version_id] = None if places == list(range(width)) else places
    safe = {"": None}  # answers and names repeat ("yes", "no", a store): check each distinct text once

    def safe_cell(value):
        text = cell_text(value) if value else None
        if len(safe) < 10_000:
            safe[value] = text
        return text

    def safe_name(value):
        try:
            return names[value]
        except KeyError:
            text = names[value] = safe_text(value)
            return text

    names = {None: ""}

    heads = raw_tuples(evaluations.order_by("pk").values_list(
        "pk", "interaction_at", "location__region__name", "location__name", "employee__name",
        "version__scorecard__name", "version__number", "version_id", "channel", "source", "overall_score",
        "critical_failed", "answer_values",
    ))
    local_time = local_time_converter()
    for (pk, when, region, location, employee, scorecard, number, version_id, channel, source, score, critical,
         answers) in heads:
        values = answers.split(ANSWER_SEPARATOR) if answers else []
        places = layouts.get(version_id, ())
        if places is None and len(values) == width:
            try:
                cells = [safe[v] for v in values]  # the common case, without a call per answer
            except KeyError:
                cells = [safe[v] if v in safe else safe_cell(v) for v in values]
        else:
            cells = [None] * width
            for place, value in zip(places or (), values):
                if place is not None:
                    cells[place] = safe_cell(value)
        yield [
            pk, local_time(when), safe_name(region), safe_name(location), safe_name(employee), safe_name(scorecard),
            number, channel, source,
            float(score) if score is not None else None, "yes" if critical else "no",
        ] + cells
