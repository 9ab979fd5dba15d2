"""Bulk import of interactions: CSV and XLSX with a zip of recordings, every row checked,
each rejected row reported with its reason, nothing half-imported, large files in the background."""

import csv
import io
import zipfile
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from qa import imports, recordings
from qa.models import Interaction, InteractionImport, Recording

pytestmark = pytest.mark.django_db


def sheet_csv(rows, columns=imports.COLUMNS):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return SimpleUploadedFile("calls.csv", out.getvalue().encode("utf-8"), content_type="text/csv")


def zip_of(files):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return SimpleUploadedFile("recordings.zip", out.getvalue(), content_type="application/zip")


def rows(world):
    a, e = world.location_a.code, world.employee_a.employee_code
    return [
        {"channel": "phone_call", "occurred_at": "2026-11-02 09:15", "location_code": a, "employee_code": e,
         "customer_reference": "C-1", "complaint_type": "billing", "received_at": "2026-11-02 09:15",
         "acknowledged_at": "2026-11-02 09:20", "recording": "calls/one.wav"},
        {"channel": "Email", "occurred_at": "2026-11-02 10:00", "location_code": a, "employee_code": e,
         "customer_reference": "C-2", "conversation": "Customer: my bill is wrong.\nAgent: I'm sorry, let me fix it."},
        {"channel": "chat", "occurred_at": "02/11/2026 11:30", "location_code": a, "customer_reference": "C-3",
         "direction": "outbound", "conversation": "Agent: following up on your case."},
    ]


@pytest.fixture
def lead(world, client_for, private_media):
    return client_for(world.lead)


def test_a_csv_with_its_recordings_is_imported_whole(world, lead, private_media):
    response = lead.post(reverse("interaction-import"), {
        "sheet": sheet_csv(rows(world)), "recordings": zip_of({"calls/one.wav": recordings.wav_bytes(2.0)})})
    job = InteractionImport.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.status == job.Status.DONE and job.imported == 3
    call = Interaction.objects.get(customer_reference="C-1")
    assert call.recording.duration_seconds == pytest.approx(2.0) and call.recording.audio_format == "wav"
    assert call.complaint_type == "billing" and call.created_by == world.lead
    # Times without a zone are read in the uploader's zone (Europe/London: GMT in November).
    assert call.occurred_at == datetime.fromisoformat("2026-11-02T09:15:00+00:00")
    assert Interaction.objects.get(customer_reference="C-3").direction == "outbound"
    assert Interaction.objects.get(customer_reference="C-2").channel == "email"
    # The uploaded files are not kept once the import is done.
    assert not job.sheet and not job.recordings
    page = lead.get(job.get_absolute_url()).content.decode()
    assert "3 interactions imported" in page


def test_an_xlsx_sheet_with_real_dates_is_imported(world, lead):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Channel", "Occurred at", "Location code", "Conversation"])
    sheet.append(["email", datetime(2026, 11, 3, 14, 5), world.location_b.code, "Customer: where is my order?"])
    out = io.BytesIO()
    workbook.save(out)
    lead.post(reverse("interaction-import"), {"sheet": SimpleUploadedFile("mail.xlsx", out.getvalue())})
    job = InteractionImport.objects.get()
    assert job.status == job.Status.DONE, job.problems
    interaction = Interaction.objects.get()
    assert interaction.location == world.location_b and interaction.occurred_at.hour == 14


def test_one_bad_row_means_nothing_is_imported_and_every_reason_is_listed(world, lead, private_media):
    data = rows(world)
    data[1]["location_code"] = "NOPE"
    data[2]["occurred_at"] = "next Tuesday"
    data.append(dict(data[0], customer_reference="C-4", recording="notes.wav"))
    data.append(dict(data[0], customer_reference="C-5", recording="missing.wav"))
    data.append(dict(data[0], customer_reference="C-6", recording="", channel="phone_call"))
    response = lead.post(reverse("interaction-import"), {
        "sheet": sheet_csv(data),
        "recordings": zip_of({"calls/one.wav": recordings.wav_bytes(1.0), "notes.wav": b"this is a text file"})})
    job = InteractionImport.objects.get()
    assert job.status == job.Status.REJECTED
    found = {(p["row"], p["column"]) for p in job.problems}
    assert found == {(3, "location_code"), (4, "occurred_at"), (5, "recording"), (6, "recording"), (7, "recording")}
    messages = {p["row"]: p["message"] for p in job.problems}
    assert "NOPE" in messages[3] and "not a recording we can play" in messages[5] and "not in the zip" in messages[6]
    assert "needs its recording" in messages[7]
    assert Interaction.objects.count() == 0 and Recording.objects.count() == 0
    page = lead.get(response["Location"]).content.decode()
    assert "Nothing was imported: 5 problems to fix." in page and "NOPE" in page


