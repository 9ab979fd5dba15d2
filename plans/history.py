"""A plan's history in words: every saved change of the plan and of its actions (django-simple-history's
records), newest first, each a sentence saying who did what, e.g. "Alice Smith set the due date of “Retrain
staff” to 12 Dec 2026."."""

from django.utils.translation import gettext as _

from plans.models import CorrectiveAction
from plans.services import SIGN_OFF_RESET
from qa import formats

# Bookkeeping that goes with a change already told (the sign-off's date with its signer, the follow-up's start
# with the status) or that nobody needs to read.
HIDDEN = {"id", "plan", "created_at", "verification_round", "signed_off_at", "escalated_at", "closed_at",
          "follow_up_started_at", "done_by", "done_note"}


def person(user) -> str:
    if user is None:
        return _("The system")
    return user.get_full_name() or user.username


def _value(record, field):
    model_field = record.instance_type._meta.get_field(field)
    value = getattr(record, field)
    if value in (None, ""):
        return ""
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        related = getattr(record, field)
        return person(related) if hasattr(related, "get_full_name") else str(related)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if hasattr(value, "strftime"):
        return formats.datetime(value) if hasattr(value, "hour") else formats.date(value)
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"


def _short(text, length=60):
    text = " ".join(str(text).split())
    return text if len(text) <= length else text[:length - 1] + "…"


def _plan_sentence(who, record, previous, field):
    new = _value(record, field)
    if field == "status":
        return _("%(who)s moved the plan from “%(old)s” to “%(new)s”.") % {
            "who": who, "old": _value(previous, field), "new": new}
    if field == "signed_off_by":
        if new:
            return _("%(who)s signed off the plan.") % {"who": who}
        if getattr(record, "history_change_reason", None) == SIGN_OFF_RESET:
            return _("The sign-off was withdrawn: %(who)s changed what had been signed off. It needs signing off "
                     "again.") % {"who": who}
        return _("%(who)s withdrew the sign-off.") % {"who": who}
    if field == "acknowledged_at":
        return _("%(who)s acknowledged the plan.") % {"who": who}
    if field == "escalated":
        return _("The follow-up missed its target: the plan was escalated.") if record.escalated else ""
    label = str(record.instance_type._meta.get_field(field).verbose_name)
    if not new:
        return _("%(who)s cleared the %(field)s.") % {"who": who, "field": label}
    return _("%(who)s set the %(field)s to “%(new)s”.") % {"who": who, "field": label, "new": new}


def _action_sentence(who, record, previous, field):
    action = _short(record.text)
    if field == "done_at":
        if not record.done_at:
            return _("%(who)s reopened the action “%(action)s”.") % {"who": who, "action": action}
        sentence = _("%(who)s marked the action “%(action)s” done.") % {"who": who, "action": action}
        if record.done_note:
            sentence += " " + _("What was done: %(note)s") % {"note": _short(record.done_note, 120)}
        return sentence
    if field == "text":
        return _("%(who)s reworded the action “%(old)s” to “%(new)s”.") % {
            "who": who, "old": _short(previous.text), "new": action}
    label = str(record.instance_type._meta.get_field(field).verbose_name)
    return _("%(who)s set the %(field)s of “%(action)s” to %(new)s.") % {
        "who": who, "field": label, "action": action, "new": _value(record, field) or _("nothing")}


def _describe(record, previous):
    who = person(record.history_user)
    is_action = record.instance_type is CorrectiveAction
    if previous is None:
        if is_action:
            return [_("%(who)s added the action “%(action)s” for %(owner)s, due %(due)s.") % {
                "who": who, "action": _short(record.text), "owner": _value(record, "owner"),
                "due": formats.date(record.due_date)}]
        return [_("%(who)s opened the plan “%(title)s”.") % {"who": who, "title": _short(record.title)}]
    sentence = _action_sentence if is_action else _plan_sentence
    found = []
    for change in record.diff_against(previous).changes:
        if change.field in HIDDEN:
            continue
        text = sentence(who, record, previous, change.field)
        if text:
            found.append(text)
    return found


def _entries(records):
    records = list(records)
    found = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        for text in _describe(record, previous):
            found.append({"at": record.history_date, "by": record.history_user, "text": text})
    return found


def entries(plan) -> list[dict]:
    found = _entries(plan.history.select_related("history_user", "owner").order_by("-history_date", "-history_id"))
    actions = CorrectiveAction.history.filter(plan_id=plan.pk).select_related("history_user", "owner")
    by_action = {}
    for record in actions.order_by("-history_date", "-history_id"):
        by_action.setdefault(record.id, []).append(record)
    for records in by_action.values():
        found += _entries(records)
    return sorted(found, key=lambda e: e["at"], reverse=True)
