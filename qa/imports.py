"""Bulk import of interactions from a CSV or XLSX sheet plus a zip of recordings.

Every row goes through the same form as one interaction typed in by hand
(qa.interaction_forms.InteractionForm) and every recording through the same checks
(qa.recordings.inspect), so the rules cannot drift apart. All or nothing: the whole
sheet is checked first; if any row is rejected, nothing is imported and each reason
is listed by row and column.

Bounded: the zip's members may add up to IMPORT_ZIP_MAX_EXTRACTED_BYTES once unpacked;
each member is unpacked and checked once however many rows name it, and stored once by
its content (qa.recordings.keep_file), so twenty rows naming one file share one file.

Recoverable: rows are written in batches, each committed with the progress and a
heartbeat (so the page shows progress while rows are written), and stay hidden
(Interaction.pending_import) until the last batch is in; then all are revealed in one
step. If writing fails, or the worker dies and its heartbeat goes stale (fail_stale),
the rows and the recording files it wrote are removed and the import is marked failed;
its uploaded files are kept so that it can be retried from its page.
"""

import contextlib
import csv
import io
import logging
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qa import files, recordings
from qa.interaction_forms import InteractionForm
from qa.models import Interaction, InteractionImport, Recording
from qa.models.interactions import content_path
from qa.signals import interactions_imported
from qa.visit_forms import LOCAL_FORMAT
from shops.models import Employee, Location

log = logging.getLogger(__name__)

BATCH_ROWS = 50  # rows written and committed together, with the progress and the heartbeat

COLUMNS = [
    "channel", "occurred_at", "location_code", "employee_code", "customer_reference", "direction",
    "complaint_type", "received_at", "acknowledged_at", "resolved_at", "followed_up_at", "conversation", "recording",
]
REQUIRED = {"channel", "occurred_at", "location_code"}
TIME_COLUMNS = {"occurred_at", "received_at", "acknowledged_at", "resolved_at", "followed_up_at"}
TIME_FORMATS = ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M"]
# The form's field names where they differ from the sheet's columns.
FORM_TO_COLUMN = {"location": "location_code", "employee": "employee_code", "__all__": ""}
EXAMPLE = {
    "channel": "Phone call", "occurred_at": "2026-11-02 09:15", "location_code": "LON-01", "employee_code": "E1001",
    "customer_reference": "C-88412", "direction": "inbound", "complaint_type": "Billing issue",
    "received_at": "2026-11-02 09:15", "acknowledged_at": "2026-11-02 09:20", "resolved_at": "2026-11-04 16:00",
    "followed_up_at": "", "conversation": "", "recording": "call-88412.wav",
}


class SheetError(ValidationError):
    """The sheet as a whole cannot be read (wrong type, missing columns, too many rows)."""


def _header(value) -> str:
    return str(value or "").strip().lower().replace(" ", "_")


def _rows_xlsx(fileobj):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise SheetError(_("This spreadsheet cannot be opened. Save it again as .xlsx or .csv.")) from exc
    try:
        # A damaged worksheet opens but fails while its rows are read: guard the reading too.
        try:
            yield from workbook.worksheets[0].iter_rows(values_only=True)
        except Exception as exc:  # openpyxl and the XML and zip readers raise many types
            raise SheetError(_("This spreadsheet cannot be read to the end, or has no sheet. "
                               "Save it again as .xlsx or .csv.")) from exc
    finally:
        workbook.close()


