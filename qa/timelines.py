"""The policy's complaint timelines, and the answers an interaction's own times give.

Table 1 of the seed policy ("Complaint Resolution Timelines"): acknowledge a billing
issue or a product defect within 24 hours and a service outage within 12; resolve
within 3, 5 and 2 working days; follow up within 7, 14 and 7 working days.
Acknowledgement is counted in clock hours. Working days are Monday to Friday in the
company's time zone (settings.TIME_ZONE), counted from the day after the complaint
arrived, and a deadline of N working days ends at midnight after the Nth.

A reviewer may override any computed answer, with a reason (qa.scoring_sessions).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from scorecards.models import AnswerType, AutoAnswer


@dataclass(frozen=True)
class Timeline:
    acknowledge_hours: int
    resolve_working_days: int
    follow_up_working_days: int


TIMELINES = {
    "billing": Timeline(24, 3, 7),
    "product_defect": Timeline(24, 5, 14),
    "service_outage": Timeline(12, 2, 7),
}


@dataclass(frozen=True)
class Computed:
    value: str
    na: bool
    note: str


def add_working_days(start: datetime, days: int) -> datetime:
    """The end (next midnight, local time) of the `days`-th working day after `start`'s date."""
    day = timezone.localtime(start).date()
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            counted += 1
    end = datetime.combine(day + timedelta(days=1), datetime.min.time())
    return timezone.make_aware(end)


def hours_between(start: datetime, end: datetime) -> Decimal:
    seconds = Decimal((end - start).total_seconds())
    return (seconds / 3600).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _format_hours(hours: Decimal) -> str:
    return f"{hours.normalize():f}"


def compute(item, interaction, now: datetime | None = None) -> Computed | None:
    """The answer the interaction's times give for this item, or None when they give none
    (the item is not answered from times, or the times needed are missing)."""
    rule = item.auto_answer
    if not rule:
        return None
    now = now or timezone.now()
    if rule == AutoAnswer.RESPONSE_HOURS:
        return _response_hours(item, interaction)
    complaint = interaction.complaint_type
    if not complaint:
        return Computed("", True, _("Not a complaint.")) if item.na_allowed else None
    timeline = TIMELINES.get(complaint)
    if timeline is None or interaction.received_at is None:
        return None
    kind = interaction.get_complaint_type_display().lower()
    if rule == AutoAnswer.ACKNOWLEDGED_IN_TIME:
        deadline = interaction.received_at + timedelta(hours=timeline.acknowledge_hours)
        return _within(item, interaction.acknowledged_at, deadline, now,
                       _("acknowledged"), _("%(h)s hours for a %(kind)s") % {"h": timeline.acknowledge_hours, "kind": kind},
                       start=interaction.received_at)
    if rule == AutoAnswer.RESOLVED_IN_TIME:
        deadline = add_working_days(interaction.received_at, timeline.resolve_working_days)
        return _within(item, interaction.resolved_at, deadline, now, _("resolved"),
                       _("%(d)s working days for a %(kind)s") % {"d": timeline.resolve_working_days, "kind": kind},
                       start=interaction.received_at)
    if rule == AutoAnswer.FOLLOWED_UP_IN_TIME:
        if interaction.resolved_at is None:
            return Computed("", True, _("Not resolved yet, so no follow-up is due.")) if item.na_allowed else None
        deadline = add_working_days(interaction.resolved_at, timeline.follow_up_working_days)
        return _within(item, interaction.followed_up_at, deadline, now, _("followed up"),
                       _("%(d)s working days after resolution for a %(kind)s")
                       % {"d": timeline.follow_up_working_days, "kind": kind},
                       start=interaction.resolved_at)
    return None


def _yes_no(item, passed: bool) -> str:
    if item.answer_type in (AnswerType.YES_NO, AnswerType.YES_PARTIAL_NO):
        return "yes" if passed else "no"
    return ""


def _within(item, done_at, deadline, now, verb, limit_text, *, start) -> Computed | None:
    if done_at is None:
        if now <= deadline:
            if not item.na_allowed:
                return None
            return Computed("", True, _("Not %(verb)s yet and not yet due (limit %(limit)s).")
                            % {"verb": verb, "limit": limit_text})
        value = _yes_no(item, False)
        return Computed(value, False, _("Not %(verb)s, and the limit of %(limit)s has passed.")
                        % {"verb": verb, "limit": limit_text}) if value else None
    passed = done_at <= deadline
    value = _yes_no(item, passed)
    if not value:
        return None
    return Computed(value, False, _("%(verb)s after %(h)s hours; limit %(limit)s.")
                    % {"verb": verb.capitalize(), "h": _format_hours(hours_between(start, done_at)), "limit": limit_text})


def _response_hours(item, interaction) -> Computed | None:
    if item.answer_type != AnswerType.NUMBER:
        return None
    start = interaction.received_at or interaction.occurred_at
    if interaction.acknowledged_at is None or start is None:
        return None
    hours = hours_between(start, interaction.acknowledged_at)
    return Computed(_format_hours(hours), False,
                    _("First reply %(h)s hours after the customer's message.") % {"h": _format_hours(hours)})
