"""`manage.py move_files_to_storage`: an installation's files on local disk copied into object storage
(a real moto S3 server), each checked by size and SHA-256, the app serving them from there afterwards;
running it again copies nothing twice; problems are reported, not hidden."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from qa import recordings
from qa.models import Evidence, Interaction, InteractionImport
from reports.models import ExportJob
from tests.visits_helpers import image_bytes, make_assignment

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("move_files_to_storage", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue() + str(exc)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def installation(world, client_for, private_media):
    """Files of every kind kept on local disk, as before object storage."""
    assignment = make_assignment(world)
    client_for(world.shopper).post(reverse("evidence-upload", args=[assignment.pk]), {
        "file": SimpleUploadedFile("IMG.png", image_bytes()), "kind": "receipt", "client_key": "m1"},
        HTTP_ACCEPT="application/json")
    interaction = Interaction.objects.create(channel="phone_call", location=world.location_a,
                                             occurred_at=timezone.now(), created_by=world.reviewer)
    recording = recordings.store_recording(interaction, SimpleUploadedFile("c.wav", recordings.wav_bytes(0.5)),
                                           world.reviewer)
    job = ExportJob.objects.create(requested_by=world.manager_a, exporter="dashboard", file_format="csv",
                                   status="done", filename="report.csv")
    job.file.save("report.csv", ContentFile(b"a,b\n1,2\n"))
    failed_import = InteractionImport(created_by=world.lead, sheet_name="calls.csv", status="failed")
    failed_import.sheet.save("calls.csv", ContentFile(b"channel\nphone_call\n"), save=False)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("a.wav", recordings.wav_bytes(0.2))
    failed_import.recordings.save("calls.zip", ContentFile(archive.getvalue()), save=False)
    failed_import.save()
    return {"evidence": Evidence.objects.get(), "recording": recording, "export": job, "import": failed_import}


def test_every_file_is_copied_checked_and_served_from_object_storage(installation, request, private_media,
                                                                     client_for, world):
    names = sorted(f"private/{f.name}" for f in (installation["evidence"].file, installation["recording"].file,
                                                 installation["export"].file, installation["import"].sheet,
                                                 installation["import"].recordings))
    bucket = request.getfixturevalue("bucket")  # from here on, STORAGES point at the bucket
    assert bucket.keys() == []
    dry, _ = run("--source", str(private_media), "--dry-run")
    assert "5 copied (dry run: nothing written)" in dry and bucket.keys() == []
    out, err = run("--source", str(private_media))
    assert err == "" and "5 copied" in out and "5 of 5 done" in out
    assert bucket.keys() == names
    for key in names:
        assert bucket.read(key) == (private_media / key).read_bytes()
    shown = client_for(world.reviewer).get(reverse("recording-file", args=[installation["recording"].pk]),
                                           HTTP_RANGE="bytes=0-3")
    assert b"".join(shown.streaming_content) == b"RIFF"
    again, err = run("--source", str(private_media))
    assert err == "" and "\n5 already there." in again and " copied" not in again


def test_missing_and_conflicting_files_are_reported_and_nothing_is_overwritten(installation, request,
                                                                              private_media):
    (private_media / "private" / installation["export"].file.name).unlink()
    bucket = request.getfixturevalue("bucket")
    evidence_key = f"private/{installation['evidence'].file.name}"
    bucket.client.put_object(Bucket=bucket.name, Key=evidence_key, Body=b"something else")
    out, err = run("--source", str(private_media))
    assert "missing locally: " + installation["export"].file.name in err
    assert "different content there: " + installation["evidence"].file.name in err
    assert "3 copied, 1 missing locally, 1 different content there" in err
    assert bucket.read(evidence_key) == b"something else"


def test_it_refuses_to_run_without_object_storage(installation, private_media):
    _, err = run("--source", str(private_media))
    assert "still local disk" in err
