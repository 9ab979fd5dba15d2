"""The API documentation page loads under the site's Content Security Policy without a console error, and
the tokens page (found in the menu under the person's name) makes a token, shows it once with a copy button
and revokes it, on a phone and a desktop."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from api.models import ApiToken
from tests import factories as f
from tests.browser.conftest import assert_fits_the_phone, sign_in

SHOTS = os.environ.get("API_SHOTS")  # a folder to keep screenshots in while looking at the pages


def shot(page, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_docs_and_tokens_pages(live_server, page, world):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, live_server, "lead", f.PASSWORD)

    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock-tag", timeout=15000)
    assert page.locator(".opblock-tag", has_text="interactions").count() >= 1
    assert page.title() == "API documentation · Service QA"
    # The operation with the most parameters, expanded, stays within the phone's width (api-docs.css).
    page.locator(".opblock-post .opblock-summary", has_text="/api/v1/interactions/").first.click()
    page.locator(".opblock-post.is-open table.parameters, .opblock-post.is-open .opblock-description-wrapper"
                 ).first.wait_for()
    page.wait_for_timeout(300)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    shot(page, "docs-phone.png")
    assert errors == [], errors  # a CSP refusal is a console error

    # The tokens page is in the menu under the person's name (the phone's bar opens first).
    page.goto(f"{live_server.url}/")
    page.click(".navbar-toggler")
    page.locator("#main-nav.collapse.show").wait_for()
    page.click("button.nav-account")
    page.get_by_role("link", name="API tokens").click()
    page.wait_for_url(f"{live_server.url}/api/tokens/")
    page.fill("#id_name", "Telephony sync")
    page.check("input[name=access][value=write]")
    page.fill("#id_expires_on", (timezone.localdate() + timedelta(days=30)).isoformat())
    page.click("input[type=submit][value='Create token']")
    text = page.input_value("#new-token")
    assert text.startswith("sqa_") and ApiToken.objects.get().name == "Telephony sync"
    page.get_by_role("button", name="Copy").focus()
    page.keyboard.press("Enter")  # keyboard usable; copied, or selected for Ctrl+C where the clipboard is refused
    page.get_by_role("button", name="Copied").or_(page.get_by_text("press Ctrl+C")).first.wait_for()
    shot(page, "tokens-phone.png")
    assert_fits_the_phone(page)
    page.set_viewport_size({"width": 1366, "height": 850})
    page.goto(f"{live_server.url}/api/tokens/")
    assert page.locator("#new-token").count() == 0  # shown once
    shot(page, "tokens-desktop.png")
    page.check("input[name=confirm]")
    page.click("button:has-text('Revoke')")
    page.wait_for_selector("text=revoked: it no longer works")
    assert ApiToken.objects.get().revoked_at is not None
    if SHOTS:
        page.goto(f"{live_server.url}/api/docs/")
        page.wait_for_selector(".swagger-ui .opblock-tag", timeout=15000)
        shot(page, "docs-desktop.png")
    page.goto(f"{live_server.url}/api/webhooks/")
    shot(page, "webhooks-desktop.png")
    from api.models import WebhookAttempt, WebhookDelivery, WebhookSubscription

    hook = WebhookSubscription.objects.create(owner=world.lead, url="https://hooks.example.com/service-qa/events",
                                              events=["evaluation.released", "export.ready"], secret="s")
    delivery = WebhookDelivery.objects.create(subscription=hook, event="evaluation.released", object_id="12",
                                              status="retrying", attempts=1,
                                              next_attempt_at=timezone.now() + timedelta(minutes=5))
    WebhookAttempt.objects.create(delivery=delivery, status_code=503, response_excerpt="Service unavailable",
                                  milliseconds=120)
    page.goto(f"{live_server.url}/api/webhooks/{hook.pk}/")
    assert "HTTP status 503: the receiver failed" in page.content() and "Failed, will try again" in page.content()
    shot(page, "webhook-detail-desktop.png")
    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    assert_fits_the_phone(page)
    shot(page, "webhook-detail-phone.png")
    assert errors == [], errors
