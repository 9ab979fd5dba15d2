"""Tokens: made on the tokens page, shown once, stored as a hash, read-only or read-write, expiring,
revocable, with their last use; administrators make them for service accounts."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api import tokens
from api.models import ApiToken, ServiceAccount
from tests import factories as f
from tests.api.conftest import make_token

pytestmark = pytest.mark.django_db


def bearer(text):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {text}")
    return client


def test_a_token_is_shown_once_and_stored_as_its_hash(world, client_for):
    client = client_for(world.manager_a)
    day = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = client.post(reverse("api:tokens"), {"name": "BI tool", "access": "read", "expires_on": day},
                           follow=True)
    assert response.status_code == 200
    text = re.search(r'value="(sqa_[0-9a-f]{8}_[^"]+)"', response.content.decode()).group(1)
    # A copy button for it (static/js/copy.js shows it and says "Copied"), with a status read out to screen readers.
    assert 'data-copy="#new-token"' in response.content.decode() and "js/copy.js" in response.content.decode()
    assert 'id="new-token-status" role="status"' in response.content.decode()
    token = ApiToken.objects.get()
    assert token.owner == world.manager_a and token.access == "read"
    assert token.digest == hashlib.sha256(text.encode()).hexdigest()
    assert text not in str(ApiToken.objects.values_list().get())
    assert text not in client.get(reverse("api:tokens")).content.decode()
    assert bearer(text).get("/api/v1/evaluations/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_refreshing_the_new_tokens_page_makes_no_second_token_and_says_it_is_gone(world, client_for):
    """Post, redirect, get: the form's answer is a redirect to a page showing the text once; a refresh of that
    page is a GET (no second token) and says the text can no longer be shown."""
    client = client_for(world.manager_a)
    day = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = client.post(reverse("api:tokens"), {"name": "BI tool", "access": "read", "expires_on": day})
    token = ApiToken.objects.get()
    created = reverse("api:token-created", args=[token.pk])
    assert response.status_code == 302 and response["Location"] == created
    shown = client.get(created)
    text = re.search(r'value="(sqa_[0-9a-f]{8}_[^"]+)"', shown.content.decode()).group(1)
    assert token.digest == hashlib.sha256(text.encode()).hexdigest()
    assert "no-store" in shown["Cache-Control"]
    refreshed = client.get(created, follow=True)
    page = refreshed.content.decode()
    assert refreshed.redirect_chain == [(reverse("api:tokens"), 302)]
    assert text not in page and "can no longer be shown" in page and "BI tool" in page
    assert ApiToken.objects.count() == 1
    # Someone else's token is not theirs to ask about.
    assert client_for(world.manager_b).get(created).status_code == 404


def test_the_form_refuses_a_past_day_and_more_than_a_year_keeping_the_name(world, client_for):
    client = client_for(world.lead)
    far = (timezone.localdate() + timedelta(days=400)).isoformat()
    response = client.post(reverse("api:tokens"), {"name": "Sync", "access": "write", "expires_on": far})
    assert response.status_code == 400 and "at most 365 days" in response.content.decode()
    assert 'value="Sync"' in response.content.decode() and not ApiToken.objects.exists()
    response = client.post(reverse("api:tokens"), {"name": "Sync", "access": "write", "expires_on": "2020-01-01"})
    assert response.status_code == 400 and not ApiToken.objects.exists()


def test_revoked_expired_and_wrong_tokens_are_refused(world, client_for):
    token, text = make_token(world.lead)
    assert bearer(text).get("/api/v1/scorecards/").status_code == 200
    assert bearer(text[:-1] + ("A" if text[-1] != "A" else "B")).get("/api/v1/scorecards/").status_code == 401
    assert bearer("sqa_nothing_here").get("/api/v1/scorecards/").status_code == 401
    other = client_for(world.reviewer)
    assert other.post(reverse("api:token-revoke", args=[token.pk])).status_code == 404  # not theirs
    unconfirmed = client_for(world.lead).post(reverse("api:token-revoke", args=[token.pk]), follow=True)
    assert "not revoked: tick" in unconfirmed.content.decode()
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    response = client_for(world.lead).post(reverse("api:token-revoke", args=[token.pk]), {"confirm": "yes"},
                                           follow=True)
    assert "revoked: it no longer works" in response.content.decode()
    refused = bearer(text).get("/api/v1/scorecards/")
    assert refused.status_code == 401 and refused["WWW-Authenticate"].startswith("Bearer")
    _expired, expired_text = make_token(world.lead)
    ApiToken.objects.filter(pk=_expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert bearer(expired_text).get("/api/v1/scorecards/").status_code == 401


def test_last_use_is_written_at_most_once_a_minute(world, django_assert_num_queries):
    token, text = make_token(world.lead)
    client = bearer(text)
    client.get("/api/v1/scorecards/")
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    client.get("/api/v1/scorecards/")
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - timedelta(minutes=2))
    client.get("/api/v1/scorecards/")
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first


def test_administrators_make_tokens_for_service_accounts(world, client_for):
    robot = f.make_user("telephony", "QA reviewer")
    account = ServiceAccount.objects.create(user=robot, description="Telephony")
    day = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = client_for(world.lead).post(reverse("api:tokens"), {
        "name": "x", "access": "write", "expires_on": day, "owner": account.pk})
    assert ApiToken.objects.get().owner == world.lead  # the field is not offered to a lead: ignored
    response = client_for(world.admin).post(reverse("api:tokens"), {
        "name": "Telephony", "access": "write", "expires_on": day, "owner": account.pk}, follow=True)
    text = re.search(r'value="(sqa_[^"]+)"', response.content.decode()).group(1)
    assert ApiToken.objects.get(name="Telephony").owner == robot
    assert bearer(text).get("/api/v1/interactions/").status_code == 200  # as the account's role allows
    assert "Telephony" in client_for(world.admin).get(reverse("api:tokens")).content.decode()


def test_rate_limit_answers_429_with_retry_after(world, settings):
    settings.API_RATE_READ = "3/min"
    _token, text = make_token(world.lead)
    client = bearer(text)
    codes = [client.get("/api/v1/scorecards/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = client.get("/api/v1/scorecards/")
    assert refused["Content-Type"] == "application/problem+json" and int(refused["Retry-After"]) > 0
    _other, other_text = make_token(world.reviewer)  # counted per token
    assert bearer(other_text).get("/api/v1/scorecards/").status_code == 200


def test_a_token_cannot_outlive_the_maximum(world):
    with pytest.raises(Exception):
        tokens.create(owner=world.lead, name="x", access="read", created_by=world.lead,
                      expires_at=timezone.now() + timedelta(days=400))


def test_the_menu_under_ones_name_leads_to_tokens_webhooks_and_the_documentation(world, client_for):
    """Tokens, webhooks and the API documentation for those with events to hear and endpoints to call; not
    mystery shoppers, whom every endpoint refuses: no menu entry, and 403 on the tokens and webhooks pages."""
    def menu(user):
        return [item["label"] for item in client_for(user).get(reverse("home")).context["account_items"]]

    for user in (world.manager_a, world.employee, world.reviewer, world.admin):
        assert menu(user)[-3:] == ["API tokens", "Webhooks", "API documentation"], user
    assert "API tokens" not in menu(world.shopper) and "Webhooks" not in menu(world.shopper)
    page = client_for(world.manager_a).get(reverse("api:tokens")).content.decode()
    assert 'class="dropdown-item active" aria-current="page" href="/api/tokens/"' in page
    assert client_for(world.shopper).get(reverse("api:webhooks")).status_code == 403
    refused = client_for(world.shopper).get(reverse("api:tokens"))
    assert refused.status_code == 403 and "You may not open this page" in refused.content.decode()
    assert client_for(world.shopper).post(reverse("api:tokens"), {"name": "x", "access": "read"}).status_code == 403
    assert 'href="/api/tokens/"' not in client_for(world.shopper).get(reverse("account-time-zone")).content.decode()
