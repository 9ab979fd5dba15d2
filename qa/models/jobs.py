"""Background jobs of the qa app: bulk imports of interactions."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qa.models.files import private_storage


def import_path(instance, filename):
    """Uploaded sheets and zips are kept privately under a random name until the import is done."""
    import uuid
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()
    return f"imports/{uuid.uuid4().hex}{suffix if suffix in ('.csv', '.xlsx', '.zip') else ''}"


class InteractionImport(models.Model):
    """A bulk import of interactions from a CSV or XLSX sheet plus a zip of recordings.
    All or nothing: if any row is rejected, none is imported and every reason is listed."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        CHECKING = "checking", _("Checking rows")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        REJECTED = "rejected", _("Rejected: nothing imported")
        FAILED = "failed", _("Failed: nothing imported")

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    time_zone = models.CharField(max_length=64, default=settings.TIME_ZONE,
                                 help_text=_("Times in the sheet without a zone are read in this one."))
    sheet = models.FileField(storage=private_storage, upload_to=import_path, max_length=200)
    sheet_name = models.CharField(_("sheet"), max_length=200)
    recordings = models.FileField(storage=private_storage, upload_to=import_path, max_length=200, blank=True)
    recordings_name = models.CharField(_("recordings"), max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True, help_text="[{row, column, message}]")
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, editable=False,
        help_text="Touched by the worker while it checks and writes rows; a running import whose heartbeat is "
                  "older than IMPORT_STALE_SECONDS lost its worker (qa.imports.fail_stale).")
    recording_files = models.JSONField(
        default=list, blank=True, editable=False,
        help_text="The stored recording files this import may write, saved before it writes any, so that an "
                  "import that died can remove those no recording uses.")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("interaction import")
        verbose_name_plural = _("interaction imports")

    def __str__(self):
        return _("Import of %(name)s") % {"name": self.sheet_name}

    def get_absolute_url(self):
        return reverse("interaction-import-detail", args=[self.pk])

    RUNNING = (Status.CHECKING, Status.IMPORTING)

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.REJECTED, self.Status.FAILED)

    @property
    def can_retry(self) -> bool:
        """A failed import whose uploaded files are still kept can run again as it is."""
        return self.status == self.Status.FAILED and bool(self.sheet)

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        # Checking is the first half of the work, importing the second.
        share = self.done / self.total if self.total else 0
        return int(50 * share) + (50 if self.status == self.Status.IMPORTING else 0)
