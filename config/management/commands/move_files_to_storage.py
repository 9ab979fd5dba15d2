"""`manage.py move_files_to_storage`: copy an installation's files from local disk (MEDIA_ROOT) into the
object storage that STORAGE_URL now names, and check every copy.

Every file a database row names (every FileField of every model: evidence photos, recordings, imports
waiting for a retry, export files, and whatever apps add) is read from where the local storage kept it
(MEDIA_ROOT, or MEDIA_ROOT/private for private files), written under the same name, and read back: its
size and SHA-256 must equal the local file's. Run it again at any time: a file already there with the
same content is counted as done, one there with different content is reported and left alone, never
overwritten. Local files are not deleted; remove MEDIA_ROOT yourself once the report says all is well.
Files nobody names (uploads kept between two attempts at a form) are not copied.
"""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.core.management.base import BaseCommand, CommandError
from django.db import models

from qa import files
from qa.models.files import PRIVATE_STORAGE, private_storage


def named_files():
    """{(storage kind, name): "model.field"} for every non-empty FileField value, each file once."""
    found = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not isinstance(field, models.FileField):
                continue
            private = getattr(field, "_storage_callable", None) is private_storage or field.storage is PRIVATE_STORAGE
            names = model._default_manager.exclude(**{field.name: ""}).exclude(**{f"{field.name}__isnull": True})
            for name in names.values_list(field.name, flat=True).distinct().iterator():
                found.setdefault(("private" if private else "default", name), f"{model._meta.label}.{field.name}")
    return found


class Command(BaseCommand):
    help = "Copy every stored file from local disk into the configured object storage and check each copy."

    def add_arguments(self, parser):
        parser.add_argument("--source", default=str(settings.MEDIA_ROOT),
                            help="The MEDIA_ROOT the files were kept in (default: MEDIA_ROOT).")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be copied; copy nothing.")

    def handle(self, *args, source, dry_run=False, **options):
        from django.core.files.storage import storages

        targets = {"private": storages["private"], "default": storages["default"]}
        if any(isinstance(storage, FileSystemStorage) for storage in targets.values()):
            raise CommandError("The configured storage is still local disk: set STORAGE_URL (or AWS_STORAGE_BUCKET_NAME) "
                               "to the object storage the files should move to, then run this again.")
        root = Path(source)
        if not root.is_dir():
            raise CommandError(f"{root} is not a folder: give --source the MEDIA_ROOT the files were kept in.")
        local = {"private": FileSystemStorage(location=root / "private"), "default": FileSystemStorage(location=root)}
        todo = named_files()
        counts = {"copied": 0, "already there": 0, "missing locally": 0, "different content there": 0, "failed": 0}
        self.stdout.write(f"{len(todo)} files named in the database; copying from {root}.")
        for number, ((kind, name), owner) in enumerate(sorted(todo.items()), start=1):
            outcome = self.move(local[kind], targets[kind], name, owner, dry_run)
            counts[outcome] += 1
            if number % 100 == 0 or number == len(todo):
                self.stdout.write(f"  {number} of {len(todo)} done")
        summary = ", ".join(f"{n} {what}" for what, n in counts.items() if n)
        problems = counts["missing locally"] + counts["different content there"] + counts["failed"]
        if problems:
            raise CommandError(f"{summary or 'nothing to do'}. Fix what is listed above and run this again; "
                               "files already copied are not copied twice.")
        self.stdout.write(self.style.SUCCESS(
            f"{summary or 'Nothing to copy'}{' (dry run: nothing written)' if dry_run else ''}. "
            "Every file named in the database is in object storage with the same size and SHA-256."))

    def move(self, source, target, name, owner, dry_run) -> str:
        if not source.exists(name):
            if target.exists(name):
                return "already there"
            self.stderr.write(f"missing locally: {name} ({owner}) is not in {source.location}")
            return "missing locally"
        expected = files.digest(source, name)
        if target.exists(name):
            if files.digest(target, name) == expected:
                return "already there"
            self.stderr.write(f"different content there: {name} ({owner}) differs from the local file; left alone")
            return "different content there"
        if dry_run:
            self.stdout.write(f"would copy {name} ({expected[0]} bytes)")
            return "copied"
        try:
            with source.open(name, "rb") as handle:
                saved = target.save(name, File(handle, name=name))
            if saved != name:
                target.delete(saved)
                raise OSError(f"stored as {saved}, not {name}")
            copied = files.digest(target, name)
        except Exception as exc:  # reported with the file's name; the rest still moves
            self.stderr.write(f"failed: {name} ({owner}): {exc}")
            return "failed"
        if copied != expected:
            target.delete(name)
            self.stderr.write(f"failed: {name} ({owner}) read back {copied[0]} bytes with another SHA-256; removed")
            return "failed"
        return "copied"
