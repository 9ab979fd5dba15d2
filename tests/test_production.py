"""Production settings as `make serve` uses them, run in a separate process: static files
collected through the manifest storage, `check --deploy`, and what is refused at startup."""

import json
import os
import subprocess
import sys

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


def test_collectstatic_completes_under_production_settings(tmp_path):
    """The vendored Bootstrap names its source maps; the manifest storage follows those references,
    so the maps are shipped beside the files and every name gets a hashed copy."""
    result = manage(production_env(tmp_path), "collectstatic", "--no-input")
    assert result.returncode == 0, result.stdout + result.stderr
    paths = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    for name in ["vendor/bootstrap/bootstrap.min.css", "vendor/bootstrap/bootstrap.bundle.min.js",
                 "vendor/bootstrap/bootstrap.bundle.min.js.map", "vendor/bootstrap/bootstrap.min.css.map"]:
        assert paths[name] != name and (tmp_path / "static" / paths[name]).is_file()
    # The hashed script names its hashed map, so a browser's developer tools find it.
    script = (tmp_path / "static" / paths["vendor/bootstrap/bootstrap.bundle.min.js"]).read_text()
    assert script.rstrip().endswith("sourceMappingURL=" + paths["vendor/bootstrap/bootstrap.bundle.min.js.map"]
                                    .rsplit("/", 1)[1])


def test_deploy_check_fails_when_static_files_were_not_collected(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy")
    assert result.returncode != 0
    assert "config.E001" in result.stderr and "collectstatic" in result.stderr


def test_deploy_check_fails_when_a_static_file_is_missing_from_the_manifest(tmp_path):
    env = production_env(tmp_path)
    assert manage(env, "collectstatic", "--no-input").returncode == 0
    manifest = tmp_path / "static" / "staticfiles.json"
    data = json.loads(manifest.read_text())
    del data["paths"]["js/outbox.js"]
    manifest.write_text(json.dumps(data))
    result = manage(env, "check", "--deploy")
    assert result.returncode != 0 and "config.E002" in result.stderr and "js/outbox.js" in result.stderr


def test_production_settings_pass_the_deploy_check_once_static_files_are_collected(tmp_path):
    env = production_env(tmp_path)
    assert manage(env, "collectstatic", "--no-input").returncode == 0
    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
