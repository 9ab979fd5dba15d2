"""Two people changing one evaluation at once: the row lock and the revision check.

Every page that changes an evaluation sends back the revision it showed
(Evaluation.revision, raised by every save). The change runs inside a transaction
that first locks the evaluation's row and compares revisions: a person who acted
on an older revision is told, and nothing they did not see is overwritten. Report
validation (qa.visits) and interaction scoring (qa.scoring_sessions) both go
through `lock_evaluation`; each says the conflict in its own words.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError

from qa.models import Evaluation


class Conflict(ValidationError):
    """The evaluation was saved by someone else since this person's page was loaded."""


def last_editor(evaluation: Evaluation) -> str | None:
    """The username behind the evaluation's latest saved version, for a conflict message."""
    return (evaluation.history.order_by("-history_date")
            .values_list("history_user__username", flat=True).first())


def lock_evaluation(evaluation_id: int, revision: int | None, *, stale: Callable[[Evaluation], str],
                    check: Callable[[Evaluation], None] | None = None) -> Evaluation:
    """Lock the evaluation's row for this transaction and return it as stored.

    `check` runs first on the locked row and raises if the evaluation may not be changed
    at all (whatever its revision); then, when the page named a revision and the stored
    one differs, Conflict is raised with the message `stale(current)` gives. A client that
    sends no revision is not checked (only older clients do that).
    """
    current = Evaluation.objects.select_for_update().get(pk=evaluation_id)
    if check is not None:
        check(current)
    if revision is not None and current.revision != revision:
        raise Conflict(stale(current), code="conflict")
    return current
