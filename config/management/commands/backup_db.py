from django.core.management.base import BaseCommand
from django.utils import timezone

from config.backup import backup


class Command(BaseCommand):
    help = "Back up the database (SQLite online backup, or pg_dump for PostgreSQL) to a file."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="default: var/backups/qa-<time>.backup")

    def handle(self, *args, path=None, **options):
        path = path or f"var/backups/qa-{timezone.now():%Y%m%d-%H%M%S}.backup"
        self.stdout.write(self.style.SUCCESS(f"Backed up to {backup(path)}"))
