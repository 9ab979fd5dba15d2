"""The pool's scheduling rules (pool.rules through shops.eligibility): each refuses with a message that names the
shopper, the location, the programme and dates (en-GB), and lets the visit through otherwise; at accept (the
shopper's home page and its accept button) and at planning (one visit: a form error; many: the skipped list)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pool import rules
from pool.models import Conflict, Credential, Programme, ProgrammeScorecard, Qualification, ShopperProfile
from qa.models import VisitReport
from shops import eligibility
from shops import services as shop_services
from shops.models import Assignment
from tests import factories as f
from tests.visits_helpers import make_assignment

pytestmark = pytest.mark.django_db
S = Assignment.Status


@pytest.fixture
def programme(world):
    programme = Programme.objects.create(name="Store visits", lockout_days=90, max_open_visits=3)
    ProgrammeScorecard.objects.create(programme=programme, scorecard=world.version.scorecard)
    return programme


def shopper_of(world):
    return world.shopper.shopper


def offer(world, **fields):
    return make_assignment(world, accepted=False, pool=True, **fields)


def visited(world, location, days_ago, status=S.APPROVED):
    """A visit made `days_ago` days ago (its report's arrival), reviewed with `status`."""
    assignment = make_assignment(world, location=location)
    when = timezone.now() - timedelta(days=days_ago)
    evaluation = f.make_evaluation(world.version, location, world.reviewer, f.ALL_GOOD)
    VisitReport.objects.create(evaluation=evaluation, assignment=assignment, arrived_at=when,
                               departed_at=when + timedelta(minutes=20), narrative="Visited.",
                               first_submitted_at=when, last_submitted_at=when)
    Assignment.objects.filter(pk=assignment.pk).update(status=status)
    return assignment


def test_every_rule_is_registered_with_shops_eligibility():
    for check in rules.CHECKS:
        assert check in eligibility._checks


def test_no_programme_means_no_pool_rule(world):
    assignment = offer(world)
    ShopperProfile.objects.create(shopper=shopper_of(world), barred=True, barred_reason="Fake receipts.")
    # Barred still applies without a programme; the programme's rules do not.
    assert all(
        check(shopper_of(world), assignment) is None
        for check in (rules.lockout, rules.open_visits, rules.minimum_rating, rules.qualifications))


def test_barred(world, programme):
    assignment = offer(world)
    assert rules.barred(shopper_of(world), assignment) is None
    profile = ShopperProfile.objects.create(shopper=shopper_of(world), barred=True,
                                            barred_reason="Reports copied from another shopper.")
    assert rules.barred(shopper_of(world), assignment) == (
        "shopper is barred from new visits: Reports copied from another shopper.")
    profile.barred = False
    profile.save()
    assert rules.barred(shopper_of(world), assignment) is None


def test_conflict(world, programme):
    assignment = offer(world)
    Conflict.objects.create(shopper=shopper_of(world), location=world.location_b, reason="Sister works there")
    assert rules.conflict(shopper_of(world), assignment) is None
    Conflict.objects.create(shopper=shopper_of(world), location=world.location_a, reason="Former employee")
    assert rules.conflict(shopper_of(world), assignment) == (
        "shopper is known at Store A (Former employee), so cannot shop it.")


def test_lockout_counts_from_the_last_visit_to_the_first_day_the_new_one_can_be_made(world, programme):
    visited(world, world.location_a, days_ago=30)
    visit_day = timezone.localdate() - timedelta(days=30)
    refused = rules.lockout(shopper_of(world), offer(world))
    assert refused == (
        f"shopper visited Store A for Store visits on {visit_day.strftime('%-d %b %Y')}; this programme allows one "
        f"visit to a location every 90 days, so the next can be on "
        f"{(visit_day + timedelta(days=90)).strftime('%-d %b %Y')} or later, after this visit's window.")
    # Another location, or a window that starts after the lockout, passes.
    assert rules.lockout(shopper_of(world), offer(world, location=world.location_b)) is None
    later = offer(world, window_start=visit_day + timedelta(days=90), window_end=visit_day + timedelta(days=95))
    assert rules.lockout(shopper_of(world), later) is None
    # A rejected report was still a visit; a visit cancelled before any report is not.
    Assignment.objects.filter(status=S.APPROVED).update(status=S.REJECTED)
    assert rules.lockout(shopper_of(world), offer(world)) is not None
    # A programme without a lockout allows repeat visits.
    programme.lockout_days = 0
    programme.save()
    assert rules.lockout(shopper_of(world), offer(world)) is None


def test_lockout_is_per_programme(world, programme):
    visited(world, world.location_a, days_ago=10)
    other_card = f.make_scorecard("Phone calls", user=world.admin)
    other = Programme.objects.create(name="Calls", lockout_days=30)
    ProgrammeScorecard.objects.create(programme=other, scorecard=other_card.scorecard)
    assignment = shop_services.create_assignment(
        created_by=world.lead, location=world.location_a, version=other_card, shopper=None, brief="Call.",
        fee=Decimal("10"), window_start=timezone.localdate(), window_end=timezone.localdate() + timedelta(days=3))
    assert rules.lockout(shopper_of(world), assignment) is None


def test_lockout_counts_an_accepted_visit_not_made_yet(world, programme):
    make_assignment(world)  # accepted at Store A
    refused = rules.lockout(shopper_of(world), offer(world))
    assert refused.startswith("shopper already has a visit to Store A for Store visits (")
    assert "every 90 days" in refused


def test_open_visits(world, programme):
    programme.max_open_visits = 2
    programme.save()
    make_assignment(world, location=world.location_a)
    assert rules.open_visits(shopper_of(world), offer(world, location=world.location_b)) is None
    make_assignment(world, location=world.location_b)
    assert rules.open_visits(shopper_of(world), offer(world, location=world.location_b)) == (
        "shopper already has 2 open visits; Store visits allows 2 open visits at once, of any programme. Report one "
        "first.")
    with eligibility.addressing_shopper():
        assert rules.open_visits(shopper_of(world), offer(world, location=world.location_b)).startswith(
            "You already have 2 open visits;")


def test_each_rule_speaks_to_the_shopper_and_names_them_to_a_planner(world, programme):
    """Every rule refusing at once: the shopper reads each sentence starting with "You", the planner with the
    shopper's name (never with the programme's, as "Store visits needs qualifications you do not hold")."""
    programme.lockout_days = 0  # while the history is made
    programme.save()
    visited(world, world.location_a, days_ago=10)
    for days_ago in (3, 2, 1):  # three reports a reviewer rejected: rated below 3
        visited(world, world.location_b, days_ago, status=S.REJECTED)
    make_assignment(world, location=world.location_b)  # one open visit already
    programme.lockout_days, programme.max_open_visits, programme.min_rating = 90, 1, Decimal("3.0")
    programme.save()
    programme.required_qualifications.add(Qualification.objects.create(name="Store visit course", kind="quiz"))
    Conflict.objects.create(shopper=shopper_of(world), location=world.location_a, reason="Former employee")
    ShopperProfile.objects.create(shopper=shopper_of(world), barred=True, barred_reason="Fake receipts.")
    assignment = offer(world, bar_days=30)
    planner = eligibility.refusals(shopper_of(world), assignment)
    with eligibility.addressing_shopper():
        to_shopper = eligibility.refusals(shopper_of(world), assignment)
    # barred, conflict, lockout, open visits, rating, qualifications; the visit's own 30-day bar counts the same
    # visit as the 90-day lockout and lifts sooner, so it is not said as well
    # (test_the_stricter_of_the_bar_and_the_lockout_is_said_alone)
    assert len(planner) == len(to_shopper) == 6, to_shopper
    assert all(reason.startswith("shopper ") for reason in planner), planner
    assert all(reason.startswith("You ") and "shopper" not in reason for reason in to_shopper), to_shopper
    assert eligibility.to_shopper() is False


def test_lockout_ending_inside_the_window_allows_the_visit_from_that_day(world, programme):
    visited(world, world.location_a, days_ago=88)
    today = timezone.localdate()
    again = today + timedelta(days=2)
    inside = offer(world, window_start=today, window_end=today + timedelta(days=6))
    assert rules.lockout(shopper_of(world), inside) is None
    assert rules.lockout_starts(shopper_of(world), inside) == again
    assert again.strftime('%-d %b %Y') in rules.lockout_note(shopper_of(world), inside)
    # The lockout ending on the window's last day still allows it; one day later does not.
    assert rules.lockout(shopper_of(world), offer(world, window_start=today, window_end=again)) is None
    assert rules.lockout(shopper_of(world), offer(world, window_start=today, window_end=again - timedelta(days=1)))


def test_minimum_rating(world, programme):
    programme.min_rating = Decimal("3.0")
    programme.save()
    assignment = offer(world)
    # Not rated yet (fewer than 3 reviewed visits): may take visits.
    assert rules.minimum_rating(shopper_of(world), assignment) is None
    Programme.objects.filter(pk=programme.pk).update(lockout_days=0)
    for days_ago in (3, 2, 1):  # three reports a reviewer rejected
        visited(world, world.location_b, days_ago, status=S.REJECTED)
    assert rules.minimum_rating(shopper_of(world), assignment) == (
        "shopper is rated 0.0 of 5 (from 3 reviewed reports); Store visits needs 3.0.")
    programme.min_rating = Decimal("0")
    programme.save()
    assert rules.minimum_rating(shopper_of(world), Assignment.objects.get(pk=assignment.pk)) is None


def test_qualifications(world, programme):
    quiz = Qualification.objects.create(name="Store visit certification", kind="quiz", valid_months=12)
    identity = Qualification.objects.create(name="Identity check", kind="document")
    retired = Qualification.objects.create(name="Old course", kind="quiz", active=False)
    programme.required_qualifications.add(quiz, identity, retired)
    assignment = offer(world)
    shopper = shopper_of(world)
    today = timezone.localdate()
    expired = Credential.objects.create(shopper=shopper, qualification=quiz, status="approved",
                                        expires_on=today - timedelta(days=1))
    Credential.objects.create(shopper=shopper, qualification=identity, status="pending")
    assert rules.qualifications(shopper, assignment) == (
        f"shopper needs these qualifications for Store visits: Identity check (sent on "
        f"{today.strftime('%-d %b %Y')}, waiting for a check), Store visit certification (expired on "
        f"{expired.expires_on.strftime('%-d %b %Y')}).")
    with eligibility.addressing_shopper():
        assert rules.qualifications(shopper, assignment).startswith(
            "You need these qualifications for Store visits: Identity check (sent on ")
    Credential.objects.filter(qualification=identity).update(status="rejected", note="Blurred photo")
    assert "Identity check (not accepted: Blurred photo)" in rules.qualifications(shopper, assignment)
    Credential.objects.create(shopper=shopper, qualification=quiz, status="approved",
                              expires_on=today + timedelta(days=300))
    with eligibility.addressing_shopper():
        assert rules.qualifications(shopper, assignment) == (
            "You need this qualification for Store visits: Identity check (not accepted: Blurred photo).")
    Credential.objects.create(shopper=shopper, qualification=identity, status="approved")
    # The inactive qualification is not asked for; the expired one is superseded by the held one.
    assert rules.qualifications(shopper, assignment) is None


def test_accepting_an_offer_the_shopper_may_not_take_says_why(world, client_for, programme):
    assignment = offer(world)
    Conflict.objects.create(shopper=shopper_of(world), location=world.location_a, reason="Former employee")
    client = client_for(world.shopper)
    home = client.get(reverse("home")).content.decode()
    assert "You cannot accept this visit:" in home and "Former employee" in home  # not "yet": a conflict lasts
    assert reverse("visit-accept", args=[assignment.pk]) not in home
    response = client.post(reverse("visit-accept", args=[assignment.pk]), follow=True)
    assert "You are known at Store A (Former employee), so you cannot shop it." in response.content.decode()
    assert Assignment.objects.get(pk=assignment.pk).status == S.OFFERED
    # Another offer the shopper may take has its button.
    fine = offer(world, location=world.location_b)
    home = client.get(reverse("home")).content.decode()
    assert reverse("visit-accept", args=[fine.pk]) in home
    response = client.post(reverse("visit-accept", args=[fine.pk]))
    assert response.status_code == 302 and Assignment.objects.get(pk=fine.pk).status == S.ACCEPTED


def test_create_assignment_refuses_with_the_rule_as_a_form_error(world, client_for, programme):
    ShopperProfile.objects.create(shopper=shopper_of(world), barred=True, barred_reason="Fake receipts.")
    today = timezone.localdate()
    data = {"version": world.version.pk, "channel": "store_visit", "window_start": today.isoformat(),
            "window_end": (today + timedelta(days=5)).isoformat(), "brief": "Ask to return a faulty kettle.",
            "fee": "25.00", "report_due_hours": "24", "bar_days": "0", "shopper": shopper_of(world).pk}
    response = client_for(world.lead).post(reverse("assignment-create"), dict(data, location=world.location_a.pk))
    assert response.status_code == 200
    assert response.content.decode().count("shopper is barred from new visits: Fake receipts.") == 1  # summary only
    assert not Assignment.objects.exists()
    with pytest.raises(ValidationError):
        shop_services.accept(offer(world), shopper_of(world))


def test_bulk_planning_skips_with_the_reason(world, client_for, programme):
    Conflict.objects.create(shopper=shopper_of(world), location=world.location_a, reason="Former employee")
    today = timezone.localdate()
    data = {"version": world.version.pk, "channel": "store_visit", "window_start": today.isoformat(),
            "window_end": (today + timedelta(days=5)).isoformat(), "brief": "Ask to return a faulty kettle.",
            "fee": "25.00", "report_due_hours": "24", "bar_days": "0", "shopper": shopper_of(world).pk,
            "locations": [world.location_a.pk, world.location_b.pk]}
    response = client_for(world.lead).post(reverse("assignment-bulk"), data, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Skipped: shopper is known at Store A (Former employee), so cannot shop it." in page
    assert list(Assignment.objects.values_list("location", flat=True)) == [world.location_b.pk]
    data["locations"] = [world.location_a.pk]
    page = client_for(world.lead).post(reverse("assignment-bulk"), data, follow=True).content.decode()
    assert "No assignment created: the shopper may not take any of these visits." in page
    assert "Skipped: shopper is known at Store A" in page


def test_every_reason_is_given_at_once(world, programme):
    ShopperProfile.objects.create(shopper=shopper_of(world), barred=True, barred_reason="Fake receipts.")
    Conflict.objects.create(shopper=shopper_of(world), location=world.location_a, reason="Former employee")
    reasons = eligibility.refusals(shopper_of(world), offer(world))
    assert len(reasons) == 2


@pytest.mark.parametrize("bar_days, said, unsaid", [
    (30, "allows one visit to a location every 90 days", "within the last 30 days"),
    (120, "within the last 120 days", "every 90 days"),
], ids=["lockout-longer", "bar-longer"])
def test_the_stricter_of_the_bar_and_the_lockout_is_said_alone(world, client_for, programme, bar_days, said,
                                                               unsaid):
    """The visit's own "bar shoppers who visited in the last N days" and the programme's lockout both refuse a
    shopper who was there 10 days ago: the shopper and the planner read one period, the one that lifts last."""
    visited(world, world.location_a, days_ago=10)
    assignment = offer(world, bar_days=bar_days)
    planner = eligibility.refusals(shopper_of(world), assignment)
    with eligibility.addressing_shopper():
        to_shopper = eligibility.refusals(shopper_of(world), assignment)
    for reasons in (planner, to_shopper):
        assert len(reasons) == 1 and said in reasons[0] and unsaid not in reasons[0], reasons
    assert to_shopper[0].startswith("You visited Store A")
    # The planner's form says the same one sentence.
    today = timezone.localdate()
    data = {"version": world.version.pk, "channel": "store_visit", "window_start": today.isoformat(),
            "window_end": (today + timedelta(days=5)).isoformat(), "brief": "Ask to return a faulty kettle.",
            "fee": "25.00", "report_due_hours": "24", "bar_days": str(bar_days), "shopper": shopper_of(world).pk,
            "location": world.location_a.pk}
    page = client_for(world.lead).post(reverse("assignment-create"), data).content.decode()
    assert said in page and unsaid not in page
    # The shopper's home page, where the offer waits, says it once too.
    Assignment.objects.filter(pk=assignment.pk).update(shopper=shopper_of(world))
    home = client_for(world.shopper).get(reverse("home")).content.decode()
    assert said in home and unsaid not in home


def test_a_refusal_for_another_reason_is_never_dropped_for_the_recent_visit(world, programme):
    """Only refusals for a recent visit give way to a stricter one; every other reason is still given."""
    visited(world, world.location_a, days_ago=10)
    Conflict.objects.create(shopper=shopper_of(world), location=world.location_a, reason="Former employee")
    reasons = eligibility.refusals(shopper_of(world), offer(world, bar_days=30))
    assert len(reasons) == 2 and "Former employee" in reasons[0] and "every 90 days" in reasons[1]


def test_a_planner_picks_a_shopper_with_their_rating_in_view(world, client_for, programme, django_assert_max_num_queries):
    """The new-visit form's shopper choice carries each shopper's rating (pool.ratings.notes through
    shops.eligibility.notes), read for every shopper in one go: more shoppers, no more queries."""
    Programme.objects.filter(pk=programme.pk).update(lockout_days=0)
    for days_ago in (3, 2, 1):
        visited(world, world.location_b, days_ago)  # three approved reports: rated 5.0
    newcomer = f.make_user("newcomer", "Mystery shopper", first_name="Nia", last_name="Okafor")
    from shops.models import Shopper

    Shopper.objects.create(user=newcomer)
    client = client_for(world.lead)
    page = client.get(reverse("assignment-create")).content.decode()
    assert f"{shopper_of(world)} · 5.0 of 5 from 3 reviewed reports</option>" in page
    assert "Nia Okafor · not rated yet</option>" in page
    with django_assert_max_num_queries(40) as before:
        client.get(reverse("assignment-create"))
    for n in range(5):
        Shopper.objects.create(user=f.make_user(f"more{n}", "Mystery shopper"))
    with django_assert_max_num_queries(40) as after:
        client.get(reverse("assignment-create"))
    assert len(after.captured_queries) == len(before.captured_queries)
