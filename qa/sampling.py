"""Sampling interactions for interaction scoring: a random draw that is reproducible (its seed is
recorded), spread across the period and the channels, never picks an interaction
twice, and fills each reviewer's queue. Coverage shows who is below target, among the
employees a rule applies to (those who handle its channels)."""

import random
import secrets
from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from qa import roles
from qa.filters import day_start
from qa.models import Interaction, ReviewTask, SampleDraw, SamplingRule, User
from shops.models import Employee


def period_bounds(period: str, day: date) -> tuple[date, date]:
    """First and last day of the week (Monday to Sunday) or month that contains `day`."""
    if period == SamplingRule.Period.MONTH:
        start = day.replace(day=1)
        end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        return start, end
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=6)


def chosen_period(rule: SamplingRule, which: str, today: date, start: date | None = None,
                  end: date | None = None) -> tuple[date, date]:
    """The days a draw or a coverage covers: the rule's current period, the one before it, or a
    range chosen by hand. A Monday's "this week" has nothing in it yet, so last week must be drawable."""
    if which == "previous":
        current_start, _end = period_bounds(rule.period, today)
        return period_bounds(rule.period, current_start - timedelta(days=1))
    if which == "range" and start and end:
        return start, end
    return period_bounds(rule.period, today)


def applies_to(rule: SamplingRule):
    """Employees a rule can sample: active, and who have handled at least one interaction in
    its channels. Store staff who never take calls are not "below target" for a phone rule."""
    handled = Interaction.objects.filter(employee__isnull=False)
    if rule.channels:
        handled = handled.filter(channel__in=rule.channels)
    return Employee.objects.filter(active=True, pk__in=handled.values("employee_id"))


def in_period(rule: SamplingRule, start: date, end: date):
    interactions = Interaction.objects.filter(
        occurred_at__gte=day_start(start), occurred_at__lt=day_start(end + timedelta(days=1)),
        employee__isnull=False, employee__active=True,
    )
    if rule.channels:
        interactions = interactions.filter(channel__in=rule.channels)
    return interactions


def pick(candidates: list, count: int, rng: random.Random) -> list:
    """Up to `count` candidates spread across the period and the channels: channels take
    turns (in a random order), and each turn prefers a day not sampled yet."""
    by_channel = defaultdict(list)
    for interaction in candidates:
        by_channel[interaction.channel].append(interaction)
    channels = sorted(by_channel)
    rng.shuffle(channels)
    for channel in channels:
        rng.shuffle(by_channel[channel])
    chosen, days = [], set()
    while len(chosen) < count and any(by_channel[c] for c in channels):
        for channel in channels:
            pool = by_channel[channel]
            if not pool or len(chosen) >= count:
                continue
            fresh = next((i for i in pool if timezone.localtime(i.occurred_at).date() not in days), pool[0])
            pool.remove(fresh)
            chosen.append(fresh)
            days.add(timezone.localtime(fresh.occurred_at).date())
    return chosen


def reviewers() -> list[User]:
    return list(User.objects.filter(is_active=True, groups__name__in=[roles.QA_REVIEWER, roles.QA_LEAD])
                .distinct().order_by("username"))


@transaction.atomic
def draw(rule: SamplingRule, day: date, by, seed: int | None = None, end: date | None = None) -> SampleDraw:
    """Top every employee up to the rule's count for the period containing `day`, or, when
    `end` is given, for the days from `day` to `end` (the count applies to that range)."""
    seed = secrets.randbits(48) if seed is None else seed
    rng = random.Random(seed)
    start, end = (day, end) if end is not None else period_bounds(rule.period, day)
    interactions = in_period(rule, start, end)
    already = dict(interactions.filter(review_task__isnull=False).values("employee_id")
                   .annotate(n=Count("pk")).values_list("employee_id", "n"))
    by_employee = defaultdict(list)
    for interaction in interactions.filter(review_task__isnull=True).order_by("pk"):
        by_employee[interaction.employee_id].append(interaction)
    flagged = flagged_ids(interactions) if rule.flagged_share else set()
    record = SampleDraw.objects.create(rule=rule, period_start=start, period_end=end, seed=seed, drawn_by=by,
                                       flagged_share=rule.flagged_share)
    queue = reviewers()
    tasks, from_flagged = [], 0
    for employee_id in sorted(by_employee):
        wanted = max(0, rule.per_employee - already.get(employee_id, 0))
        chosen, spotlighted = pick_with_share(by_employee[employee_id], wanted, rng, flagged, rule.flagged_share)
        from_flagged += spotlighted
        for interaction in chosen:
            reviewer = queue[len(tasks) % len(queue)] if queue else None
            tasks.append(ReviewTask(interaction=interaction, draw=record, reviewer=reviewer))
    ReviewTask.objects.bulk_create(tasks)
    record.picked, record.flagged_picked = len(tasks), from_flagged
    record.save(update_fields=["picked", "flagged_picked"])
    return record


def flagged_ids(interactions) -> set[int]:
    """Interactions the automatic checks put in the spotlight (autoqa.models.Spotlight, read through
    its reverse relation so qa does not import autoqa)."""
    return set(interactions.filter(spotlights__isnull=False).values_list("pk", flat=True))


def flagged_quota(wanted: int, share: int) -> int:
    """How many of `wanted` the flagged share takes: the share of it, rounded half up."""
    return (wanted * share + 50) // 100


def pick_with_share(candidates: list, wanted: int, rng: random.Random, flagged: set, share: int) -> tuple[list, int]:
    """The flagged share first, from the flagged candidates (spread as `pick` spreads); the rest at
    random from everything left, flagged or not, so the random share still sees the whole period.
    Returns (chosen, how many were taken for the flagged share)."""
    quota = flagged_quota(wanted, share) if flagged else 0
    first = pick([i for i in candidates if i.pk in flagged], quota, rng) if quota else []
    taken = {i.pk for i in first}
    rest = pick([i for i in candidates if i.pk not in taken], wanted - len(first), rng)
    return first + rest, len(first)


def coverage(rule: SamplingRule, day: date, end: date | None = None, channel: str = "",
             location=None) -> list[dict]:
    """Every employee the rule applies to, with their sampled and reviewed counts against the
    target, for the period containing `day` (or `day` to `end`), optionally for one channel
    and one location."""
    start, end = (day, end) if end is not None else period_bounds(rule.period, day)
    interactions = in_period(rule, start, end)
    employees = applies_to(rule)
    if channel:
        interactions = interactions.filter(channel=channel)
        employees = employees.filter(interactions__channel=channel).distinct()
    if location is not None:
        interactions = interactions.filter(employee__location=location)
        employees = employees.filter(location=location)
    counts = {
        row["employee_id"]: row for row in interactions.values("employee_id").annotate(
            available=Count("pk"), sampled=Count("review_task"),
            reviewed=Count("review_task", filter=Q(review_task__status=ReviewTask.Status.DONE)))
    }
    rows = []
    for employee in employees.select_related("location").order_by("location__name", "name"):
        row = counts.get(employee.pk, {"available": 0, "sampled": 0, "reviewed": 0})
        rows.append({"employee": employee, "target": rule.per_employee, "available": row["available"],
                     "sampled": row["sampled"], "reviewed": row["reviewed"],
                     "below": row["reviewed"] < rule.per_employee})
    return rows
