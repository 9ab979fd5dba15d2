"""Webhooks: a local receiver checks each delivery's signature and refuses a replay; deliveries are
retried, logged, sent again from the page, and carry only what the owner may see; private addresses refused."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import requests
from django.urls import reverse

from api import signing, webhooks
from api.models import WebhookDelivery, WebhookSubscription
from qa import services
from tests import factories as f

pytestmark = pytest.mark.django_db


class Receiver:
    """An HTTP server in a thread that verifies signatures with api.signing.verify, as a receiver would."""

    def __init__(self, secret):
        self.secret, self.received, self.answer = secret, [], 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                ok = signing.verify(receiver.secret, body, self.headers.get("X-Signature", ""))
                receiver.received.append((ok, self.headers.get("X-Signature"), body))
                code = receiver.answer if ok else 401
                self.send_response(code)
                self.end_headers()
                self.wfile.write(b"accepted" if code == 200 else b"refused")

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True
    made = []

    def make(owner, events):
        subscription = WebhookSubscription.objects.create(owner=owner, url="http://placeholder/", events=events,
                                                          secret=webhooks.new_secret())
        r = Receiver(subscription.secret)
        subscription.url = r.url
        subscription.save()
        made.append(r)
        return subscription, r

    yield make
    for r in made:
        r.close()


def test_a_release_is_delivered_signed_and_a_replay_is_refused(world, receiver, client_for,
                                                               django_capture_on_commit_callbacks):
    subscription, r = receiver(world.manager_a, ["evaluation.released"])
    _other, r_b = receiver(world.manager_b, ["evaluation.released"])
    with django_capture_on_commit_callbacks(execute=True):
        evaluation = f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD,
                                       employee=world.employee_a, status="submitted")
        services.release(evaluation)
    assert len(r.received) == 1
    ok, header, body = r.received[0]
    assert ok and json.loads(body)["data"]["id"] == evaluation.pk
    assert json.loads(body)["event"] == "evaluation.released" and json.loads(body)["data"]["answers"]
    delivery = WebhookDelivery.objects.get(subscription=subscription)
    assert delivery.status == "delivered" and delivery.tries.get().status_code == 200
    assert r_b.received == []  # region B's manager does not see region A's evaluation: not even a delivery row
    assert not WebhookDelivery.objects.filter(subscription=_other).exists()
    page = client_for(world.manager_b).get(reverse("api:webhook-detail", args=[_other.pk])).content.decode()
    assert "Nothing sent yet" in page
    # A replay of the captured delivery, later than the tolerance, is refused by the receiver.
    later = int(header.split(",")[0][2:]) + signing.TOLERANCE_SECONDS + 1
    assert not signing.verify(r.secret, body, header, now=later)
    replay = requests.post(r.url, data=body, headers={"X-Signature": signing.sign(r.secret, body, 1_000_000_000)})
    assert replay.status_code == 401
    tampered = requests.post(r.url, data=body + b" ", headers={"X-Signature": header})
    assert tampered.status_code == 401


def test_a_failed_delivery_is_retried_with_backoff_and_can_be_sent_again(world, receiver, client_for,
                                                                      django_capture_on_commit_callbacks):
    subscription, r = receiver(world.lead, ["evaluation.released"])
    r.answer = 503
    with django_capture_on_commit_callbacks(execute=True):
        evaluation = f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD)
    delivery = WebhookDelivery.objects.get(subscription=subscription, object_id=str(evaluation.pk))
    assert delivery.status == "retrying" and delivery.attempts == 1 and delivery.next_attempt_at is not None
    attempt = delivery.tries.get()
    assert attempt.status_code == 503 and attempt.response_excerpt == "refused"
    assert webhooks.retry_due() == 0  # not due yet
    page = client_for(world.lead).get(reverse("api:webhook-detail", args=[subscription.pk])).content.decode()
    assert "HTTP status 503: the receiver failed" in page and "Failed, will try again" in page
    assert client_for(world.manager_a).post(reverse("api:delivery-resend", args=[delivery.pk])).status_code == 404
    r.answer = 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.lead).post(reverse("api:delivery-resend", args=[delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 2 and len(r.received) == 2


def test_a_failure_is_told_in_words_and_its_detail_is_logged(world, client_for, settings, caplog):
    """The deliveries page says why in plain words (connection refused, timed out, TLS, HTTP status), never an
    exception's text; that goes to the log."""
    import socket

    settings.WEBHOOK_ALLOW_PRIVATE = True
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now: the connection is refused
    subscription = WebhookSubscription.objects.create(owner=world.lead, url=f"http://127.0.0.1:{port}/hook",
                                                      events=["evaluation.released"], secret=webhooks.new_secret())
    evaluation = f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD)
    delivery = WebhookDelivery.objects.create(subscription=subscription, event="evaluation.released",
                                              object_id=str(evaluation.pk))
    with caplog.at_level("WARNING", logger="api.webhooks"):
        webhooks.deliver.call(delivery.pk)
    assert delivery.tries.get().error == "Connection refused: nothing accepts connections at this address and port."
    assert "ConnectionError" in caplog.text or "Connection refused" in caplog.text
    page = client_for(world.lead).get(reverse("api:webhook-detail", args=[subscription.pk])).content.decode()
    assert "Connection refused: nothing accepts connections" in page
    assert "Errno" not in page and "HTTPConnectionPool" not in page and "NewConnectionError" not in page
    reason = webhooks.failure_reason
    assert reason(requests.exceptions.ReadTimeout("read timeout=10")).startswith("Timed out: the receiver did not")
    assert reason(requests.exceptions.ConnectTimeout("x")).startswith("Timed out: the receiver could not be reached")
    assert reason(requests.exceptions.SSLError("CERTIFICATE_VERIFY_FAILED")).startswith("TLS error")
    assert reason(requests.exceptions.ConnectionError(socket.gaierror(-2, "Name or service not known"))) == (
        "The receiver's host name could not be found.")


