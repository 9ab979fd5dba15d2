"""Evidence photos and receipts: checked from their content, re-encoded so no
EXIF data (location, device) survives, and stored under a random name."""

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from qa.models import Evidence

MAX_SIDE = 2400


def too_many_pixels(width: int, height: int) -> ValidationError | None:
    """EVIDENCE_MAX_PIXELS is the limit itself. Pillow's own MAX_IMAGE_PIXELS only warns above it and
    refuses at twice as many, so an 80-megapixel photo (about 450 MB decoded) got through a 40 limit:
    the size is read from the header and refused before anything is decoded."""
    if width * height <= settings.EVIDENCE_MAX_PIXELS:
        return None
    return ValidationError(_("This photo is %(width)s x %(height)s pixels (%(mp)s megapixels); the limit is "
                             "%(limit)s megapixels. Take it at a lower resolution or resize it first.") % {
        "width": width, "height": height, "mp": round(width * height / 1e6, 1),
        "limit": round(settings.EVIDENCE_MAX_PIXELS / 1e6, 1)})


def reencode(data: bytes) -> tuple[bytes, int, int]:
    """Decode the upload as an image (whatever its name says) and write a fresh JPEG without metadata."""
    Image.MAX_IMAGE_PIXELS = settings.EVIDENCE_MAX_PIXELS  # a second guard, for any decoder that grows it
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if error := too_many_pixels(*probe.size):
                raise error
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)
            return out.getvalue(), image.width, image.height
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("This file is not a photo we can read. Upload a JPEG, PNG, WebP or HEIC-converted image.")) from exc


def store_evidence(assignment, user, upload, kind: str, client_key: str | None) -> tuple[Evidence, bool]:
    """Save one uploaded image. A retry with the same client key returns the first copy."""
    key_length = Evidence._meta.get_field("client_key").max_length
    if client_key and (len(client_key) > key_length or not client_key.isprintable()):
        # The page's script makes keys of 36 characters; anything else did not come from it.
        raise ValidationError(_("This upload carries an invalid key; reload the page and add the photo again."))
    if client_key:
        existing = Evidence.objects.filter(client_key=client_key).first()
        if existing is not None:
            if existing.assignment_id != assignment.pk or existing.uploaded_by_id != user.pk:
                raise ValidationError(_("This upload key belongs to another report."))
            return existing, False
    if kind not in Evidence.Kind.values:
        raise ValidationError(_("Choose whether this is a photo or a receipt."))
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(_("This file is %(size)s MB; the limit is %(limit)s MB.") % {
            "size": round(upload.size / 1048576, 1), "limit": round(settings.EVIDENCE_MAX_BYTES / 1048576, 1)})
    data, width, height = reencode(upload.read())
    evidence = Evidence(assignment=assignment, uploaded_by=user, kind=kind, client_key=client_key or None,
                        size=len(data), width=width, height=height)
    try:
        with transaction.atomic():
            evidence.file.save("evidence.jpg", ContentFile(data), save=True)
    except IntegrityError:
        evidence.file.delete(save=False)
        return Evidence.objects.get(client_key=client_key), False
    return evidence, True
