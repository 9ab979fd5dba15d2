"""The Django admin covers every model; settings read the environment strictly."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from config.settings import envbool

OUR_APPS = ("qa", "shops", "scorecards", "reports")


def test_every_model_is_in_the_admin():
    missing = [
        model.__name__ for app in OUR_APPS for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical") and model not in admin.site._registry
    ]
    assert missing == []


@pytest.mark.django_db
def test_admin_pages_open_for_the_administrator(world, client_for):
    client = client_for(world.admin)
    for app in OUR_APPS:
        for model in apps.get_app_config(app).get_models():
            if model in admin.site._registry:
                url = reverse(f"admin:{app}_{model._meta.model_name}_changelist")
                assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_admin_is_refused_to_other_roles(world, client_for):
    response = client_for(world.reviewer).get(reverse("admin:index"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_envbool_refuses_anything_but_true_or_false(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "yes")
    with pytest.raises(ImproperlyConfigured):
        envbool("SOME_FLAG", "false")
    monkeypatch.setenv("SOME_FLAG", "True")
    assert envbool("SOME_FLAG", "false") is True
    monkeypatch.delenv("SOME_FLAG")
    assert envbool("SOME_FLAG", "false") is False


def test_production_requires_a_secret_key():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(DJANGO_ENV="production", DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_cache_url_shares_report_figures_through_redis():
    """CACHE_URL=redis://... is how several web processes share the report cache: two
    separate processes, the second reads what the first wrote."""
    import os
    import socket
    import subprocess
    import sys
    import uuid

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    key = f"test-{uuid.uuid4()}"
    env = dict(os.environ, CACHE_URL="redis://127.0.0.1:6379/9", DJANGO_SETTINGS_MODULE="config.settings")

    def run(code):
        result = subprocess.run([sys.executable, "-c", "import django; django.setup()\n"
                                 "from django.core.cache import caches\ncache = caches['default']\n" + code],
                                env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert run(f"print(type(cache).__name__); cache.set({key!r}, {{'count': 8}}, 30)") == "RedisCache"
    assert run(f"print(cache.get({key!r})); cache.delete({key!r})") == "{'count': 8}"


@pytest.mark.django_db
def test_an_answer_changed_in_the_admin_rescores_its_evaluation(world, client_for):
    from qa.models import Answer, Evaluation
    from tests import factories as f

    evaluation = f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD)
    answer = Answer.objects.get(evaluation=evaluation, item__question="Greeted the customer")
    client = client_for(world.admin)
    url = reverse("admin:qa_answer_change", args=[answer.pk])
    assert client.get(url).status_code == 200

    refused = client.post(url, {"value": "perhaps", "comment": ""})
    assert refused.status_code == 200 and "errornote" in refused.content.decode()
    answer.refresh_from_db()
    assert answer.value == "yes"

    response = client.post(url, {"value": "no", "comment": "Corrected from the call notes"}, follow=True)
    assert "was rescored" in response.content.decode()
    evaluation = Evaluation.objects.get(pk=evaluation.pk)
    answer.refresh_from_db()
    assert answer.failed and evaluation.overall_score < 100
    assert evaluation.section_score_1 < 100  # Courtesy holds the greeting
    assert "no" in evaluation.answer_values.split("\x1f")
    assert client.get(reverse("admin:qa_sectionscore_add")).status_code == 403
