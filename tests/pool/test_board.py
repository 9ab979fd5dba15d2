"""The job board: the shopper's profile, the board by distance with its filters, claiming and applying by the
programme's rule, the planner's choice, programmes' forms, and coverage with invitations."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pool import board
from pool.models import (Application, Conflict, Invitation, Programme, ProgrammeScorecard, Qualification,
                         ShopperProfile)
from shops import eligibility
from shops import services as shop_services
from shops.models import Assignment, Shopper
from tests import factories as f

LEEDS = (Decimal("53.798100"), Decimal("-1.542800"))
MANCHESTER = (Decimal("53.483000"), Decimal("-2.240600"))
LONDON = (Decimal("51.515200"), Decimal("-0.145300"))


def place(location, point):
    location.latitude, location.longitude = point
    location.save()
    return location


def home(user, point=LEEDS, travel_km=60, **fields):
    return ShopperProfile.objects.create(shopper=user.shopper, home_latitude=point[0], home_longitude=point[1],
                                         travel_km=travel_km, **fields)


def visit(world, location, *, version=None, fee="25.00", starts=0, days=4, shopper=None):
    today = timezone.localdate()
    return shop_services.create_assignment(
        created_by=world.lead, location=location, version=version or world.version, shopper=shopper,
        brief="Ask about a kettle.", fee=Decimal(fee), window_start=today + timedelta(days=starts),
        window_end=today + timedelta(days=starts + days))


def chooses(world, name="Chosen visits"):
    """A programme where the planner chooses among applicants, on a scorecard of its own."""
    version = f.make_scorecard(name, user=world.admin)
    programme = Programme.objects.create(name=name, claim_rule=Programme.ClaimRule.PLANNER_CHOOSES)
    ProgrammeScorecard.objects.create(programme=programme, scorecard=version.scorecard)
    return programme, version


@pytest.fixture
def spread(world):
    """Store A in Leeds (the shopper's home), store B in Manchester, a third store in London; a pool visit each."""
    place(world.location_a, LEEDS)
    place(world.location_b, MANCHESTER)
    london = place(f.make_location(world.region_b, name="Store London"), LONDON)
    home(world.shopper)
    return {"leeds": visit(world, world.location_a, fee="20.00"), "manchester": visit(world, world.location_b),
            "london": visit(world, london, fee="40.00")}


def test_distance_is_the_great_circle_in_km():
    assert board.distance_km(*LEEDS, *MANCHESTER) == pytest.approx(58, abs=2)
    assert board.distance_km(*LEEDS, *LEEDS) == 0
    assert board.distance_km(None, 1, 2, 3) is None


# ---- Profile ----

def test_profile_created_on_first_save_with_checked_bank_details(world, client_for):
    client = client_for(world.shopper)
    assert client.get(reverse("pool:profile")).status_code == 200
    assert not ShopperProfile.objects.exists()
    data = {"home_area": "Leeds LS6", "home_latitude": "53.8199123", "home_longitude": "-1.5800", "travel_km": "30",
            "payment_method": "bank", "account_name": "Jess Carter", "iban": "GB33 BUKB 2020 1555 5555 5", "bic": ""}
    response = client.post(reverse("pool:profile"), data)
    assert response.status_code == 422
    assert "not a valid IBAN" in response.content.decode()
    assert 'value="Leeds LS6"' in response.content.decode()  # input kept
    data["iban"] = "GB33 BUKB 2020 1555 5555 55"
    data["bic"] = "bukbgb22"
    response = client.post(reverse("pool:profile"), data)
    assert response.status_code == 302
    profile = ShopperProfile.objects.get(shopper=world.shopper.shopper)
    assert profile.iban == "GB33BUKB20201555555555" and profile.bic == "BUKBGB22"
    assert profile.home_latitude == Decimal("53.819912") and profile.changed_by == world.shopper


@pytest.mark.parametrize("changes, field, message", [
    ({"payment_method": "paypal"}, "paypal_email", "PayPal account"),
    ({"payment_method": "bank", "iban": "GB33BUKB20201555555555"}, "account_name", "name on the bank account"),
    ({"home_longitude": ""}, "home_longitude", "both latitude and longitude"),
    ({"bic": "BUKB"}, "bic", "not a valid BIC"),
    ({"home_latitude": "٥٣"}, "home_latitude", "digits 0 to 9"),
])
def test_profile_explains_what_is_missing(world, client_for, changes, field, message):
    data = {"home_area": "", "home_latitude": "53.8", "home_longitude": "-1.5", "travel_km": "25",
            "payment_method": "", "paypal_email": "", "account_name": "", "iban": "", "bic": ""}
    data.update(changes)
    response = client_for(world.shopper).post(reverse("pool:profile"), data)
    assert response.status_code == 422
    assert message in " ".join(map(str, response.context["form"].errors[field]))


# ---- The board ----

def test_board_sorted_by_distance_from_home_or_from_here(world, client_for, spread):
    client = client_for(world.shopper)
    response = client.get(reverse("pool:board"), {"max_km": ""})  # an empty "Within (km)": any distance
    cards = response.context["cards"]
    assert [c.assignment for c in cards] == [spread["leeds"], spread["manchester"], spread["london"]]
    assert "58." in response.content.decode() or "57." in response.content.decode()
    response = client.get(reverse("pool:board"), {"lat": str(LONDON[0]), "lng": str(LONDON[1])})
    assert response.context["cards"][0].assignment == spread["london"]
    assert "from your current position" in response.content.decode()


def test_board_names_the_home_area_or_says_from_your_home(world, client_for, spread):
    client = client_for(world.shopper)
    assert "Nearest first from your home." in client.get(reverse("pool:board")).content.decode()
    ShopperProfile.objects.filter(shopper=world.shopper.shopper).update(home_area="Leeds LS6")
    assert "Nearest first from your home (Leeds LS6)." in client.get(reverse("pool:board")).content.decode()
    # The profile's "Use my current position" empties the home area it would contradict.
    assert 'data-geo-area="#id_home_area"' in client.get(reverse("pool:profile")).content.decode()


def test_board_queries_do_not_grow_with_its_visits(world, client_for, spread):
    """The scheduling rules read the shopper once for the page (shops.eligibility.many), not once per visit."""
    programme = Programme.objects.create(name="Store visits", lockout_days=30, min_rating=Decimal("2.0"))
    ProgrammeScorecard.objects.create(programme=programme, scorecard=world.version.scorecard)
    client = client_for(world.shopper)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("pool:board")).status_code == 200
        return len(captured)

    few = queries()
    for n in range(6):
        visit(world, f.make_location(world.region_a, name=f"Store {n}", latitude=LEEDS[0], longitude=LEEDS[1]))
    assert queries() == few