def _rows_csv(fileobj):
    raw = fileobj.read()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SheetError(_("This file is neither a CSV nor an Excel (.xlsx) sheet."))
    if "\x00" in text[:4096]:
        raise SheetError(_("This file is neither a CSV nor an Excel (.xlsx) sheet."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    yield from csv.reader(io.StringIO(text), dialect)


def read_sheet(fileobj):
    """(row number as the spreadsheet shows it, {column: value}) for every non-empty row.
    The type comes from the content: an .xlsx file is a zip archive, anything else is read as CSV."""
    fileobj.seek(0)
    head = fileobj.read(4)
    fileobj.seek(0)
    rows = _rows_xlsx(fileobj) if head == b"PK\x03\x04" else _rows_csv(fileobj)
    header = None
    for number, values in enumerate(rows, start=1):
        if header is None:
            header = [_header(v) for v in values]
            unknown = [h for h in header if h and h not in COLUMNS]
            missing = REQUIRED - set(header)
            if unknown or missing:
                parts = []
                if missing:
                    parts.append(_("missing column(s): %(c)s") % {"c": ", ".join(sorted(missing))})
                if unknown:
                    parts.append(_("unknown column(s): %(c)s") % {"c": ", ".join(unknown)})
                raise SheetError(_("The first row must name the columns (%(parts)s). The columns are: %(all)s.")
                                 % {"parts": "; ".join(parts), "all": ", ".join(COLUMNS)})
            continue
        if not any(v not in (None, "") for v in values):
            continue
        yield number, {h: v for h, v in zip(header, values) if h}
    if header is None:
        raise SheetError(_("The sheet is empty."))


def count_rows(fileobj) -> int:
    return sum(1 for _ in read_sheet(fileobj))


def _time_text(value):
    """The form's local format, or the value untouched (the form then says what is wrong)."""
    if value in (None, ""):
        return ""
    if isinstance(value, date):  # a spreadsheet's date or datetime cell
        return value.strftime(LOCAL_FORMAT)
    text = str(value).strip()
    for fmt in TIME_FORMATS:
        try:
            return datetime.strptime(text, fmt).strftime(LOCAL_FORMAT)
        except ValueError:
            continue
    return None


def _choice(value, choices) -> str:
    text = str(value or "").strip()
    by_name = {code.lower(): code for code, _label in choices} | {str(label).lower(): code for code, label in choices}
    return by_name.get(text.lower(), text)


@dataclass
class Lookups:
    locations: dict
    employees: dict

    @classmethod
    def load(cls):
        return cls(dict(Location.objects.values_list("code", "pk")),
                   dict(Employee.objects.values_list("employee_code", "pk")))


@dataclass(frozen=True)
class Audio:
    audio_format: str
    seconds: float
    sha256: str
    size: int

    @property
    def stored_name(self) -> str:
        return content_path(self.sha256, self.audio_format)


class Recordings:
    """The zip of recordings, read member by member; nothing is extracted to disk by name.
    Each member is unpacked and checked once (audio), however many rows name it."""

    def __init__(self, fileobj):
        self.archive = zipfile.ZipFile(fileobj) if fileobj else None
        self.members = {}
        self.checked = {}
        if self.archive:
            for info in self.archive.infolist():
                if not info.is_dir():
                    self.members.setdefault(PurePosixPath(info.filename).name.lower(), info)

    def too_large(self) -> str | None:
        """Why the zip is refused as a whole, or None: what its members add up to once unpacked
        (their declared sizes, which zipfile never reads past) is over IMPORT_ZIP_MAX_EXTRACTED_BYTES."""
        if not self.archive:
            return None
        files = [info for info in self.archive.infolist() if not info.is_dir()]
        total = sum(info.file_size for info in files)
        limit = settings.IMPORT_ZIP_MAX_EXTRACTED_BYTES
        if total <= limit:
            return None
        largest = sorted(files, key=lambda info: info.file_size, reverse=True)[:3]
        return _("Unpacked, the recordings in this zip add up to %(total)s MB; the limit is %(limit)s MB. "
                 "Largest: %(largest)s. Split them into several imports.") % {
            "total": _mb(total), "limit": _mb(limit),
            "largest": ", ".join(f"{PurePosixPath(i.filename).name} ({_mb(i.file_size)} MB)" for i in largest)}

    def get(self, name: str):
        return self.members.get(PurePosixPath(str(name).replace("\\", "/")).name.lower())

    def open(self, info) -> UploadedFile:
        recordings.check_size(info.file_size)  # before extracting, not after
        spool = tempfile.SpooledTemporaryFile(max_size=5 * 1024 * 1024)
        with self.archive.open(info) as member:
            while chunk := member.read(1024 * 1024):
                spool.write(chunk)
        spool.seek(0)
        return UploadedFile(file=spool, name=PurePosixPath(info.filename).name, size=info.file_size)

    def audio(self, info) -> Audio:
        """The member's format, length and content hash, or the ValidationError saying why it is refused."""
        if info.filename not in self.checked:
            try:
                upload = self.open(info)
                try:
                    audio_format, seconds = recordings.inspect(upload)
                    self.checked[info.filename] = Audio(audio_format, round(seconds, 2),
                                                        recordings.sha256_of(upload), info.file_size)
                finally:
                    upload.close()
            except ValidationError as exc:
                self.checked[info.filename] = exc
        result = self.checked[info.filename]
        if isinstance(result, ValidationError):
            raise result
        return result


def _mb(size: int) -> str:
    megabytes = size / 1048576
    return f"{megabytes:,.2f}" if megabytes < 10 else f"{megabytes:,.0f}"


@dataclass
class CheckedRow:
    number: int
    form: InteractionForm
    recording: object  # zipfile.ZipInfo or None


def check_row(number: int, row: dict, lookups: Lookups, zipped: Recordings, seen: set) -> tuple[CheckedRow | None, list]:
    problems = []

    def problem(column, message):
        problems.append({"row": number, "column": column, "message": str(message)})

    data = {}
    for column in TIME_COLUMNS:
        text = _time_text(row.get(column))
        if text is None:
            problem(column, _("“%(v)s” is not a date and time: write it like 2026-11-02 09:15.") % {"v": row.get(column)})
            text = ""
        data[column] = text
    data["channel"] = _choice(row.get("channel"), Interaction.CHANNEL_CHOICES)
    data["direction"] = _choice(row.get("direction") or "inbound", Interaction.Direction.choices)
    data["complaint_type"] = _choice(row.get("complaint_type"), Interaction.ComplaintType.choices)
    data["customer_reference"] = str(row.get("customer_reference") or "").strip()
    data["conversation"] = str(row.get("conversation") or "")
    location_code = str(row.get("location_code") or "").strip()
    data["location"] = lookups.locations.get(location_code, "")
    if location_code and not data["location"]:
        problem("location_code", _("No location has the code “%(c)s”.") % {"c": location_code})
    employee_code = str(row.get("employee_code") or "").strip()
    data["employee"] = lookups.employees.get(employee_code, "")
    if employee_code and not data["employee"]:
        problem("employee_code", _("No employee has the code “%(c)s”.") % {"c": employee_code})

    files, info = {}, None
    name = str(row.get("recording") or "").strip()
    if name:
        info = zipped.get(name)
        if info is None:
            problem("recording", _("“%(n)s” is not in the zip of recordings.") % {"n": name})
        else:
            try:
                zipped.audio(info)
            except ValidationError as exc:
                problem("recording", " ".join(exc.messages))
            # The form only needs to know there is one: the audio itself was checked just above, once per file.
            files["recording"] = UploadedFile(file=io.BytesIO(b"x"), name=name, size=1)

    form = InteractionForm(data=data, files=files)
    if not form.is_valid():
        for field, errors in form.errors.items():
            column = FORM_TO_COLUMN.get(field, field)
            if any(p["column"] == column for p in problems):
                continue
            for message in errors:
                problem(column, message)
    for upload in files.values():
        upload.close()
    if problems:
        return None, problems
    cleaned = form.cleaned_data
    key = (cleaned["channel"], cleaned["location"].pk, cleaned["occurred_at"], cleaned["customer_reference"])
    if key in seen:
        problem("", _("The same interaction appears twice in this sheet."))
    elif Interaction.all_objects.filter(channel=key[0], location_id=key[1], occurred_at=key[2],
                                    customer_reference=key[3]).exists():
        problem("", _("This interaction has already been imported."))
    seen.add(key)
    return (None if problems else CheckedRow(number, form, info)), problems


class ImportTakenOver(Exception):
    """This import was marked failed while it ran (its heartbeat looked stale): stop writing."""


def _beat(job, done=None, **fields) -> None:
    """Progress and heartbeat in one UPDATE, only while the job is still in the state this worker set;
    when it is not (fail_stale took it over), the worker stops."""
    if done is not None:
        fields["done"] = done
    if not InteractionImport.objects.filter(pk=job.pk, status=job.status).update(heartbeat_at=timezone.now(), **fields):
        raise ImportTakenOver(job.pk)


def _progress(job, done, every=25):
    if done % every == 0 or done == job.total:
        _beat(job, done)


def check_all(job: InteractionImport, zipped: Recordings) -> tuple[list[CheckedRow], list]:
    lookups, seen, checked, problems = Lookups.load(), set(), [], []
    with job.sheet.open("rb") as sheet:
        for done, (number, row) in enumerate(read_sheet(sheet), start=1):
            row_checked, row_problems = check_row(number, row, lookups, zipped, seen)
            problems += row_problems
            if row_checked:
                checked.append(row_checked)
            _progress(job, done)
    return checked, problems


def create_all(job: InteractionImport, checked: list[CheckedRow], zipped: Recordings) -> int:
    """Write every row in batches, each committed with the progress, hidden until the last is in;
    then reveal them all and mark the job done in one transaction. Files are planned (saved on the
    job) before any is written, so that undo() can find them whatever happens to this process."""
    audio = {row.recording.filename: zipped.audio(row.recording) for row in checked if row.recording is not None}
    job.recording_files = sorted({a.stored_name for a in audio.values()})
    _beat(job, 0, recording_files=job.recording_files)
    stored = {}
    for start in range(0, len(checked), BATCH_ROWS):
        batch = checked[start:start + BATCH_ROWS]
        for row in batch:
            member = row.recording
            if member is not None and member.filename not in stored:
                upload = zipped.open(member)
                try:
                    stored[member.filename] = recordings.keep_file(
                        upload, audio[member.filename].sha256, audio[member.filename].audio_format)
                finally:
                    upload.close()
                _beat(job)
        with transaction.atomic():
            for row in batch:
                interaction = row.form.save(commit=False)
                interaction.created_by, interaction.import_job, interaction.pending_import = job.created_by, job, True
                interaction.save()
                if row.recording is not None:
                    found = audio[row.recording.filename]
                    Recording.objects.create(
                        interaction=interaction, file=stored[row.recording.filename], sha256=found.sha256,
                        audio_format=found.audio_format, content_type=recordings.CONTENT_TYPES[found.audio_format],
                        size=found.size, duration_seconds=found.seconds, uploaded_by=job.created_by)
            _beat(job, start + len(batch))
    with transaction.atomic():
        _beat(job, len(checked), status=InteractionImport.Status.DONE, imported=len(checked),
              finished_at=timezone.now())
        Interaction.all_objects.filter(import_job=job, pending_import=True).update(pending_import=False)
        transaction.on_commit(lambda: interactions_imported.send(sender=InteractionImport, job=job))
    job.status, job.imported, job.done = InteractionImport.Status.DONE, len(checked), len(checked)
    return len(checked)


def undo(job: InteractionImport) -> None:
    """Remove what an unfinished import wrote: its hidden rows (their recordings go with them) and
    the files it planned that no recording names, except those another running import has planned."""
    with transaction.atomic():
        Interaction.all_objects.filter(import_job=job, pending_import=True).delete()
    others = set()
    for planned in (InteractionImport.objects.filter(status__in=InteractionImport.RUNNING).exclude(pk=job.pk)
                    .values_list("recording_files", flat=True)):
        others.update(planned or [])
    for name in job.recording_files or []:
        if name not in others:
            recordings.release_file(name)


def _delete_uploads(job: InteractionImport) -> None:
    for field in (job.sheet, job.recordings):
        if field:
            field.delete(save=False)
    InteractionImport.objects.filter(pk=job.pk).update(sheet=job.sheet.name or "", recordings=job.recordings.name or "")


def run(job: InteractionImport) -> InteractionImport:
    """Check, then import all or nothing. Only a queued job runs (a task for a job that was retried or
    already ran does nothing). The uploaded files are deleted once it is done or rejected, and kept
    when it failed, for a retry."""
    Status = InteractionImport.Status
    if not InteractionImport.objects.filter(pk=job.pk, status=Status.QUEUED).update(
            status=Status.CHECKING, done=0, heartbeat_at=timezone.now()):
        job.refresh_from_db()
        return job
    job.status, job.done = Status.CHECKING, 0
    with timezone.override(job.time_zone):
        try:
            total = job.total  # counted when the sheet was uploaded
            if not total:
                with job.sheet.open("rb") as sheet:
                    total = count_rows(sheet)
            if total > settings.IMPORT_MAX_ROWS:
                raise SheetError(_("This sheet has %(n)s rows; the limit is %(limit)s. Split it into smaller files.")
                                 % {"n": total, "limit": settings.IMPORT_MAX_ROWS})
            job.total = total
            _beat(job, 0, total=total)
            # On local disk as a zip must be (seekable, perhaps gigabytes), also from object storage.
            zip_copy = contextlib.ExitStack()
            zip_file = zip_copy.enter_context(open(zip_copy.enter_context(files.local_copy(job.recordings)), "rb")) \
                if job.recordings else None
            try:
                zipped = Recordings(zip_file)
                if message := zipped.too_large():
                    raise ZipTooLarge(message)
                checked, problems = check_all(job, zipped)
                if problems:
                    job.status, job.problems = Status.REJECTED, problems
                else:
                    _beat(job, 0, status=Status.IMPORTING)
                    job.status, job.done = Status.IMPORTING, 0
                    create_all(job, checked, zipped)
            finally:
                zip_copy.close()
        except ImportTakenOver:
            log.warning("interaction import %s was marked failed while it ran; stopped", job.pk)
            undo(job)
            job.refresh_from_db()
            return job
        except SheetError as exc:
            job.status, job.problems = Status.REJECTED, [{"row": 0, "column": "", "message": " ".join(exc.messages)}]
        except ZipTooLarge as exc:
            job.status, job.problems = Status.REJECTED, [{"row": 0, "column": "recording", "message": str(exc)}]
        except zipfile.BadZipFile:
            job.status, job.problems = Status.REJECTED, [
                {"row": 0, "column": "recording", "message": _("The recordings file is not a readable zip archive.")}]
        except Exception as exc:  # reported on the page; nothing was imported
            log.exception("interaction import %s failed", job.pk)
            undo(job)
            job.status, job.error = Status.FAILED, str(exc)[:500] or exc.__class__.__name__
        if job.status != Status.DONE:
            job.finished_at = timezone.now()
            InteractionImport.objects.filter(pk=job.pk).update(
                status=job.status, problems=job.problems, error=job.error, finished_at=job.finished_at)
        if job.status != Status.FAILED:
            _delete_uploads(job)
    job.refresh_from_db()
    return job


class ZipTooLarge(Exception):
    """The zip's members add up to more than IMPORT_ZIP_MAX_EXTRACTED_BYTES once unpacked."""


def fail_stale(now=None) -> list[InteractionImport]:
    """Imports whose worker died: running, with a heartbeat older than IMPORT_STALE_SECONDS. Each is
    marked failed (only if nothing touched it meanwhile) and what it wrote is removed; its uploaded
    files stay for a retry. Run by `manage.py fail_stale_imports` and whenever an import's page is read."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.IMPORT_STALE_SECONDS)
    failed = []
    for job in InteractionImport.objects.filter(status__in=InteractionImport.RUNNING, heartbeat_at__lt=cutoff):
        taken = InteractionImport.objects.filter(pk=job.pk, status=job.status, heartbeat_at=job.heartbeat_at).update(
            status=InteractionImport.Status.FAILED, finished_at=now,
            error=_("the worker stopped while it was working on it."))
        if taken:
            log.warning("interaction import %s: worker silent since %s, marked failed", job.pk, job.heartbeat_at)
            undo(job)
            job.refresh_from_db()
            failed.append(job)
    return failed


def delete_abandoned_uploads(now=None, days: int = 7) -> int:
    """The files kept for retrying an import that failed, once nobody has retried it for a week."""
    cutoff = (now or timezone.now()) - timedelta(days=days)
    count = 0
    for job in InteractionImport.objects.filter(status=InteractionImport.Status.FAILED, finished_at__lt=cutoff).exclude(sheet=""):
        _delete_uploads(job)
        count += 1
    return count


def retry(job: InteractionImport) -> bool:
    """Put a failed import whose uploads are kept back in the queue (False if it cannot be retried)."""
    if not job.can_retry:
        return False
    return bool(InteractionImport.objects.filter(pk=job.pk, status=InteractionImport.Status.FAILED).update(
        status=InteractionImport.Status.QUEUED, done=0, imported=0, problems=[], error="", finished_at=None,
        heartbeat_at=None, recording_files=[]))


def template_csv() -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerow(EXAMPLE)
    return out.getvalue()
