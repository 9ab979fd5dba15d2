"""Backup and restore round-trip the demo data with every score intact (SQLite and PostgreSQL)."""

import pytest
from django.core.management import call_command

from qa.models import Answer, Evaluation, SectionScore

pytestmark = pytest.mark.django_db(transaction=True)


def snapshot():
    return (
        list(Evaluation.objects.order_by("pk").values_list("pk", "overall_score", "critical_failed", "status")),
        list(SectionScore.objects.order_by("pk").values_list("evaluation_id", "section_name", "score")),
        Answer.objects.count(),
    )


def test_backup_and_restore_round_trip(tmp_path, monkeypatch):
    # Every kind of row the demo makes, with fewer months of evaluations (the whole demo takes half a minute).
    monkeypatch.setattr("config.demo.EVALUATIONS_PER_LOCATION", 6)
    call_command("seed_demo")
    before = snapshot()
    assert len(before[0]) > 60
    path = tmp_path / "qa.backup"
    call_command("backup_db", str(path))
    assert path.stat().st_size > 0
    # Something goes wrong after the backup: scores overwritten.
    Evaluation.objects.update(overall_score=1)
    SectionScore.objects.update(score=1)
    assert snapshot() != before
    call_command("restore_db", str(path), "--yes")
    assert snapshot() == before
