"""Evidence photos: checked from content, stripped of EXIF, private, idempotent on retry."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from qa.models import Evidence
from tests.visits_helpers import image_bytes, make_assignment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(private_media):
    return private_media


def upload(client, assignment, data, name="IMG_0001.png", kind="receipt", key="u1"):
    return client.post(reverse("evidence-upload", args=[assignment.pk]), {
        "file": SimpleUploadedFile(name, data), "kind": kind, "client_key": key}, HTTP_ACCEPT="application/json")


def test_photo_is_reencoded_without_exif_and_served_privately(world, client_for):
    assignment = make_assignment(world)
    response = upload(client_for(world.shopper), assignment, image_bytes("JPEG", exif_gps=True), name="../../etc/passwd.jpg")
    assert response.status_code == 201
    evidence = Evidence.objects.get()
    assert evidence.kind == "receipt"
    assert ".." not in evidence.file.name and "passwd" not in evidence.file.name
    with Image.open(evidence.file.open("rb")) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
    url = reverse("evidence-file", args=[evidence.pk])
    assert client_for(world.shopper).get(url).status_code == 200
    assert client_for(world.reviewer).get(url).status_code == 200
    for outsider in (world.other_shopper, world.manager_a, world.employee):
        assert client_for(outsider).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302


def test_retry_with_the_same_key_stores_one_copy(world, client_for):
    assignment = make_assignment(world)
    client = client_for(world.shopper)
    first = upload(client, assignment, image_bytes())
    second = upload(client, assignment, image_bytes())
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    assert Evidence.objects.count() == 1


def test_not_an_image_is_refused_with_a_clear_message(world, client_for):
    assignment = make_assignment(world)
    response = upload(client_for(world.shopper), assignment, b"%PDF-1.4 pretending", name="receipt.jpg")
    assert response.status_code == 400
    assert "not a photo we can read" in response.json()["error"]
    assert not Evidence.objects.exists()


def test_size_limit(world, client_for, settings):
    settings.EVIDENCE_MAX_BYTES = 1000
    assignment = make_assignment(world)
    response = upload(client_for(world.shopper), assignment, image_bytes(size=(2000, 2000)))
    assert response.status_code == 400
    assert "the limit is" in response.json()["error"]


def test_only_the_assigned_shopper_uploads_and_deletes(world, client_for):
    assignment = make_assignment(world)
    assert upload(client_for(world.other_shopper), assignment, image_bytes()).status_code == 404
    assert upload(client_for(world.reviewer), assignment, image_bytes()).status_code == 403
    upload(client_for(world.shopper), assignment, image_bytes())
    evidence = Evidence.objects.get()
    assert client_for(world.other_shopper).post(reverse("evidence-delete", args=[evidence.pk])).status_code == 404
    response = client_for(world.shopper).post(reverse("evidence-delete", args=[evidence.pk]), HTTP_ACCEPT="application/json")
    assert response.json() == {"status": "deleted"}
    assert not Evidence.objects.exists()


def test_large_photo_is_scaled_down(world, client_for):
    assignment = make_assignment(world)
    upload(client_for(world.shopper), assignment, image_bytes(size=(4000, 3000)))
    evidence = Evidence.objects.get()
    assert max(evidence.width, evidence.height) == 2400
    with Image.open(io.BytesIO(evidence.file.open("rb").read())) as image:
        assert image.size == (2400, 1800)


def test_a_photo_over_the_pixel_limit_is_refused_before_it_is_decoded(world, client_for, settings):
    """80 megapixels got through the 40-megapixel limit: Pillow refuses only at twice its limit."""
    assert settings.EVIDENCE_MAX_PIXELS == 40_000_000
    out = io.BytesIO()
    Image.new("1", (10_000, 8_000)).save(out, format="PNG")  # 80 megapixels in a few kilobytes
    response = upload(client_for(world.shopper), make_assignment(world), out.getvalue())
    assert response.status_code == 400
    assert "10000 x 8000 pixels (80.0 megapixels); the limit is 40.0 megapixels" in response.json()["error"]
    assert not Evidence.objects.exists()
