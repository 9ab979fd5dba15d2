"""Check interactions that have not been checked yet (or all of them with --all), with progress:
after rules were added or changed, or for interactions transcribed before the checks existed."""

from django.core.management.base import BaseCommand

from autoqa import backlog


class Command(BaseCommand):
    help = "Run the automatic checks over transcribed calls and written interactions."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="check again those already checked")

    def handle(self, *args, **options):
        queryset = backlog.checkable()
        if not options["all"]:
            queryset = backlog.not_checked_yet(queryset)

        def progress(done, total):
            self.stdout.write(f"{done} of {total} interactions checked")

        done = backlog.run(queryset, progress)
        self.stdout.write(self.style.SUCCESS(f"Done: {done} interaction(s) checked."))
