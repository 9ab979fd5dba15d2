"""Webhook deliveries: created when an event happens, sent by the task worker, signed (api.signing),
retried with backoff, every attempt recorded.

A delivery is made only for a subscription whose owner may see the event's object then (no row at all
otherwise: even its id would tell of something outside their reach); what it sends is decided when it is
sent, as its owner sees it then: an evaluation that has left the owner's reach since is skipped, not sent. Addresses are checked before every attempt:
only http(s), and never a private, loopback, link-local or reserved address unless WEBHOOK_ALLOW_PRIVATE
(server-side request forgery: a webhook must not become a way to reach the internal network)."""

import ipaddress
import json
import logging
import secrets
import socket
import time
from datetime import timedelta
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from urllib3.exceptions import NameResolutionError

from api import events, signing
from api.models import WebhookAttempt, WebhookDelivery, WebhookSubscription

log = logging.getLogger(__name__)

BACKOFF_MINUTES = [1, 5, 30, 120, 720]  # after the 1st, 2nd, ... failed attempt


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def check_url(url: str, resolve: bool = True) -> None:
    """Refuse what must not be called: other schemes, and addresses inside the network (unless allowed)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError({"url": _("Enter an http:// or https:// address.")})
    if parts.username or parts.password:
        raise ValidationError({"url": _("Leave the user name and password out of the address.")})
    if settings.WEBHOOK_ALLOW_PRIVATE or not resolve:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80),
                                   type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise ValidationError({"url": _("This address's host name could not be found.")})
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if not address.is_global or address.is_multicast:
            raise ValidationError({"url": _("This address is inside a private network; webhooks go to public "
                                            "addresses only.")})


def _causes(exc: BaseException):
    """The exception and every exception it wraps (requests wraps urllib3's, which wraps the socket's)."""
    seen, stack = set(), [exc]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen or not isinstance(current, BaseException):
            continue
        seen.add(id(current))
        yield current
        stack += [current.__cause__, current.__context__, getattr(current, "reason", None), *current.args]


def failure_reason(exc: requests.RequestException) -> str:
    """Why a delivery could not be sent, in words a person can act on (no exception text)."""
    seconds = settings.WEBHOOK_TIMEOUT_SECONDS
    if isinstance(exc, requests.exceptions.SSLError):
        return _("TLS error: a secure connection could not be made (check the receiver's certificate).")
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return _("Timed out: the receiver could not be reached within %(n)s seconds.") % {"n": seconds}
    if isinstance(exc, requests.exceptions.Timeout):
        return _("Timed out: the receiver did not answer within %(n)s seconds.") % {"n": seconds}
    if isinstance(exc, requests.exceptions.ConnectionError):
        causes = list(_causes(exc))
        if any(isinstance(c, ConnectionRefusedError) for c in causes):
            return _("Connection refused: nothing accepts connections at this address and port.")
        if any(isinstance(c, (socket.gaierror, NameResolutionError)) for c in causes):
            return _("The receiver's host name could not be found.")
        if any(isinstance(c, ConnectionResetError) for c in causes):
            return _("The receiver closed the connection before answering.")
        return _("The receiver could not be reached.")
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                        requests.exceptions.InvalidSchema)):
        return _("The address is not valid.")
    return _("The delivery could not be sent.")


def emit(name: str, object_id) -> None:
    """Queue `name` for `object_id` to every active subscription to it whose owner may see it, once the change is
    committed."""
    def create():
        event = events.get(name)
        obj = event.lookup(object_id) if event else None
        if obj is None:
            return
        for subscription in WebhookSubscription.objects.filter(active=True).select_related("owner"):
            if name not in subscription.events or WebhookDelivery.objects.filter(
                    subscription=subscription, event=name, object_id=str(object_id)).exists():
                continue
            owner = subscription.owner
            if not owner.is_active or not event.visible(owner, obj):
                continue  # no delivery at all: its row would tell the owner of something outside their reach
            try:
                with transaction.atomic():
                    delivery = WebhookDelivery.objects.create(subscription=subscription, event=name,
                                                              object_id=str(object_id))
            except IntegrityError:
                continue  # this event was already queued for this subscription
            deliver.enqueue(delivery.pk)

    transaction.on_commit(create)


def body_for(delivery: WebhookDelivery) -> bytes | None:
    """The JSON sent, as the owner sees the object now; None when they may not see it (any more)."""
    event = events.get(delivery.event)
    owner = delivery.subscription.owner
    obj = event.lookup(delivery.object_id) if event else None
    if obj is None or not owner.is_active or not event.visible(owner, obj):
        return None
    data = {"id": delivery.pk, "event": delivery.event, "created_at": delivery.created_at,
            "data": event.payload(owner, obj)}
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).encode()


def attempt(delivery: WebhookDelivery) -> WebhookAttempt:
    """One try: check the address, sign, POST, record the answer."""
    subscription = delivery.subscription
    body = body_for(delivery)
    if body is None:
        delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.SKIPPED, None
        delivery.save(update_fields=["status", "next_attempt_at"])
        return None
    delivery.body = body.decode()
    started = time.monotonic()
    record = WebhookAttempt(delivery=delivery)
    try:
        check_url(subscription.url)
        response = requests.post(
            subscription.url, data=body, timeout=settings.WEBHOOK_TIMEOUT_SECONDS, allow_redirects=False,
            headers={"Content-Type": "application/json", "User-Agent": "ServiceQA-Webhooks/1",
                     "X-Webhook-Event": delivery.event, "X-Webhook-Delivery": str(delivery.pk),
                     signing.HEADER: signing.sign(subscription.secret, body)})
        record.status_code = response.status_code
        record.response_excerpt = response.text[:500]
    except ValidationError as exc:
        record.error = "; ".join(exc.messages)[:500]
    except requests.RequestException as exc:
        # The page shows the reason in words; the exception's text (addresses, library names) stays in the log.
        record.error = failure_reason(exc)[:500]
        log.warning("webhook delivery %s to subscription %s failed: %r", delivery.pk, subscription.pk, exc)
    record.milliseconds = int((time.monotonic() - started) * 1000)
    record.save()
    delivery.attempts += 1
    if record.status_code is not None and 200 <= record.status_code < 300:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
            WebhookDelivery.Status.DELIVERED, timezone.now(), None)
    elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.FAILED, None
    else:
        wait = BACKOFF_MINUTES[min(delivery.attempts - 1, len(BACKOFF_MINUTES) - 1)]
        delivery.status = WebhookDelivery.Status.RETRYING
        delivery.next_attempt_at = timezone.now() + timedelta(minutes=wait)
    delivery.save(update_fields=["body", "attempts", "status", "delivered_at", "next_attempt_at"])
    return record


@task()
def deliver(delivery_id: int) -> str:
    """Send one delivery if it is due; a failure re-enqueues itself for later (run_after), or, on a backend
    that cannot defer, is picked up by the periodic `retry_due` job."""
    with transaction.atomic():
        delivery = (WebhookDelivery.objects.select_for_update().select_related("subscription__owner")
                    .filter(pk=delivery_id).first())
        if delivery is None or delivery.status in (WebhookDelivery.Status.DELIVERED, WebhookDelivery.Status.FAILED,
                                                   WebhookDelivery.Status.SKIPPED):
            return "nothing to do"
        if delivery.next_attempt_at and delivery.next_attempt_at > timezone.now():
            return "not due"
        if not delivery.subscription.active:
            return "subscription paused"
        # Claim it: a second worker running the same id finds it not due.
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() + timedelta(minutes=1))
    attempt(delivery)
    if delivery.status == WebhookDelivery.Status.RETRYING:
        schedule(delivery)
    return delivery.status


def schedule(delivery: WebhookDelivery) -> None:
    try:
        deliver.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
    except Exception:  # the backend cannot defer (tests' immediate backend): retry_due will send it
        log.info("webhook delivery %s waits for the periodic retry", delivery.pk)


def retry_due(now=None) -> int:
    """Periodic job (qa.periodic): enqueue deliveries whose next try is due. Idempotent: deliver() claims."""
    now = now or timezone.now()
    due = WebhookDelivery.objects.filter(
        status__in=[WebhookDelivery.Status.PENDING, WebhookDelivery.Status.RETRYING],
        next_attempt_at__lte=now, subscription__active=True).values_list("pk", flat=True)[:500]
    count = 0
    for pk in due:
        deliver.enqueue(pk)
        count += 1
    return count


def resend(delivery: WebhookDelivery) -> None:
    """Send again now, whatever happened before (from the deliveries page)."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=WebhookDelivery.Status.PENDING,
                                                          next_attempt_at=None)
    transaction.on_commit(lambda: deliver.enqueue(delivery.pk))
