"""Shopper ratings computed from real reviews (pool.ratings), the planners' shoppers pages, bars and conflicts,
and a shopper's own rating page."""

from decimal import Decimal

import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pool import ratings, rules
from pool import ratings_shoppers as service
from pool.models import Conflict, ShopperProfile
from qa import formats
from shops import eligibility
from shops.models import Shopper
from tests import factories as f
from tests.pool.ratings_helpers import reviewed, submit
from tests.visits_helpers import make_assignment

pytestmark = pytest.mark.django_db


def shopper_of(user):
    return Shopper.objects.get(user=user)


def test_not_rated_below_the_minimum_and_pending_reports_do_not_count(world):
    reviewed(world)
    reviewed(world)
    pending = make_assignment(world)
    submit(pending, world.shopper)  # waiting for a reviewer: not counted
    rating = ratings.of(shopper_of(world.shopper))
    assert not rating.rated and rating.value is None
    assert rating.reviewed == 2 and rating.needed == 1
    reviewed(world)
    rating = ratings.of(shopper_of(world.shopper))
    assert rating.value == Decimal("5.0") and rating.reviewed == 3 and rating.approved_first_time == 3


def test_returns_rejections_and_late_reports_lower_the_rating_with_their_basis(world):
    reviewed(world)  # 1
    reviewed(world, returns=1)  # 0.75
    reviewed(world, returns=1, outcome="reject")  # 0
    reviewed(world, late=True)  # 1 - 0.1 = 0.9
    rating = ratings.of(shopper_of(world.shopper))
    # 5 * (1 + 0.75 + 0 + 0.9) / 4 = 3.3125
    assert rating.value == Decimal("3.3")
    assert (rating.reviewed, rating.approved_first_time, rating.approved_after_return, rating.rejected) == (4, 2, 1, 1)
    assert rating.returned == 2  # the rejected one was returned first too
    assert rating.late == 1 and rating.flag_counts == {"late": 1} and rating.other_flags == 0
    assert rating.approved_first_time + rating.approved_after_return + rating.rejected == rating.reviewed


def test_other_flags_take_a_tenth_off_approved_reports_only(world, client_for):
    reviewed(world, receipt_required=True)  # no receipt photo sent: "evidence missing", 0.9
    reviewed(world, receipt_required=True, late=True)  # two flags: 0.8
    reviewed(world, receipt_required=True, outcome="reject")  # rejected: 0 whatever its flags
    rating = ratings.of(shopper_of(world.shopper))
    assert rating.value == Decimal("2.8")  # 5 * 1.7 / 3 = 2.83
    assert rating.late == 1 and rating.other_flags == 3 and rating.flags == 4
    assert rating.flag_counts == {"no_evidence": 3, "late": 1}
    page = client_for(world.shopper).get(reverse("pool:my-rating")).content.decode()
    assert "2.8 of 5" in page and "3 other flags" in page and "Required evidence missing" in page
    assert "no_evidence" not in page


def test_only_the_last_window_counts(world, monkeypatch):
    monkeypatch.setattr(ratings, "WINDOW", 3)
    reviewed(world, outcome="reject")  # the oldest: falls out of the window
    for _ in range(3):
        reviewed(world)
    rating = ratings.of(shopper_of(world.shopper))
    assert rating.reviewed == 3 and rating.rejected == 0 and rating.value == Decimal("5.0")


def test_for_shoppers_is_one_query_however_many_shoppers(world, django_assert_num_queries):
    reviewed(world)
    reviewed(world, shopper=world.other_shopper, outcome="reject")
    ids = [shopper_of(world.shopper).pk, shopper_of(world.other_shopper).pk]
    ids += [shopper_of(f.make_shopper(f"pool{n}")).pk for n in range(15)]
    with django_assert_num_queries(1):
        found = ratings.for_shoppers(ids)
    assert found[ids[0]].approved_first_time == 1 and found[ids[1]].rejected == 1 and found[ids[5]].reviewed == 0
    assert not any(r.rated for r in found.values())


def test_rejections_score_nothing(world):
    for outcome in ("reject", "reject", "approve"):
        reviewed(world, outcome=outcome)
    rating = ratings.of(shopper_of(world.shopper))
    assert rating.value == Decimal("1.7")