def test_board_filters_by_distance_fee_and_date(world, client_for, spread):
    client = client_for(world.shopper)
    shown = lambda **q: [c.assignment for c in client.get(reverse("pool:board"), q).context["cards"]]  # noqa: E731
    assert shown(max_km="100") == [spread["leeds"], spread["manchester"]]
    assert shown(min_fee="25", max_km="") == [spread["manchester"], spread["london"]]
    # Without "Within (km)" the board keeps to the shopper's travel distance (60 km), shown in the field.
    response = client.get(reverse("pool:board"))
    assert [c.assignment for c in response.context["cards"]] == [spread["leeds"], spread["manchester"]]
    page = response.content.decode()
    assert 'name="max_km" value="60"' in page and "Fee at least (£)" in page
    later = timezone.localdate() + timedelta(days=30)
    assert shown(date_from=later.isoformat()) == []


@pytest.mark.parametrize("query", [{"max_km": "abc"}, {"date_from": "2026-12-10", "date_to": "2026-12-01"},
                                   {"min_fee": "1e999"}])
def test_board_refuses_bad_filters_with_400(world, client_for, spread, query):
    response = client_for(world.shopper).get(reverse("pool:board"), query)
    assert response.status_code == 400
    assert "not understood" in response.content.decode()


LAT_RANGE, LNG_RANGE = "Latitude must be between -90 and 90.", "Longitude must be between -180 and 180."
LAT_NUMBER = "Latitude must be a number written with the digits 0 to 9, e.g. 53.7997."
LNG_NUMBER = "Longitude must be a number written with the digits 0 to 9, e.g. -1.5492."
BOTH = "Give both latitude and longitude, or neither."


@pytest.mark.parametrize("query, problems", [
    ({"lat": "999", "lng": "999"}, [LAT_RANGE, LNG_RANGE]),
    ({"lat": "91", "lng": "0"}, [LAT_RANGE]),
    ({"lat": "0", "lng": "-180.5"}, [LNG_RANGE]),
    ({"lat": "53"}, [BOTH]),
    ({"lng": "-1.5"}, [BOTH]),
    ({"lat": "٥٣", "lng": "-1.5"}, [LAT_NUMBER]),
    ({"lat": "٥٣", "lng": "٣٠٠"}, [LAT_NUMBER, LNG_NUMBER]),
    ({"lat": "9" * 400, "lng": "0"}, [LAT_RANGE]),
    ({"lat": "1e999", "lng": "-1e999"}, [LAT_RANGE, LNG_RANGE]),
    ({"lat": "nan", "lng": "abc"}, [LAT_NUMBER, LNG_NUMBER]),
])
def test_a_position_not_understood_is_said_once_and_the_board_sorts_from_home(world, client_for, spread, query,
                                                                              problems):
    response = client_for(world.shopper).get(reverse("pool:board"), dict(query, max_km=""))
    page = response.content.decode()
    assert response.status_code == 400
    assert response.context["position_refused"] == problems
    for problem in (LAT_RANGE, LNG_RANGE, LAT_NUMBER, LNG_NUMBER, BOTH):
        assert page.count(problem) == (problem in problems), problem
    assert "visits are sorted from your home" in page and "Nearest first from your home." in page
    assert [c.assignment for c in response.context["cards"]] == [spread["leeds"], spread["manchester"],
                                                                 spread["london"]]
    # The position refused is not sent again: not by the hidden fields, the claim forms or the next page.
    assert "lat=" not in page and "lng=" not in page and 'name="lat" value' not in page
    assert "not understood" not in page and "Please correct the following" not in page


