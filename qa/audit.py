"""The audit trail of one evaluation, read from django-simple-history's records:
every change of its status and scores, and of each answer, with who and when."""

from dataclasses import dataclass
from datetime import datetime

from qa.models import Answer, Evaluation

EVALUATION_FIELDS = ["status", "overall_score", "critical_failed", "employee", "comments"]
ANSWER_FIELDS = ["value", "na", "comment", "score"]


@dataclass
class Change:
    at: datetime
    who: str
    subject: str
    field: str
    old: object
    new: object


def _who(record) -> str:
    user = record.history_user
    return (user.get_full_name() or user.username) if user else "system"


def _diffs(records, fields, subject_of):
    """Changes between consecutive historical records of the same object."""
    changes = []
    previous = {}
    for record in records:
        before = previous.get(record.id)
        if before is None:
            if record.history_type == "+":
                changes.append(Change(record.history_date, _who(record), subject_of(record), "created", None, None))
        else:
            for field in fields:
                old, new = getattr(before, f"{field}_id", getattr(before, field, None)), getattr(record, f"{field}_id", getattr(record, field, None))
                if old != new:
                    changes.append(Change(record.history_date, _who(record), subject_of(record), field, old, new))
        previous[record.id] = record
    return changes


def evaluation_history(evaluation: Evaluation) -> list[Change]:
    questions = dict(Answer.objects.filter(evaluation=evaluation).values_list("pk", "item__question"))
    evaluation_records = evaluation.history.select_related("history_user").order_by("history_date", "history_id")
    answer_records = Answer.history.filter(evaluation_id=evaluation.pk).select_related("history_user").order_by(
        "history_date", "history_id")
    changes = _diffs(evaluation_records, EVALUATION_FIELDS, lambda r: "evaluation")
    changes += [c for c in _diffs(answer_records, ANSWER_FIELDS, lambda r: questions.get(r.id, f"answer {r.id}"))
                if c.field != "created"]
    return sorted(changes, key=lambda c: c.at)
