"""Models of the api app: tokens (stored as hashes), service accounts, the external ids of interactions,
and webhook subscriptions with their deliveries and every attempt."""

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _


class ServiceAccount(models.Model):
    """A user that is a system, not a person (a telephony system, an HR feed): it never signs in,
    holds the roles its integration needs, and gets its tokens from an administrator."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="service_account",
                                verbose_name=_("user"))
    description = models.CharField(_("what it is for"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("service account")
        verbose_name_plural = _("service accounts")

    def __str__(self):
        return self.user.get_full_name() or self.user.username


class ApiToken(models.Model):
    """A personal or service account token. Only its SHA-256 is kept: the full token is shown once,
    when it is made. `prefix` is the public part, used to find the row and to name it in lists."""

    class Access(models.TextChoices):
        READ = "read", _("Read only")
        WRITE = "write", _("Read and write")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                              verbose_name=_("owner"))
    name = models.CharField(_("name"), max_length=100, help_text=_("What it is for, e.g. “Telephony sync”."))
    access = models.CharField(_("access"), max_length=5, choices=Access.choices, default=Access.READ)
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    digest = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} (sqa_{self.prefix}_…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def writes(self) -> bool:
        return self.access == self.Access.WRITE


class ExternalInteraction(models.Model):
    """The id a helpdesk or telephony system gave an interaction: the same id sent again finds the same
    interaction (idempotent creation). Kept here rather than on qa.Interaction, which needs no API to work."""

    source_system = models.CharField(_("source system"), max_length=50)
    external_id = models.CharField(_("external id"), max_length=200)
    interaction = models.OneToOneField("qa.Interaction", on_delete=models.CASCADE, related_name="external_ref")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source_system", "external_id"],
                                               name="external_interaction_unique")]

    def __str__(self):
        return f"{self.source_system}:{self.external_id}"


class WebhookSubscription(models.Model):
    """Where to send which events. The secret signs every delivery (HMAC-SHA256); it is shown once.
    It has to be kept readable to sign with, so it is never displayed again nor exported."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhooks",
                              verbose_name=_("owner"))
    url = models.URLField(_("address"), max_length=500, help_text=_("An https:// address that accepts POST."))
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(max_length=80, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self):
        return self.url

    def get_absolute_url(self):
        return reverse("api:webhook-detail", args=[self.pk])


class WebhookDelivery(models.Model):
    """One event for one subscription: sent, retried with backoff, or given up. Each try is an attempt."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        RETRYING = "retrying", _("Failed, will try again")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed, gave up")
        SKIPPED = "skipped", _("Not sent: the owner can no longer see it")

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(_("event"), max_length=50)
    object_id = models.CharField(max_length=50)
    body = models.TextField(blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next try"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [models.UniqueConstraint(fields=["subscription", "event", "object_id"],
                                               name="webhook_delivery_once_per_event")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due_idx")]

    def __str__(self):
        return f"{self.event} {self.object_id} → {self.subscription}"

    @property
    def subject(self) -> tuple[str, date | None]:
        """The object's id and, for an overdue action ("<id>:<due date>"), the due date it missed."""
        pk, _sep, due = self.object_id.partition(":")
        return pk, parse_date(due) if due else None


class WebhookAttempt(models.Model):
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="tries")
    at = models.DateTimeField(auto_now_add=True)
    status_code = models.PositiveSmallIntegerField(_("answer"), null=True, blank=True)
    response_excerpt = models.CharField(_("answer's first characters"), max_length=500, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    milliseconds = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-pk"]

    @property
    def reason(self) -> str:
        """The answer in words: the receiver's HTTP status and what it means, or why nothing was answered
        (api.webhooks.failure_reason wrote `error` in words; the technical detail is in the log)."""
        code = self.status_code
        if code is None:
            return self.error or _("No answer.")
        if 200 <= code < 300:
            meaning = _("accepted")
        elif 300 <= code < 400:
            meaning = _("redirected elsewhere; redirects are not followed")
        elif code in (401, 403):
            meaning = _("refused: check that the receiver verifies with this webhook's secret")
        elif 400 <= code < 500:
            meaning = _("refused by the receiver")
        else:
            meaning = _("the receiver failed")
        return _("HTTP status %(code)s: %(meaning)s") % {"code": code, "meaning": meaning}