def test_a_position_refused_with_another_filter_refused_shows_no_visits(world, client_for, spread):
    response = client_for(world.shopper).get(reverse("pool:board"), {"lat": "999", "lng": "0", "max_km": "abc"})
    page = response.content.decode()
    assert response.status_code == 400 and response.context["cards"] == []
    assert page.count(LAT_RANGE) == 1 and "not understood" in page and "visits are sorted from your home" not in page


def test_board_says_why_a_visit_cannot_be_taken_and_shows_invitations(world, client_for, spread):
    Conflict.objects.create(shopper=world.shopper.shopper, location=world.location_a, reason="My sister works there")
    Invitation.objects.create(assignment=spread["manchester"], shopper=world.shopper.shopper, invited_by=world.lead)
    response = client_for(world.shopper).get(reverse("pool:board"), {"max_km": ""})
    cards = {c.assignment: c for c in response.context["cards"]}
    assert "My sister works there" in " ".join(cards[spread["leeds"]].refusals)
    assert cards[spread["manchester"]].invited and not cards[spread["london"]].invited
    page = response.content.decode()
    assert "You cannot take this visit yet" in page and "Invited" in page


def test_board_and_claim_speak_to_the_shopper_and_the_applicants_page_names_them(world, client_for, spread):
    world.shopper.first_name, world.shopper.last_name = "Jess", "Carter"
    world.shopper.save()
    Conflict.objects.create(shopper=world.shopper.shopper, location=world.location_a, reason="My sister works there")
    client = client_for(world.shopper)
    page = client.get(reverse("pool:board")).content.decode()
    assert "You are known at Store A" in page and "is known at" not in page
    response = client.post(reverse("pool:claim", args=[spread["leeds"].pk]), follow=True)
    assert "You are known at Store A" in response.content.decode()
    # A planner reads the same reason about the shopper by name.
    assert eligibility.refusal(world.shopper.shopper, spread["leeds"]).startswith("Jess Carter is known at Store A")


def test_a_card_refused_for_a_qualification_links_to_my_qualifications(world, client_for, spread):
    programme = Programme.objects.create(name="Certified visits")
    ProgrammeScorecard.objects.create(programme=programme, scorecard=world.version.scorecard)
    programme.required_qualifications.add(Qualification.objects.create(name="Store visit course", kind="quiz"))
    response = client_for(world.shopper).get(reverse("pool:board"))
    assert all(card.unqualified for card in response.context["cards"])
    page = response.content.decode()
    assert "You need this qualification for Certified visits: Store visit course." in page
    assert reverse("pool:qualifications") in page


def test_a_claim_or_application_refused_for_a_qualification_links_to_my_qualifications(world, client_for, spread):
    """The notice after the POST carries the link the card has, its text escaped; a refusal for another reason
    does not point there."""
    course = Qualification.objects.create(name="Course <b>one</b>", kind="quiz")
    first_come = Programme.objects.create(name="Certified & visits")
    ProgrammeScorecard.objects.create(programme=first_come, scorecard=world.version.scorecard)
    first_come.required_qualifications.add(course)
    programme, version = chooses(world)
    programme.required_qualifications.add(course)
    wanted = visit(world, world.location_b, version=version)
    link = f'<a class="alert-link" href="{reverse("pool:qualifications")}">My qualifications</a>'
    client = client_for(world.shopper)

    def notice(response):
        return response.content.decode().split('class="messages"', 1)[1].split("</button>", 1)[0]

    for url in (reverse("pool:claim", args=[spread["leeds"].pk]), reverse("pool:apply", args=[wanted.pk])):
        said = notice(client.post(url, follow=True))
        assert "You need this qualification for Certified &amp; visits: Course &lt;b&gt;one&lt;/b&gt;." in said \
            or "You need this qualification for Chosen visits: Course &lt;b&gt;one&lt;/b&gt;." in said, said
        assert link in said and "<b>one" not in said
    assert not Application.objects.exists()
    spread["leeds"].refresh_from_db()
    assert spread["leeds"].status == Assignment.Status.OFFERED
    # Refused for another reason (the planner chooses here): no link.
    first_come.required_qualifications.clear()
    refused = notice(client.post(reverse("pool:claim", args=[wanted.pk]), follow=True))
    assert "apply instead" in refused and link not in refused


def test_empty_board_says_what_to_do(world, client_for):
    page = client_for(world.shopper).get(reverse("pool:board")).content.decode()
    assert "Set your home area" in page and "No visits are open to you" in page


# ---- Claim, apply, withdraw, choose ----

def test_claim_first_come_and_refused_when_the_planner_chooses(world, client_for, spread):
    client = client_for(world.shopper)
    assert client.post(reverse("pool:claim", args=[spread["leeds"].pk])).status_code == 302
    spread["leeds"].refresh_from_db()
    assert spread["leeds"].status == Assignment.Status.ACCEPTED and spread["leeds"].shopper == world.shopper.shopper
    _programme, version = chooses(world)
    chosen = visit(world, world.location_b, version=version)
    response = client.post(reverse("pool:claim", args=[chosen.pk]), follow=True)
    assert "apply instead" in response.content.decode()
    chosen.refresh_from_db()
    assert chosen.status == Assignment.Status.OFFERED


