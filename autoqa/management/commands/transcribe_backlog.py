"""Transcribe the recordings that have no transcript yet (those stored before transcription was turned on,
or whose tasks were lost), oldest first.

By default one task per interaction is queued for the task worker (`manage.py db_worker`), which then
keeps serving other tasks between them. --here transcribes in this process instead, one by one, with the
real-time factor as it goes. --failed also takes those shown as failed (each gets its attempts again)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from autoqa import services
from qa.models import Recording


class Command(BaseCommand):
    help = "Transcribe recordings that have no transcript yet (queued for the task worker, or --here)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=0, help="At most this many interactions (0: all).")
        parser.add_argument("--failed", action="store_true", help="Also try again those that failed.")
        parser.add_argument("--here", action="store_true",
                            help="Transcribe in this process now instead of queuing tasks for the worker.")

    def handle(self, *args, limit=0, failed=False, here=False, **options):
        if not settings.TRANSCRIPTION:
            raise CommandError("Transcription is turned off (TRANSCRIPTION=off).")
        if limit < 0:
            raise CommandError("--limit must be 0 (all) or more.")
        waiting = services.backlog(include_failed=failed).values_list("pk", flat=True)
        ids = list(waiting[:limit] if limit else waiting)
        total = len(ids)
        if not total:
            self.stdout.write("Nothing to transcribe: every recording has a transcript.")
            return
        self.stdout.write(f"{total} recording(s) to transcribe" + (" here." if here else ", queued for the task worker."))
        started, audio, done, failed_count = time.monotonic(), 0.0, 0, 0
        every = max(1, total // 20)
        for number, interaction_id in enumerate(ids, start=1):
            recording = Recording.objects.filter(interaction_id=interaction_id).first()
            if recording is None:
                continue
            services.reset_for_backfill(interaction_id, recording)
            if here:
                status = services.transcribe(interaction_id, requeue=False)
                while status == services.Status.PENDING:  # retried here too, up to TRANSCRIPTION_ATTEMPTS
                    status = services.transcribe(interaction_id, requeue=False)
                audio += recording.duration_seconds or 0
                done += status == services.Status.DONE
                failed_count += status == services.Status.FAILED
                elapsed = time.monotonic() - started
                self.stdout.write(f"{number}/{total} transcribed ({status}) · {audio:.0f} s of audio in {elapsed:.0f} s"
                                  f" ({audio / elapsed if elapsed else 0:.1f}x real time)")
            else:
                services.queue(interaction_id, priority=services.PRIORITY_BACKLOG)
                if number % every == 0 or number == total:
                    self.stdout.write(f"{number}/{total} queued")
        if here:
            self.stdout.write(self.style.SUCCESS(f"Done: {done} transcribed, {failed_count} failed."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Queued {total}. The task worker (manage.py db_worker) "
                                                 "transcribes them one per task."))
