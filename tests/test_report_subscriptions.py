"""Scheduled reports (reports.subscriptions): when one is due in its recipient's time zone, that it is
sent once per period however many workers run, that access is checked again when it is sent, and what
the e-mail carries (the file attached, or a link when it is too large)."""

import io
import re
import threading
from datetime import date, datetime, timezone as dt_timezone

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from openpyxl import load_workbook
from pypdf import PdfReader

from reports import subscriptions
from reports.models import ExportJob, Subscription, SubscriptionDelivery

UTC = dt_timezone.utc


def at(*args):
    return datetime(*args, tzinfo=UTC)


def subscription(user, **fields):
    fields.setdefault("report", "dashboard")
    fields.setdefault("title", "Dashboard")
    sub = Subscription.objects.create(user=user, created_by=user, **fields)
    Subscription.objects.filter(pk=sub.pk).update(created_at=at(2025, 1, 1))
    sub.refresh_from_db()
    return sub


@pytest.fixture
def people(world):
    for user, address in ((world.manager_a, "ann.manager@example.com"), (world.manager_b, "bob.manager@example.com")):
        user.email = address
        user.save()
    return world


# When ---------------------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("zone, now, due", [
    # Monday 30 Nov 2026, 07:00 in each zone. London is on GMT: 07:00 UTC.
    ("Europe/London", at(2026, 11, 30, 6, 59), date(2026, 11, 23)),
    ("Europe/London", at(2026, 11, 30, 7, 0), date(2026, 11, 30)),
    # New York (UTC-5): Monday 07:00 there is 12:00 UTC; at 11:00 UTC it is still last week's.
    ("America/New_York", at(2026, 11, 30, 11, 0), date(2026, 11, 23)),
    ("America/New_York", at(2026, 11, 30, 12, 0), date(2026, 11, 30)),
    # Tokyo (UTC+9): Monday 07:00 there is Sunday 22:00 UTC.
    ("Asia/Tokyo", at(2026, 11, 29, 21, 59), date(2026, 11, 23)),
    ("Asia/Tokyo", at(2026, 11, 29, 22, 0), date(2026, 11, 30)),
    # The Monday after the clocks go forward (29 Mar 2026): 07:00 BST is 06:00 UTC.
    ("Europe/London", at(2026, 3, 30, 5, 59), date(2026, 3, 23)),
    ("Europe/London", at(2026, 3, 30, 6, 0), date(2026, 3, 30)),
    # ... and after they go back (25 Oct 2026): 07:00 GMT is 07:00 UTC again.
    ("Europe/London", at(2026, 10, 26, 6, 30), date(2026, 10, 19)),
    ("Europe/London", at(2026, 10, 26, 7, 0), date(2026, 10, 26)),
])
def test_weekly_due_day_in_the_recipients_zone(people, settings, zone, now, due):
    settings.REPORT_SEND_HOUR = 7
    people.manager_a.time_zone = zone
    people.manager_a.save()
    sub = subscription(people.manager_a, frequency="weekly", weekday=0)
    assert subscriptions.due_day(sub, now) == due


@pytest.mark.django_db
@pytest.mark.parametrize("day_of_month, now, due", [
    (31, at(2026, 2, 28, 7, 0), date(2026, 2, 28)),   # February has no 31st: its last day
    (31, at(2026, 2, 27, 7, 0), date(2026, 1, 31)),
    (31, at(2026, 4, 30, 6, 0), date(2026, 4, 30)),   # 07:00 BST = 06:00 UTC
    (15, at(2026, 1, 10, 12, 0), date(2025, 12, 15)),  # across the year
    (1, at(2026, 3, 1, 6, 59), date(2026, 2, 1)),     # 1 Mar is still GMT: 07:00 UTC
])
def test_monthly_due_day(people, day_of_month, now, due):
    people.manager_a.time_zone = "Europe/London"
    people.manager_a.save()
    sub = subscription(people.manager_a, frequency="monthly", day_of_month=day_of_month)
    assert subscriptions.due_day(sub, now) == due


@pytest.mark.django_db
def test_nothing_is_due_from_before_the_subscription_or_while_paused(people):
    sub = subscription(people.manager_a, frequency="weekly", weekday=0)
    Subscription.objects.filter(pk=sub.pk).update(created_at=at(2026, 11, 30, 8, 0))  # after Monday's 07:00
    sub.refresh_from_db()
    assert subscriptions.due_day(sub, at(2026, 11, 30, 9, 0)) is None
    assert subscriptions.due_day(sub, at(2026, 12, 7, 7, 0)) == date(2026, 12, 7)
    assert subscriptions.next_send(sub, at(2026, 11, 30, 9, 0)) == at(2026, 12, 7, 7, 0)
    sub.paused = True
    assert subscriptions.due_day(sub, at(2026, 12, 7, 7, 0)) is None