def test_applications_close_when_the_visit_goes_elsewhere(world, spread):
    _programme, version = chooses(world)
    given = visit(world, world.location_b, version=version)
    cancelled = visit(world, world.location_b, version=version)
    for assignment in (given, cancelled):
        for user in (world.shopper, world.other_shopper):
            Application.objects.create(assignment=assignment, shopper=user.shopper)
    given.shopper = world.other_shopper.shopper  # offered to one of them directly, who accepts it
    given.save()
    shop_services.accept(given, world.other_shopper.shopper)
    shop_services.cancel(cancelled, world.lead, "Store closed")
    statuses = dict(Application.objects.filter(assignment=given).values_list("shopper__user__username", "status"))
    assert statuses == {"shopper": Application.Status.NOT_CHOSEN, "other_shopper": Application.Status.CHOSEN}
    assert set(Application.objects.filter(assignment=cancelled).values_list("status", flat=True)) == {
        Application.Status.NOT_CHOSEN}


def test_apply_withdraw_and_the_planner_chooses(world, client_for, spread, django_capture_on_commit_callbacks):
    _programme, version = chooses(world)
    wanted = visit(world, world.location_b, version=version)
    home(world.other_shopper, MANCHESTER)
    world.other_shopper.email = "ravi@example.com"
    world.other_shopper.save()
    client = client_for(world.other_shopper)
    client.post(reverse("pool:apply", args=[wanted.pk]), {"note": "I live next door"})
    client = client_for(world.shopper)
    client.post(reverse("pool:apply", args=[wanted.pk]), {"note": ""})
    mine = Application.objects.get(shopper=world.shopper.shopper)
    response = client.post(reverse("pool:apply", args=[wanted.pk]), follow=True)
    assert "already applied" in response.content.decode()
    client.post(reverse("pool:withdraw", args=[mine.pk]))
    mine.refresh_from_db()
    assert mine.status == Application.Status.WITHDRAWN
    client.post(reverse("pool:apply", args=[wanted.pk]))
    mine.refresh_from_db()
    assert mine.status == Application.Status.APPLIED
    theirs = Application.objects.get(shopper=world.other_shopper.shopper)
    assert client_for(world.shopper).post(reverse("pool:withdraw", args=[theirs.pk])).status_code == 404

    planner = client_for(world.reviewer)
    page = planner.get(reverse("pool:applicants", args=[wanted.pk]))
    assert "I live next door" in page.content.decode() and "Not rated yet" in page.content.decode()
    # Two applicants may share a name: each links to their own page, to be looked at before choosing.
    for shopper in (world.shopper, world.other_shopper):
        assert reverse("pool:shopper", args=[shopper.shopper.pk]) in page.content.decode()
    assert [a.distance == pytest.approx(0, abs=0.1) for a in page.context["applications"]
            if a.shopper_id == theirs.shopper_id] == [True]
    with django_capture_on_commit_callbacks(execute=True):
        response = planner.post(reverse("pool:applicants", args=[wanted.pk]), {"application": theirs.pk})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["ravi@example.com"]] and "chose you" in mail.outbox[0].body
    wanted.refresh_from_db()
    assert wanted.status == Assignment.Status.ACCEPTED and wanted.shopper_id == theirs.shopper_id
    assert wanted.events.last().by == world.reviewer
    mine.refresh_from_db()
    assert mine.status == Application.Status.NOT_CHOSEN
    board_page = client_for(world.shopper).get(reverse("pool:board")).content.decode()
    assert "My applications" in board_page and "Not chosen" in board_page


def test_applicants_rating_line_has_the_same_basis_as_the_shoppers_list(world, client_for, spread, monkeypatch):
    from pool import ratings
    rated = ratings.Rating(value=Decimal("4.2"), reviewed=5, approved_first_time=3, approved_after_return=1,
                           returned=1, rejected=1, late=1, flags=3, flag_counts={"late": 1, "far": 2})
    monkeypatch.setattr(ratings, "for_shoppers", lambda ids: {i: rated for i in ids})
    Application.objects.create(assignment=spread["leeds"], shopper=world.shopper.shopper)
    page = client_for(world.lead).get(reverse("pool:applicants", args=[spread["leeds"].pk])).content.decode()
    assert "Rated 4.2 of 5 from 5 reviewed reports" in page
    assert "1 approved after a return" in page and "2 other flags</span>)" in page  # no space before ")"


def test_choice_checks_eligibility_again(world, client_for):
    _programme, version = chooses(world)
    wanted = visit(world, world.location_a, version=version)
    client_for(world.shopper).post(reverse("pool:apply", args=[wanted.pk]))
    application = Application.objects.get()
    Conflict.objects.create(shopper=world.shopper.shopper, location=world.location_a, reason="Used to work there")
    response = client_for(world.lead).post(reverse("pool:applicants", args=[wanted.pk]),
                                           {"application": application.pk}, follow=True)
    assert "Used to work there" in response.content.decode()
    wanted.refresh_from_db()
    assert wanted.status == Assignment.Status.OFFERED
    bad = client_for(world.lead).post(reverse("pool:applicants", args=[wanted.pk]), {"application": "x"})
    assert bad.status_code == 302


