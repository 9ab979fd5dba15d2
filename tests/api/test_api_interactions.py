"""POST /api/v1/interactions/: with a recording or text, idempotent by external id, checked by the page's form."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from api.models import ExternalInteraction
from qa import recordings
from qa.models import Interaction, Recording

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(private_media):
    return private_media


def call(world, **extra):
    data = {"source_system": "genesys", "external_id": "CALL-1", "channel": "phone_call",
            "location": world.location_a.code, "employee": world.employee_a.employee_code,
            "occurred_at": "2026-11-02T10:15:00+01:00", "customer_reference": "C-1"}
    data.update(extra)
    return data


def test_a_call_with_its_recording_is_made_once_and_found_again_by_its_id(world, api):
    client = api(world.reviewer)
    upload = SimpleUploadedFile("call.wav", recordings.wav_bytes(1.5), content_type="audio/wav")
    response = client.post("/api/v1/interactions/", dict(call(world), recording=upload), format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["external_id"] == "CALL-1" and body["source_system"] == "genesys"
    assert body["recording"]["audio_format"] == "wav" and body["recording"]["duration_seconds"] == pytest.approx(1.5)
    interaction = Interaction.objects.get(pk=body["id"])
    assert interaction.created_by == world.reviewer and Recording.objects.filter(interaction=interaction).exists()
    assert interaction.occurred_at.isoformat() == "2026-11-02T09:15:00+00:00"

    again = client.post("/api/v1/interactions/", dict(call(world), recording=SimpleUploadedFile(
        "call.wav", recordings.wav_bytes(1.5), content_type="audio/wav")), format="multipart")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert Interaction.objects.count() == 1 and ExternalInteraction.objects.count() == 1
    # The same id from another system is another interaction.
    text = client.post("/api/v1/interactions/", call(world, source_system="zendesk", channel="email",
                                                     conversation="Where is my parcel?"), format="json")
    assert text.status_code == 201 and text.json()["conversation"] == "Where is my parcel?"


def test_the_page_rules_apply_field_by_field(world, api):
    client = api(world.reviewer)
    response = client.post("/api/v1/interactions/", call(world), format="json")
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == ["recording"]
    response = client.post("/api/v1/interactions/", call(world, channel="email", location="NOPE"), format="json")
    assert response.json()["errors"][0] == {"field": "location", "message": "No location has this code.",
                                            "code": "invalid"}
    not_audio = SimpleUploadedFile("call.wav", b"RIFF....not really", content_type="audio/wav")
    response = client.post("/api/v1/interactions/", dict(call(world), recording=not_audio), format="multipart")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "recording"
    assert not Interaction.objects.exists() and not ExternalInteraction.objects.exists()
    missing = client.post("/api/v1/interactions/", {"channel": "email"}, format="json")
    assert {e["field"] for e in missing.json()["errors"]} == {"source_system", "external_id", "location",
                                                              "occurred_at", "conversation"}  # all at once


def test_a_truncated_recording_is_refused(world, api):
    whole = recordings.wav_bytes(1.0)
    upload = SimpleUploadedFile("call.wav", whole[:30], content_type="audio/wav")  # cut inside the header
    response = api(world.reviewer).post("/api/v1/interactions/", dict(call(world), recording=upload),
                                        format="multipart")
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["field"] == "recording"


def test_employees_read_their_interactions_only_once_an_evaluation_is_released_to_them(world, api):
    interaction = Interaction.objects.create(channel="email", location=world.location_a, employee=world.employee_a,
                                             occurred_at="2026-11-02T10:00Z", conversation="Hi",
                                             created_by=world.reviewer)
    assert api(world.employee).get(f"/api/v1/interactions/{interaction.pk}/").status_code == 404
    from tests import factories as f

    evaluation = f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD,
                                   employee=world.employee_a, interaction=interaction)
    body = api(world.employee).get(f"/api/v1/interactions/{interaction.pk}/").json()
    assert body["evaluations"] == [evaluation.pk]
