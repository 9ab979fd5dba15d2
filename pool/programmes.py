"""Which programme a visit belongs to: the one that lists its scorecard (at most one does)."""

from pool.models import Programme


def of_assignment(assignment) -> Programme | None:
    scorecard_id = assignment.version.scorecard_id
    return (Programme.objects.filter(active=True, scorecard_links__scorecard_id=scorecard_id)
            .prefetch_related("required_qualifications").first())