# ---- Programmes ----

def test_programme_form_keeps_a_scorecard_in_one_programme(world, client_for):
    taken, version = chooses(world, "Existing")
    client = client_for(world.lead)
    data = {"name": "Spring", "claim_rule": "first_come", "lockout_days": "30", "max_open_visits": "2",
            "min_rating": "", "active": "on", "scorecards": [version.scorecard.pk, world.version.scorecard.pk]}
    response = client.post(reverse("pool:programme-create"), data)
    assert response.status_code == 422
    assert "already in the programme Existing" in response.content.decode()
    data["scorecards"] = [world.version.scorecard.pk]
    assert client.post(reverse("pool:programme-create"), data).status_code == 302
    spring = Programme.objects.get(name="Spring")
    assert list(spring.scorecards.all()) == [world.version.scorecard]
    data["scorecards"] = [version.scorecard.pk]
    assert client.post(reverse("pool:programme-update", args=[taken.pk]),
                       dict(data, name="Existing")).status_code == 302
    assert client.get(reverse("pool:programmes")).status_code == 200


def test_programme_form_and_list_wording(world, client_for):
    Programme.objects.create(name="Repeatable", lockout_days=0)
    client = client_for(world.lead)
    assert "repeat visits allowed" in client.get(reverse("pool:programmes")).content.decode()
    form = client.get(reverse("pool:programme-create")).content.decode()
    assert 'name="max_open_visits" value="3" min="1"' in form


def test_moving_a_scorecard_says_how_many_visits_and_applications_follow_new_rules(world, client_for, spread):
    programme, version = chooses(world, "Chosen")
    wanted = visit(world, world.location_b, version=version)
    board.apply(wanted, world.shopper.shopper)
    client = client_for(world.lead)
    form = client.get(reverse("pool:programme-update", args=[programme.pk])).content.decode()
    assert "changes the rules of its open visits and waiting applications" in form
    assert "Only store-visit and phone-call scorecards" in form
    data = {"name": "Chosen", "claim_rule": "planner_chooses", "lockout_days": "30", "max_open_visits": "2",
            "min_rating": "", "active": "on", "scorecards": [world.version.scorecard.pk]}
    response = client.post(reverse("pool:programme-update", args=[programme.pk]), data, follow=True)
    page = response.content.decode()
    # The three spread visits join; the chosen-visits scorecard leaves with its visit and one application.
    assert "3 open visits and 0 waiting applications now follow this programme" in page
    assert "Scorecards taken out: 1 open visit and 1 waiting application no longer follow" in page


# ---- Coverage and invitations ----

def test_coverage_lists_gaps_and_invites_qualified_shoppers_nearby(world, client_for, spread,
                                                                  django_capture_on_commit_callbacks):
    world.shopper.email = "jess@example.com"
    world.shopper.save()
    home(world.other_shopper, LONDON, travel_km=10)
    quiet = f.make_location(world.region_a, name="Quiet store")
    client = client_for(world.lead)
    response = client.get(reverse("pool:coverage"))
    assert quiet in response.context["uncovered_page"].object_list
    assert world.location_a not in response.context["uncovered_page"].object_list
    nearby = {v.pk: v.nearby for v in response.context["visit_page"].object_list}
    assert nearby[spread["leeds"].pk] == 1 and nearby[spread["london"].pk] == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pool:coverage"), {"visit": [spread["leeds"].pk, spread["london"].pk],
                                                          "query": "days=7"})
    assert response.status_code == 302
    assert set(Invitation.objects.values_list("assignment_id", "shopper__user__username")) == {
        (spread["leeds"].pk, "shopper"), (spread["london"].pk, "other_shopper")}
    assert [m.to for m in mail.outbox] == [["jess@example.com"]]
    assert reverse("pool:board") in mail.outbox[0].body
    client.post(reverse("pool:coverage"), {"only": spread["leeds"].pk})
    assert Invitation.objects.count() == 2  # once per visit and shopper
    assert client.post(reverse("pool:coverage"), {}).status_code == 400
    assert client.post(reverse("pool:coverage"), {"only": "999999"}).status_code == 400
    assert client.get(reverse("pool:coverage"), {"date_from": "9999-12-31"}).status_code == 400


