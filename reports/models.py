"""Policy targets a manager's dashboard compares against, and export files made in the background."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qa.models import private_storage
from scorecards.models import Kpi


class PolicyTarget(models.Model):
    """One target of the customer-service policy, e.g. first-contact resolution at least 85%."""

    class Comparison(models.TextChoices):
        AT_LEAST = "at_least", _("at least")
        AT_MOST = "at_most", _("at most")

    kpi = models.CharField(_("KPI"), max_length=30, choices=Kpi.choices, unique=True)
    target = models.DecimalField(_("target"), max_digits=8, decimal_places=2)
    comparison = models.CharField(_("comparison"), max_length=10, choices=Comparison.choices, default=Comparison.AT_LEAST)
    unit = models.CharField(_("unit"), max_length=20, default="%")
    policy_reference = models.CharField(_("policy reference"), max_length=200, blank=True)

    class Meta:
        ordering = ["kpi"]
        verbose_name = _("policy target")
        verbose_name_plural = _("policy targets")

    def __str__(self):
        return f"{self.get_kpi_display()} {self.get_comparison_display()} {self.target}{self.unit}"

    def is_met(self, value) -> bool | None:
        if value is None:
            return None
        return value >= self.target if self.comparison == self.Comparison.AT_LEAST else value <= self.target


def export_path(instance, filename):
    import uuid

    return f"exports/{instance.requested_by_id}/{uuid.uuid4().hex}-{filename}"


class ExportJob(models.Model):
    """An export too large to build during a request: built by the task worker, with progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Building")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports")
    exporter = models.CharField(max_length=40)
    file_format = models.CharField(max_length=10)
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(storage=private_storage, upload_to=export_path, max_length=300, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.exporter}.{self.file_format} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("reports:export-job", args=[self.pk])

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0


class Subscription(models.Model):
    """A report e-mailed on a schedule: one report page (dashboard, a location, an employee) with the
    filters it had when subscribed, as PDF or Excel, weekly or monthly, in the recipient's time zone.
    What is due and how it is sent: reports.subscriptions."""

    class Report(models.TextChoices):
        DASHBOARD = "dashboard", _("Dashboard")
        LOCATION = "location", _("Location")
        EMPLOYEE = "employee", _("Employee")

    class Format(models.TextChoices):
        PDF = "pdf", _("PDF")
        XLSX = "xlsx", _("Excel")

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    class Delivery(models.TextChoices):
        ATTACH = "attach", _("Attach the file")
        LINK = "link", _("Send a link to download it")

    class Dates(models.TextChoices):
        PREVIOUS = "previous", _("The week or month just ended")
        SAVED = "saved", _("The dates saved with the filters")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_subscriptions",
                             verbose_name=_("recipient"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    report = models.CharField(_("report"), max_length=20, choices=Report.choices)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    title = models.CharField(_("title"), max_length=200, help_text=_("The report's name when subscribed."))
    filters = models.JSONField(default=dict, blank=True)
    file_format = models.CharField(_("format"), max_length=10, choices=Format.choices, default=Format.PDF)
    frequency = models.CharField(_("how often"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    weekday = models.PositiveSmallIntegerField(_("day of the week"), choices=Weekday.choices, default=Weekday.MONDAY)
    day_of_month = models.PositiveSmallIntegerField(
        _("day of the month"), default=1,
        help_text=_("1 to 31; in shorter months the report comes on the month's last day."))
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.ATTACH)
    dates = models.CharField(_("dates covered"), max_length=10, choices=Dates.choices, default=Dates.PREVIOUS)
    paused = models.BooleanField(_("paused"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("report subscription")
        verbose_name_plural = _("report subscriptions")
        constraints = [
            models.CheckConstraint(condition=models.Q(day_of_month__gte=1, day_of_month__lte=31),
                                   name="subscription_day_of_month_1_31"),
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="subscription_weekday_0_6"),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_file_format_display()}, {self.get_frequency_display().lower()})"

    def get_absolute_url(self):
        return reverse("reports:subscription-edit", args=[self.pk])


class SubscriptionDelivery(models.Model):
    """One e-mail of a subscription, for one period. The unique (subscription, period) pair is what
    stops two workers, or one tick run twice, from sending the same report twice: the first to insert
    the row sends it; the other's insert fails and it sends nothing."""

    class Status(models.TextChoices):
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        NO_ACCESS = "no_access", _("Not sent: the recipient no longer sees this report")
        NO_ADDRESS = "no_address", _("Not sent: the recipient has no e-mail address")
        FAILED = "failed", _("Failed")

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    period_start = models.DateField(help_text="The local day this delivery is for (its due day).")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SENDING)
    attempts = models.PositiveSmallIntegerField(default=1)
    started_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    size = models.PositiveIntegerField(default=0, help_text="Bytes of the file.")
    attached = models.BooleanField(default=False)
    export = models.ForeignKey(ExportJob, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-period_start", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "period_start"], name="one_delivery_per_subscription_period"),
        ]

    def __str__(self):
        return f"{self.subscription} for {self.period_start}: {self.get_status_display()}"
