"""Fixtures of the API tests: a token for any persona, and a client that sends it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api import tokens

# An assignment window a few days ahead (planners may plan at most a year ahead: shops.forms.PLAN_AHEAD).
SOON = tuple((timezone.localdate() + timedelta(days=days)).isoformat() for days in (3, 7))


def make_token(user, access="write", days=30):
    return tokens.create(owner=user, name=f"{user.username} {access}", access=access,
                         expires_at=timezone.now() + timedelta(days=days), created_by=user)


@pytest.fixture
def api():
    """api(user, access="write") -> an APIClient sending a fresh token of `user` (anonymous for None)."""

    def client(user=None, access="write"):
        c = APIClient()
        if user is not None and user.is_authenticated:
            c.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(user, access)[1]}")
        return c

    return client
