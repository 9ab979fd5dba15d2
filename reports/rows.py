"""The raw evaluation rows shared by the Excel and CSV exports, streamed from the
database in two queries whatever the number of rows, and made safe for spreadsheets."""

import re
from datetime import datetime

from django.utils import timezone

from qa.models import Answer
from scorecards.models import Item

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


def item_columns(evaluations) -> list[str]:
    """One column per item question across the scorecard versions in the data, in scorecard order."""
    version_ids = evaluations.order_by().values("version_id").distinct()
    seen, columns = set(), []
    for question in Item.objects.filter(section__version__in=version_ids).order_by(
            "section__version__scorecard__name", "section__order", "order").values_list("question", flat=True):
        if question not in seen:
            seen.add(question)
            columns.append(question)
    return columns


def answer_text(value: str, na: bool) -> str:
    return "N/A" if na else value


def raw_rows(evaluations, columns: list[str]):
    """Yield one list per evaluation: the base columns, then each item's answer.

    Two streamed queries (evaluations and their answers, both in evaluation order) are
    merged as they arrive, so memory and query count stay flat as rows grow.
    """
    position = {question: i for i, question in enumerate(columns)}
    ordered = evaluations.order_by("pk")
    heads = ordered.values_list(
        "pk", "interaction_at", "location__region__name", "location__name", "employee__name",
        "version__scorecard__name", "version__number", "channel", "source", "overall_score", "critical_failed",
    ).iterator(chunk_size=CHUNK)
    answers = (
        Answer.objects.filter(evaluation__in=evaluations.values("pk")).order_by("evaluation_id")
        .values_list("evaluation_id", "item__question", "value", "na").iterator(chunk_size=CHUNK)
    )
    pending = next(answers, None)
    current_tz = timezone.get_current_timezone()
    for head in heads:
        pk = head[0]
        cells = [None] * len(columns)
        while pending is not None and pending[0] < pk:
            pending = next(answers, None)
        while pending is not None and pending[0] == pk:
            index = position.get(pending[1])
            if index is not None:
                cells[index] = safe_text(answer_text(pending[2], pending[3]))
            pending = next(answers, None)
        when: datetime = timezone.localtime(head[1], current_tz).replace(tzinfo=None)
        yield [
            pk, when, safe_text(head[2]), safe_text(head[3]), safe_text(head[4] or ""), safe_text(head[5]), head[6],
            head[7], head[8], float(head[9]) if head[9] is not None else None, "yes" if head[10] else "no",
        ] + cells
