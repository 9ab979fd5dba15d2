"""Scheduled reports: when a subscription is due, in its recipient's time zone, and sending it.

`send_due(now)` is a qa.periodic job (registered in ReportsConfig.ready), called on every tick of
the task worker. It is safe to run twice at once, or on several workers: a delivery row per
(subscription, period) is inserted before anything is built, under a unique constraint, and only
the worker whose insert succeeds builds and sends the file.

The report is built as the recipient, at send time, through the same exporters as the download
buttons (reports.exporters, which check qa.scoping): someone who lost access to a location gets
nothing, and the delivery says why."""

import calendar
import io
import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qa import formats, roles
from qa.http import absolute_url
from reports.exporters import FORMATS, get_exporter
from reports.models import ExportJob, Subscription, SubscriptionDelivery
from reports.services import filtered

log = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "reports.subscription.unsubscribe"
MAX_ATTEMPTS = 3
READERS = (roles.ADMINISTRATOR, roles.QA_LEAD, roles.QA_REVIEWER, roles.MANAGER, roles.EMPLOYEE)  # reports.views


# When ---------------------------------------------------------------------------------------------
def send_time(subscription, day):
    """The moment a report for `day` goes out: REPORT_SEND_HOUR o'clock on that day, in the recipient's zone."""
    return datetime.combine(day, time(settings.REPORT_SEND_HOUR), tzinfo=formats.zone_of(subscription.user))


def month_day(year: int, month: int, wanted: int):
    """The wanted day of a month, or the month's last day when it is shorter (31 -> 30 Apr, 28/29 Feb)."""
    return datetime(year, month, min(wanted, calendar.monthrange(year, month)[1])).date()


def latest_occurrence(subscription, now):
    """The last day on or before `now` (in the recipient's zone) on which this subscription is sent."""
    local = now.astimezone(formats.zone_of(subscription.user))
    today = local.date()
    if subscription.frequency == Subscription.Frequency.WEEKLY:
        day = today - timedelta(days=(today.weekday() - subscription.weekday) % 7)
        if send_time(subscription, day) > now:
            day -= timedelta(days=7)
        return day
    day = month_day(today.year, today.month, subscription.day_of_month)
    if day > today or send_time(subscription, day) > now:
        year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
        day = month_day(year, month, subscription.day_of_month)
    return day


def due_day(subscription, now):
    """The day whose report is due now, or None: never one whose send time came before the subscription."""
    if subscription.paused:
        return None
    day = latest_occurrence(subscription, now)
    return day if send_time(subscription, day) >= subscription.created_at else None


def next_send(subscription, now):
    """When the next report goes out: the occurrence after the latest one (for the list of subscriptions)."""
    last = latest_occurrence(subscription, now)
    if subscription.frequency == Subscription.Frequency.WEEKLY:
        return send_time(subscription, last + timedelta(days=7))
    year, month = (last.year, last.month + 1) if last.month < 12 else (last.year + 1, 1)
    return send_time(subscription, month_day(year, month, subscription.day_of_month))


def covered(subscription, day):
    """The dates a report sent on `day` covers, when it covers the period just ended: the seven days
    before a weekly report, the calendar month before a monthly one. None keeps the saved dates."""
    if subscription.dates != Subscription.Dates.PREVIOUS:
        return None
    if subscription.frequency == Subscription.Frequency.WEEKLY:
        return day - timedelta(days=7), day - timedelta(days=1)
    last = day.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def report_params(subscription, day) -> dict:
    params = dict(subscription.filters)
    dates = covered(subscription, day)
    if dates:
        params["date_from"], params["date_to"] = dates[0].isoformat(), dates[1].isoformat()
    return params


# Tokens -------------------------------------------------------------------------------------------
def unsubscribe_token(subscription) -> str:
    return signing.dumps(subscription.pk, salt=UNSUBSCRIBE_SALT)


def subscription_from_token(token: str):
    """The subscription a token names, None when it was already removed; BadSignature when tampered with."""
    pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return Subscription.objects.select_related("user").filter(pk=pk).first()


def unsubscribe_url(subscription) -> str:
    return absolute_url(reverse("reports:unsubscribe", args=[unsubscribe_token(subscription)]))


