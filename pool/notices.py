"""E-mails a shopper gets when something is decided about them elsewhere: their report rejected, a visit offered
to them by name, their application not chosen. Called from pool.receivers (AssignmentEvent post_save), so shops
and qa need not know the pool. Each is sent after the commit, in the shopper's own time zone, with a link.
(A returned report is e-mailed by qa.visits.return_report itself, with its note and deadline.)"""

from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pool.conversation import APPEAL_DAYS
from qa import formats
from qa.http import absolute_url


def _send_later(subject: str, body: str, address: str) -> None:
    if address:
        transaction.on_commit(lambda: send_mail(subject, body, None, [address], fail_silently=True))


def _window(assignment, user) -> str:
    with formats.viewer_time_zone(user):
        return _("%(start)s to %(end)s") % {"start": formats.day(assignment.window_start),
                                           "end": formats.day(assignment.window_end)}


def report_rejected(assignment, reason: str) -> None:
    """The reviewer rejected the shopper's report: why, and where to read it (and appeal)."""
    user = assignment.shopper.user
    location = str(assignment.location)
    _send_later(
        _("Your visit report for %(location)s was rejected") % {"location": location},
        _("The QA team rejected your report on the visit to %(location)s (%(window)s).\n\nReason: %(reason)s\n\n"
          "Read it, ask a question or appeal within %(days)s days: %(link)s") % {
            "location": location, "window": _window(assignment, user), "reason": reason or _("none given"),
            "days": APPEAL_DAYS, "link": absolute_url(reverse("shopper-report", args=[assignment.pk]))},
        user.email)


def offered_by_name(assignment) -> None:
    """A planner offered this visit to the shopper by name: accept or decline it on the home page. A visit whose
    window has already ended (entered afterwards, as the demo's history is) cannot be accepted: no e-mail."""
    if assignment.window_end < timezone.localdate():
        return
    user = assignment.shopper.user
    location = str(assignment.location)
    _send_later(
        _("A visit to %(location)s is offered to you") % {"location": location},
        _("The planner offered you the visit to %(location)s, %(window)s. Accept or decline it on your home "
          "page: %(link)s") % {"location": location, "window": _window(assignment, user),
                                "link": absolute_url(reverse("home"))},
        user.email)


def not_chosen(assignment, shoppers, *, cancelled: bool) -> None:
    """These applicants did not get the visit: it went to someone else, or it was cancelled."""
    location = str(assignment.location)
    for shopper in shoppers:
        user = shopper.user
        if cancelled:
            body = _("The visit to %(location)s, %(window)s, that you applied for was cancelled. Other visits are "
                     "on the job board: %(link)s")
        else:
            body = _("Another shopper was chosen for the visit to %(location)s, %(window)s, that you applied for. "
                     "Other visits are on the job board: %(link)s")
        _send_later(
            _("Your application for the visit to %(location)s") % {"location": location},
            body % {"location": location, "window": _window(assignment, user),
                    "link": absolute_url(reverse("pool:board"))},
            user.email)
