from django.core.management.base import BaseCommand

from reports.tasks import delete_expired_exports


class Command(BaseCommand):
    help = "Delete export files older than EXPORT_KEEP_DAYS (run daily, e.g. from cron)."

    def handle(self, *args, **options):
        self.stdout.write(f"Deleted {delete_expired_exports()} expired exports.")
