from django.core.management.base import BaseCommand

from qa.recordings import delete_expired_recordings


class Command(BaseCommand):
    help = "Delete call recordings older than RECORDING_RETENTION_DAYS (run daily); interactions and evaluations stay."

    def handle(self, *args, **options):
        self.stdout.write(f"Deleted {delete_expired_recordings()} expired recordings.")
