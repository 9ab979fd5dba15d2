"""Background work of the evaluation workflow, run by the task worker (`manage.py db_worker`)."""

from django_tasks import task

from qa import imports
from qa.models import InteractionImport


@task()
def run_interaction_import(import_id: int) -> int:
    imports.run(InteractionImport.objects.get(pk=import_id))
    return import_id
