"""Aggregation of released evaluations, done in the database.

Every figure here is computed with annotate/aggregate over a queryset the caller
has already scoped (qa.scoping), so the number of queries never grows with the data.
"""

from django.db.models import Avg, Count, Q


def summary(evaluations) -> dict:
    """Overall figures for a set of evaluations: count, mean score, critical failures."""
    figures = evaluations.counted().aggregate(
        count=Count("pk"),
        average=Avg("overall_score"),
        critical_failures=Count("pk", filter=Q(critical_failed=True)),
    )
    figures["critical_rate"] = (
        100 * figures["critical_failures"] / figures["count"] if figures["count"] else None
    )
    return figures


def by_location(evaluations):
    """One row per location: its region, number of evaluations, mean score and critical failures."""
    return (
        evaluations.counted()
        .values("location_id", "location__name", "location__code", "location__region__name")
        .annotate(
            count=Count("pk"),
            average=Avg("overall_score"),
            critical_failures=Count("pk", filter=Q(critical_failed=True)),
        )
        .order_by("location__region__name", "location__name")
    )
