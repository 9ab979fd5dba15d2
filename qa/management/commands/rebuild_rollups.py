"""Build the report roll-ups (qa.models.rollups) again from the raw rows.

They are kept exact by every change to an evaluation (qa.rollups); this is for an
installation restored from a backup, rows changed outside the application, or a new
ROLLUP_TIME_ZONE. Reports read the roll-ups, so run it when nobody is changing evaluations
(it replaces them in one transaction).
"""

import time

from django.core.management.base import BaseCommand

from qa import rollups


class Command(BaseCommand):
    help = "Build the report roll-ups again from the evaluations and their answers."

    def handle(self, *args, **options):
        started = time.monotonic()

        def progress(message):
            self.stdout.write(f"{time.monotonic() - started:7.1f} s  {message}")

        written = rollups.rebuild(progress)
        total = sum(written.values())
        self.stdout.write(self.style.SUCCESS(
            f"{total:,} roll-up rows written ({written['evaluation_rollups']:,} evaluation days, "
            f"{written['item_rollups']:,} item days, {written['month_rows']:,} months, "
            f"{written['place_item_rows']:,} item rows per place) in {time.monotonic() - started:.1f} s"))
