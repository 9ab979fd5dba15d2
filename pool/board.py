"""The job board and planning at scale: which open visits a shopper sees and how far each is, claiming or
applying by the programme's rule, the planner's choice among applicants, the programme's coverage for a period,
and inviting qualified shoppers nearby to unclaimed visits.

Distances are computed here (haversine on the stored coordinates): no map service is asked."""

import math
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pool import ratings, rules
from pool.pay import money
from pool.models import Application, Conflict, Invitation, Programme, ProgrammeScorecard, ShopperProfile
from qa import formats
from qa.http import absolute_url
from scorecards.models import Channel
from shops import eligibility
from shops import services as shop_services
from shops.models import Assignment, AssignmentEvent, Location, Shopper

S = Assignment.Status
EARTH_KM = 6371.0088


def distance_km(lat1, lng1, lat2, lng2) -> float | None:
    """Great-circle distance in kilometres (haversine), or None when a point is missing."""
    if None in (lat1, lng1, lat2, lng2):
        return None
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lng2) - float(lng1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


def distance_matters(assignment) -> bool:
    """Whether where the shopper lives matters for this visit: only a store visit is made in person. A phone call
    is made from anywhere, so it is neither filtered nor sorted by distance on the board, shows no km on the
    applicants page, and any qualified shopper may be invited to it, however far they live."""
    return assignment.channel == Channel.STORE_VISIT


# ---- Profiles ----

def profile_of(shopper: Shopper) -> ShopperProfile:
    """The shopper's profile, or a new unsaved one (created on the first save)."""
    return ShopperProfile.objects.filter(shopper=shopper).first() or ShopperProfile(shopper=shopper)


def save_profile(profile: ShopperProfile, by) -> ShopperProfile:
    profile.changed_by = by
    profile._history_user = by
    profile.save()
    return profile


# ---- Programmes ----

def programmes_by_scorecard(scorecard_ids) -> dict:
    """{scorecard id: active Programme} in one query (with its required qualifications)."""
    links = (ProgrammeScorecard.objects.filter(scorecard_id__in=set(scorecard_ids), programme__active=True)
             .select_related("programme").prefetch_related("programme__required_qualifications"))
    return {link.scorecard_id: link.programme for link in links}


def claim_rule(programme) -> str:
    return programme.claim_rule if programme is not None else Programme.ClaimRule.FIRST_COME


def programme_of(assignment):
    return programmes_by_scorecard([assignment.version.scorecard_id]).get(assignment.version.scorecard_id)


def following(scorecard_ids) -> tuple[int, int]:
    """(open visits, applications waiting) scored with these scorecards: what follows a programme's rules as
    soon as the scorecards join it (or stops following them when they leave). Open: offered, accepted or
    returned; waiting: applied for a visit still offered. Two counts."""
    ids = set(scorecard_ids)
    if not ids:
        return 0, 0
    visits = Assignment.objects.filter(version__scorecard__in=ids, status__in=[S.OFFERED, S.ACCEPTED, S.RETURNED])
    waiting = Application.objects.filter(status=Application.Status.APPLIED, assignment__status=S.OFFERED,
                                         assignment__version__scorecard__in=ids)
    return visits.count(), waiting.count()


# ---- The board ----

@dataclass
class Card:
    assignment: Assignment
    distance: float | None
    programme: Programme | None = None
    rule: str = Programme.ClaimRule.FIRST_COME
    application: Application | None = None
    invited: bool = False
    refusals: list = field(default_factory=list)
    note: str | None = None  # e.g. the first day the shopper may go (a lockout ending inside the window)
    unqualified: bool = False  # refused for a qualification the shopper does not hold (links to theirs)

    @property
    def anywhere(self) -> bool:
        """Made from anywhere (a phone call): the card says so instead of a distance."""
        return not distance_matters(self.assignment)

    @property
    def applies(self) -> bool:
        return self.rule == Programme.ClaimRule.PLANNER_CHOOSES

    @property
    def qualifications(self) -> list:
        return list(self.programme.required_qualifications.all()) if self.programme else []


def open_visits(shopper: Shopper, *, date_from=None, date_to=None, min_fee=None):
    """The visits on this shopper's board: offered to them or to the whole pool, window not past, not declined,
    with whether they were invited; filtered by window dates and fee."""
    visits = shop_services.offered_to(shopper).select_related("location", "version__scorecard").annotate(
        invited=Exists(Invitation.objects.filter(assignment=OuterRef("pk"), shopper=shopper)))
    if date_from:
        visits = visits.filter(window_end__gte=date_from)
    if date_to:
        visits = visits.filter(window_start__lte=date_to)
    if min_fee is not None:
        visits = visits.filter(fee__gte=min_fee)
    return visits


def board(shopper: Shopper, origin=None, *, max_km=None, **filters) -> list[Card]:
    """The shopper's open visits nearest first from `origin` (lat, lng), else from their home; then the visits
    made from anywhere (distance_matters), soonest first; visits with no known distance last. A visit farther than
    `max_km` is left out (one with no distance too), never one made from anywhere."""
    if origin is None:
        profile = ShopperProfile.objects.filter(shopper=shopper).first()
        origin = (profile.home_latitude, profile.home_longitude) if profile and profile.has_home else None
    cards = []
    for visit in open_visits(shopper, **filters):
        place, distance = visit.location, None
        if distance_matters(visit):
            distance = distance_km(*origin, place.latitude, place.longitude) if origin else None
            if max_km is not None and (distance is None or distance > max_km):
                continue
        cards.append(Card(assignment=visit, distance=distance, invited=visit.invited))

    def order(card):
        group = 1 if card.anywhere else (0 if card.distance is not None else 2)
        return group, card.distance or 0, card.assignment.window_start, card.assignment.pk

    cards.sort(key=order)
    return cards


def decorate(cards: list[Card], shopper: Shopper) -> list[Card]:
    """For the cards shown (one page): programme, claim rule, the shopper's application, why they cannot take it."""
    programmes = programmes_by_scorecard(c.assignment.version.scorecard_id for c in cards)
    applications = {a.assignment_id: a for a in Application.objects.filter(
        shopper=shopper, assignment__in=[c.assignment.pk for c in cards])}
    # What the checks read of this shopper, read once for the page; the reasons speak to the shopper.
    with eligibility.many(), eligibility.addressing_shopper():
        for card in cards:
            card.programme = programmes.get(card.assignment.version.scorecard_id)
            card.rule = claim_rule(card.programme)
            card.application = applications.get(card.assignment.pk)
            card.refusals = eligibility.refusals(shopper, card.assignment)
            card.unqualified = bool(card.refusals and card.programme is not None
                                    and rules.facts(shopper).missing(card.programme))
            card.note = None if card.refusals else rules.lockout_note(shopper, card.assignment)
    return cards


# ---- Claim, apply, withdraw ----

def refused_for_qualifications(shopper: Shopper, assignment: Assignment, message: str) -> bool:
    """Whether this refusal (a claim's or an application's, as the shopper read it) says a qualification is
    missing: then the notice links to the shopper's qualifications, as the board's card does. Read from the rule's
    own sentence, so a visit refused for another reason (taken meanwhile) does not point there."""
    with eligibility.addressing_shopper():
        reason = rules.qualifications(shopper, assignment)
    return bool(reason) and reason in message


def claim(assignment: Assignment, shopper: Shopper) -> Assignment:
    """First come: the visit is the shopper's at once (shops.services.accept locks it and checks eligibility)."""
    if claim_rule(programme_of(assignment)) == Programme.ClaimRule.PLANNER_CHOOSES:
        raise ValidationError(_("For this visit shoppers apply and the planner chooses one: apply instead."))
    return shop_services.accept(assignment, shopper)


@transaction.atomic
def apply(assignment: Assignment, shopper: Shopper, note: str = "") -> Application:
    assignment = Assignment.objects.select_for_update().select_related("location", "version").get(pk=assignment.pk)
    if assignment.status != S.OFFERED or assignment.shopper_id not in (None, shopper.pk):
        raise ValidationError(_("This visit is no longer available."))
    if assignment.window_end < timezone.localdate():
        raise ValidationError(_("This visit's window has passed."))
    if claim_rule(programme_of(assignment)) != Programme.ClaimRule.PLANNER_CHOOSES:
        raise ValidationError(_("This visit goes to the first qualified shopper who claims it: claim it instead."))
    with eligibility.addressing_shopper():
        reason = eligibility.refusal(shopper, assignment)
    if reason:
        raise ValidationError(reason)
    application = Application.objects.filter(assignment=assignment, shopper=shopper).first()
    if application is None:
        return Application.objects.create(assignment=assignment, shopper=shopper, note=note.strip())
    if application.status == Application.Status.APPLIED:
        raise ValidationError(_("You have already applied for this visit."))
    if application.status != Application.Status.WITHDRAWN:
        raise ValidationError(_("The planner has already decided on your application for this visit."))
    application.status, application.note, application.decided_at = Application.Status.APPLIED, note.strip(), None
    application.applied_at = timezone.now()
    application.save()
    return application


def withdraw(application: Application) -> Application:
    if application.status != Application.Status.APPLIED:
        raise ValidationError(_("This application is %(status)s: it can no longer be withdrawn.") % {
            "status": application.get_status_display().lower()})
    application.status, application.decided_at = Application.Status.WITHDRAWN, timezone.now()
    application.save(update_fields=["status", "decided_at"])
    return application


# ---- The planner's choice ----

APPLICANT_ORDERS = {  # ?order= on the applicants page: the waiting ones first, then by this
    "applied": lambda r: (r.applied_at, r.pk),
    "distance": lambda r: (r.distance is None, r.distance or 0, r.applied_at, r.pk),
    "rating": lambda r: (not r.rating.rated, -(r.rating.value or 0), r.applied_at, r.pk),
}


def applicants(assignment: Assignment, order: str = "applied") -> list[Application]:
    """The visit's applications (waiting first, then in `order`: APPLICANT_ORDERS), each with the shopper's
    rating, distance and refusals now."""
    rows = list(assignment.applications.select_related("shopper__user", "shopper__profile").order_by(
        "applied_at", "pk"))
    found = ratings.for_shoppers({a.shopper_id for a in rows})
    place, in_person = assignment.location, distance_matters(assignment)
    checked = [row for row in rows if row.status == Application.Status.APPLIED and assignment.status == S.OFFERED]
    with eligibility.many():  # the applicants' facts read together: a popular visit has dozens
        rules.preload(row.shopper for row in checked)
        for row in rows:
            row.rating = found[row.shopper_id]
            profile = getattr(row.shopper, "profile", None)
            row.distance = (distance_km(profile.home_latitude, profile.home_longitude, place.latitude,
                                        place.longitude) if profile is not None and in_person else None)
            row.refusals = eligibility.refusals(row.shopper, assignment) if row in checked else []
    then = APPLICANT_ORDERS[order]
    rows.sort(key=lambda r: (r.status != Application.Status.APPLIED, *then(r)))
    return rows


@transaction.atomic
def choose(application: Application, by) -> Assignment:
    """Give the visit to this applicant (eligibility checked again now) and tell the others they were not chosen."""
    assignment = Assignment.objects.select_for_update().select_related("location").get(pk=application.assignment_id)
    application = Application.objects.select_for_update().select_related("shopper__user").get(pk=application.pk)
    if application.status != Application.Status.APPLIED:
        raise ValidationError(_("This application is %(status)s: choose among those still waiting.") % {
            "status": application.get_status_display().lower()})
    if assignment.status != S.OFFERED or assignment.shopper_id not in (None, application.shopper_id):
        raise ValidationError(_("This visit is %(status)s: it can no longer be given to an applicant.") % {
            "status": assignment.get_status_display().lower()})
    shopper = application.shopper
    reason = eligibility.refusal(shopper, assignment)
    if reason:
        raise ValidationError(reason)
    assignment.shopper = shopper
    shop_services.change_status(assignment, S.ACCEPTED, by, _("Chosen among the applicants: %(shopper)s.") % {
        "shopper": shopper})
    now = timezone.now()
    application.status, application.decided_at = Application.Status.CHOSEN, now
    application.save(update_fields=["status", "decided_at"])
    Application.objects.filter(assignment=assignment, status=Application.Status.APPLIED).exclude(
        pk=application.pk).update(status=Application.Status.NOT_CHOSEN, decided_at=now)
    address = shopper.user.email
    if address:
        with formats.viewer_time_zone(shopper.user):
            window = _("%(start)s to %(end)s") % {"start": formats.day(assignment.window_start),
                                                 "end": formats.day(assignment.window_end)}
        subject = _("You have the visit to %(location)s") % {"location": str(assignment.location)}
        body = _("The planner chose you for the visit to %(location)s, %(window)s. Its brief and address are on "
                 "your home page: %(link)s") % {"location": str(assignment.location), "window": window,
                                               "link": absolute_url(reverse("home"))}
        transaction.on_commit(lambda: send_mail(subject, body, None, [address], fail_silently=True))
    return assignment


# ---- Coverage and invitations ----

def month_of(today):
    start = today.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return start, end


def in_programme(programme, prefix=""):
    """A filter on assignments (or on `prefix`-related ones) of this programme's scorecards; all when None."""
    if programme is None:
        return Q()
    return Q(**{f"{prefix}version__scorecard__programme_link__programme": programme})


def uncovered_locations(programme, start, end):
    """Active locations with no visit (not cancelled) whose window meets the period."""
    visits = Assignment.objects.filter(in_programme(programme), location=OuterRef("pk"), window_start__lte=end,
                                       window_end__gte=start).exclude(status=S.CANCELLED)
    return Location.objects.filter(active=True).exclude(Exists(visits)).select_related("region").order_by(
        "region__name", "name")


def unclaimed(programme, days: int, today=None):
    """Visits still offered (not past) whose window starts within `days` days or has started, soonest first."""
    today = today or timezone.localdate()
    return (Assignment.objects.filter(in_programme(programme), status=S.OFFERED, window_end__gte=today,
                                      window_start__lte=today + timedelta(days=days))
            .select_related("location__region", "shopper__user", "version__scorecard", "plan_follow_up")
            .annotate(invited_count=Count("invitations", distinct=True),
                      waiting_count=Count("applications", distinct=True,
                                          filter=Q(applications__status=Application.Status.APPLIED)))
            .order_by("window_start", "location__name", "pk"))


def _candidates():
    """Active, unbarred shoppers with a profile (a home position or not: a visit made from anywhere does not ask
    for one): [(shopper, profile)] in one query."""
    profiles = ShopperProfile.objects.filter(shopper__active=True, barred=False).select_related("shopper__user")
    return [(p.shopper, p) for p in profiles]


def qualified_nearby(assignments, candidates=None) -> dict[int, list[Shopper]]:
    """{assignment id: shoppers who may take it now and live within their travel distance of it, or anywhere for
    a visit made from anywhere (distance_matters)}. Only visits offered to the whole pool are given to others; a
    shopper who declined a visit is not asked again."""
    candidates = _candidates() if candidates is None else candidates
    assignments = list(assignments)
    declined = set(AssignmentEvent.objects.filter(AssignmentEvent.declines(),
                                                  assignment__in=[a.pk for a in assignments])
                   .values_list("assignment_id", "by_id"))
    # Those who applied already wait for the planner's choice: not invited to what they asked for.
    applied = set(Application.objects.filter(assignment__in=[a.pk for a in assignments],
                                             status=Application.Status.APPLIED)
                  .values_list("assignment_id", "shopper_id"))
    # Known at the location: refused anyway, so skipped before the (several-query) full check.
    known = set(Conflict.objects.filter(shopper__in=[s.pk for s, _p in candidates],
                                        location__in={a.location_id for a in assignments})
                .values_list("shopper_id", "location_id"))
    found = {}
    with eligibility.many():  # the candidates' facts read together, once for all the visits
        rules.preload(shopper for shopper, _profile in candidates)
        for assignment in assignments:
            found[assignment.pk] = []
            place, in_person = assignment.location, distance_matters(assignment)
            if assignment.shopper_id is not None or (in_person and not place.has_coordinates):
                continue
            for shopper, profile in candidates:
                if (assignment.pk, shopper.user_id) in declined or (shopper.pk, assignment.location_id) in known \
                        or (assignment.pk, shopper.pk) in applied:
                    continue
                if in_person:
                    distance = distance_km(profile.home_latitude, profile.home_longitude, place.latitude,
                                           place.longitude)
                    if distance is None or distance > profile.travel_km:
                        continue
                if not eligibility.refusals(shopper, assignment):
                    found[assignment.pk].append(shopper)
    return found


def invite(assignments, by) -> tuple[int, int]:
    """Invite the qualified shoppers nearby to each visit (each shopper once per visit) and e-mail each shopper
    once, listing the visits they are newly invited to. Returns (invitations made, visits with nobody to
    invite)."""
    assignments = [a for a in assignments if a.status == S.OFFERED and a.shopper_id is None]
    nearby = qualified_nearby(assignments)
    nobody = sum(1 for a in assignments if not nearby.get(a.pk))
    wanted = {(a.pk, shopper.pk): (a, shopper) for a in assignments for shopper in nearby.get(a.pk, [])}
    invited = _invite_together(wanted, by)
    made = sum(len(visits) for _shopper, visits in invited.values())
    link = absolute_url(reverse("pool:board"))
    for shopper, visits in invited.values():
        address = shopper.user.email
        if not address:
            continue
        with formats.viewer_time_zone(shopper.user):
            lines = "\n".join(
                (_("- %(location)s, %(start)s to %(end)s, fee %(fee)s") if distance_matters(visit) else
                 _("- %(location)s (a phone call, from anywhere), %(start)s to %(end)s, fee %(fee)s")) % {
                    "location": str(visit.location), "start": formats.day(visit.window_start),
                    "end": formats.day(visit.window_end), "fee": money(visit.fee)}
                for visit in visits)
        # "Near you" only when every visit is made in person: a phone call was offered however far they live.
        near = all(distance_matters(visit) for visit in visits)
        if len(visits) == 1:
            subject = (_("A visit near you: %(location)s") if near else
                       _("A visit for you: %(location)s")) % {"location": str(visits[0].location)}
        else:
            subject = (_("%(n)s visits near you") if near else _("%(n)s visits for you")) % {"n": len(visits)}
        intro = (ngettext("You are invited to a mystery-shopping visit near you:",
                          "You are invited to mystery-shopping visits near you:", len(visits)) if near else
                 ngettext("You are invited to a mystery-shopping visit:",
                          "You are invited to mystery-shopping visits:", len(visits)))
        body = "%(intro)s\n\n%(visits)s\n\n%(see)s" % {
            "intro": intro, "visits": lines,
            "see": ngettext("See it on your job board and claim or apply there: %(link)s",
                            "See them on your job board and claim or apply there: %(link)s",
                            len(visits)) % {"link": link}}
        transaction.on_commit(lambda s=subject, b=body, a=address: send_mail(s, b, None, [a], fail_silently=True))
    return made, nobody


def _invite_together(wanted: dict, by) -> dict[int, tuple[Shopper, list[Assignment]]]:
    """The invitations of `wanted` ({(visit id, shopper id): (visit, shopper)}) not made before, written in one
    statement ("offer all on this page" makes hundreds): {shopper id: (shopper, visits newly invited to)}.
    Pairs already invited are skipped, and the unique constraint (pool_invite_once) drops a pair another planner
    invites in the same moment; what counts as made here is what exists afterwards and did not before."""
    if not wanted:
        return {}
    pairs = Invitation.objects.filter(assignment_id__in={v for v, _s in wanted},
                                      shopper_id__in={s for _v, s in wanted})
    before = set(pairs.values_list("assignment_id", "shopper_id")) & set(wanted)
    Invitation.objects.bulk_create(
        [Invitation(assignment_id=visit_id, shopper_id=shopper_id, invited_by=by)
         for visit_id, shopper_id in wanted if (visit_id, shopper_id) not in before],
        ignore_conflicts=True, batch_size=500)
    after = set(pairs.filter(invited_by=by).values_list("assignment_id", "shopper_id")) & set(wanted)
    invited: dict[int, tuple[Shopper, list[Assignment]]] = {}
    for key in sorted(after - before):
        visit, shopper = wanted[key]
        invited.setdefault(shopper.pk, (shopper, []))[1].append(visit)
    return invited


def named_refusals(visits) -> dict[int, str]:
    """{visit id: why its named shopper may not take it now} for visits offered to a shopper by name that a
    rule now refuses (barred since, a lockout, a qualification lapsed…): the planner's voice."""
    found = {}
    with eligibility.many():
        for visit in visits:
            if visit.shopper_id is not None:
                reason = eligibility.refusal(visit.shopper, visit)
                if reason:
                    found[visit.pk] = reason
    return found
