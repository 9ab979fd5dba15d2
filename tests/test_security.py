"""Sign-in throttling, CSRF, security headers and production settings."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_failed_sign_ins_lock_the_account(world, client):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(reverse("login"), {"username": "reviewer", "password": "wrong"})
        assert response.status_code == 200
    # The last allowed failure locks the account; even the right password is then refused.
    assert client.post(reverse("login"), {"username": "reviewer", "password": "wrong"}).status_code == 429
    response = client.post(reverse("login"), {"username": "reviewer", "password": f.PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302  # still not signed in


def test_a_successful_sign_in_resets_the_count(world, client):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("login"), {"username": "lead", "password": "wrong"})
    assert client.post(reverse("login"), {"username": "lead", "password": f.PASSWORD}).status_code == 302


def test_state_changes_need_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.admin)
    response = client.post(reverse("scorecards:create"), {"name": "X", "channel": "email"})
    assert response.status_code == 403


def test_pages_carry_a_strict_content_security_policy(world, client_for):
    response = client_for(world.shopper).get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "<script>" not in response.content.decode()  # no inline script anywhere on the page


def test_password_rules_and_session_expiry():
    names = {v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert {"MinimumLengthValidator", "CommonPasswordValidator", "NumericPasswordValidator"} <= names
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_password_reset_sends_an_email(world, client, mailoutbox):
    world.reviewer.email = "tom@example.com"
    world.reviewer.save()
    client.post(reverse("password_reset"), {"email": "tom@example.com"})
    assert len(mailoutbox) == 1 and "/accounts/reset/" in mailoutbox[0].body


def test_signed_in_pages_json_and_exports_are_private_and_never_stored(world, client_for):
    client = client_for(world.manager_a)
    for url in (reverse("home"), reverse("reports:dashboard"), reverse("reports:export", args=["dashboard", "csv"]),
                reverse("reports:export", args=["dashboard", "xlsx"])):
        response = client.get(url)
        assert response.status_code == 200, url
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, (url, directives)