def test_a_failure_while_writing_leaves_nothing_behind(world, lead, private_media, monkeypatch):
    real = recordings.keep_file
    calls = []

    def failing(upload, sha256, audio_format):
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk full")
        return real(upload, sha256, audio_format)

    monkeypatch.setattr(recordings, "keep_file", failing)
    data = rows(world)[:1] + [dict(rows(world)[0], customer_reference="C-9", recording="two.wav")]
    lead.post(reverse("interaction-import"), {
        "sheet": sheet_csv(data),
        "recordings": zip_of({"calls/one.wav": recordings.wav_bytes(1.0), "two.wav": recordings.wav_bytes(1.5)})})
    job = InteractionImport.objects.get()
    assert job.status == job.Status.FAILED and "disk full" in job.error
    assert Interaction.all_objects.count() == 0 and Recording.objects.count() == 0
    assert stored_files(private_media) == []  # the first row's file was removed again
    # The uploads are kept, so the page offers a retry.
    assert job.sheet and job.recordings and job.can_retry
    assert "Retry this import" in lead.get(job.get_absolute_url()).content.decode()


def stored_files(private_media):
    folder = private_media / "private" / "recordings"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_importing_the_same_sheet_twice_is_refused(world, lead):
    data = rows(world)[1:]
    lead.post(reverse("interaction-import"), {"sheet": sheet_csv(data)})
    lead.post(reverse("interaction-import"), {"sheet": sheet_csv(data + [data[0]])})
    first, second = InteractionImport.objects.order_by("pk")
    assert first.status == first.Status.DONE and second.status == second.Status.REJECTED
    assert {p["message"] for p in second.problems} == {"This interaction has already been imported.",
                                                       "The same interaction appears twice in this sheet."}
    assert Interaction.objects.count() == 2


def test_a_sheet_that_cannot_be_read_is_refused_at_upload(world, lead):
    wrong_columns = sheet_csv([{"channel": "email"}], columns=["channel", "when"])
    response = lead.post(reverse("interaction-import"), {"sheet": wrong_columns})
    assert response.status_code == 422
    html = response.content.decode()
    assert "missing column(s): location_code, occurred_at" in html and "unknown column(s): when" in html
    not_zip = lead.post(reverse("interaction-import"), {
        "sheet": sheet_csv(rows(world)[1:]), "recordings": SimpleUploadedFile("r.zip", b"not a zip")})
    assert not_zip.status_code == 422 and "not a zip archive" in not_zip.content.decode()
    assert InteractionImport.objects.count() == 0


def test_a_large_sheet_goes_to_the_worker_with_progress(world, lead, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_SYNC_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True):
        response = lead.post(reverse("interaction-import"), {"sheet": sheet_csv(rows(world)[1:])})
    job = InteractionImport.objects.get()
    assert job.status == job.Status.DONE and job.imported == 2
    status = lead.get(response["Location"], HTTP_ACCEPT="application/json").json()
    assert status == {"status": "done", "label": "Imported", "percent": 100, "done": 2, "total": 2, "finished": True}


def test_too_many_rows_are_refused(world, lead, settings):
    settings.IMPORT_MAX_ROWS = 1
    response = lead.post(reverse("interaction-import"), {"sheet": sheet_csv(rows(world)[1:])})
    assert response.status_code == 422 and "the limit is 1" in response.content.decode()


def test_the_template_lists_every_column(lead):
    response = lead.get(reverse("interaction-import-template"))
    header = response.content.decode().splitlines()[0]
    assert header.split(",") == imports.COLUMNS


def test_a_good_sheet_is_kept_when_the_zip_is_refused(world, lead, private_media):
    bad_zip = lead.post(reverse("interaction-import"), {
        "sheet": sheet_csv(rows(world)), "recordings": SimpleUploadedFile("r.zip", b"not a zip")})
    assert bad_zip.status_code == 422
    assert "Kept from your last attempt: calls.csv (3 rows)" in bad_zip.content.decode()
    again = lead.post(reverse("interaction-import"), {
        "recordings": zip_of({"calls/one.wav": recordings.wav_bytes(1.0)})})
    assert again.status_code == 302
    job = InteractionImport.objects.get()
    assert job.status == job.Status.DONE and job.imported == 3 and job.sheet_name == "calls.csv"
    assert not any((private_media / "private" / "pending").iterdir())