# Sending ------------------------------------------------------------------------------------------
def claim(subscription, day):
    """The delivery this worker may send, or None when another worker has it (or it is done).
    The insert is the lock: the unique constraint lets exactly one insert through."""
    try:
        with transaction.atomic():
            return SubscriptionDelivery.objects.create(subscription=subscription, period_start=day)
    except IntegrityError:
        pass
    retry = SubscriptionDelivery.objects.filter(subscription=subscription, period_start=day,
                                                status=SubscriptionDelivery.Status.FAILED,
                                                attempts__lt=MAX_ATTEMPTS).first()
    if retry and SubscriptionDelivery.objects.filter(pk=retry.pk, status=retry.status, attempts=retry.attempts).update(
            status=SubscriptionDelivery.Status.SENDING, attempts=retry.attempts + 1, error=""):
        retry.refresh_from_db()
        return retry
    return None


def send_due(now) -> int:
    """The periodic job: send every subscription due at `now`. Returns how many were sent."""
    subscriptions = list(Subscription.objects.filter(paused=False).select_related("user"))
    due = [(s, due_day(s, now)) for s in subscriptions]
    due = [(s, day) for s, day in due if day is not None]
    if not due:
        return 0
    done = set(SubscriptionDelivery.objects.filter(
        subscription__in=[s for s, _day in due], period_start__gte=min(day for _s, day in due)).exclude(
        status=SubscriptionDelivery.Status.FAILED, attempts__lt=MAX_ATTEMPTS).values_list("subscription_id", "period_start"))
    sent = 0
    for subscription, day in due:
        if (subscription.pk, day) in done:
            continue
        delivery = claim(subscription, day)
        if delivery is not None:
            sent += deliver(delivery) == SubscriptionDelivery.Status.SENT
    return sent


def finish(delivery, status, **fields):
    fields.update(status=status)
    SubscriptionDelivery.objects.filter(pk=delivery.pk).update(**fields)
    for name, value in fields.items():
        setattr(delivery, name, value)
    return status


def deliver(delivery) -> str:
    """Build the report as its recipient sees it now and e-mail it; the delivery records the outcome."""
    subscription = delivery.subscription
    user = subscription.user
    if not user.is_active or not roles.has_role(user, *READERS):
        return finish(delivery, SubscriptionDelivery.Status.NO_ACCESS, error="The recipient may no longer read reports.")
    exporter = get_exporter(subscription.report, user, report_params(subscription, delivery.period_start),
                            subscription.object_id)
    try:
        exporter.scope()
    except Http404:
        return finish(delivery, SubscriptionDelivery.Status.NO_ACCESS,
                      error="The report's location or employee is no longer in the recipient's reach.")
    problems = exporter.filter_errors()
    if problems:  # a saved filter (a location, an employee) left the recipient's reach
        return finish(delivery, SubscriptionDelivery.Status.NO_ACCESS,
                      error="; ".join(f"{label}: {message}" for label, message in problems)[:500])
    if not user.email:
        return finish(delivery, SubscriptionDelivery.Status.NO_ADDRESS, error="The recipient has no e-mail address.")
    try:
        with formats.viewer_time_zone(user):
            return send(delivery, exporter)
    except Exception as exc:  # noqa: BLE001 - recorded on the delivery and retried on the next ticks
        log.exception("scheduled report %s for %s failed", subscription.pk, delivery.period_start)
        return finish(delivery, SubscriptionDelivery.Status.FAILED, error=f"{exc.__class__.__name__}: {exc}"[:500])


