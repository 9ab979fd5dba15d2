"""Deprecated: the settings moved to config.settings. Kept for one release so that
deployments with DJANGO_SETTINGS_MODULE=qa.settings keep starting."""
from config.settings import *  # noqa: F401,F403
