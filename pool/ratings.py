"""A shopper's rating, computed from how the QA desk reviewed their reports, never typed by hand.

Only visits with a report that a reviewer decided count: approved or rejected (a report waiting for review or
returned and not yet sent again is not decided; a cancelled visit has no report). Of those, the shopper's last
`WINDOW`, by when the report was last sent, each score out of 1:

- approved as sent: 1;
- approved after being returned for revision: 1 less 0.25 for each return (never below 0.25);
- rejected: 0, whatever else;
- each flag the last sending of an approved report carried (late, outside the window, far from the store,
  evidence missing, revision late...) takes 0.1 off that visit's score, never below 0.

The rating is 5 times the mean of those scores, to one decimal (halves up), and exists once `MINIMUM` visits
were reviewed, so a new shopper is "not rated yet", not a poor shopper. The basis (the counts behind the
figure, over the same visits) goes with it wherever it is shown."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, F, OuterRef, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pool.models import Appeal
from shops.models import Assignment, AssignmentEvent

WINDOW = 20
MINIMUM = 3
RETURN_COST = Decimal("0.25")
RETURN_FLOOR = Decimal("0.25")
FLAG_COST = Decimal("0.1")
LATE_FLAGS = ("late", "late_revision")
S = Assignment.Status
REVIEWED = (S.APPROVED, S.REJECTED)


@dataclass
class Rating:
    value: Decimal | None = None  # out of 5; None: not rated yet
    reviewed: int = 0
    approved_first_time: int = 0
    approved_after_return: int = 0
    approved_on_appeal: int = 0  # rejected, then the rejection overturned on appeal (scored as approved)
    returned: int = 0  # visits returned for revision at least once, whatever the outcome
    rejected: int = 0
    late: int = 0  # visits whose report (or revision) came after its due time
    flags: int = 0  # every flag, late ones included
    flag_counts: dict = field(default_factory=dict)

    @property
    def rated(self) -> bool:
        return self.value is not None

    @property
    def other_flags(self) -> int:
        return sum(n for code, n in self.flag_counts.items() if code not in LATE_FLAGS)

    @property
    def needed(self) -> int:
        """How many more reviewed reports before there is a rating."""
        return max(0, MINIMUM - self.reviewed)


def visit_score(status: str, returns: int, flags: int) -> Decimal:
    if status == S.REJECTED:
        return Decimal(0)
    base = max(RETURN_FLOOR, 1 - RETURN_COST * returns) if returns else Decimal(1)
    return max(Decimal(0), base - FLAG_COST * flags)


def reviewed_visits(shopper_ids):
    """Each shopper's last WINDOW reviewed visits with a report, newest first, as (shopper id, status, returns,
    flags, rank) rows; one query whatever the number of shoppers."""
    returns = (AssignmentEvent.objects.filter(assignment=OuterRef("pk"), to_status=S.RETURNED)
               .order_by().values("assignment").annotate(n=Count("pk")).values("n"))
    overturned = Appeal.objects.filter(assignment=OuterRef("pk"), decision=Appeal.Decision.OVERTURNED)
    return (Assignment.objects.filter(shopper_id__in=shopper_ids, status__in=REVIEWED, report__isnull=False)
            .annotate(returns=Coalesce(Subquery(returns), 0), on_appeal=Exists(overturned),
                      rank=Window(RowNumber(), partition_by=[F("shopper_id")],
                                  order_by=[F("report__last_submitted_at").desc(), F("pk").desc()]))
            .filter(rank__lte=WINDOW)
            .order_by("shopper_id", "rank")
            .values_list("shopper_id", "status", "returns", "report__flags", "on_appeal"))


def for_shoppers(shopper_ids) -> dict[int, Rating]:
    """{shopper id: Rating} for many shoppers in one query."""
    shopper_ids = list(shopper_ids)
    ratings = {pk: Rating() for pk in shopper_ids}
    if not shopper_ids:
        return ratings
    totals = {pk: Decimal(0) for pk in shopper_ids}
    for shopper_id, status, returns, flags, on_appeal in reviewed_visits(shopper_ids):
        rating = ratings[shopper_id]
        flags = flags or []
        rating.reviewed += 1
        rating.approved_on_appeal += status == S.APPROVED and on_appeal
        rating.approved_first_time += status == S.APPROVED and not returns and not on_appeal
        rating.approved_after_return += status == S.APPROVED and bool(returns) and not on_appeal
        rating.returned += bool(returns)
        rating.rejected += status == S.REJECTED
        rating.late += any(code in LATE_FLAGS for code in flags)
        rating.flags += len(flags)
        for code in flags:
            rating.flag_counts[code] = rating.flag_counts.get(code, 0) + 1
        totals[shopper_id] += visit_score(status, returns, len(flags))
    for shopper_id, rating in ratings.items():
        if rating.reviewed >= MINIMUM:
            rating.value = (5 * totals[shopper_id] / rating.reviewed).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return ratings


def notes(shopper_ids) -> dict[int, str]:
    """Each shopper's rating in a few words where a planner picks a shopper for a visit (registered with
    shops.eligibility.register_notes): "4.2 of 5 from 12 reviewed reports" or "not rated yet"."""
    found = {}
    for pk, rating in for_shoppers(shopper_ids).items():
        if rating.rated:
            found[pk] = ngettext("%(value)s of 5 from %(n)s reviewed report",
                                 "%(value)s of 5 from %(n)s reviewed reports",
                                 rating.reviewed) % {"value": rating.value, "n": rating.reviewed}
        else:
            found[pk] = _("not rated yet")
    return found


def of(shopper) -> Rating:
    return for_shoppers([shopper.pk])[shopper.pk]


def rules_in_words() -> list[str]:
    """How a rating is computed, for the pages that show one (the same rules as this module's docstring)."""
    return [
        ngettext("Counted: the last %(n)s report a reviewer approved or rejected.",
                 "Counted: the last %(n)s reports a reviewer approved or rejected.", WINDOW) % {"n": WINDOW},
        _("Each report scores 1 if approved as sent; if approved after being returned for revision, 0.25 less "
          "for each return (at least 0.25); 0 if rejected."),
        _("Each flag on an approved report (late, outside the window, far from the store, evidence missing) "
          "takes 0.1 off its score."),
        ngettext("The rating is the average score times 5, out of 5, once %(n)s report has been reviewed; "
                 "before that the shopper is not rated yet.",
                 "The rating is the average score times 5, out of 5, once %(n)s reports have been reviewed; "
                 "before that the shopper is not rated yet.", MINIMUM) % {"n": MINIMUM},
    ]
