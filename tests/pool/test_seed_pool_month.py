"""seed_pool_month: grows the demo's pool at a tiny size here, with what a planner's month needs, and only once."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from stdnum import iban as iban_check

from config import demo
from config.demo_pool import demo_board, demo_qualifications
from pool import pay
from pool.models import Application, Conflict, Credential, Invitation, Programme, ShopperProfile
from shops.models import Assignment, AssignmentEvent, Location, Shopper

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_demo():
    """The part of seed_demo the command grows (programmes, qualifications, logins), without the half minute of
    evaluations."""
    from qa.roles import ensure_role_groups

    ensure_role_groups()
    demo.install_default_scorecards()
    regions, locations = demo.ensure_organisation()
    users = demo.ensure_users(regions)
    demo_board(users, locations)
    demo_qualifications(users, locations)
    return users


def counts():
    from qa.models import Evaluation, VisitReport

    return {model.__name__: model.objects.count() for model in (
        Location, Shopper, ShopperProfile, Credential, Conflict, Assignment, AssignmentEvent, Application,
        Invitation, Evaluation, VisitReport)}


def test_needs_the_demo():
    with pytest.raises(CommandError):
        call_command("seed_pool_month", shoppers=5, visits=10, locations=2)


def test_a_small_month_then_nothing_more(small_demo, capsys):
    before = counts()
    call_command("seed_pool_month", shoppers=40, visits=60, locations=6)
    first = counts()
    assert first["Location"] - before["Location"] == 6
    assert first["Shopper"] - before["Shopper"] == 40
    assert first["ShopperProfile"] - before["ShopperProfile"] == 40
    new_profiles = ShopperProfile.objects.filter(shopper__user__username__startswith="pool")
    assert not new_profiles.filter(home_latitude__isnull=True).exists()
    for profile in new_profiles.filter(payment_method="bank"):
        assert iban_check.is_valid(profile.iban) and profile.bic and profile.account_name
    assert not new_profiles.filter(payment_method="paypal", paypal_email="").exists()
    assert new_profiles.filter(barred=True).count() == sum(
        1 for p in new_profiles.filter(barred=True) if p.history.filter(barred=True).exists())
    assert Location.objects.filter(code__startswith="PM", latitude__isnull=True).count() == 0
    # Open visits in both programmes over the coming month, each with its "offered" event.
    opened = Assignment.objects.filter(status="offered", shopper__isnull=True, created_by=small_demo["lead"])
    assert opened.filter(channel="phone_call").exists() and opened.filter(channel="store_visit").exists()
    assert not opened.filter(events__isnull=True).exists()
    applied = Application.objects.filter(shopper__user__username__startswith="pool")
    assert applied.exists()
    assert not applied.exclude(assignment__version__scorecard__programme_link__programme__claim_rule=(
        Programme.ClaimRule.PLANNER_CHOOSES)).exists()
    # Last month's approved visits make a pay batch.
    approved = Assignment.objects.filter(status="approved", paid_at__isnull=True,
                                         shopper__user__username__startswith="pool")
    assert approved.count() == 36
    assert approved.filter(events__to_status="approved").count() == 36
    from datetime import timedelta

    from django.utils import timezone
    today, tz = timezone.localdate(), timezone.get_default_timezone()
    planned = pay.plan("bank", today - timedelta(days=31), today, tz)
    assert planned.visit_count > 0
    # Each approved visit has the report a reviewer approved, so the shopper's rating counts it as pay does.
    from pool import ratings
    from qa.models import Evaluation

    assert not approved.filter(report__isnull=True).exists()
    released = Evaluation.objects.filter(visit__assignment__in=approved)
    assert released.filter(status="released", overall_score__isnull=False, source="shopper").count() == 36
    paid_for = {}
    for visit in approved:
        paid_for[visit.shopper_id] = paid_for.get(visit.shopper_id, 0) + 1
    rated = ratings.for_shoppers(paid_for)
    assert all(rated[pk].reviewed == min(n, ratings.WINDOW) for pk, n in paid_for.items())
    assert any(rating.rated for rating in rated.values())

    call_command("seed_pool_month", shoppers=40, visits=60, locations=6)
    assert counts() == first
    assert "nothing duplicated" in capsys.readouterr().out
