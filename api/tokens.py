"""API tokens: made with a random secret, kept only as its SHA-256, found by their public prefix.

A token reads `sqa_<prefix>_<secret>`. The prefix (8 hex characters) finds the row without a scan and
names the token in lists; the whole token's SHA-256 is compared in constant time. Nobody, administrators
included, can read a token back: it is shown once, when it is made."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiToken

LAST_USE_EVERY = timedelta(minutes=1)  # last use is written at most this often per token


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(*, owner, name: str, access: str, expires_at, created_by) -> tuple[ApiToken, str]:
    """A new token and its text (shown once)."""
    if expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("Choose a day in the future.")})
    if expires_at > timezone.now() + timedelta(days=settings.API_TOKEN_MAX_DAYS + 1):
        raise ValidationError({"expires_at": _("A token lasts at most %(days)s days.") % {
            "days": settings.API_TOKEN_MAX_DAYS}})
    while True:
        prefix = secrets.token_hex(4)
        if not ApiToken.objects.filter(prefix=prefix).exists():
            break
    text = f"sqa_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(owner=owner, name=name, access=access, expires_at=expires_at,
                                    created_by=created_by, prefix=prefix, digest=digest(text))
    return token, text


def find(text: str) -> ApiToken | None:
    """The usable token this text is, or None (unknown, wrong secret, revoked, expired, owner deactivated)."""
    parts = text.split("_")
    if len(parts) < 3 or parts[0] != "sqa" or len(text) > 200:
        return None
    token = ApiToken.objects.select_related("owner").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.digest, digest(text)):
        return None
    if not token.is_usable or not token.owner.is_active:
        return None
    return token


def record_use(token: ApiToken) -> None:
    """Write the last use, at most once a minute per token: one UPDATE a minute, not one per request."""
    now = timezone.now()
    if token.last_used_at and now - token.last_used_at < LAST_USE_EVERY:
        return
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USE_EVERY)).update(last_used_at=now)
    token.last_used_at = now


def revoke(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
