"""Interactions (calls, emails, chats, social replies) and the recordings of calls."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from qa.models.files import private_storage
from scorecards.models import INTERACTION_CHANNELS, Channel


def short_day(moment) -> str:
    """A day in a title ("29 Nov"), in the viewer's time zone: the one format for days in names."""
    return date_format(timezone.localtime(moment) if timezone.is_aware(moment) else moment, "j M")


class SettledInteractions(models.Manager):
    """Interactions as everyone sees them: rows written by a bulk import that has not finished
    yet are left out, so an import stays all or nothing for readers while it commits its rows
    in batches (qa.imports) and can be undone if its worker dies."""

    def get_queryset(self):
        return super().get_queryset().filter(pending_import=False)


class Interaction(models.Model):
    """Something a customer actually heard or read: a call, an email, a chat, a social reply.
    QA reviewers score interactions; complaints carry the times the policy's timelines check."""

    CHANNEL_CHOICES = Channel.choices_of(INTERACTION_CHANNELS)

    class Direction(models.TextChoices):
        INBOUND = "inbound", _("Inbound (customer contacted us)")
        OUTBOUND = "outbound", _("Outbound (we contacted the customer)")

    class ComplaintType(models.TextChoices):
        BILLING = "billing", _("Billing issue")
        PRODUCT_DEFECT = "product_defect", _("Product defect")
        SERVICE_OUTAGE = "service_outage", _("Service outage")
        OTHER = "other", _("Other complaint")

    channel = models.CharField(_("channel"), max_length=20, choices=CHANNEL_CHOICES)
    employee = models.ForeignKey("shops.Employee", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="interactions", verbose_name=_("employee"))
    location = models.ForeignKey("shops.Location", on_delete=models.PROTECT, related_name="interactions",
                                 verbose_name=_("location"))
    occurred_at = models.DateTimeField(_("date and time"))
    customer_reference = models.CharField(_("customer reference"), max_length=100, blank=True)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.INBOUND)
    complaint_type = models.CharField(_("complaint type"), max_length=20, choices=ComplaintType.choices, blank=True,
                                      help_text=_("Only for complaints."))
    received_at = models.DateTimeField(_("complaint received"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    followed_up_at = models.DateTimeField(_("followed up"), null=True, blank=True)
    conversation = models.TextField(_("conversation"), blank=True, help_text=_("For email, chat and social: the text."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    import_job = models.ForeignKey("qa.InteractionImport", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="interactions", editable=False, verbose_name=_("imported by"))
    pending_import = models.BooleanField(default=False, editable=False,
                                         help_text="Written by an import that has not finished: hidden from everyone.")

    objects = SettledInteractions()
    all_objects = models.Manager()

    class Meta:
        base_manager_name = "all_objects"
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        indexes = [models.Index(fields=["employee", "occurred_at"], name="interaction_employee_idx")]

    def __str__(self):
        """What a person calls it: "Phone call with Ben Clarke, 29 Nov" (the day in the viewer's time zone)."""
        return _("%(channel)s with %(who)s, %(when)s") % {
            "channel": self.get_channel_display(), "when": short_day(self.occurred_at),
            "who": self.employee.name if self.employee_id else self.location.name}

    def get_absolute_url(self):
        return reverse("interaction-detail", args=[self.pk])


def recording_path(instance, filename):
    """Never trust the uploaded name: the file is named by its content (its SHA-256), with the
    extension of the format found in the content, so identical recordings are stored once.
    (qa.recordings.store_recording always knows the hash; a row made without one gets a random name.)"""
    if not instance.sha256:
        import uuid

        return f"recordings/{uuid.uuid4().hex}.{instance.audio_format or 'audio'}"
    return content_path(instance.sha256, instance.audio_format)


def content_path(sha256: str, audio_format: str) -> str:
    return f"recordings/{sha256[:2]}/{sha256}.{audio_format}"


class Recording(models.Model):
    """A call's audio. Private: streamed only to those who may see its interaction, with
    range requests so the browser can seek. Deleted after the retention period; the
    interaction and its evaluations stay. Identical audio is one file named by its content,
    shared by every recording that holds it; the file goes when its last recording does."""

    interaction = models.OneToOneField(Interaction, on_delete=models.CASCADE, related_name="recording")
    file = models.FileField(storage=private_storage, upload_to=recording_path, max_length=200)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    audio_format = models.CharField(_("format"), max_length=10)
    content_type = models.CharField(max_length=50)
    size = models.PositiveBigIntegerField(default=0)
    duration_seconds = models.FloatField(_("duration (s)"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recording")
        verbose_name_plural = _("recordings")

    def __str__(self):
        return f"{self.interaction} ({self.duration_seconds:.0f} s)"

    def get_absolute_url(self):
        return reverse("recording-file", args=[self.pk])
