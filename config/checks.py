"""System checks for a production deployment, run by `manage.py check --deploy`.

A production site whose static files were never collected, or were collected before
a file was added, answers 500 on every page that names the missing file: the manifest
storage refuses to make a URL it has no entry for. Nothing else says so before the
first visitor does.
"""

import json

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.checks import Error, Tags, register
from django.core.files.storage import storages

HINT = "Run `python manage.py collectstatic --no-input` with the production settings (`make serve` does)."


@register(Tags.staticfiles, deploy=True)
def static_manifest_is_collected(app_configs=None, **kwargs):
    """With a manifest storage, STATIC_ROOT holds a readable manifest naming every static file."""
    storage = storages["staticfiles"]
    if not isinstance(storage, ManifestFilesMixin):
        return []
    path = settings.STATIC_ROOT / storage.manifest_name
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [Error(f"The static files manifest {path} is missing: every page would answer 500.",
                      hint=HINT, id="config.E001")]
    except (OSError, ValueError) as exc:
        return [Error(f"The static files manifest {path} cannot be read ({exc}).", hint=HINT, id="config.E001")]
    collected = manifest.get("paths", {})
    missing = sorted(name for finder in finders.get_finders() for name, _ in finder.list(["CVS", ".*", "*~"])
                     if name not in collected)
    if missing:
        return [Error(f"The static files manifest {path} has no entry for {', '.join(missing[:3])}"
                      f"{' and more' if len(missing) > 3 else ''}: pages naming them would answer 500.",
                      hint=HINT, id="config.E002")]
    return []
