"""Sign-in lockout that an attacker cannot turn against other people (django-axes handler).

Failures are counted per username-and-address pair: AXES_FAILURE_LIMIT failures for one account
from one address lock that pair only, so guessing someone's password from elsewhere never locks
them out. An address that fails across many usernames (password spraying) is locked for
everyone at a separate, higher AXES_ADDRESS_FAILURE_LIMIT, so an office behind one address is not
locked out by a handful of typos. Both counts cover the last AXES_COOLOFF_MINUTES.
"""

from axes.attempts import get_cool_off_threshold
from axes.conf import settings
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.db.models import Sum


class PairAndAddressHandler(AxesDatabaseHandler):
    def address_failures(self, request) -> int:
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0

    def address_locked(self, request) -> bool:
        return bool(request.axes_ip_address) and (
            self.address_failures(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT)

    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or (
            settings.AXES_LOCK_OUT_AT_FAILURE and self.address_locked(request))

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if (request is not None and settings.AXES_LOCK_OUT_AT_FAILURE and not request.axes_locked_out
                and not self.is_whitelisted(request, credentials) and self.address_locked(request)):
            request.axes_locked_out = True
            request.axes_credentials = credentials