def test_shoppers_page_lists_ratings_filters_and_sorts_without_n_plus_one(world, client_for):
    for _ in range(3):
        reviewed(world)
    for outcome in ("reject", "approve", "approve"):
        reviewed(world, shopper=world.other_shopper, outcome=outcome)
    client = client_for(world.lead)
    url = reverse("pool:shoppers")
    page = client.get(url).content.decode()
    assert "5.0 of 5" in page and "3.3 of 5" in page and "from 3 reviewed reports" in page
    assert "1 rejected" in page
    page = client.get(url, {"min_rating": "4"}).content.decode()
    assert "5.0 of 5" in page and "3.3 of 5" not in page
    page = client.get(url, {"sort": "rating"}).content.decode()
    assert page.index("3.3 of 5") < page.index("5.0 of 5")
    assert client.get(url, {"region": "x"}).status_code == 400
    assert client.get(url, {"q": "nobody-has-this-name"}).content.decode().count("data-shopper=") == 0

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(8):
        user = f.make_shopper(f"many{n}")
        ShopperProfile.objects.create(shopper=shopper_of(user), home_area="Leeds LS6")
    reviewed(world, shopper=user)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert page.count("data-shopper=") == 10 and "Not rated yet" in page
    assert len(many) == len(few)


def test_sort_by_name_is_surname_then_first_name(world):
    for username, first, last in (("zed", "Amy", "Zeller"), ("bea", "Zoe", "barnes"), ("abe", "Anna", "Barnes")):
        user = f.make_shopper(username)
        user.first_name, user.last_name = first, last
        user.save()
    names = [s.user.username for s in service.search(sort="name") if s.user.username in ("zed", "bea", "abe")]
    assert names == ["abe", "bea", "zed"]


def test_barred_filter_and_bar_history_with_reason(world, client_for):
    shopper = shopper_of(world.other_shopper)
    client = client_for(world.lead)
    bar_url = reverse("pool:shopper-bar", args=[shopper.pk])
    response = client.post(bar_url, {"bar-reason": "   "})
    assert response.status_code == 400 and "Say why the shopper is barred" in response.content.decode()
    assert not service.is_barred(shopper)
    response = client.post(bar_url, {"bar-reason": "Filed two reports for visits never made."}, follow=True)
    assert "is barred from new visits" in response.content.decode()
    shopper.refresh_from_db()
    assert shopper.profile.barred and shopper.profile.barred_reason.startswith("Filed two")
    assert rules.barred(shopper, None).endswith("Filed two reports for visits never made.")
    offer = make_assignment(world, accepted=False, pool=True)
    assert "barred" in eligibility.refusal(shopper, offer)
    listed = client.get(reverse("pool:shoppers"), {"barred": "yes"}).content.decode()
    assert f'data-shopper="{shopper.pk}"' in listed and f'data-shopper="{shopper_of(world.shopper).pk}"' not in listed
    client.post(reverse("pool:shopper-unbar", args=[shopper.pk]), {"unbar-reason": "Explained: a mix-up of dates."})
    page = client.get(reverse("pool:shopper", args=[shopper.pk])).content.decode()
    history = service.bar_history(shopper)
    assert [h["barred"] for h in history] == [False, True]
    assert history[0]["who"] == world.lead and history[0]["why"] == "Explained: a mix-up of dates."
    assert history[1]["why"] == "Filed two reports for visits never made."
    assert "Bar lifted" in page and "Explained: a mix-up of dates." in page and "Filed two reports" in page
    assert rules.barred(shopper, None) is None


def test_only_leads_and_admins_bar_and_edit_conflicts(world, client_for):
    shopper = shopper_of(world.shopper)
    client = client_for(world.reviewer)
    page = client.get(reverse("pool:shopper", args=[shopper.pk]))
    assert page.status_code == 200 and "Bar from new visits" not in page.content.decode()
    assert client.post(reverse("pool:shopper-bar", args=[shopper.pk]), {"bar-reason": "x"}).status_code == 403
    assert client.post(reverse("pool:conflict-add", args=[shopper.pk]),
                       {"conflict-location": world.location_a.pk, "conflict-reason": "x"}).status_code == 403


def test_conflicts_added_and_removed_refuse_visits_there(world, client_for):
    shopper = shopper_of(world.shopper)
    client = client_for(world.admin)
    url = reverse("pool:conflict-add", args=[shopper.pk])
    bad = client.post(url, {"conflict-location": world.location_a.pk, "conflict-reason": ""})
    assert bad.status_code == 400 and "Say how the shopper is known there." in bad.content.decode()
    client.post(url, {"conflict-location": world.location_a.pk, "conflict-reason": "Her brother works there"})
    again = client.post(url, {"conflict-location": world.location_a.pk, "conflict-reason": "Again"})
    assert again.status_code == 400 and "already on this shopper" in again.content.decode()
    conflict = Conflict.objects.get(shopper=shopper)
    offer = make_assignment(world, accepted=False, pool=True)
    assert "Her brother works there" in eligibility.refusal(shopper, offer)
    other = shopper_of(world.other_shopper)
    assert client.post(reverse("pool:conflict-remove", args=[other.pk, conflict.pk])).status_code == 404
    page = client.get(reverse("pool:shopper", args=[shopper.pk])).content.decode()
    label = str(world.location_a)  # its name and code, as wherever the pool names a location
    assert f"Conflict added: {label}" in page  # the history names the addition
    confirm = client.get(reverse("pool:conflict-remove", args=[shopper.pk, conflict.pk]))
    assert confirm.status_code == 200 and f"Remove {label} from" in confirm.content.decode()
    assert Conflict.objects.exists()  # asking is not removing
    response = client.post(reverse("pool:conflict-remove", args=[shopper.pk, conflict.pk]),
                           {"remove-reason": "Her brother left"}, follow=True)
    page = response.content.decode()
    assert "is off" in page and not Conflict.objects.exists()
    assert f"Conflict removed: {label}" in page and "Her brother left" in page


