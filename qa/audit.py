"""The audit trail of one evaluation, read from django-simple-history's records:
every change of its status and scores, and of each answer, with who and when."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from qa.models import Answer, Evaluation
from scorecards import words
from shops.models import Employee

EVALUATION_FIELDS = ["status", "overall_score", "critical_failed", "employee", "comments"]
ANSWER_FIELDS = ["value", "na", "comment", "score"]


@dataclass
class Change:
    """One change; `field_label`, `old_text` and `new_text` are what people read (words,
    never the stored codes: "Partly", not "partial"; "Released", not "released")."""

    at: datetime
    who: str
    subject: str
    field: str
    old: object
    new: object

    @property
    def field_label(self) -> str:
        model = Answer if self.field in ANSWER_FIELDS and self.field not in EVALUATION_FIELDS else Evaluation
        if self.field == "value":
            return str(_("answer"))
        if self.field == "na":
            return str(_("not applicable"))
        return str(model._meta.get_field(self.field).verbose_name)

    @property
    def old_text(self) -> str:
        return in_words(self.field, self.old)

    @property
    def new_text(self) -> str:
        return in_words(self.field, self.new)


def in_words(field: str, value) -> str:
    """A recorded value as people read it: a choice's label, an answer's words, yes/no, a name."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if field == "status":
        return words.label(Evaluation.Status, value)
    if field == "value":
        return words.answer_word(value)
    if field == "employee":
        return Employee.objects.filter(pk=value).values_list("name", flat=True).first() or "–"
    if field in ("overall_score", "score"):
        return f"{value}%"
    return str(value)


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
