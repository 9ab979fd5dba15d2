"""The raw evaluation rows shared by the Excel and CSV exports, streamed from the
database in two queries whatever the number of rows, and made safe for spreadsheets."""

import re
from datetime import datetime
from datetime import timezone as dt_timezone

from django.db.models import Aggregate, Case, CharField, TextField, Value, When
from django.db.models.sql.constants import MULTI
from django.db.models.functions import Cast, Concat, Replace
from django.utils import timezone

from qa.models import Answer
from scorecards.models import Item

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
CHUNK = 2000


FIELD_SEP, ENTRY_SEP = "\x1e", "\x1f"


class JoinedText(Aggregate):
    """Strings of a group joined by the unit separator: GROUP_CONCAT on SQLite, STRING_AGG on PostgreSQL."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, char(31))"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function="STRING_AGG", template="%(function)s(%(expressions)s, chr(31))")


def answer_entry():
    """`item_id RS value` per answer, N/A spelt out; separators inside typed text become spaces."""
    value = Case(When(na=True, then=Value("N/A")),
                 default=Replace(Replace("value", Value(FIELD_SEP), Value(" ")), Value(ENTRY_SEP), Value(" ")),
                 output_field=TextField())
    return Concat(Cast("item_id", CharField()), Value(FIELD_SEP), value, output_field=TextField())


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

    Two streamed queries, both in evaluation order: the evaluations, and their
    answers already joined into one string per evaluation by the database. They
    are merged as they arrive, so memory and query count stay flat as rows grow.
    """
    position = {str(item_id): i for i, (_question, ids) in enumerate(columns) for item_id in ids}
    safe = {}  # answers repeat ("yes", "no", "4"): check each distinct text once
    width = len(columns)
    heads = raw_tuples(evaluations.order_by("pk").values_list(
        "pk", "interaction_at", "location__region__name", "location__name", "employee__name",
        "version__scorecard__name", "version__number", "channel", "source", "overall_score", "critical_failed",
    ))
    answers = (
        Answer.objects.filter(evaluation__in=evaluations.values("pk")).values("evaluation_id")
        .annotate(joined=JoinedText(answer_entry())).order_by("evaluation_id")
        .values_list("evaluation_id", "joined").iterator(chunk_size=CHUNK)
    )
    pending = next(answers, None)
    local_time = local_time_converter()
    for head in heads:
        pk = head[0]
        cells = [None] * width
        while pending is not None and pending[0] < pk:
            pending = next(answers, None)
        if pending is not None and pending[0] == pk:
            for entry in pending[1].split(ENTRY_SEP):
                item_id, _sep, value = entry.partition(FIELD_SEP)
                index = position.get(item_id)
                if index is not None:
                    text = safe.get(value)
                    if text is None:
                        text = cell_text(value)
                        if len(safe) < 10_000:
                            safe[value] = text
                    cells[index] = text
            pending = next(answers, None)
        when = local_time(head[1])
        yield [
            pk, when, safe_text(head[2]), safe_text(head[3]), safe_text(head[4] or ""), safe_text(head[5]), head[6],
            head[7], head[8], float(head[9]) if head[9] is not None else None, "yes" if head[10] else "no",
        ] + cells
