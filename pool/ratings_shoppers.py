"""The planners' view of the pool's shoppers: the list with each one's rating and standing, one shopper's
reviewed visits, the conflict list, and barring (kept in the profile's history with who, when and why).

A bar stops new visits (pool.rules.barred refuses offers, claims, applications and planning); visits the
shopper already accepted stay theirs, and offers addressed to them stay listed but cannot be accepted."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from pool import ratings
from pool.models import Appeal, Conflict, Credential, ShopperProfile
from shops.models import Assignment, AssignmentEvent, Shopper

S = Assignment.Status
OPEN = (S.ACCEPTED, S.RETURNED)
VISITED = (S.SUBMITTED, S.RETURNED, S.APPROVED, S.REJECTED)

SORTS = {
    "name": None,
    "rating": "rating",
    "-rating": "-rating",
    "last_visit": "-last_visit",
    "open": "-open_visits",
}


def shoppers():
    """Every shopper with what the list shows, annotated in one query."""
    held = (Credential.objects.filter(shopper=OuterRef("pk"), status=Credential.Status.APPROVED)
            .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate()))
            .order_by().values("shopper").annotate(n=Count("qualification", distinct=True)).values("n"))
    return (Shopper.objects.select_related("user", "home_region", "profile")
            .annotate(open_visits=Count("assignments", filter=Q(assignments__status__in=OPEN), distinct=True),
                      last_visit=Max("assignments__report__arrived_at",
                                     filter=Q(assignments__status__in=VISITED)),
                      qualifications_held=Coalesce(Subquery(held), 0)))


def search(*, q="", region=None, min_rating=None, barred="", sort="name", active_only=True) -> list:
    """The shoppers matching the filters, each with `.rating`, sorted; the rating filter and sort run on the
    computed ratings (one more query however many shoppers)."""
    found = shoppers()
    if active_only:
        found = found.filter(active=True)
    for word in q.split():
        found = found.filter(Q(user__first_name__icontains=word) | Q(user__last_name__icontains=word)
                             | Q(user__username__icontains=word) | Q(profile__home_area__icontains=word))
    if region is not None:
        found = found.filter(home_region=region)
    if barred == "yes":
        found = found.filter(profile__barred=True)
    elif barred == "no":
        found = found.exclude(profile__barred=True)
    # By surname, then first name (Meta.ordering is not applied to a query with aggregates); the other sorts
    # below are stable, so equal values keep this order.
    rows = list(found.order_by(Lower("user__last_name"), Lower("user__first_name"), Lower("user__username"), "pk"))
    by_id = ratings.for_shoppers([s.pk for s in rows])
    for shopper in rows:
        shopper.rating = by_id[shopper.pk]
    if min_rating is not None:
        rows = [s for s in rows if s.rating.rated and s.rating.value >= min_rating]
    if sort in ("rating", "-rating"):
        rated = sorted((s for s in rows if s.rating.rated), key=lambda s: s.rating.value, reverse=sort == "-rating")
        rows = rated + [s for s in rows if not s.rating.rated]  # "not rated yet" last either way
    elif sort == "last_visit":
        rows = sorted(rows, key=lambda s: s.last_visit.timestamp() if s.last_visit else float("-inf"), reverse=True)
    elif sort == "open":
        rows = sorted(rows, key=lambda s: s.open_visits, reverse=True)
    return rows


def is_barred(shopper) -> bool:
    try:
        return shopper.profile.barred
    except ShopperProfile.DoesNotExist:
        return False


@dataclass
class Visit:
    assignment: Assignment
    returns: int
    on_appeal: bool = False  # rejected, then approved when an appeal overturned the rejection

    @property
    def report(self):
        return self.assignment.report

    @property
    def score(self):
        return ratings.visit_score(self.assignment.status, self.returns, len(self.report.flags or []))

    @property
    def outcome(self) -> str:
        if self.assignment.status == S.REJECTED:
            return _("Rejected")
        if self.on_appeal:
            return _("Approved on appeal")
        if not self.returns:
            return _("Approved as sent")
        if self.returns == 1:
            return _("Approved after 1 return")
        return _("Approved after %(n)s returns") % {"n": self.returns}


def reviewed_visits(shopper) -> list[Visit]:
    """The visits the rating counts (the last ratings.WINDOW reviewed reports), newest first, in two queries."""
    returns = (AssignmentEvent.objects.filter(assignment=OuterRef("pk"), to_status=S.RETURNED)
               .order_by().values("assignment").annotate(n=Count("pk")).values("n"))
    rows = (Assignment.objects.filter(shopper=shopper, status__in=ratings.REVIEWED, report__isnull=False)
            .select_related("location", "report")
            .annotate(returns=Coalesce(Subquery(returns), 0),
                      on_appeal=Exists(Appeal.objects.filter(assignment=OuterRef("pk"),
                                                             decision=Appeal.Decision.OVERTURNED)))
            .order_by("-report__last_submitted_at", "-pk")[:ratings.WINDOW])
    return [Visit(assignment=a, returns=a.returns, on_appeal=a.on_appeal) for a in rows]


def open_offers(shopper) -> int:
    return Assignment.objects.filter(shopper=shopper, status=S.OFFERED).count()


@transaction.atomic
def set_barred(shopper, *, barred: bool, reason: str, by) -> ShopperProfile:
    """Bar (a reason is required) or lift a bar (a note is optional); the history keeps who, when and why."""
    reason = (reason or "").strip()
    profile = ShopperProfile.objects.select_for_update().filter(shopper=shopper).first() or ShopperProfile(
        shopper=shopper)
    if barred and not reason:
        raise ValidationError({"reason": _("Say why the shopper is barred: they and other planners will read it.")})
    if profile.barred == barred:
        raise ValidationError(_("%(shopper)s is already barred.") % {"shopper": shopper} if barred
                              else _("%(shopper)s is not barred.") % {"shopper": shopper})
    profile.barred = barred
    profile.barred_reason = reason if barred else ""
    profile.changed_by = by
    profile._history_user = by
    profile._change_reason = reason[:100] if reason else ""
    profile.save()
    return profile


def bar_history(shopper) -> list[dict]:
    """Each bar and lifting of a bar, newest first: who, when, what, why."""
    try:
        profile = shopper.profile  # loaded with the shopper on the pages
    except ShopperProfile.DoesNotExist:
        return []
    records = list(profile.history.select_related("history_user").order_by("history_date", "history_id"))
    events, was_barred = [], False
    for record in records:
        if record.barred != was_barred:
            events.append({
                "who": record.history_user, "when": record.history_date, "barred": record.barred,
                "why": record.barred_reason if record.barred else (record.history_change_reason or ""),
            })
        was_barred = record.barred
    return events[::-1]


def history(shopper) -> list[dict]:
    """What the page's history shows, newest first: bars and their lifting, conflicts added and removed
    (Conflict's own history, one query)."""
    events = [dict(event, kind="barred" if event["barred"] else "unbarred") for event in bar_history(shopper)]
    records = (Conflict.history.filter(shopper_id=shopper.pk, history_type__in=["+", "-"])
               .select_related("history_user", "location", "added_by").order_by("history_date", "history_id"))
    for record in records:
        added = record.history_type == "+"
        who = record.history_user or (record.added_by if added else None)  # added outside a request: its adder
        events.append({"kind": "conflict_added" if added else "conflict_removed", "who": who,
                       "when": record.history_date, "location": str(record.location),
                       "why": record.reason if added else (record.history_change_reason or "")})
    return sorted(events, key=lambda e: e["when"], reverse=True)


def add_conflict(shopper, *, location, reason: str, by) -> Conflict:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say how the shopper is known there.")})
    conflict = Conflict(shopper=shopper, location=location, reason=reason, added_by=by)
    conflict._history_user = by
    try:
        with transaction.atomic():
            conflict.save()
            return conflict
    except IntegrityError:
        raise ValidationError({"location": _("%(location)s is already on this shopper's conflict list.") % {
            "location": location}}) from None


def remove_conflict(conflict: Conflict, *, by, reason: str = "") -> None:
    """Taken off the list; the history keeps who removed it, when and (if given) why."""
    conflict._history_user = by
    conflict._change_reason = (reason or "").strip()[:100]
    conflict.delete()
