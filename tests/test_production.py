"""Production settings as `make serve` uses them, run in a separate process: static files
collected through the manifest storage, `check --deploy`, and what is refused at startup."""

import json
import os
import shutil
import subprocess
import sys

import pytest
from django.conf import settings


def production_env(tmp_path, **extra):
    """The environment of a production process with a static root and SQLite file of its own."""
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(DJANGO_ENV="production", DJANGO_SETTINGS_MODULE="config.settings",
               SECRET_KEY="x" * 20 + "-a-long-random-production-secret-key-0123456789",
               ALLOWED_HOSTS="qa.example.com", PROXY_COUNT="0", STATIC_ROOT=str(tmp_path / "static"),
               DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    env.update(extra)
    return env


def manage(env, *args):
    return subprocess.run([sys.executable, "manage.py", *args], env=env, capture_output=True, text=True,
                          cwd=settings.BASE_DIR, timeout=300)


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """One collectstatic under production settings for the module (it takes a few seconds)."""
    root = tmp_path_factory.mktemp("production")
    result = manage(production_env(root), "collectstatic", "--no-input")
    return root, result


def test_collectstatic_completes_under_production_settings(collected):
    """The vendored Bootstrap names its source maps; the manifest storage follows those references,
    so the maps are shipped beside the files and every name gets a hashed copy."""
    root, result = collected
    assert result.returncode == 0, result.stdout + result.stderr
    paths = json.loads((root / "static" / "staticfiles.json").read_text())["paths"]
    for name in ["vendor/bootstrap/bootstrap.min.css", "vendor/bootstrap/bootstrap.bundle.min.js",
                 "vendor/bootstrap/bootstrap.bundle.min.js.map", "vendor/bootstrap/bootstrap.min.css.map"]:
        assert paths[name] != name and (root / "static" / paths[name]).is_file()
    # The hashed script names its hashed map, so a browser's developer tools find it.
    script = (root / "static" / paths["vendor/bootstrap/bootstrap.bundle.min.js"]).read_text()
    assert script.rstrip().endswith("sourceMappingURL=" + paths["vendor/bootstrap/bootstrap.bundle.min.js.map"]
                                    .rsplit("/", 1)[1])


def test_deploy_check_fails_when_static_files_were_not_collected(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy")
    assert result.returncode != 0
    assert "config.E001" in result.stderr and "collectstatic" in result.stderr


def test_production_settings_pass_the_deploy_check_once_static_files_are_collected(collected):
    root, _ = collected
    result = manage(production_env(root), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_fails_when_a_static_file_is_missing_from_the_manifest(collected, tmp_path):
    shutil.copytree(collected[0] / "static", tmp_path / "static")
    manifest = tmp_path / "static" / "staticfiles.json"
    data = json.loads(manifest.read_text())
    del data["paths"]["js/outbox.js"]
    manifest.write_text(json.dumps(data))
    result = manage(production_env(tmp_path), "check", "--deploy")
    assert result.returncode != 0 and "config.E002" in result.stderr and "js/outbox.js" in result.stderr


def test_production_refuses_to_start_without_an_explicit_proxy_count(tmp_path):
    """Guessed wrong, every client behind a proxy shares its address (one lockout for all)."""
    env = production_env(tmp_path)
    del env["PROXY_COUNT"]
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env,
                            capture_output=True, text=True, cwd=settings.BASE_DIR)
    assert result.returncode != 0 and "PROXY_COUNT must be set when DJANGO_ENV=production" in result.stderr
    env["PROXY_COUNT"], env["TRUSTED_PROXIES"] = "1", "not-an-address"
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env,
                            capture_output=True, text=True, cwd=settings.BASE_DIR)
    assert result.returncode != 0 and "TRUSTED_PROXIES must list addresses or networks" in result.stderr
