"""Object storage (S3 or any S3-compatible service) from the environment.

`STORAGE_URL=s3://bucket/optional/prefix?endpoint_url=https://...&region_name=eu-west-2` or the usual
AWS_STORAGE_BUCKET_NAME / AWS_S3_ENDPOINT_URL / AWS_S3_REGION_NAME variables. Credentials come from
AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or the machine's role, as boto3 finds them), or from the
URL's user part (`s3://KEY:SECRET@bucket`, percent-encoded).

Every file stays private: objects are written without an ACL (the bucket's own, which must not be
public), `url()` is only ever a signed URL that expires after AWS_QUERYSTRING_EXPIRE seconds, and the
app streams files through views that check access rather than handing out even those.
"""

import os
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

S3_BACKEND = "storages.backends.s3.S3Storage"
# Options a STORAGE_URL query may set, as django-storages names them.
QUERY_OPTIONS = {"endpoint_url", "region_name", "addressing_style", "signature_version", "querystring_expire"}


def s3_options() -> dict | None:
    """django-storages' S3Storage options for the whole bucket, or None when no object storage is configured."""
    url = os.environ.get("STORAGE_URL", "").strip()
    if url:
        return _from_url(url)
    bucket = os.environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not bucket:
        return None
    options = {"bucket_name": bucket, "location": os.environ.get("AWS_LOCATION", "").strip("/")}
    for option, variable in (("endpoint_url", "AWS_S3_ENDPOINT_URL"), ("region_name", "AWS_S3_REGION_NAME")):
        if os.environ.get(variable):
            options[option] = os.environ[variable]
    return _private(options)


def _from_url(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.hostname:
        raise ImproperlyConfigured(
            "STORAGE_URL must look like s3://bucket?endpoint_url=https://...&region_name=..., "
            f"not {url.split('@')[-1]!r}")
    options = {"bucket_name": parts.hostname, "location": parts.path.strip("/")}
    if parts.username:
        options["access_key"] = unquote(parts.username)
        options["secret_key"] = unquote(parts.password or "")
    for key, values in parse_qs(parts.query, strict_parsing=False).items():
        if key not in QUERY_OPTIONS:
            raise ImproperlyConfigured(f"STORAGE_URL: unknown option {key!r} (known: {', '.join(sorted(QUERY_OPTIONS))})")
        options[key] = values[-1]
    if "querystring_expire" in options:
        try:
            options["querystring_expire"] = int(options["querystring_expire"])
        except ValueError as exc:
            raise ImproperlyConfigured("STORAGE_URL: querystring_expire must be a number of seconds") from exc
    if "addressing_style" in options:
        from botocore.config import Config

        options["client_config"] = Config(s3={"addressing_style": options.pop("addressing_style")})
    return _private(options)


def _private(options: dict) -> dict:
    """No public ACL, no overwriting a file of the same name, only short-lived signed URLs."""
    options.setdefault("querystring_expire", int(os.environ.get("AWS_QUERYSTRING_EXPIRE", 300)))
    return {**options, "querystring_auth": True, "default_acl": None, "file_overwrite": False}


def storages_for(options: dict) -> dict:
    """STORAGES' default and private entries in one bucket, laid out as MEDIA_ROOT is on disk
    (private files under private/), so moving an installation's files keeps every name."""
    prefix = options.get("location", "")
    private = f"{prefix}/private" if prefix else "private"
    return {
        "default": {"BACKEND": S3_BACKEND, "OPTIONS": dict(options)},
        "private": {"BACKEND": S3_BACKEND, "OPTIONS": {**options, "location": private}},
    }
