"""`manage.py task_worker`: the background task worker for whichever TASKS_BACKEND is set, so that
`make run`, `make serve`, `make cluster` and a deployment's service files need one command.

db: `db_worker` (one machine). rq: `rqworker <TASK_QUEUES> --job-class django_tasks_rq.Job --with-scheduler`
(the job class is required by django-tasks-rq; the scheduler runs delayed tasks, `run_after`, and delayed
retries). Any number of these may run on any machines."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run background tasks (exports, imports, transcription, schedules) with the configured backend."

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true", help="Run what is queued, then stop.")
        parser.add_argument("--name", help="The worker's name in RQ (rq only).")

    def handle(self, *args, burst=False, name=None, **options):
        if settings.TASKS_BACKEND == settings.TASK_BACKENDS["rq"]:
            call_command("rqworker", *settings.TASK_QUEUES, job_class="django_tasks_rq.Job", with_scheduler=True,
                         burst=burst, name=name, verbosity=options["verbosity"])
        else:
            extra = {"batch": True} if burst else {}
            call_command("db_worker", queue_name=",".join(settings.TASK_QUEUES), **extra)
