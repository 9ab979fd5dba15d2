from django.core.management.base import BaseCommand

from qa.imports import delete_abandoned_uploads, fail_stale


class Command(BaseCommand):
    help = ("Mark imports whose worker died (no heartbeat for IMPORT_STALE_SECONDS) as failed and remove what they "
            "wrote; their pages then offer a retry. Run it every few minutes, or let the import page do it when read. Also deletes the files "
            "of failed imports nobody retried within a week.")

    def handle(self, *args, **options):
        failed = fail_stale()
        self.stdout.write(f"Marked {len(failed)} stalled imports as failed.")
        self.stdout.write(f"Deleted the files of {delete_abandoned_uploads()} failed imports not retried.")
