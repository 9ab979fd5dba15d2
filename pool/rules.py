"""The pool's scheduling rules, registered with shops.eligibility (pool.apps) so they run wherever a visit is
accepted, claimed, applied for or planned. Each returns None or a sentence saying why not, in the reader's voice:
"You…" to the shopper (job board, home page offers, claiming and applying: inside
shops.eligibility.addressing_shopper()), the shopper by name to a planner."""

from collections import defaultdict
from datetime import timedelta

from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pool import programmes, ratings
from pool import qualifications as pool_qualifications
from pool.models import Conflict, Credential, ShopperProfile
from qa import formats
from shops import eligibility
from shops.models import Assignment

S = Assignment.Status
OPEN = (S.ACCEPTED, S.RETURNED)
# A rejected report was still a visit: the staff saw the shopper, which is what the lockout is about.
VISITED = (S.SUBMITTED, S.RETURNED, S.APPROVED, S.REJECTED)


def programme_of(assignment):
    """The visit's programme, looked up once for all the checks on one assignment object (the shopper's home
    page runs them on every offer)."""
    if not hasattr(assignment, "_pool_programme"):
        assignment._pool_programme = eligibility.remembered(
            ("pool programme", assignment.version.scorecard_id), lambda: programmes.of_assignment(assignment))
    return assignment._pool_programme


class ShopperFacts:
    """What the checks read of one shopper, each part read when a check first needs it. Inside
    shops.eligibility.many() (a page listing many visits: the job board, the home page's offers, planning
    coverage) one object serves every visit checked for the shopper; outside it each check reads afresh."""

    def __init__(self, shopper):
        self.shopper = shopper

    @cached_property
    def barred_reason(self):
        profile = ShopperProfile.objects.filter(shopper=self.shopper, barred=True).values_list("barred_reason",
                                                                                               flat=True)
        return next(iter(profile), None)

    @cached_property
    def conflicts(self) -> dict:
        return dict(Conflict.objects.filter(shopper=self.shopper).values_list("location_id", "reason"))

    @cached_property
    def visits(self) -> list[dict]:
        return list(
            Assignment.objects.filter(shopper=self.shopper, status__in=[*VISITED, S.ACCEPTED])
            .values(*VISIT_FIELDS))

    @cached_property
    def rating(self):
        return ratings.of(self.shopper)

    def open_visits(self, but=None) -> int:
        return sum(1 for v in self.visits if v["status"] in OPEN and v["pk"] != but)

    @cached_property
    def _missing(self) -> dict:
        return {}

    @cached_property
    def credentials(self) -> list | None:
        return None  # read by missing_for for one programme at a time, unless preloaded

    def missing(self, programme) -> list[str]:
        if programme.pk not in self._missing:
            self._missing[programme.pk] = pool_qualifications.missing_for(self.shopper, programme,
                                                                          credentials=self.credentials)
        return self._missing[programme.pk]


VISIT_FIELDS = ("pk", "location_id", "status", "window_start", "window_end", "report__arrived_at",
                "version__scorecard__programme_link__programme_id")


def facts(shopper) -> ShopperFacts:
    return eligibility.remembered(("pool shopper", shopper.pk), lambda: ShopperFacts(shopper))


def preload(shoppers) -> None:
    """Inside shops.eligibility.many(): read what the checks need of many shoppers (planning coverage's candidates)
    in six queries, instead of several per shopper."""
    shoppers = list(shoppers)
    ids = [shopper.pk for shopper in shoppers]
    if not ids:
        return
    barred_reasons = dict(ShopperProfile.objects.filter(shopper__in=ids, barred=True)
                          .values_list("shopper_id", "barred_reason"))
    conflicts, visits, credentials = defaultdict(dict), defaultdict(list), defaultdict(list)
    for shopper_id, location_id, reason in Conflict.objects.filter(shopper__in=ids).values_list(
            "shopper_id", "location_id", "reason"):
        conflicts[shopper_id][location_id] = reason
    for visit in Assignment.objects.filter(shopper__in=ids, status__in=[*VISITED, S.ACCEPTED]).values(
            "shopper_id", *VISIT_FIELDS):
        visits[visit.pop("shopper_id")].append(visit)
    for credential in Credential.objects.filter(shopper__in=ids):
        credentials[credential.shopper_id].append(credential)
    found_ratings = ratings.for_shoppers(ids)
    for shopper in shoppers:
        known = ShopperFacts(shopper)
        known.__dict__.update(barred_reason=barred_reasons.get(shopper.pk), conflicts=conflicts[shopper.pk],
                              visits=visits[shopper.pk], rating=found_ratings[shopper.pk],
                              credentials=credentials[shopper.pk])
        eligibility.remember(("pool shopper", shopper.pk), known)


def _say(for_shopper, for_planner, **values):
    """The reason in the reader's voice: to the shopper ("You…") inside shops.eligibility.addressing_shopper(),
    else about the shopper by name, for a planner."""
    return (for_shopper if eligibility.to_shopper() else for_planner) % values


def barred(shopper, assignment):
    reason = facts(shopper).barred_reason
    if reason is not None:
        return _say(_("You are barred from new visits: %(reason)s"),
                    _("%(shopper)s is barred from new visits: %(reason)s"), shopper=shopper, reason=reason)
    return None


def conflict(shopper, assignment):
    reason = facts(shopper).conflicts.get(assignment.location_id)
    if reason is not None:
        return _say(_("You are known at %(location)s (%(reason)s), so you cannot shop it."),
                    _("%(shopper)s is known at %(location)s (%(reason)s), so cannot shop it."),
                    shopper=shopper, location=assignment.location.name, reason=reason)
    return None


