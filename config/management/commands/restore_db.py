from django.core.management.base import BaseCommand, CommandError

from config.backup import restore


class Command(BaseCommand):
    help = "Replace the database's contents with a backup made by backup_db. Stop the web app and worker first."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, path, yes=False, **options):
        if not yes and input(f"Replace every row in the database with {path}? [y/N] ").strip().lower() != "y":
            raise CommandError("Restore cancelled.")
        restore(path)
        self.stdout.write(self.style.SUCCESS(f"Restored from {path}"))
