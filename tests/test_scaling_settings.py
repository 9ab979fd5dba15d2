"""The settings that take the app past one machine: STORAGE_URL (or AWS_*) to object storage with private
objects, TASKS_BACKEND=rq to RQ with retries, CACHE_URL to the shared cache and cached_db sessions."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import object_storage

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def env(monkeypatch):
    for name in ("STORAGE_URL", "AWS_STORAGE_BUCKET_NAME", "AWS_S3_ENDPOINT_URL", "AWS_S3_REGION_NAME", "AWS_LOCATION",
                 "AWS_QUERYSTRING_EXPIRE"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_no_object_storage_unless_asked(env):
    assert object_storage.s3_options() is None


def test_a_storage_url_names_bucket_prefix_endpoint_and_keys(env):
    env.setenv("STORAGE_URL", "s3://AKIA%2Fx:s%40cret@qa-files/site-1/?endpoint_url=https://s3.example.net"
                              "&region_name=eu-west-2&querystring_expire=60")
    options = object_storage.s3_options()
    assert options == {"bucket_name": "qa-files", "location": "site-1", "access_key": "AKIA/x", "secret_key": "s@cret",
                       "endpoint_url": "https://s3.example.net", "region_name": "eu-west-2", "querystring_expire": 60,
                       "querystring_auth": True, "default_acl": None, "file_overwrite": False}
    stores = object_storage.storages_for(options)
    assert stores["private"]["OPTIONS"]["location"] == "site-1/private"
    assert stores["default"]["OPTIONS"]["location"] == "site-1"


def test_the_usual_aws_variables_work_too(env):
    env.setenv("AWS_STORAGE_BUCKET_NAME", "qa-files")
    env.setenv("AWS_S3_REGION_NAME", "eu-central-1")
    options = object_storage.s3_options()
    assert options["bucket_name"] == "qa-files" and options["region_name"] == "eu-central-1"
    assert options["querystring_expire"] == 300 and options["default_acl"] is None


@pytest.mark.parametrize("url, says", [
    ("https://qa-files", "must look like s3://bucket"),
    ("s3://qa-files?acl=public-read", "unknown option 'acl'"),
    ("s3://qa-files?querystring_expire=soon", "querystring_expire must be a number"),
])
def test_a_wrong_storage_url_is_a_clear_configuration_error(env, url, says):
    env.setenv("STORAGE_URL", url)
    with pytest.raises(ImproperlyConfigured, match=says):
        object_storage.s3_options()


def test_rq_object_storage_and_shared_sessions_from_the_environment():
    code = ("import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({"
            "'tasks': s.TASKS, 'apps': s.INSTALLED_APPS, 'rq': s.RQ, 'queues': list(s.RQ_QUEUES), "
            "'url': s.RQ_QUEUES['default']['URL'], 'private': s.STORAGES['private']['BACKEND'], "
            "'sessions': s.SESSION_ENGINE, 'cache': s.CACHES['default']['BACKEND']}))")
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings", TASKS_BACKEND="rq", TASK_QUEUES="default,audio",
               REDIS_URL="redis://10.0.0.5:6379/4", CACHE_URL="redis://10.0.0.5:6379/5",
               STORAGE_URL="s3://qa-files?region_name=eu-west-2")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    found = json.loads(out.stdout.strip().splitlines()[-1])
    assert found["tasks"]["default"] == {"BACKEND": "config.rq_tasks.RQBackend", "QUEUES": ["default", "audio"]}
    assert {"django_rq", "django_tasks_rq"} <= set(found["apps"])
    assert found["rq"]["QUEUE_CLASS"] == "config.rq_tasks.RetryingQueue"
    assert found["queues"] == ["default", "audio"] and found["url"] == "redis://10.0.0.5:6379/4"
    assert found["private"] == "storages.backends.s3.S3Storage"
    assert found["sessions"] == "django.contrib.sessions.backends.cached_db"
    assert found["cache"] == "django.core.cache.backends.redis.RedisCache"


@pytest.mark.parametrize("environment, backend", [
    ({"DJANGO_ENV": "development"}, "django.core.cache.backends.locmem.LocMemCache"),
    # make serve's gunicorn processes on one machine share a cache on disk: throttles count each attempt once
    ({"DJANGO_ENV": "production", "SECRET_KEY": "x" * 50, "PROXY_COUNT": "0", "ALLOWED_HOSTS": "qa.example.com"},
     "django.core.cache.backends.filebased.FileBasedCache"),
    ({"DJANGO_ENV": "production", "SECRET_KEY": "x" * 50, "PROXY_COUNT": "0", "ALLOWED_HOSTS": "qa.example.com",
      "CACHE_URL": "redis://10.0.0.5:6379/5"}, "django.core.cache.backends.redis.RedisCache"),
])
def test_the_cache_is_shared_by_every_process_that_serves(environment, backend, tmp_path):
    code = ("import django, json; django.setup(); from django.conf import settings as s; "
            "print(json.dumps(s.CACHES['default']))")
    env = {k: v for k, v in os.environ.items() if k not in ("CACHE_URL", "DJANGO_ENV")}
    env.update(environment, DJANGO_SETTINGS_MODULE="config.settings", CACHE_DIR=str(tmp_path / "cache"))
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    found = json.loads(out.stdout.strip().splitlines()[-1])
    assert found["BACKEND"] == backend
    if backend.endswith("FileBasedCache"):
        assert found["LOCATION"] == str(tmp_path / "cache")
