from django.core.management.base import BaseCommand

from qa.recordings import delete_abandoned_pending, delete_expired_recordings


class Command(BaseCommand):
    help = ("Delete call recordings older than RECORDING_RETENTION_DAYS (run daily); interactions and evaluations "
            "stay. Also deletes recordings kept for a form that was never sent again, after a day.")

    def handle(self, *args, **options):
        self.stdout.write(f"Deleted {delete_expired_recordings()} expired recordings.")
        self.stdout.write(f"Deleted {delete_abandoned_pending()} abandoned uploads.")
