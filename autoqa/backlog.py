"""Checking many interactions at once: an import's, or the backlog (`manage.py evaluate_automatically`)."""

import logging

from django.db import transaction
from django.db.models import Q

from autoqa.evaluation import evaluate_interaction
from qa.models import Evaluation, Interaction
from scorecards.models import TEXT_CHANNELS

log = logging.getLogger(__name__)


def text_interactions():
    return Interaction.objects.filter(channel__in=list(TEXT_CHANNELS)).exclude(conversation="")


def checkable():
    """Interactions the checks can read: written ones and calls with a finished transcript."""
    return Interaction.objects.filter(
        Q(channel__in=list(TEXT_CHANNELS), conversation__gt="") | Q(transcript__status="done"))


def not_checked_yet(queryset):
    return queryset.exclude(pk__in=Evaluation.objects.filter(source=Evaluation.Source.AUTOMATIC)
                            .values("interaction_id"))


def run(queryset, progress=None, batch: int = 100) -> int:
    """Check each interaction of the queryset, in batches, each batch committed once (one interaction
    that fails is logged and skipped, its savepoint rolled back, the rest of the batch kept);
    progress(done, total) after each batch. Returns how many were checked."""
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    done = 0
    for start in range(0, len(ids), batch):
        cache: dict = {}
        with transaction.atomic():
            for interaction in (Interaction.objects.filter(pk__in=ids[start:start + batch])
                                .select_related("employee", "location", "transcript").order_by("pk")):
                try:
                    evaluate_interaction(interaction, cache=cache)
                except Exception:  # one bad interaction must not stop a backlog of thousands
                    log.exception("automatic checks of interaction %s failed", interaction.pk)
                    continue
                done += 1
        if progress:
            progress(min(start + batch, len(ids)), len(ids))
    return done