def test_rows_naming_one_recording_share_one_stored_file(world, lead, private_media, django_capture_on_commit_callbacks):
    call = rows(world)[0]
    data = [dict(call, customer_reference=f"C-{n}", recording="calls/one.wav") for n in range(20)]
    lead.post(reverse("interaction-import"), {
        "sheet": sheet_csv(data), "recordings": zip_of({"calls/one.wav": recordings.wav_bytes(2.0)})})
    job = InteractionImport.objects.get()
    assert job.status == job.Status.DONE and job.imported == 20
    assert len(stored_files(private_media)) == 1
    assert Recording.objects.count() == 20 and Recording.objects.values("file").distinct().count() == 1
    # The same audio added by hand to another interaction is not stored again either.
    by_hand = recordings.store_recording(Interaction.objects.create(
        channel="phone_call", location=world.location_a, occurred_at=datetime(2026, 11, 5, 9, 0).astimezone(),
        created_by=world.lead), SimpleUploadedFile("same.wav", recordings.wav_bytes(2.0)), world.lead)
    assert len(stored_files(private_media)) == 1 and by_hand.sha256 == Recording.objects.first().sha256
    # Deleting interactions keeps the file while another still names it; the last one takes it away.
    with django_capture_on_commit_callbacks(execute=True):
        Interaction.objects.exclude(pk=by_hand.interaction_id).first().delete()
    assert len(stored_files(private_media)) == 1
    assert lead.get(reverse("recording-file", args=[by_hand.pk])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        Interaction.objects.all().delete()
    assert stored_files(private_media) == []


def test_a_zip_that_unpacks_past_the_limit_is_refused(world, lead, settings, private_media):
    settings.IMPORT_ZIP_MAX_EXTRACTED_BYTES = 100_000
    silence = recordings.wav_bytes(8.0)  # 128 KB, a few KB once zipped
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("long.wav", silence)
    assert len(archive.getvalue()) < settings.IMPORT_ZIP_MAX_EXTRACTED_BYTES
    response = lead.post(reverse("interaction-import"), {
        "sheet": sheet_csv(rows(world)), "recordings": SimpleUploadedFile("r.zip", archive.getvalue())})
    assert response.status_code == 422
    html = response.content.decode()
    assert "add up to 0.12 MB; the limit is 0.10 MB" in html and "Largest: long.wav (0.12 MB)" in html
    assert InteractionImport.objects.count() == 0 and stored_files(private_media) == []


def test_a_zip_over_the_limit_is_refused_by_the_worker_too(world, lead, settings, private_media):
    """The limit may be lowered between the upload and the work: the worker checks it again."""
    job = InteractionImport(created_by=world.lead, sheet_name="calls.csv", total=3)
    job.sheet.save("calls.csv", sheet_csv(rows(world)), save=False)
    job.recordings.save("r.zip", zip_of({"calls/one.wav": recordings.wav_bytes(1.0)}), save=False)
    job.save()
    settings.IMPORT_ZIP_MAX_EXTRACTED_BYTES = 1000
    job = imports.run(job)
    assert job.status == job.Status.REJECTED and "one.wav" in job.problems[0]["message"]
    assert Interaction.all_objects.count() == 0 and stored_files(private_media) == []


def test_the_command_fails_a_stalled_import_and_removes_what_it_wrote(world, lead, settings, private_media):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from qa.models import private_storage

    job = InteractionImport(created_by=world.lead, sheet_name="calls.csv", total=3, status="importing", done=1,
                            heartbeat_at=timezone.now() - timedelta(seconds=settings.IMPORT_STALE_SECONDS + 5))
    job.sheet.save("calls.csv", sheet_csv(rows(world)), save=False)
    job.save()
    audio = SimpleUploadedFile("one.wav", recordings.wav_bytes(1.0))
    sha = recordings.sha256_of(audio)
    written = recordings.keep_file(audio, sha, "wav")  # what the dead worker had stored
    unused = recordings.keep_file(SimpleUploadedFile("two.wav", recordings.wav_bytes(1.5)), "b" * 64, "wav")
    job.recording_files = [written, unused]
    job.save()
    hidden = Interaction.all_objects.create(channel="phone_call", location=world.location_a, created_by=world.lead,
                                            occurred_at=timezone.now(), import_job=job, pending_import=True)
    Recording.objects.create(interaction=hidden, file=written, sha256=sha, audio_format="wav",
                             content_type="audio/wav", size=audio.size, uploaded_by=world.lead)
    assert not Interaction.objects.exists()  # hidden while its import runs
    fresh = InteractionImport.objects.create(created_by=world.lead, sheet_name="other.csv", status="checking",
                                             heartbeat_at=timezone.now())

    call_command("fail_stale_imports", stdout=io.StringIO())
    job.refresh_from_db()
    fresh.refresh_from_db()
    assert job.status == job.Status.FAILED and job.can_retry
    assert fresh.status == fresh.Status.CHECKING  # its worker is alive
    assert not Interaction.all_objects.exists() and not Recording.objects.exists()
    assert not private_storage().exists(written) and not private_storage().exists(unused)
    page = lead.get(job.get_absolute_url()).content.decode()
    assert "the worker stopped while it was working on it" in page and "Retry this import" in page
    refused = lead.post(reverse("interaction-import-retry", args=[fresh.pk]))  # running: nothing to retry
    assert refused.status_code == 409 and "Only a failed import" in refused.content.decode()