def send(delivery, exporter) -> str:
    subscription = delivery.subscription
    user = subscription.user
    fmt = subscription.file_format
    buffer = io.BytesIO()
    exporter.write(fmt, buffer)
    content = buffer.getvalue()
    filename = exporter.filename(fmt)
    attach = subscription.delivery == Subscription.Delivery.ATTACH and len(content) <= settings.REPORT_EMAIL_ATTACH_MAX_BYTES
    data = exporter.data()
    job = None
    if not attach:  # too large for e-mail, or asked for as a link: kept as the recipient's own export
        now = timezone.now()
        job = ExportJob(requested_by=user, exporter=subscription.report, file_format=fmt, filename=filename,
                        params={"filters": exporter.params, "object_id": subscription.object_id,
                                "subscription": subscription.pk},
                        status=ExportJob.Status.DONE, done=data.summary["count"], total=data.summary["count"],
                        finished_at=now,
                        expires_at=now + timedelta(days=settings.EXPORT_KEEP_DAYS))
        job.file.save(filename, ContentFile(content), save=False)
        job.save()
    context = {
        "subscription": subscription, "user": user, "data": data, "day": delivery.period_start,
        "dates": covered(subscription, delivery.period_start), "attach": attach, "filename": filename,
        "too_large": subscription.delivery == Subscription.Delivery.ATTACH and not attach,
        "download_url": absolute_url(job.get_absolute_url()) if job else "",
        "page_url": absolute_url(page_path(subscription)), "keep_days": settings.EXPORT_KEEP_DAYS,
        "manage_url": absolute_url(reverse("reports:subscriptions")), "unsubscribe_url": unsubscribe_url(subscription),
    }
    subject = render_to_string("reports/email/subscription_subject.txt", context).strip()
    message = EmailMessage(subject, render_to_string("reports/email/subscription.txt", context),
                           settings.DEFAULT_FROM_EMAIL, [user.email],
                           headers={"List-Unsubscribe": f"<{context['unsubscribe_url']}>",
                                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
    if attach:
        message.attach(filename, content, FORMATS[fmt])
    message.send()
    return finish(delivery, SubscriptionDelivery.Status.SENT, sent_at=timezone.now(), size=len(content),
                  attached=attach, export=job)


DAY_FILTERS = ("date_from", "date_to")


def standing_filters(subscription) -> dict:
    """The saved filters every sending keeps: without the saved days when each report covers the period just
    ended (`covered` replaces them then, so naming or linking them would describe a report nobody receives)."""
    if subscription.dates == Subscription.Dates.PREVIOUS:
        return {name: value for name, value in subscription.filters.items() if name not in DAY_FILTERS}
    return dict(subscription.filters)


def period_text(subscription):
    """("Period", "the week just ended") for a subscription covering the period just ended, else None."""
    if subscription.dates != Subscription.Dates.PREVIOUS:
        return None
    weekly = subscription.frequency == Subscription.Frequency.WEEKLY
    return _("Period"), (_("the 7 days before each sending") if weekly else _("the calendar month just ended"))


def page_path(subscription) -> str:
    """The report page a subscription was made from, with the filters each sending keeps."""
    from urllib.parse import urlencode

    if subscription.report == Subscription.Report.DASHBOARD:
        path = reverse("reports:dashboard")
    else:
        path = reverse(f"reports:{subscription.report}", args=[subscription.object_id])
    filters = standing_filters(subscription)
    return path + ("?" + urlencode(filters) if filters else "")


def send_hour_text() -> str:
    """The hour reports go out (REPORT_SEND_HOUR), as "07:00"."""
    return f"{settings.REPORT_SEND_HOUR:02d}:00"


def schedule_text(subscription) -> str:
    """When it is sent, in words: "Every Monday at 07:00 (Europe/London)"."""
    zone = formats.zone_of(subscription.user)
    hour = send_hour_text()
    if subscription.frequency == Subscription.Frequency.WEEKLY:
        return _("Every %(day)s at %(hour)s (%(zone)s)") % {
            "day": subscription.get_weekday_display(), "hour": hour, "zone": zone.key if hasattr(zone, "key") else zone}
    day = subscription.day_of_month
    text = (_("Monthly on day %(day)s at %(hour)s (%(zone)s)") if day <= 28 else
            _("Monthly on day %(day)s, or the month's last day, at %(hour)s (%(zone)s)"))
    return text % {"day": day, "hour": hour, "zone": zone.key if hasattr(zone, "key") else zone}


def heading(report, title, described) -> str:
    """What a subscription is called on its pages: the report and its filters, e.g. "Dashboard – Region: North;
    Scorecard: Store visit" or "Leeds Briggate (location) – Channel: Phone call" (two dashboards differ)."""
    name = str(title) if report == Subscription.Report.DASHBOARD else "%(title)s (%(report)s)" % {
        "title": title, "report": str(Subscription.Report(report).label).lower()}
    if not described:
        return name
    return f"{name} – " + "; ".join(f"{label}: {value}" for label, value in described)


def named(subscription):
    """The subscription with its `described` filters and its `heading` (as the recipient's filter panel names them)."""
    subscription.described = describe_filters(subscription.user, standing_filters(subscription))
    period = period_text(subscription)
    if period:
        subscription.described = [*subscription.described, period]
    subscription.heading = heading(subscription.report, subscription.title, subscription.described)
    return subscription


def describe_filters(user, filters: dict) -> list:
    """Saved filters as (label, value), named as `user`'s filter panel names them."""
    return filtered(user, dict(filters))[0].describe()
