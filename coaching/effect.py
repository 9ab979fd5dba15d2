"""Did coaching help? The employee's score on the coached items before and after the session.

The coached items are the items the session's evaluations failed or pinned a comment to. An item is the
same item across versions of its scorecard when its question is the same (versions are frozen copies, so
the question is what stays). Before is the BEFORE_DAYS before the session; after is from the session to now.
Only released people's evaluations count (Evaluation.objects.counted(): never self-assessments, automatic
checks or calibration), and each mean comes with its sample size and the 95% interval reports use
(reports.aggregation.confidence_interval, the one interval in the project)."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Avg, Count, F, FloatField, Q
from django.db.models.functions import Cast
from django.utils import timezone

from qa.models import Answer, Evaluation, PinnedComment
from reports.aggregation import confidence_interval

BEFORE_DAYS = 90


@dataclass
class Figure:
    n: int
    mean: float | None
    ci: tuple[float, float] | None


@dataclass
class ItemEffect:
    employee: object
    question: str
    before: Figure
    after: Figure

    @property
    def change(self) -> float | None:
        if self.before.mean is None or self.after.mean is None:
            return None
        return self.after.mean - self.before.mean


def coached_items(session) -> list[tuple[int, str]]:
    """(scorecard id, question) of every item failed or pinned in the session's evaluations, in order."""
    evaluation_ids = session.evaluations.values("pk")
    failed = Answer.objects.filter(evaluation__in=evaluation_ids, failed=True).values_list(
        "item__section__version__scorecard_id", "item__question")
    pinned = PinnedComment.objects.filter(evaluation__in=evaluation_ids, item__isnull=False).values_list(
        "item__section__version__scorecard_id", "item__question")
    return sorted(set(failed) | set(pinned), key=lambda pair: (pair[0], pair[1]))


def _figure(row: dict, side: str) -> Figure:
    n = row[f"n_{side}"] or 0
    mean = row[f"mean_{side}"]
    return Figure(n=n, mean=None if mean is None else float(mean),
                  ci=confidence_interval(n, mean, row[f"sq_{side}"]))


def measurable(session, now=None) -> bool:
    """Whether the session has taken place, so that its effect can be measured (a session still to come has none)."""
    return session.scheduled_at <= (now or timezone.now())


def effects(session, employees, now=None) -> list[ItemEffect]:
    """One row per employee and coached item: one grouped query per employee, whatever the sample. None for a
    session still to come (it has no "after" yet)."""
    now = now or timezone.now()
    if not measurable(session, now):
        return []
    items = coached_items(session)
    if not items:
        return []
    start, cut = session.scheduled_at - timedelta(days=BEFORE_DAYS), session.scheduled_at
    same_item = Q()
    for scorecard_id, question in items:
        same_item |= Q(item__section__version__scorecard_id=scorecard_id, item__question=question)
    score = Cast("score", FloatField())
    square = Cast(F("score") * F("score"), FloatField())
    before = Q(evaluation__interaction_at__gte=start, evaluation__interaction_at__lt=cut)
    after = Q(evaluation__interaction_at__gte=cut, evaluation__interaction_at__lte=now)
    rows = []
    for employee in employees:
        counted = Evaluation.objects.counted().filter(employee=employee)
        grouped = {
            (r["item__section__version__scorecard_id"], r["item__question"]): r
            for r in Answer.objects.filter(same_item, evaluation__in=counted.values("pk"), score__isnull=False)
            .values("item__section__version__scorecard_id", "item__question").order_by()
            .annotate(n_before=Count("pk", filter=before), mean_before=Avg(score, filter=before),
                      sq_before=Avg(square, filter=before),
                      n_after=Count("pk", filter=after), mean_after=Avg(score, filter=after),
                      sq_after=Avg(square, filter=after))
        }
        empty = {"n_before": 0, "mean_before": None, "sq_before": None,
                 "n_after": 0, "mean_after": None, "sq_after": None}
        for key in items:
            row = grouped.get(key, empty)
            rows.append(ItemEffect(employee=employee, question=key[1],
                                   before=_figure(row, "before"), after=_figure(row, "after")))
    return rows
