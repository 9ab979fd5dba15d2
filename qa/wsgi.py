"""Deprecated: the WSGI entry point moved to config.wsgi. Kept for one release so that
`gunicorn qa.wsgi` keeps starting."""
from config.wsgi import application  # noqa: F401
