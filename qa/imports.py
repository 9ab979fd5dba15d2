"""Bulk import of interactions from a CSV or XLSX sheet plus a zip of recordings.

Every row goes through the same form as one interaction typed in by hand
(qa.interaction_forms.InteractionForm) and every recording through the same checks
(qa.recordings.inspect), so the rules cannot drift apart. All or nothing: the whole
sheet is checked first; if any row is rejected, nothing is imported and each reason
is listed by row and column. Otherwise every row is created in one transaction.
"""

import csv
import io
import logging
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qa import recordings
from qa.interaction_forms import InteractionForm
from qa.models import Interaction, InteractionImport
from qa.visit_forms import LOCAL_FORMAT
from shops.models import Employee, Location

log = logging.getLogger(__name__)

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
    "channel": "phone_call", "occurred_at": "2026-11-02 09:15", "location_code": "LON-01", "employee_code": "E1001",
    "customer_reference": "C-88412", "direction": "inbound", "complaint_type": "billing",
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


class Recordings:
    """The zip of recordings, read member by member; nothing is extracted to disk by name."""

    def __init__(self, fileobj):
        self.archive = zipfile.ZipFile(fileobj) if fileobj else None
        self.members = {}
        if self.archive:
            for info in self.archive.infolist():
                if not info.is_dir():
                    self.members.setdefault(PurePosixPath(info.filename).name.lower(), info)

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
                upload = zipped.open(info)
                recordings.inspect(upload)
                files["recording"] = upload
            except ValidationError as exc:
                problem("recording", " ".join(exc.messages))
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
    elif Interaction.objects.filter(channel=key[0], location_id=key[1], occurred_at=key[2],
                                    customer_reference=key[3]).exists():
        problem("", _("This interaction has already been imported."))
    seen.add(key)
    return (None if problems else CheckedRow(number, form, info)), problems


def _progress(job, done, every=25):
    if done % every == 0 or done == job.total:
        InteractionImport.objects.filter(pk=job.pk).update(done=done)


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
    """Create every row in one transaction; if anything fails, remove the files already written."""
    stored = []
    try:
        with transaction.atomic():
            for done, row in enumerate(checked, start=1):
                interaction = row.form.save(commit=False)
                interaction.created_by = job.created_by
                interaction.save()
                if row.recording is not None:
                    upload = zipped.open(row.recording)
                    stored.append(recordings.store_recording(interaction, upload, job.created_by).file.name)
                    upload.close()
                _progress(job, done)
    except BaseException:
        from qa.models import private_storage

        for name in stored:
            private_storage().delete(name)
        raise
    return len(checked)


def run(job: InteractionImport) -> InteractionImport:
    """Check, then import all or nothing. The uploaded files are deleted afterwards either way."""
    with timezone.override(job.time_zone):
        try:
            total = job.total  # counted when the sheet was uploaded
            if not total:
                with job.sheet.open("rb") as sheet:
                    total = count_rows(sheet)
            if total > settings.IMPORT_MAX_ROWS:
                raise SheetError(_("This sheet has %(n)s rows; the limit is %(limit)s. Split it into smaller files.")
                                 % {"n": total, "limit": settings.IMPORT_MAX_ROWS})
            job.total, job.done, job.status = total, 0, InteractionImport.Status.CHECKING
            job.save(update_fields=["total", "done", "status"])
            zip_file = job.recordings.open("rb") if job.recordings else None
            try:
                zipped = Recordings(zip_file)
                checked, problems = check_all(job, zipped)
                if problems:
                    job.status, job.problems = InteractionImport.Status.REJECTED, problems
                else:
                    job.status, job.done = InteractionImport.Status.IMPORTING, 0
                    job.save(update_fields=["status", "done"])
                    job.imported = create_all(job, checked, zipped)
                    job.status = InteractionImport.Status.DONE
            finally:
                if zip_file:
                    zip_file.close()
        except SheetError as exc:
            job.status, job.problems = InteractionImport.Status.REJECTED, [
                {"row": 0, "column": "", "message": " ".join(exc.messages)}]
        except zipfile.BadZipFile:
            job.status, job.problems = InteractionImport.Status.REJECTED, [
                {"row": 0, "column": "recording", "message": _("The recordings file is not a readable zip archive.")}]
        except Exception as exc:  # reported on the page; nothing was imported
            log.exception("interaction import %s failed", job.pk)
            job.status, job.error = InteractionImport.Status.FAILED, str(exc)[:500] or exc.__class__.__name__
        job.done = job.total if job.status == InteractionImport.Status.DONE else job.done
        job.finished_at = timezone.now()
        job.save()
        for field in (job.sheet, job.recordings):
            if field:
                field.delete(save=False)
        job.save(update_fields=["sheet", "recordings"])
    return job


def template_csv() -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerow(EXAMPLE)
    return out.getvalue()
