"""Uploads kept between attempts at a form. A good file sent with a form that fails for
another reason is stored privately under a random name and remembered in the user's
session, so the user need not choose it again; the next successful attempt uses and
deletes it, and `delete_abandoned` removes what a session left behind."""

import uuid
from datetime import timedelta

from django.core.files.base import File
from django.utils import timezone

FOLDER = "pending"


def _storage():
    from qa.models import private_storage

    return private_storage()


def _key(slot: str) -> str:
    return f"pending_{slot}"


def keep(request, slot: str, upload, suffix: str, **info) -> dict:
    discard(request, slot)
    upload.seek(0)
    path = _storage().save(f"{FOLDER}/{uuid.uuid4().hex}.{suffix}", File(upload))
    kept = {"path": path, "name": upload.name[:100], **info}
    request.session[_key(slot)] = kept
    return kept


def get(request, slot: str) -> dict | None:
    return request.session.get(_key(slot))


def open_file(request, slot: str):
    kept = get(request, slot)
    if not kept or not _storage().exists(kept["path"]):
        return None
    upload = File(_storage().open(kept["path"], "rb"), name=kept["name"])
    upload.size = _storage().size(kept["path"])
    return upload


def show_kept(form, field: str, text: str) -> None:
    """Tell the user, under the file field, which file is kept and that they need not choose it again."""
    form.fields[field].help_text = text
    form[field].help_text = text  # a bound field copies its help text when first made


def discard(request, slot: str) -> None:
    kept = request.session.pop(_key(slot), None)
    if kept:
        _storage().delete(kept["path"])


def delete_abandoned(now=None, hours: int = 24) -> int:
    storage = _storage()
    try:  # not exists(FOLDER): object storage has no folders, only names that start with one
        names = storage.listdir(FOLDER)[1]
    except FileNotFoundError:
        return 0
    cutoff = (now or timezone.now()) - timedelta(hours=hours)
    count = 0
    for name in names:
        path = f"{FOLDER}/{name}"
        if storage.get_modified_time(path) < cutoff:
            storage.delete(path)
            count += 1
    return count
