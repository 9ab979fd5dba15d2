"""The coaching tests' shared set-up."""

import importlib

import pytest

from coaching.models import SessionTemplate

DEFAULTS = importlib.import_module("coaching.migrations.0002_default_templates").DEFAULTS


def ensure_default_templates():
    """The templates the data migration installs. Tests that run after a transactional (live-server) test
    find the tables flushed, and a flush brings back only what post_migrate makes, not data migrations."""
    for values in DEFAULTS:
        SessionTemplate.objects.get_or_create(name=values["name"], defaults=values)


@pytest.fixture(autouse=True)
def default_templates(db):
    ensure_default_templates()
