"""The shopper's latest payments, shown on "My pay" (qa's page; qa may not import pool, so the page loads this
tag): `{% load pool_pay %}{% latest_payments %}`."""

from django import template
from django.utils import timezone

from pool import access, pay

register = template.Library()


@register.inclusion_tag("pool/pay/_latest.html", takes_context=True)
def latest_payments(context, limit=3):
    request = context.get("request")
    shopper = access.shopper_of(request.user) if request is not None else None
    payments = []
    if shopper is not None:
        tz = timezone.get_current_timezone()
        payments = pay.load_payments(shopper, pay.payment_keys(shopper, tz)[:limit], tz)
    return {"payments": payments, "shopper": shopper, "currency": context.get("currency", "")}


@register.inclusion_tag("pool/pay/_details_warning.html", takes_context=True)
def pay_details_warning(context, shopper=None):
    """A warning, with a link to the profile, when the QA team cannot pay this shopper for want of details:
    `{% pay_details_warning %}` (the signed-in shopper) or `{% pay_details_warning shopper %}`."""
    request = context.get("request")
    if shopper is None and request is not None:
        shopper = access.shopper_of(request.user)
    return {"missing_detail": pay.own_missing_detail(shopper)}
