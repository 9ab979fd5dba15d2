"""Sign-in lockout that cannot be turned against other people, the client's address behind
proxies, and the password change and reset throttles."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db
ATTACKER, VICTIM, OFFICE = "203.0.113.66", "198.51.100.20", "192.0.2.10"


def sign_in(client, username, password=f.PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def fail(client, username, times=1, **extra):
    for _ in range(times):
        assert sign_in(client, username, "wrong", **extra).status_code in (200, 429)


def test_failures_for_one_account_from_five_addresses_do_not_lock_it_for_a_sixth(world, settings):
    for n in range(5):
        attacker = Client(REMOTE_ADDR=f"203.0.113.{n + 1}")
        fail(attacker, "reviewer", settings.AXES_FAILURE_LIMIT)
        assert sign_in(attacker, "reviewer").status_code == 429  # that pair is locked
    assert sign_in(Client(REMOTE_ADDR=VICTIM), "reviewer").status_code == 302


def test_failures_with_five_usernames_do_not_lock_the_address_for_others(world):
    office = Client(REMOTE_ADDR=OFFICE)
    for name in ["ann", "bob", "cat", "dan", "eve"]:
        fail(office, name)
    assert sign_in(Client(REMOTE_ADDR=OFFICE), "lead").status_code == 302


def test_an_address_failing_across_usernames_is_locked_at_its_own_higher_limit(world, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 8
    sprayer = Client(REMOTE_ADDR=ATTACKER)
    for n in range(7):
        fail(sprayer, f"guess-{n}")
    assert sign_in(Client(REMOTE_ADDR=ATTACKER), "lead").status_code == 302  # 7 of 8: still open
    fail(sprayer, "guess-7")
    response = sign_in(Client(REMOTE_ADDR=ATTACKER), "reviewer")
    assert response.status_code == 429 and "Too many failed sign-ins" in response.content.decode()
    assert sign_in(Client(REMOTE_ADDR=VICTIM), "reviewer").status_code == 302  # elsewhere unaffected


def test_behind_a_proxy_clients_are_told_apart_by_the_address_it_forwards(world, settings):
    """With one trusted proxy every request comes from 127.0.0.1: counted by that address, one
    attacker locked everyone out."""
    settings.PROXY_COUNT = 1
    attacker = Client(HTTP_X_FORWARDED_FOR=f"10.1.1.1, {ATTACKER}")  # the client's own claim, then the proxy's
    fail(attacker, "reviewer", settings.AXES_FAILURE_LIMIT)
    assert sign_in(attacker, "reviewer").status_code == 429
    assert sign_in(Client(HTTP_X_FORWARDED_FOR=VICTIM), "reviewer").status_code == 302


def test_forwarded_addresses_from_an_untrusted_peer_are_ignored(world, settings):
    """A client reaching gunicorn directly cannot dodge the lockout by inventing X-Forwarded-For."""
    settings.PROXY_COUNT = 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        fail(Client(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"), "reviewer")
    assert sign_in(Client(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR="10.0.0.99"), "reviewer").status_code == 429


def test_x_forwarded_proto_is_believed_only_from_a_configured_proxy(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.PROXY_COUNT = 1
    https = {"HTTP_X_FORWARDED_PROTO": "https"}
    assert Client().get(reverse("health"), **https).status_code == 200  # from the proxy (127.0.0.1)
    assert Client(REMOTE_ADDR=ATTACKER).get(reverse("health"), **https).status_code == 301
    settings.PROXY_COUNT = 0  # no proxy in front: nobody's forwarded headers count
    assert Client().get(reverse("health"), **https).status_code == 301


def test_password_change_is_throttled_per_account(world, client_for, settings):
    """20 wrong old passwords and then the right one changed the password."""
    settings.PASSWORD_CHANGE_RATE = "5/d"
    client = client_for(world.reviewer)
    new = {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"}
    for _ in range(5):
        response = client.post(reverse("password_change"), {"old_password": "wrong", **new})
        assert response.status_code == 200 and "incorrectly" in response.content.decode()
    response = client.post(reverse("password_change"), {"old_password": f.PASSWORD, **new})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    world.reviewer.refresh_from_db()
    assert world.reviewer.check_password(f.PASSWORD)
    # Another account is not affected.
    other = client_for(world.lead).post(reverse("password_change"), {"old_password": f.PASSWORD, **new})
    assert other.status_code == 302


def test_password_reset_is_throttled_per_email_and_per_address(world, client, mailoutbox, settings):
    """15 reset requests sent 15 e-mails to one inbox."""
    settings.PASSWORD_RESET_RATE, settings.PASSWORD_RESET_ADDRESS_RATE = "3/d", "4/d"
    world.reviewer.email = "tom@example.com"
    world.reviewer.save()
    for _ in range(3):
        assert client.post(reverse("password_reset"), {"email": "Tom@example.com"}).status_code == 302
    response = client.post(reverse("password_reset"), {"email": "tom@example.com"})
    assert response.status_code == 429
    body = response.content.decode()
    assert "Too many attempts" in body and 'value="tom@example.com"' in body  # what was typed is kept
    assert len(mailoutbox) == 3
    # From another address, the same inbox is still protected; other inboxes are not blocked by it.
    assert Client(REMOTE_ADDR=VICTIM).post(reverse("password_reset"), {"email": "tom@example.com"}).status_code == 429
    assert client.post(reverse("password_reset"), {"email": "someone@example.com"}).status_code == 429  # 5th from here: over 4
    assert Client(REMOTE_ADDR=VICTIM).post(reverse("password_reset"), {"email": "ann@example.com"}).status_code == 302
    assert len(mailoutbox) == 3


def test_password_reset_email_links_to_the_site_url(world, client, mailoutbox, settings):
    settings.SITE_URL = "https://qa.example.com"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "evil.example.net"]  # even where a Host is let through
    world.reviewer.email = "tom@example.com"
    world.reviewer.save()
    client.post(reverse("password_reset"), {"email": "tom@example.com"}, HTTP_HOST="evil.example.net")
    assert "https://qa.example.com/accounts/reset/" in mailoutbox[0].body
    assert "evil.example.net" not in mailoutbox[0].body
