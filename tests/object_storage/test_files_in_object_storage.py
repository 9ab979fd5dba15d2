"""Every kind of file in S3-compatible object storage (a real moto server): evidence photos,
recordings (with range requests), interaction imports (read by the worker) and export files. The
app's access checks still decide who gets a file, the file comes through the view (never a redirect
to the bucket), objects carry no public grant, and a signed URL, if one is ever made, expires soon.

Redacted audio (automatic QA) is written by autoqa; its test belongs with it once it exists."""

import csv
import io
import os
import zipfile
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from qa import files, imports, pending, recordings
from qa.models import Evidence, Interaction, InteractionImport, Recording, private_storage
from reports.models import ExportJob
from tests.visits_helpers import image_bytes, make_assignment

pytestmark = pytest.mark.django_db
PUBLIC_GROUPS = ("http://acs.amazonaws.com/groups/global/AllUsers",
                 "http://acs.amazonaws.com/groups/global/AuthenticatedUsers")


def assert_private(bucket, key):
    grants = bucket.client.get_object_acl(Bucket=bucket.name, Key=key)["Grants"]
    assert not [g for g in grants if g["Grantee"].get("URI") in PUBLIC_GROUPS], grants


def assert_streamed(response, endpoint):
    """The bytes come from the app after its check, not from a link to the bucket."""
    assert response.status_code in (200, 206)
    assert "Location" not in response
    assert endpoint.split("//")[1] not in str(response.headers)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_evidence_photos_are_stored_in_the_bucket_and_shown_only_after_the_check(world, client_for, bucket):
    assignment = make_assignment(world)
    response = client_for(world.shopper).post(reverse("evidence-upload", args=[assignment.pk]), {
        "file": SimpleUploadedFile("IMG_1.jpg", image_bytes("JPEG", exif_gps=True)), "kind": "receipt",
        "client_key": "k1"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 201
    evidence = Evidence.objects.get()
    key = f"private/{evidence.file.name}"
    assert bucket.keys("private/") == [key]
    assert_private(bucket, key)
    url = reverse("evidence-file", args=[evidence.pk])
    for allowed in (world.shopper, world.reviewer, world.lead):
        shown = client_for(allowed).get(url)
        assert_streamed(shown, bucket.endpoint)
        assert body(shown) == bucket.read(key)
        assert shown["Content-Length"] == str(len(bucket.read(key)))
    for outsider in (world.other_shopper, world.manager_a, world.employee):
        assert client_for(outsider).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302
    # Removed by the shopper: gone from the bucket too.
    client_for(world.shopper).post(reverse("evidence-delete", args=[evidence.pk]), HTTP_ACCEPT="application/json")
    assert bucket.keys("private/") == []


def test_a_photo_whose_object_is_gone_says_so(world, client_for, bucket):
    assignment = make_assignment(world)
    client_for(world.shopper).post(reverse("evidence-upload", args=[assignment.pk]), {
        "file": SimpleUploadedFile("IMG_1.png", image_bytes()), "kind": "receipt", "client_key": "k2"},
        HTTP_ACCEPT="application/json")
    evidence = Evidence.objects.get()
    bucket.client.delete_object(Bucket=bucket.name, Key=f"private/{evidence.file.name}")
    response = client_for(world.reviewer).get(reverse("evidence-file", args=[evidence.pk]))
    assert response.status_code == 404 and "missing from the server" in response.content.decode()


def test_recordings_play_with_range_requests_from_the_bucket(world, client_for, bucket,
                                                            django_capture_on_commit_callbacks):
    reviewer = client_for(world.reviewer)
    audio = recordings.wav_bytes(1.0)
    response = reviewer.post(reverse("interaction-create"), {
        "channel": "phone_call", "location": world.location_a.pk, "employee": world.employee_a.pk,
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "direction": "inbound",
        "customer_reference": "C-S3", "recording": SimpleUploadedFile("call.wav", audio)})
    assert response.status_code == 302
    recording = Recording.objects.get()
    key = f"private/{recording.file.name}"
    assert bucket.read(key) == audio
    assert_private(bucket, key)
    url = reverse("recording-file", args=[recording.pk])
    whole = reviewer.get(url)
    assert_streamed(whole, bucket.endpoint)
    assert whole["Accept-Ranges"] == "bytes" and body(whole) == audio
    part = reviewer.get(url, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 100-199/{len(audio)}"
    assert body(part) == audio[100:200] and part["Content-Length"] == "100"
    open_ended = reviewer.get(url, HTTP_RANGE=f"bytes={len(audio) - 50}-")
    assert body(open_ended) == audio[-50:]
    assert body(reviewer.get(url, HTTP_RANGE="bytes=-10")) == audio[-10:]
    refused = reviewer.get(url, HTTP_RANGE=f"bytes={len(audio) + 5}-")
    assert refused.status_code == 416 and refused["Content-Range"] == f"bytes */{len(audio)}"
    for outsider in (world.manager_b, world.shopper, world.other_employee):
        assert client_for(outsider).get(url, HTTP_RANGE="bytes=0-9").status_code == 404
    # The same audio for a second call is kept once; the object goes with the last recording naming it.
    recordings.store_recording(Interaction.objects.create(
        channel="phone_call", location=world.location_a, occurred_at=timezone.now(), created_by=world.reviewer),
        SimpleUploadedFile("again.wav", audio), world.reviewer)
    assert bucket.keys("private/recordings/") == [key]
    with django_capture_on_commit_callbacks(execute=True):
        Recording.objects.all().delete()
    assert bucket.keys("private/recordings/") == []


def sheet_and_zip(world, count):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=imports.COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for n in range(count):
        writer.writerow({"channel": "phone_call", "occurred_at": f"2026-11-0{n + 1} 09:15",
                         "location_code": world.location_a.code, "customer_reference": f"S3-{n}",
                         "recording": f"calls/{n}.wav"})
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        for n in range(count):
            zipped.writestr(f"calls/{n}.wav", recordings.wav_bytes(0.5 + n / 10))
    return (SimpleUploadedFile("calls.csv", out.getvalue().encode()),
            SimpleUploadedFile("calls.zip", archive.getvalue(), content_type="application/zip"))


def test_an_import_is_read_by_the_worker_from_the_bucket(world, client_for, bucket, settings,
                                                         django_capture_on_commit_callbacks):
    settings.IMPORT_SYNC_ROWS = 1  # to the task worker, which reads the sheet and the zip from the bucket
    sheet, archive = sheet_and_zip(world, 3)
    lead = client_for(world.lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = lead.post(reverse("interaction-import"), {"sheet": sheet, "recordings": archive})
    job = InteractionImport.objects.get()
    assert response.status_code == 302
    assert job.status == job.Status.DONE and job.imported == 3, job.problems
    stored = sorted(f"private/{r.file.name}" for r in Recording.objects.all())
    # The uploaded sheet and zip are gone; the three recordings are in the bucket and play.
    assert bucket.keys("private/") == stored and len(stored) == 3
    first = Recording.objects.get(interaction__customer_reference="S3-0")
    played = lead.get(reverse("recording-file", args=[first.pk]), HTTP_RANGE="bytes=0-3")
    assert body(played) == b"RIFF"
    # Someone else may not see the import.
    assert client_for(world.manager_b).get(job.get_absolute_url()).status_code in (403, 404)


def test_a_large_export_is_written_to_the_bucket_and_downloaded_through_the_app(scored, client_for, bucket,
                                                                               settings):
    settings.EXPORT_SYNC_LIMIT = 3
    client = client_for(scored.manager_a)
    response = client.get(reverse("reports:export", args=["dashboard", "xlsx"]))
    job = ExportJob.objects.get()
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "done", job.error
    key = f"private/{job.file.name}"
    assert bucket.keys("private/exports") == [key]
    assert_private(bucket, key)
    download = client.get(reverse("reports:export-download", args=[job.pk]))
    assert_streamed(download, bucket.endpoint)
    assert "attachment" in download["Content-Disposition"]
    data = body(download)
    assert data == bucket.read(key)
    summary = {row[0]: row[1] for row in load_workbook(io.BytesIO(data))["Summary"].iter_rows(values_only=True)
               if row and row[0]}
    assert summary["Evaluations (n)"] == 6
    assert client_for(scored.manager_b).get(reverse("reports:export-download", args=[job.pk])).status_code == 404


def test_a_kept_upload_waits_in_the_bucket_and_abandoned_ones_are_cleaned(world, client_for, bucket):
    client = client_for(world.reviewer)
    first = client.post(reverse("interaction-create"), {
        "channel": "phone_call", "location": "", "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "recording": SimpleUploadedFile("call-9.wav", recordings.wav_bytes(1.0))})
    assert first.status_code == 200 and "Kept from your last attempt" in first.content.decode()
    assert len(bucket.keys("private/pending/")) == 1
    assert pending.delete_abandoned(now=timezone.now() + timedelta(days=2)) == 1
    assert bucket.keys("private/pending/") == []


def test_a_local_copy_for_libraries_that_need_a_path_is_removed_afterwards(bucket):
    name = private_storage().save("recordings/x/y.wav", ContentFile(recordings.wav_bytes(0.2)))
    with files.local_copy(private_storage(), name) as path:
        assert path.endswith(".wav") and os.path.getsize(path) == private_storage().size(name)
        with open(path, "rb") as copy:
            assert copy.read() == bucket.read(f"private/{name}")
    assert not os.path.exists(path)
    with pytest.raises(FileNotFoundError):
        with files.local_copy(private_storage(), "recordings/none.wav"):
            pass


def test_a_signed_url_if_ever_made_expires_within_minutes_and_names_never_overwrite(bucket):
    name = private_storage().save("exports/a.csv", ContentFile(b"a,b\n"))
    other = private_storage().save("exports/a.csv", ContentFile(b"c,d\n"))
    assert other != name and bucket.read(f"private/{name}") == b"a,b\n"
    url = private_storage().url(name)
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=300" in url
