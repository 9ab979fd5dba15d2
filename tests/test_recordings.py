"""Interactions and their recordings: checked from content, measured, private, seekable, retained for a set time."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from qa import recordings
from qa.models import Interaction, Recording
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db
FORMAT = "%Y-%m-%dT%H:%M"


@pytest.fixture(autouse=True)
def media(private_media):
    return private_media


def call_data(world, **extra):
    data = {"channel": "phone_call", "location": world.location_a.pk, "employee": world.employee_a.pk,
            "occurred_at": timezone.localtime().strftime(FORMAT), "direction": "inbound", "customer_reference": "C-1001"}
    data.update(extra)
    return data


def make_call(world, seconds=2.0):
    interaction = Interaction.objects.create(channel="phone_call", location=world.location_a, employee=world.employee_a,
                                             occurred_at=timezone.now(), created_by=world.reviewer)
    upload = SimpleUploadedFile("call.wav", recordings.wav_bytes(seconds))
    return recordings.store_recording(interaction, upload, world.reviewer)


def test_a_call_is_saved_with_its_recording_measured_and_renamed(world, client_for):
    client = client_for(world.reviewer)
    upload = SimpleUploadedFile("../../evil name.mp3", recordings.wav_bytes(1.5), content_type="audio/mpeg")
    response = client.post(reverse("interaction-create"), dict(call_data(world), recording=upload), follow=True)
    assert "Interaction saved" in response.content.decode()
    recording = Recording.objects.get()
    assert recording.audio_format == "wav"  # from the bytes, not the name or the browser's claim
    assert recording.duration_seconds == 1.5
    assert "evil" not in recording.file.name and ".." not in recording.file.name
    page = response.content.decode()
    assert 'id="player-audio" controls' in page and 'id="player"' in page  # the page's player, seekable


def test_a_file_that_is_not_audio_is_refused_and_the_rest_is_kept(world, client_for):
    client = client_for(world.reviewer)
    upload = SimpleUploadedFile("call.wav", b"%PDF-1.7 this is a document")
    response = client.post(reverse("interaction-create"), dict(call_data(world, customer_reference="KEEP-ME"), recording=upload))
    body = response.content.decode()
    assert response.status_code == 200
    assert "not a recording we can play" in body
    assert 'value="KEEP-ME"' in body
    assert not Interaction.objects.exists()


def test_size_limit_and_required_recording(world, client_for, settings):
    client = client_for(world.reviewer)
    assert "A phone call needs its recording" in client.post(reverse("interaction-create"), call_data(world)).content.decode()
    settings.RECORDING_MAX_BYTES = 1000
    upload = SimpleUploadedFile("call.wav", recordings.wav_bytes(1))
    assert "the limit is" in client.post(reverse("interaction-create"), dict(call_data(world), recording=upload)).content.decode()


def test_text_channels_need_their_conversation_and_complaint_times_in_order(world, client_for):
    client = client_for(world.reviewer)
    now = timezone.localtime()
    body = client.post(reverse("interaction-create"), call_data(
        world, channel="email", complaint_type="billing", received_at=now.strftime(FORMAT),
        acknowledged_at=(now - timedelta(hours=1)).strftime(FORMAT))).content.decode()
    assert "Paste the conversation" in body
    assert "This cannot be before complaint received" in body


@pytest.mark.parametrize("persona", PERSONAS)
def test_recordings_are_private_to_those_who_may_see_the_interaction(world, client_for, persona):
    recording = make_call(world)
    response = client_for(world.persona(persona)).get(reverse("recording-file", args=[recording.pk]))
    # Its employee too gets 404 until an evaluation of the call is released to them (test_blind_everywhere).
    expected = {"anonymous": 302, "admin": 200, "lead": 200, "reviewer": 200, "manager_a": 200}
    assert response.status_code == expected.get(persona, 404)


def test_range_requests_let_the_player_seek(world, client_for):
    recording = make_call(world, seconds=1)
    client = client_for(world.reviewer)
    url = reverse("recording-file", args=[recording.pk])
    whole = b"".join(client.get(url).streaming_content)
    part = client.get(url, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-199/{len(whole)}"
    assert b"".join(part.streaming_content) == whole[100:200]
    assert part["Content-Length"] == "100"
    tail = client.get(url, HTTP_RANGE="bytes=-10")
    assert b"".join(tail.streaming_content) == whole[-10:]
    assert client.get(url, HTTP_RANGE=f"bytes={len(whole) + 5}-").status_code == 416


def test_retention_deletes_the_audio_and_keeps_the_interaction(world, client_for, settings,
                                                               django_capture_on_commit_callbacks):
    recording = make_call(world)
    Interaction.objects.filter(pk=recording.interaction_id).update(occurred_at=timezone.now() - timedelta(days=100))
    path = recording.file.path
    settings.RECORDING_RETENTION_DAYS = 90
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the deletion is committed
        assert recordings.delete_expired_recordings() == 1
    assert not Recording.objects.exists() and Interaction.objects.count() == 1
    import os
    assert not os.path.exists(path)
    body = client_for(world.reviewer).get(reverse("interaction-detail", args=[recording.interaction_id])).content.decode()
    assert "deleted after the retention period" in body


@pytest.mark.parametrize("head,expected", [
    (b"RIFF\x00\x00\x00\x00WAVEfmt ", "wav"), (b"OggS\x00\x02", "ogg"), (b"ID3\x04\x00", "mp3"),
    (b"\xff\xfb\x90\x64", "mp3"), (b"\x00\x00\x00\x20ftypM4A \x00", "m4a"), (b"%PDF-1.7", None), (b"<html>", None),
])
def test_sniffing(head, expected):
    assert recordings.sniff(head) == expected


def test_a_good_recording_is_kept_when_another_field_is_wrong(world, client_for, private_media):
    client = client_for(world.reviewer)
    upload = SimpleUploadedFile("call-77.wav", recordings.wav_bytes(1.5))
    first = client.post(reverse("interaction-create"), dict(call_data(world, location=""), recording=upload))
    assert first.status_code == 200
    assert "Kept from your last attempt: call-77.wav (1.5 s)" in first.content.decode()
    pending = list((private_media / "private" / "pending").iterdir())
    assert len(pending) == 1
    second = client.post(reverse("interaction-create"), call_data(world, customer_reference="C-77"))
    assert second.status_code == 302
    recording = Recording.objects.get(interaction__customer_reference="C-77")
    assert recording.duration_seconds == 1.5
    assert not any((private_media / "private" / "pending").iterdir())  # the kept copy is gone
    # A fresh form starts without a kept file.
    client.post(reverse("interaction-create"), dict(call_data(world, location=""),
                                                    recording=SimpleUploadedFile("x.wav", recordings.wav_bytes(1))))
    client.get(reverse("interaction-create"))
    assert "needs its recording" in client.post(reverse("interaction-create"), call_data(world)).content.decode()


def test_abandoned_kept_recordings_are_deleted_after_a_day(world, client_for, private_media):
    client = client_for(world.reviewer)
    client.post(reverse("interaction-create"), dict(call_data(world, location=""),
                                                    recording=SimpleUploadedFile("a.wav", recordings.wav_bytes(1))))
    folder = private_media / "private" / "pending"
    assert len(list(folder.iterdir())) == 1
    assert recordings.delete_abandoned_pending() == 0
    assert recordings.delete_abandoned_pending(now=timezone.now() + timedelta(hours=25)) == 1
    assert not any(folder.iterdir())
