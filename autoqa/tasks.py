"""Background work of automatic QA, run by the task worker (`manage.py db_worker`): one task per
interaction, so a backlog of thousands of calls never holds the worker away from other tasks for long."""

from django_tasks import task

from autoqa import backlog, services
from autoqa.evaluation import evaluate_interaction
from qa.models import Interaction


@task()
def evaluate_interaction_task(interaction_id: int) -> bool:
    """Check one interaction (a transcribed call, or an email, chat or post) and store its automatic evaluation."""
    interaction = (Interaction.objects.select_related("employee", "location", "transcript")
                   .filter(pk=interaction_id).first())
    if interaction is None:  # deleted, or still hidden by an import that has not finished
        return False
    return evaluate_interaction(interaction) is not None


@task()
def evaluate_import_task(import_id: int) -> int:
    """Check the written interactions an import brought in (calls wait for their transcripts)."""
    return backlog.run(backlog.text_interactions().filter(import_job_id=import_id))


@task()
def transcribe_interaction(interaction_id: int) -> str:
    return services.transcribe(interaction_id)
