"""Large exports, built by the task worker (`manage.py db_worker`) with progress."""

import io
import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks import task

from qa import formats
from qa.models import User
from reports.exporters import get_exporter
from reports.models import ExportJob

log = logging.getLogger(__name__)


@task()
def build_export(job_id: int) -> int:
    """Build one ExportJob's file. Access is checked again here, as the user's reach may have changed."""
    job = ExportJob.objects.get(pk=job_id)
    job.status, job.error = ExportJob.Status.RUNNING, ""
    job.save(update_fields=["status", "error"])

    def progress(done, total):
        ExportJob.objects.filter(pk=job_id).update(done=done, total=max(total, 1))

    try:
        user = User.objects.get(pk=job.requested_by_id)
        exporter = get_exporter(job.exporter, user, job.params.get("filters", {}), job.params.get("object_id"))
        job.total = max(exporter.count(), 1)
        job.save(update_fields=["total"])
        buffer = io.BytesIO()
        with formats.viewer_time_zone(user):  # periods, dates and figures as the requester's pages show them
            exporter.write(job.file_format, buffer, progress)
            job.filename = exporter.filename(job.file_format)
        job.file.save(job.filename, ContentFile(buffer.getvalue()), save=False)
        job.status = ExportJob.Status.DONE
        job.done = job.total
        job.finished_at = timezone.now()
        job.expires_at = job.finished_at + timedelta(days=settings.EXPORT_KEEP_DAYS)
        job.save()
    except Exception as exc:  # reported on the page, where the user can retry
        log.exception("export %s failed", job_id)
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportJob.Status.FAILED, error=str(exc)[:500] or exc.__class__.__name__, finished_at=timezone.now())
    return job_id


def delete_expired_exports() -> int:
    expired = ExportJob.objects.filter(expires_at__lt=timezone.now())
    count = 0
    for job in expired:
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    return count