def test_detail_explains_the_rating_and_lists_visits_in_the_viewers_time_zone(world, client_for):
    late = reviewed(world, late=True)
    reviewed(world, returns=2)
    world.lead.time_zone = "Pacific/Auckland"
    world.lead.save()
    page = client_for(world.lead).get(reverse("pool:shopper", args=[shopper_of(world.shopper).pk])).content.decode()
    assert "Not rated yet" in page and "1 more reviewed report is needed" in page
    assert "0.25 less for each return" in page and "Report filed after its due time" in page
    assert "Approved after 2 returns" in page and "Store A" in page
    assert f'href="{reverse("validation-detail", args=[late.report.pk])}"' in page  # each visit leads to its report
    with timezone.override(zoneinfo.ZoneInfo("Pacific/Auckland")):
        assert f"visited {formats.as_kind(late.report.arrived_at, 'date')}" in page


def test_detail_page_queries_do_not_grow_with_visits_conflicts_or_history(world, client_for):
    shopper = shopper_of(world.shopper)
    ShopperProfile.objects.create(shopper=shopper, home_area="Leeds LS6")
    reviewed(world)
    client = client_for(world.lead)
    url = reverse("pool:shopper", args=[shopper.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    reviewed(world, returns=1, receipt_required=True)
    reviewed(world, outcome="reject", location=world.location_b)
    service.add_conflict(shopper, location=world.location_a, reason="Her brother works there", by=world.lead)
    service.add_conflict(shopper, location=world.location_b, reason="She worked there", by=world.admin)
    service.set_barred(shopper, barred=True, reason="Reports copied", by=world.lead)
    service.set_barred(shopper, barred=False, reason="", by=world.admin)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert page.count("data-visit=") == 3 and page.count("data-conflict=") == 2
    assert len(many) == len(few)


def test_a_shopper_sees_only_their_own_rating(world, client_for):
    for _ in range(3):
        reviewed(world, shopper=world.other_shopper, outcome="reject")
    mine = reviewed(world)
    client = client_for(world.shopper)
    page = client.get(reverse("pool:my-rating")).content.decode()
    assert f'href="{reverse("shopper-report", args=[mine.pk])}"' in page
    assert "Not rated yet" in page and "1 approved as sent" in page and "0 rejected" in page
    assert "My rating" in client.get(reverse("home"), follow=True).content.decode()
    assert client.get(reverse("pool:shoppers")).status_code == 403
    assert client.get(reverse("pool:shopper", args=[shopper_of(world.other_shopper).pk])).status_code == 403
    other = client_for(world.other_shopper).get(reverse("pool:my-rating")).content.decode()
    assert "0.0 of 5" in other and "3 rejected" in other
    assert client_for(world.reviewer).get(reverse("pool:my-rating")).status_code == 403


def test_a_refused_bar_or_conflict_says_each_error_once_in_the_summary_and_once_at_its_field(world, client_for):
    """Not a third time in an alert above the page, and the conflict's location names itself (not "This field is
    required.")."""
    shopper = shopper_of(world.shopper)
    client = client_for(world.admin)
    bar = client.post(reverse("pool:shopper-bar", args=[shopper.pk]), {"bar-reason": ""})
    page = bar.content.decode()
    assert bar.status_code == 400 and page.count("data-error-summary") == 1
    assert page.count("Say why the shopper is barred: they and other planners will read it.") == 2
    assert "check the form below" not in page
    conflict = client.post(reverse("pool:conflict-add", args=[shopper.pk]),
                           {"conflict-location": "", "conflict-reason": ""})
    page = conflict.content.decode()
    assert conflict.status_code == 400 and page.count("data-error-summary") == 1
    assert page.count("Choose the location where the shopper is known.") == 2
    assert page.count("Say how the shopper is known there.") == 2
    assert "This field is required." not in page and "check the form below" not in page
    # The browser leaves the checking to the server, whose summary names each field (no bubble of its own).
    import re

    for action in (reverse("pool:conflict-add", args=[shopper.pk]), reverse("pool:shopper-bar", args=[shopper.pk])):
        tag = re.search(r'<form[^>]*action="%s"[^>]*>' % re.escape(action), page).group(0)
        assert "novalidate" in tag, tag
