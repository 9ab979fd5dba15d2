"""The pages of scheduled reports: subscribe from a report page (its filters saved), the list, change,
pause, delete, and the unsubscribe link that needs no sign-in. Someone else's subscription is a 404."""

import pytest
from django.urls import reverse

from reports import subscriptions
from reports.models import Subscription

pytestmark = pytest.mark.django_db

GOOD = {"file_format": "xlsx", "frequency": "monthly", "weekday": "0", "day_of_month": "31", "dates": "previous",
        "delivery": "attach"}


def subscribe_url(report="dashboard", object_id=None):
    if object_id is None:
        return reverse("reports:subscribe", args=[report])
    return reverse("reports:subscribe-object", args=[report, object_id])


def test_subscribe_saves_the_pages_filters(world, client_for):
    client = client_for(world.manager_a)
    url = subscribe_url("location", world.location_a.pk)
    page = client.get(url, {"date_from": "2026-01-01", "channel": "", "page": "3"})
    html = page.content.decode()
    assert page.status_code == 200 and "<title>Subscribe to Store A (location) – From: 1 Jan 2026" in html
    assert 'name="filters" value="date_from=2026-01-01"' in html
    response = client.post(url, dict(GOOD, filters="date_from=2026-01-01"), follow=True)
    sub = Subscription.objects.get()
    assert (sub.user, sub.created_by, sub.report, sub.object_id, sub.title, sub.filters) == (
        world.manager_a, world.manager_a, "location", world.location_a.pk, "Store A", {"date_from": "2026-01-01"})
    assert (sub.file_format, sub.frequency, sub.day_of_month) == ("xlsx", "monthly", 31)
    text = response.content.decode()
    # Each report covers the month just ended: the saved day is not what it is named by.
    assert ("Subscribed. You will receive “Store A (location) – Period: the calendar month just ended” as Excel: "
            "Monthly on day 31, or the month") in text
    assert "From: 1 Jan 2026" not in text
    client.post(url, dict(GOOD, filters="date_from=2026-01-01", dates="saved"))
    assert "Store A (location) – From: 1 Jan 2026" in client.get(reverse("reports:subscriptions")).content.decode()


@pytest.mark.parametrize("day", ["abc", "0", "32", "٣", "99999999999999999999", ""])
def test_bad_input_is_refused_with_a_message_and_kept(world, client_for, day):
    client = client_for(world.manager_a)
    response = client.post(subscribe_url(), dict(GOOD, day_of_month=day, weekday="4"))
    html = response.content.decode()
    assert response.status_code == 422 and "Please correct the following" in html
    assert "Day of the month" in html
    assert '<option value="4" selected>Friday</option>' in html
    assert 'value="xlsx"  id="id_file_format_1" required checked' in html
    assert f'name="day_of_month" value="{day}"' in html or not day
    assert not Subscription.objects.exists()


def test_a_bad_choice_and_bad_filters_are_4xx(world, client_for):
    client = client_for(world.manager_a)
    assert client.post(subscribe_url(), dict(GOOD, frequency="hourly")).status_code == 422
    response = client.get(subscribe_url(), {"date_from": "not a date"})
    assert response.status_code == 400 and "Enter a valid date" in response.content.decode()
    assert client.get(subscribe_url("nothing")).status_code == 404
    assert client.get(subscribe_url("location")).status_code == 404  # a location needs its id
    assert client.post(subscribe_url(), dict(GOOD, filters="x=" + "a" * 3000)).status_code == 400
    assert not Subscription.objects.exists()


def test_outside_the_reach_is_404(world, client_for):
    client = client_for(world.manager_b)
    assert client.get(subscribe_url("location", world.location_a.pk)).status_code == 404
    assert client.post(subscribe_url("employee", world.employee_a.pk), GOOD).status_code == 404
    assert client.get(subscribe_url("location", 2**70)).status_code == 404


def test_an_administrator_subscribes_someone_else_within_their_reach(world, client_for):
    world.manager_b.email = "bob@example.com"
    world.manager_b.save()
    client = client_for(world.admin)
    url = subscribe_url("location", world.location_a.pk)
    page = client.get(url).content.decode()
    assert "bob@example.com" in page and "Recipient" in page
    refused = client.post(url, dict(GOOD, user=world.manager_b.pk))
    assert refused.status_code == 422 and "outside what manager_b may see" in refused.content.decode()
    assert client.post(url, dict(GOOD, user=world.shopper.pk)).status_code == 422  # not a report reader
    client.post(url, dict(GOOD, user=world.manager_a.pk))
    sub = Subscription.objects.get()
    assert (sub.user, sub.created_by) == (world.manager_a, world.admin)
    mine = client_for(world.manager_a).get(reverse("reports:subscriptions")).content.decode()
    assert "Store A" in mine
    # A manager cannot pick a recipient: the field is not there, and a posted one is ignored.
    client_for(world.manager_b).post(subscribe_url(), dict(GOOD, user=world.manager_a.pk))
    assert Subscription.objects.filter(user=world.manager_b).count() == 1