@pytest.mark.django_db
def test_the_period_just_ended():
    weekly = Subscription(frequency="weekly", dates="previous")
    assert subscriptions.covered(weekly, date(2026, 11, 30)) == (date(2026, 11, 23), date(2026, 11, 29))
    monthly = Subscription(frequency="monthly", dates="previous")
    assert subscriptions.covered(monthly, date(2026, 3, 1)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert subscriptions.covered(Subscription(frequency="monthly", dates="saved"), date(2026, 3, 1)) is None


@pytest.mark.django_db
def test_a_report_of_the_period_just_ended_is_named_and_linked_without_the_saved_days(people):
    filters = {"date_from": "2026-01-01", "date_to": "2026-01-31", "channel": "phone_call"}
    previous = subscriptions.named(subscription(people.manager_a, frequency="weekly", dates="previous", filters=filters))
    assert "From" not in previous.heading and "To:" not in previous.heading
    assert "Period: the 7 days before each sending" in previous.heading and "Channel:" in previous.heading
    assert "date_from" not in subscriptions.page_path(previous) and "channel=phone_call" in subscriptions.page_path(previous)
    saved = subscriptions.named(subscription(people.manager_a, frequency="monthly", dates="saved", filters=filters))
    assert "From: 1 Jan 2026" in saved.heading and "Period" not in saved.heading
    assert "date_from=2026-01-01" in subscriptions.page_path(saved)


# Sending ------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_sent_once_with_the_file_attached_and_an_unsubscribe_link(scored, people, settings):
    settings.SITE_URL = "https://qa.example.com"
    sub = subscription(people.manager_a, file_format="xlsx", frequency="weekly", weekday=0, dates="saved",
                       report="location", object_id=people.location_a.pk, title="Store A")
    now = at(2026, 11, 30, 7, 5)
    assert subscriptions.send_due(now) == 1
    assert subscriptions.send_due(now) == 0  # run twice: nothing sent twice
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ann.manager@example.com"]
    assert message.subject == "Weekly report: Store A, 30 Nov 2026"
    assert "Average score 77.8% over 6 released evaluations" in message.body
    token = re.search(r"https://qa\.example\.com/reports/unsubscribe/(\S+)/\n", message.body).group(1)
    assert subscriptions.subscription_from_token(token) == sub
    assert message.extra_headers["List-Unsubscribe"] == f"<https://qa.example.com/reports/unsubscribe/{token}/>"
    (filename, content, mimetype), = message.attachments
    assert filename.startswith("store-a-") and filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(content))
    figures = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row and row[0]}
    assert figures["Evaluations (n)"] == 6
    delivery = SubscriptionDelivery.objects.get()
    assert (delivery.status, delivery.period_start, delivery.attached) == ("sent", date(2026, 11, 30), True)


@pytest.mark.django_db
def test_the_unique_constraint_refuses_a_second_delivery_for_a_period(people):
    sub = subscription(people.manager_a)
    SubscriptionDelivery.objects.create(subscription=sub, period_start=date(2026, 11, 30))
    with pytest.raises(IntegrityError), transaction.atomic():
        SubscriptionDelivery.objects.create(subscription=sub, period_start=date(2026, 11, 30))


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_one_email(people):
    """Two threads, each with its own database connection, run the job at the same moment."""
    subscription(people.manager_a, file_format="pdf", frequency="weekly", weekday=0)
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        try:
            barrier.wait(timeout=10)
            subscriptions.send_due(at(2026, 11, 30, 7, 5))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert len(mail.outbox) == 1 and SubscriptionDelivery.objects.filter(status="sent").count() == 1


@pytest.mark.django_db
def test_who_lost_access_gets_nothing(scored, people):
    sub = subscription(people.manager_a, report="location", object_id=people.location_a.pk, title="Store A")
    people.manager_a.regions.clear()
    subscriptions.send_due(at(2026, 11, 30, 7, 5))
    assert mail.outbox == []
    delivery = SubscriptionDelivery.objects.get(subscription=sub)
    assert delivery.status == "no_access"


@pytest.mark.django_db
def test_a_saved_filter_outside_the_reach_now_sends_nothing(scored, people):
    sub = subscription(people.manager_a, filters={"location": str(people.location_a.pk)})
    people.manager_a.regions.set([people.region_b])
    subscriptions.send_due(at(2026, 11, 30, 7, 5))
    assert mail.outbox == [] and SubscriptionDelivery.objects.get(subscription=sub).status == "no_access"


@pytest.mark.django_db
def test_a_large_file_is_sent_as_a_link_to_the_recipients_download(scored, people, settings):
    settings.REPORT_EMAIL_ATTACH_MAX_BYTES = 100
    settings.SITE_URL = "https://qa.example.com"
    subscription(people.manager_a, file_format="pdf")
    subscriptions.send_due(at(2026, 11, 30, 7, 5))
    message, = mail.outbox
    assert message.attachments == []
    job = ExportJob.objects.get()
    assert job.requested_by == people.manager_a and job.status == "done"
    assert f"https://qa.example.com/reports/exports/{job.pk}/" in message.body
    assert "too large to attach" in message.body
    assert PdfReader(job.file.open("rb")).pages


@pytest.mark.django_db
def test_a_failed_send_is_retried_on_the_next_tick(people, settings):
    settings.EMAIL_BACKEND = "tests.test_report_subscriptions.BrokenBackend"
    subscription(people.manager_a)
    subscriptions.send_due(at(2026, 11, 30, 7, 5))
    delivery = SubscriptionDelivery.objects.get()
    assert delivery.status == "failed" and "refused" in delivery.error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert subscriptions.send_due(at(2026, 11, 30, 7, 10)) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server refused the connection")


@pytest.mark.django_db
def test_the_job_is_registered_with_the_periodic_tick():
    from qa import periodic

    assert periodic.jobs()["scheduled reports"] is subscriptions.send_due


def test_bad_settings_in_the_email_url():
    from config.settings import email_settings

    assert email_settings({"EMAIL_URL": "smtps://me%40x.org:p%3Ass@mail.x.org"}) | {} == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "mail.x.org", "EMAIL_PORT": 465,
        "EMAIL_HOST_USER": "me@x.org", "EMAIL_HOST_PASSWORD": "p:ss", "EMAIL_USE_SSL": True, "EMAIL_USE_TLS": False}
    assert email_settings({})["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert email_settings({"EMAIL_HOST": "mx"})["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    from django.core.exceptions import ImproperlyConfigured
    with pytest.raises(ImproperlyConfigured):
        email_settings({"EMAIL_URL": "http://mail"})
