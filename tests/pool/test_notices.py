"""E-mails a shopper gets when something is decided about them elsewhere (pool.notices via pool.receivers):
their report rejected, a visit offered to them by name, their application not chosen."""

from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from pool.models import Application
from qa import visits
from shops import services as shop_services
from shops.models import Shopper
from tests.pool.conversation_helpers import submitted_report, with_emails
from tests.visits_helpers import make_assignment


def test_rejection_is_e_mailed_with_the_reason_and_a_link(world, django_capture_on_commit_callbacks):
    with_emails(world)
    report = submitted_report(world)
    with django_capture_on_commit_callbacks(execute=True):
        visits.reject(report, by=world.reviewer, reason="Photos are of another store.")
    assert [m.to for m in mail.outbox] == [["shopper@example.com"]]
    body = mail.outbox[0].body
    assert "rejected" in mail.outbox[0].subject and "Photos are of another store." in body
    assert reverse("shopper-report", args=[report.assignment_id]) in body


def test_a_visit_offered_by_name_is_e_mailed_but_not_a_pool_offer(world, django_capture_on_commit_callbacks):
    world.shopper.time_zone = "Europe/London"
    world.shopper.save()
    with_emails(world)
    with django_capture_on_commit_callbacks(execute=True):
        mine = make_assignment(world, accepted=False)
        make_assignment(world, accepted=False, pool=True)
        past = timezone.localdate() - timedelta(days=10)  # entered afterwards: it can no longer be accepted
        make_assignment(world, accepted=False, window_start=past, window_end=past + timedelta(days=2))
    assert [m.to for m in mail.outbox] == [["shopper@example.com"]]
    assert world.location_a.name in mail.outbox[0].subject
    assert mine.window_end.strftime("%-d %b %Y") in mail.outbox[0].body and reverse("home") in mail.outbox[0].body


def test_applicants_not_chosen_are_told(world, django_capture_on_commit_callbacks):
    with_emails(world)
    world.other_shopper.email = "other@example.com"
    world.other_shopper.save()
    visit = make_assignment(world, accepted=False, pool=True)
    Application.objects.create(assignment=visit, shopper=Shopper.objects.get(user=world.other_shopper))
    with django_capture_on_commit_callbacks(execute=True):
        shop_services.accept(visit, Shopper.objects.get(user=world.shopper))
    assert [m.to for m in mail.outbox] == [["other@example.com"]]
    assert "Another shopper was chosen" in mail.outbox[0].body and reverse("pool:board") in mail.outbox[0].body