def test_someone_elses_subscription_is_404(world, client_for):
    sub = Subscription.objects.create(user=world.manager_a, created_by=world.manager_a, report="dashboard", title="D")
    client = client_for(world.manager_b)
    assert client.get(reverse("reports:subscription-edit", args=[sub.pk])).status_code == 404
    assert client.post(reverse("reports:subscription-edit", args=[sub.pk]), GOOD).status_code == 404
    assert client.post(reverse("reports:subscription-pause", args=[sub.pk])).status_code == 404
    assert client.post(reverse("reports:subscription-delete", args=[sub.pk])).status_code == 404
    assert "No scheduled reports yet" in client.get(reverse("reports:subscriptions")).content.decode()
    sub.refresh_from_db()
    assert not sub.paused


def test_change_pause_resume_and_delete(world, client_for):
    sub = Subscription.objects.create(user=world.manager_a, created_by=world.manager_a, report="dashboard",
                                      title="Dashboard")
    client = client_for(world.manager_a)
    bad = client.post(reverse("reports:subscription-edit", args=[sub.pk]), dict(GOOD, weekday="9"))
    assert bad.status_code == 422
    response = client.post(reverse("reports:subscription-edit", args=[sub.pk]),
                           dict(GOOD, frequency="weekly", weekday="4"), follow=True)
    assert "now comes every Friday at 07:00 (Europe/London)" in response.content.decode()
    response = client.post(reverse("reports:subscription-pause", args=[sub.pk]), follow=True)
    assert "Paused:" in response.content.decode()
    assert "Paused" in client.get(reverse("reports:subscriptions"), {"show": "paused"}).content.decode()
    assert "No subscriptions here" in client.get(reverse("reports:subscriptions"), {"show": "active"}).content.decode()
    client.post(reverse("reports:subscription-pause", args=[sub.pk]))
    sub.refresh_from_db()
    assert not sub.paused and sub.weekday == 4
    assert client.get(reverse("reports:subscription-delete", args=[sub.pk])).status_code == 200
    response = client.post(reverse("reports:subscription-delete", args=[sub.pk]), follow=True)
    assert "Deleted:" in response.content.decode() and not Subscription.objects.exists()


def test_unsubscribe_without_signing_in(world, client):
    sub = Subscription.objects.create(user=world.manager_a, created_by=world.manager_a, report="dashboard",
                                      title="Dashboard")
    url = reverse("reports:unsubscribe", args=[subscriptions.unsubscribe_token(sub)])
    page = client.get(url)
    assert page.status_code == 200 and "Stop receiving “Dashboard – Period: the 7 days before each sending”?" in page.content.decode()
    assert Subscription.objects.exists()  # opening the link (a mail scanner does) changes nothing
    done = client.post(url)
    assert done.status_code == 200 and "You will no longer receive “Dashboard – Period: the 7 days before each sending”" in done.content.decode()
    assert not Subscription.objects.exists()
    again = client.get(url)
    assert again.status_code == 200 and "Already unsubscribed" in again.content.decode()


@pytest.mark.parametrize("change", [lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
                                    lambda t: t.split(":")[0] + ":x:y", lambda t: "٣" + t, lambda t: "a" * 500])
def test_a_tampered_unsubscribe_token_is_refused(world, client, change):
    sub = Subscription.objects.create(user=world.manager_a, created_by=world.manager_a, report="dashboard", title="D")
    token = change(subscriptions.unsubscribe_token(sub))
    url = reverse("reports:unsubscribe", args=[token])
    assert client.get(url).status_code == 400
    response = client.post(url)
    assert response.status_code == 400 and "not valid" in response.content.decode()
    assert Subscription.objects.exists()


def test_a_token_for_another_subscription_id_does_not_verify(world, client):
    from django.core import signing

    Subscription.objects.create(user=world.manager_a, created_by=world.manager_a, report="dashboard", title="D")
    forged = signing.dumps(1, salt="another purpose")
    assert client.post(reverse("reports:unsubscribe", args=[forged])).status_code == 400


def test_saved_dates_need_dates_and_the_form_says_when_it_is_sent(world, client_for, settings):
    settings.REPORT_SEND_HOUR = 6
    client = client_for(world.manager_a)
    page = client.get(subscribe_url()).content.decode()
    assert "06:00 on the day it is due, in the recipient's time zone (yours is" in page
    refused = client.post(subscribe_url(), dict(GOOD, dates="saved", filters="channel=phone_call"))
    html = refused.content.decode()
    assert refused.status_code == 422 and "No dates were saved with the filters" in html
    assert not Subscription.objects.exists()
    assert client.post(subscribe_url(), dict(GOOD, dates="saved", filters="date_from=2026-01-01")).status_code == 302
    # Changing an existing subscription without saved dates to them is refused too.
    plain = Subscription.objects.create(user=world.manager_a, created_by=world.manager_a, report="dashboard",
                                        title="Dashboard", filters={})
    edit = client.post(reverse("reports:subscription-edit", args=[plain.pk]), dict(GOOD, dates="saved"))
    assert edit.status_code == 422 and "No dates were saved with the filters" in edit.content.decode()