def test_coverage_with_wrong_filters_shows_no_results_and_keeps_what_was_typed(world, client_for):
    client = client_for(world.lead)
    response = client.get(reverse("pool:coverage"), {"days": "٣", "date_from": "9999-12-31"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing is shown until the filters above are corrected" in page
    assert "Every active location has a visit" not in page and "data-unclaimed" not in page
    assert 'type="text" name="days" value="٣"' in page and "digits 0 to 9" in page
    data = {"name": "Spring", "claim_rule": "first_come", "lockout_days": "٣", "max_open_visits": "2"}
    page = client.post(reverse("pool:programme-create"), data).content.decode()
    assert 'name="lockout_days" value="٣"' in page


def test_coverage_one_mail_per_shopper_applicants_plan_and_named_refusals(world, client_for, spread,
                                                                         django_capture_on_commit_callbacks):
    world.shopper.email = "jess@example.com"
    world.shopper.save()
    client = client_for(world.lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("pool:coverage"), {"visit": [spread["leeds"].pk, spread["manchester"].pk],
                                               "query": "days=7"})
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "2 visits near you"
    assert "Store A" in mail.outbox[0].body and "Store B" in mail.outbox[0].body
    # Waiting applicants, with a link to the applicants page.
    programme, version = chooses(world)
    wanted = visit(world, world.location_b, version=version)
    board.apply(wanted, world.shopper.shopper)
    # A visit offered by name to a shopper a rule now refuses is flagged.
    named = visit(world, world.location_b, shopper=world.other_shopper.shopper)
    Conflict.objects.create(shopper=world.other_shopper.shopper, location=world.location_b, reason="Neighbour")
    quiet = f.make_location(world.region_a, name="Quiet store")
    page = client.get(reverse("pool:coverage")).content.decode()
    assert "1 applicant waiting" in page and reverse("pool:applicants", args=[wanted.pk]) in page
    assert f'data-unclaimed="{named.pk}"' in page and "can no longer take it" in page and "Neighbour" in page
    assert f"{reverse('assignment-create')}?location={quiet.pk}" in page
    form = client.get(reverse("assignment-create"), {"location": quiet.pk}).context["form"]
    assert form.initial["location"] == quiet.pk
    assert client.get(reverse("assignment-create"), {"location": "x"}).status_code == 200
    # Nothing can be ticked: no "Offer the ticked visits" button.
    ShopperProfile.objects.all().delete()
    assert "Offer the ticked visits" not in client.get(reverse("pool:coverage")).content.decode()


def test_coverage_queries_do_not_grow_with_locations(world):
    start, end = board.month_of(timezone.localdate())
    for n in range(25):
        f.make_location(world.region_a)
    with CaptureQueriesContext(connection) as queries:
        found = list(board.uncovered_locations(None, start, end))
    assert len(found) >= 25 and len(queries) == 1


def test_nearby_leaves_out_the_known_the_far_and_those_who_declined(world, spread):
    jess, ravi = world.shopper.shopper, world.other_shopper.shopper
    home(world.other_shopper, MANCHESTER, travel_km=10)
    later = visit(world, world.location_b, starts=3)
    nearby = lambda *visits: {pk: set(found) for pk, found in board.qualified_nearby(visits).items()}  # noqa: E731
    assert nearby(spread["manchester"], spread["london"], later) == {
        spread["manchester"].pk: {jess, ravi}, spread["london"].pk: set(), later.pk: {jess, ravi}}
    Conflict.objects.create(shopper=ravi, location=world.location_b, reason="Neighbour")
    shop_services.decline(later, jess, "Away that week")
    assert nearby(spread["manchester"], later) == {spread["manchester"].pk: {jess}, later.pk: set()}
    Application.objects.create(assignment=spread["manchester"], shopper=jess)  # waiting: not invited to it again
    assert nearby(spread["manchester"]) == {spread["manchester"].pk: set()}


def test_nearby_reads_its_candidates_together_whatever_their_number(world, spread):
    """Planning at scale: the rules' facts of every candidate are read in a few queries (pool.rules.preload), so
    the check of hundreds of shoppers near a visit does not cost queries per shopper."""
    programme = Programme.objects.create(name="Store visits", lockout_days=30, min_rating=Decimal("2.0"))
    ProgrammeScorecard.objects.create(programme=programme, scorecard=world.version.scorecard)

    def queries():
        visits = list(Assignment.objects.filter(pk__in=[spread["manchester"].pk, spread["leeds"].pk])
                      .select_related("location", "version"))
        with CaptureQueriesContext(connection) as captured:
            found = board.qualified_nearby(visits)
        return len(captured), found

    few, found = queries()
    assert world.shopper.shopper in found[spread["manchester"].pk]
    for n in range(6):
        home(f.make_shopper(f"nearby{n}"), MANCHESTER)
    many, found = queries()
    assert many == few and len(found[spread["manchester"].pk]) == 7


def test_coverage_of_one_programme(world, spread):
    programme, version = chooses(world, "Calls")
    call = visit(world, world.location_b, version=version)
    start, end = board.month_of(timezone.localdate())
    assert set(board.unclaimed(programme, 7)) == {call}
    assert set(board.unclaimed(None, 7)) == {call, *spread.values()}
    uncovered = set(board.uncovered_locations(programme, start, end))
    assert world.location_a in uncovered and world.location_b not in uncovered


def test_applicants_page_queries_do_not_grow_with_its_applicants(world, client_for, spread,
                                                                 django_assert_num_queries):
    """A popular visit has dozens of applicants: their rules' facts are read together (pool.rules.preload), not
    five queries per applicant."""
    _programme, version = chooses(world)
    wanted = visit(world, world.location_b, version=version)
    planner = client_for(world.reviewer)
    url = reverse("pool:applicants", args=[wanted.pk])
    Application.objects.create(assignment=wanted, shopper=world.shopper.shopper)
    planner.get(url)
    with django_assert_num_queries(17):
        assert planner.get(url).status_code == 200
    for n in range(8):
        Application.objects.create(assignment=wanted, shopper=home(f.make_shopper(f"applicant{n}"), MANCHESTER).shopper)
    with django_assert_num_queries(17):
        page = planner.get(url)
    assert page.status_code == 200 and len(page.context["applications"]) == 9


def test_coverage_offers_every_visit_on_the_page_in_one_action(world, client_for, spread):
    """Hundreds of unclaimed visits: one button offers the page's visits, without ticking each; visits claimed
    since the page was drawn are dropped, bad ids are a 400."""
    home(world.other_shopper, LONDON, travel_km=10)
    client = client_for(world.lead)
    page = client.get(reverse("pool:coverage")).content.decode()
    assert "Offer all 3 visits on this page" in page
    on_page = [v.pk for v in client.get(reverse("pool:coverage")).context["visit_page"].object_list]
    claimed = visit(world, world.location_b, shopper=world.other_shopper.shopper)
    response = client.post(reverse("pool:coverage"), {"all_on_page": "1", "on_page": [*on_page, claimed.pk],
                                                      "query": "days=7"})
    assert response.status_code == 302
    assert set(Invitation.objects.values_list("assignment_id", "shopper__user__username")) == {
        (spread["leeds"].pk, "shopper"), (spread["manchester"].pk, "shopper"), (spread["london"].pk, "other_shopper")}
    assert client.post(reverse("pool:coverage"), {"all_on_page": "1", "on_page": ["x"]}).status_code == 400
    assert client.post(reverse("pool:coverage"), {"all_on_page": "1", "on_page": [claimed.pk]}).status_code == 400


def test_inviting_many_shoppers_to_many_visits_costs_the_same_queries(world, spread):
    """"Offer all on this page" invites every qualified shopper nearby to every visit in one write: the queries
    do not grow with the invitations made (they had been four per invitation)."""
    visits = [spread["leeds"]]

    def invite_all(more_shoppers, more_visits):
        Invitation.objects.all().delete()
        for n in range(more_shoppers):
            user = f.make_user(f"near{Shopper.objects.count()}", "Mystery shopper")
            Shopper.objects.create(user=user)
            home(user)
        visits.extend(visit(world, world.location_a) for _ in range(more_visits))
        with CaptureQueriesContext(connection) as queries:
            made, _nobody = board.invite(Assignment.objects.filter(pk__in=[v.pk for v in visits])  # as unclaimed()
                                         .select_related("location", "version__scorecard"), world.lead)
        return made, len(queries.captured_queries)

    made_few, few = invite_all(2, 1)  # the world's shopper (home in Leeds) and two more; two visits in Leeds
    made_many, many = invite_all(9, 4)  # twelve shoppers nearby, six visits
    assert (made_few, made_many) == (3 * 2, 12 * 6)
    assert many == few, (few, many)
    again = board.invite(Assignment.objects.filter(pk__in=[v.pk for v in visits]), world.lead)
    assert again[0] == 0 and Invitation.objects.count() == 12 * 6  # each shopper once per visit


def test_coverage_shows_the_period_it_covers_when_only_a_programme_is_chosen(world, client_for):
    programme = Programme.objects.create(name="Spring")
    start, end = board.month_of(timezone.localdate())
    page = client_for(world.lead).get(reverse("pool:coverage"), {"programme": programme.pk}).content.decode()
    assert f'name="date_from" value="{start.isoformat()}"' in page
    assert f'name="date_to" value="{end.isoformat()}"' in page


def test_applicants_are_sorted_as_the_planner_asks(world, client_for, spread, monkeypatch):
    """Waiting applicants first, then first applied (the default), nearest, or highest rated; a made-up order is a
    400 that says which orders there are and shows the first."""
    from pool import ratings

    near, far, unrated = (f.make_user(name, "Mystery shopper") for name in ("near", "far", "unrated"))
    for user, point in ((near, LEEDS), (far, LONDON), (unrated, MANCHESTER)):
        Shopper.objects.create(user=user)
        home(user, point, travel_km=500)
    values = {near.shopper.pk: Decimal("3.1"), far.shopper.pk: Decimal("4.8")}
    monkeypatch.setattr(ratings, "for_shoppers", lambda ids: {
        i: ratings.Rating(value=values.get(i), reviewed=5 if i in values else 1) for i in ids})
    for user in (far, unrated, near):  # in this order of application
        Application.objects.create(assignment=spread["leeds"], shopper=user.shopper)
    client = client_for(world.lead)
    url = reverse("pool:applicants", args=[spread["leeds"].pk])

    def order(**query):
        response = client.get(url, query)
        return response.status_code, [a.shopper.user.username for a in response.context["applications"]]

    assert order() == (200, ["far", "unrated", "near"])
    assert order(order="distance") == (200, ["near", "unrated", "far"])  # Leeds, Manchester, London
    assert order(order="rating") == (200, ["far", "near", "unrated"])
    status, names = order(order="cheapest")
    assert (status, names) == (400, ["far", "unrated", "near"])
    assert "Sort the applicants by one of the orders offered" in client.get(url, {"order": "x"}).content.decode()


def test_locations_of_the_same_name_are_told_apart_on_the_board_coverage_and_applicants(world, client_for):
    """Two "High Street" stores: every pool page that names a location shows its code with the name
    (shops.models.Location.__str__, the one label)."""
    north = place(f.make_location(world.region_a, name="High Street", code="HS-N"), LEEDS)
    south = place(f.make_location(world.region_a, name="High Street", code="HS-S"), LEEDS)
    f.make_location(world.region_a, name="High Street", code="HS-W")  # no visit: listed as not covered
    home(world.shopper)
    programme, version = chooses(world)
    wanted = {visit(world, north, version=version), visit(world, south, version=version)}
    board_page = client_for(world.shopper).get(reverse("pool:board")).content.decode()
    assert "High Street (HS-N)" in board_page and "High Street (HS-S)" in board_page
    coverage = client_for(world.lead).get(reverse("pool:coverage")).content.decode()
    for code in ("HS-N", "HS-S", "HS-W"):
        assert f"High Street ({code})" in coverage
    for assignment in wanted:
        page = client_for(world.lead).get(reverse("pool:applicants", args=[assignment.pk])).content.decode()
        assert f"Applicants for the visit to {assignment.location}" in page


# ---- Phone calls: made from anywhere ----

def phone_visit(world, location, *, version=None, fee="12.00"):
    today = timezone.localdate()
    return shop_services.create_assignment(
        created_by=world.lead, location=location, version=version or world.version, channel="phone_call",
        brief="Call and ask about a kettle.", fee=Decimal(fee), window_start=today, window_end=today + timedelta(days=4))


def test_distance_matters_only_for_a_visit_made_in_person(world):
    assert board.distance_matters(Assignment(channel="store_visit"))
    assert not board.distance_matters(Assignment(channel="phone_call"))


def test_a_phone_call_on_the_board_is_not_kept_out_or_sorted_by_distance(world, client_for, spread):
    """The shopper (Leeds, 60 km) sees a call to the London store within their travel distance: it is made from
    anywhere, so the card says so instead of a distance; the London store visit stays out."""
    london = spread["london"].location
    call = phone_visit(world, london)
    no_place = phone_visit(world, f.make_location(world.region_b, name="Call centre"))  # no coordinates either
    response = client_for(world.shopper).get(reverse("pool:board"))  # within the travel distance by default
    shown = [c.assignment for c in response.context["cards"]]
    assert spread["london"] not in shown and call in shown and no_place in shown
    assert shown.index(spread["manchester"]) < shown.index(call)  # after the visits near home, not by km
    card = response.content.decode().split(f'data-visit="{call.pk}"')[1].split("</article>")[0]
    assert "By phone: from anywhere" in card and "km away" not in card and "distance unknown" not in card
    shown = [c.assignment for c in client_for(world.shopper).get(reverse("pool:board"), {"max_km": "1"})
             .context["cards"]]
    assert call in shown and no_place in shown and spread["manchester"] not in shown


def test_a_phone_calls_applicants_show_no_km_and_anyone_qualified_is_nearby(world, client_for, spread):
    _programme, version = chooses(world)
    home(world.other_shopper, LONDON, travel_km=10)
    no_place = f.make_location(world.region_a, name="Phone line")
    call = phone_visit(world, no_place, version=version)
    Application.objects.create(assignment=call, shopper=world.shopper.shopper)
    page = client_for(world.lead).get(reverse("pool:applicants", args=[call.pk])).content.decode()
    assert "by phone: from anywhere" in page and "km from home" not in page and "home not given" not in page
    # Coverage: both shoppers qualify for the call, whatever their travel distance and the location's coordinates.
    nearby = board.qualified_nearby([call])
    assert {s.user.username for s in nearby[call.pk]} == {"other_shopper"}  # the applicant waits already
    Application.objects.all().delete()
    assert {s.user.username for s in board.qualified_nearby([call])[call.pk]} == {"shopper", "other_shopper"}
    coverage = client_for(world.lead).get(reverse("pool:coverage")).content.decode()
    row = coverage.split(f'value="{call.pk}"')[1].split("</li>")[0]
    assert "2 qualified shoppers (by phone: from anywhere)" in row and "no coordinates" not in row


def test_an_invitation_to_a_phone_call_does_not_say_near_you(world, client_for, spread,
                                                             django_capture_on_commit_callbacks):
    world.other_shopper.email = "far@example.com"
    world.other_shopper.save()
    home(world.other_shopper, LONDON, travel_km=10)
    call = phone_visit(world, spread["manchester"].location)
    with django_capture_on_commit_callbacks(execute=True):
        board.invite([call], world.lead)
    sent = {m.to[0]: m for m in mail.outbox}
    far = sent["far@example.com"]
    assert far.subject.startswith("A visit for you:") and "near you" not in far.body
    assert "(a phone call, from anywhere)" in far.body