def _lockout_end(shopper, assignment):
    """(programme, the last visit's day, the first day a next visit may be made) when the programme's lockout
    after this shopper's last visit to the location still runs on the first day this visit can be made; else
    None. Visits of the same programme to the same location only."""
    programme = programme_of(assignment)
    if programme is None or not programme.lockout_days:
        return None
    earliest = max(timezone.localdate(), assignment.window_start) if assignment.window_start else timezone.localdate()
    last = max((v["report__arrived_at"] for v in _same(shopper, assignment, programme)
                if v["status"] in VISITED and v["report__arrived_at"]), default=None)
    if last:
        visited = timezone.localdate(last)
        again = visited + timedelta(days=programme.lockout_days)
        if again > earliest:
            return programme, visited, again
    return None


def _same(shopper, assignment, programme):
    return [v for v in facts(shopper).visits if v["location_id"] == assignment.location_id
            and v["version__scorecard__programme_link__programme_id"] == programme.pk and v["pk"] != assignment.pk]


def lockout(shopper, assignment):
    """No second visit to a location for the programme within its lockout days: counted from the last visit
    (its report's arrival); refused when the lockout runs to the window's last day or beyond (a window the
    lockout ends within may be taken: `lockout_starts` says from which day), and an accepted visit there not
    yet made counts too."""
    ends = _lockout_end(shopper, assignment)
    last_day = assignment.window_end
    if ends is not None and (last_day is None or ends[2] > last_day):
        programme, visited, again = ends
        return eligibility.RecentVisit(_say(
            _("You visited %(location)s for %(programme)s on %(date)s; this programme allows one visit to a location "
              "every %(days)s days, so your next can be on %(again)s or later, after this visit's window."),
            _("%(shopper)s visited %(location)s for %(programme)s on %(date)s; this programme allows one visit to a "
              "location every %(days)s days, so the next can be on %(again)s or later, after this visit's window."),
            shopper=shopper, location=assignment.location.name, programme=programme, date=formats.date(visited),
            days=programme.lockout_days, again=formats.date(again)), lifts_on=again)
    programme = programme_of(assignment)
    if programme is None or not programme.lockout_days:
        return None
    planned = min((v for v in _same(shopper, assignment, programme) if v["status"] == S.ACCEPTED),
                  key=lambda v: v["window_start"], default=None)
    if planned:
        # Not before the planned visit's first day and the lockout after it.
        return eligibility.RecentVisit(_say(
            _("You already have a visit to %(location)s for %(programme)s (%(start)s to %(end)s); this programme "
              "allows one visit to a location every %(days)s days."),
            _("%(shopper)s already has a visit to %(location)s for %(programme)s (%(start)s to %(end)s); this "
              "programme allows one visit to a location every %(days)s days."),
            shopper=shopper, location=assignment.location.name, programme=programme,
            start=formats.date(planned["window_start"]), end=formats.date(planned["window_end"]),
            days=programme.lockout_days), lifts_on=planned["window_start"] + timedelta(days=programme.lockout_days))
    return None


def lockout_starts(shopper, assignment):
    """The first day this shopper may make this visit when the programme's lockout ends inside its window (so
    the visit may be taken, but not on its first days); else None."""
    ends = _lockout_end(shopper, assignment)
    if ends is not None and (assignment.window_end is None or ends[2] <= assignment.window_end):
        return ends[2]
    return None


def lockout_note(shopper, assignment) -> str | None:
    """To the shopper: the first day they may go, when the lockout ends inside the visit's window."""
    day = lockout_starts(shopper, assignment)
    if day is None:
        return None
    return _("Go on %(date)s or later: your last visit to %(location)s was less than %(days)s days before the "
             "window opens.") % {"date": formats.date(day), "location": assignment.location.name,
                                 "days": programme_of(assignment).lockout_days}


def open_visits(shopper, assignment):
    programme = programme_of(assignment)
    if programme is None:
        return None
    held = facts(shopper).open_visits(but=assignment.pk)
    if held >= programme.max_open_visits:
        return _say(
            _("You already have %(n)s open visits; %(programme)s allows %(max)s open visits at once, of any "
              "programme. Report one first."),
            _("%(shopper)s already has %(n)s open visits; %(programme)s allows %(max)s open visits at once, of any "
              "programme. Report one first."),
            shopper=shopper, n=held, programme=programme, max=programme.max_open_visits)
    return None


def minimum_rating(shopper, assignment):
    programme = programme_of(assignment)
    if programme is None or programme.min_rating is None:
        return None
    rating = facts(shopper).rating
    if rating.rated and rating.value < programme.min_rating:
        return _say(
            _("You are rated %(rating)s of 5 (from %(n)s reviewed reports); %(programme)s needs %(min)s."),
            _("%(shopper)s is rated %(rating)s of 5 (from %(n)s reviewed reports); %(programme)s needs %(min)s."),
            shopper=shopper, rating=rating.value, n=rating.reviewed, programme=programme, min=programme.min_rating)
    return None


def qualifications(shopper, assignment):
    programme = programme_of(assignment)
    if programme is None:
        return None
    missing = facts(shopper).missing(programme)
    if missing:
        # The reader first, then the programme, then what is missing, each with why ("…(expired on 3 May 2026)").
        return _say(ngettext("You need this qualification for %(programme)s: %(missing)s.",
                             "You need these qualifications for %(programme)s: %(missing)s.", len(missing)),
                    ngettext("%(shopper)s needs this qualification for %(programme)s: %(missing)s.",
                             "%(shopper)s needs these qualifications for %(programme)s: %(missing)s.", len(missing)),
                    programme=programme, shopper=shopper, missing=", ".join(missing))
    return None


CHECKS = [barred, conflict, lockout, open_visits, minimum_rating, qualifications]