def test_deliveries_skip_what_the_owner_can_no_longer_see(world, receiver, django_capture_on_commit_callbacks):
    subscription, r = receiver(world.manager_a, ["evaluation.released"])
    evaluation = f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD)
    delivery = WebhookDelivery.objects.create(subscription=subscription, event="evaluation.released",
                                              object_id=str(evaluation.pk))
    world.manager_a.regions.clear()
    webhooks.deliver.call(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "skipped" and r.received == []
    assert delivery.get_status_display() == "Not sent: the owner can no longer see it"
    # A mystery shopper reaches their own report (qa.scoping) but never its scores: the release of it is not
    # sent to a subscription they made before webhooks were kept from them.
    own = f.make_evaluation(world.version, world.location_a, world.shopper, f.ALL_GOOD, source="shopper")
    shoppers, r_shopper = receiver(world.shopper, ["evaluation.released"])
    delivery = WebhookDelivery.objects.create(subscription=shoppers, event="evaluation.released",
                                              object_id=str(own.pk))
    webhooks.deliver.call(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "skipped" and r_shopper.received == []


def test_private_addresses_and_other_schemes_are_refused(world, client_for, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = False
    client = client_for(world.lead)
    for url in ["http://127.0.0.1:8000/hook", "http://10.1.2.3/hook", "http://169.254.169.254/latest",
                "ftp://example.com/x", "http://[::1]/x"]:
        response = client.post(reverse("api:webhooks"), {"url": url, "events": ["evaluation.released"]})
        assert response.status_code == 400, url
    assert not WebhookSubscription.objects.exists()


def test_the_secret_is_shown_once(world, client_for, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True
    client = client_for(world.lead)
    response = client.post(reverse("api:webhooks"), {"url": "https://hooks.example.com/qa",
                                                      "events": ["dispute.opened", "export.ready"]})
    subscription = WebhookSubscription.objects.get()
    created = reverse("api:webhook-created", args=[subscription.pk])
    assert response.status_code == 302 and response["Location"] == created, "post, redirect, get"
    response = client.get(created)
    secret = subscription.secret
    assert secret in response.content.decode() and "no-store" in response["Cache-Control"]
    refreshed = client.get(created, follow=True).content.decode()
    assert secret not in refreshed and "can no longer be shown" in refreshed
    assert WebhookSubscription.objects.count() == 1
    assert client_for(world.manager_a).get(created).status_code == 404, "another's webhook"
    client = client_for(world.lead)
    assert 'data-copy="#new-secret"' in response.content.decode() and "js/copy.js" in response.content.decode()
    assert secret not in client.get(reverse("api:webhooks")).content.decode()
    detail = client.get(reverse("api:webhook-detail", args=[WebhookSubscription.objects.get().pk]))
    assert secret not in detail.content.decode() and "Nothing sent yet" in detail.content.decode()
    assert client_for(world.reviewer).get(reverse("api:webhook-detail", args=[
        WebhookSubscription.objects.get().pk])).status_code == 404


def test_signing_and_verifying_agree():
    body = json.dumps({"a": "é"}).encode()
    header = signing.sign("s3cret", body)
    assert signing.verify("s3cret", body, header)
    assert not signing.verify("other", body, header)
    assert not signing.verify("s3cret", body, "garbage")
    assert not signing.verify("s3cret", body, header, now=time.time() + 3600)


def test_send_again_is_refused_while_paused_or_when_the_owner_can_no_longer_see_it(world, receiver, client_for,
                                                                                 django_capture_on_commit_callbacks):
    subscription, r = receiver(world.manager_a, ["evaluation.released"])
    evaluation = f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD)
    delivery = WebhookDelivery.objects.create(subscription=subscription, event="evaluation.released",
                                              object_id=str(evaluation.pk), status="failed", attempts=6)
    client = client_for(world.manager_a)
    subscription.active = False
    subscription.save()
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("api:delivery-resend", args=[delivery.pk]), follow=True).content.decode()
    assert "Not sent: this webhook is paused. Resume it first" in page and "Sending again" not in page
    delivery.refresh_from_db()
    assert delivery.status == "failed" and r.received == []
    subscription.active = True
    subscription.save()
    world.manager_a.regions.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("api:delivery-resend", args=[delivery.pk]), follow=True).content.decode()
    assert "Not sent: you can no longer see what this delivery is about." in page
    delivery.refresh_from_db()
    assert delivery.status == "failed" and r.received == []


def test_removing_a_webhook_asks_for_a_confirmation(world, client_for):
    subscription = WebhookSubscription.objects.create(owner=world.lead, url="https://hooks.example.com/qa",
                                                      events=["export.ready"], secret=webhooks.new_secret())
    client = client_for(world.lead)
    path = reverse("api:webhook-detail", args=[subscription.pk])
    assert 'name="confirm" value="yes" required' in client.get(path).content.decode()
    page = client.post(path, {"action": "delete"}, follow=True).content.decode()
    assert "Not removed: tick" in page and WebhookSubscription.objects.filter(pk=subscription.pk).exists()
    page = client.post(path, {"action": "delete", "confirm": "yes"}, follow=True).content.decode()
    assert "Webhook removed." in page and not WebhookSubscription.objects.filter(pk=subscription.pk).exists()
