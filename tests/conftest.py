"""Personas shared by every test: one of each role, and a second of those whose
reach must not spill over (another shopper, another region's manager, another employee)."""

import os
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache

from qa import roles
from tests import factories as f

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Speech to text is slow to load: off in tests (and in the workers they start) unless a test turns it on
# (tests/autoqa/, which loads the model once per session).
os.environ.setdefault("TRANSCRIPTION", "off")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite the test database is a file, not Django's in-memory default. In memory, every
    thread shares one connection, so the browser's concurrent requests to the live server (a
    page, the service worker keeping pages for offline use, a list refreshing itself) used one
    connection at once and could hang a request for good. On a file each thread has its own
    connection and waits for the lock, as in production. Durability is not needed here."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")
        database.setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF"
    elif database["ENGINE"] == "django.db.backends.postgresql":
        # The same on PostgreSQL: a commit does not wait for its WAL to reach the disk (a crash could lose the
        # last commits of a test database, nothing else); the tests commit thousands of times.
        database.setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Tasks run at once, and no test writes uploads or exports outside its own temporary folder."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = dict(settings.STORAGES, private={
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "private"}})
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.REPORT_CACHE_SECONDS = 0  # tests change data between requests; test_report_cache turns it on
    settings.TRANSCRIPTION = False  # see TRANSCRIPTION above
    cache.clear()  # throttle counts (password change and reset) start from nothing in every test


@pytest.fixture
def private_media(tmp_path):
    """The temporary folder that holds this test's uploads and export files (see _test_settings)."""
    return tmp_path


@dataclass
class World:
    region_a: object
    region_b: object
    location_a: object
    location_b: object
    employee_a: object
    employee_b: object
    admin: object
    lead: object
    reviewer: object
    shopper: object
    other_shopper: object
    manager_a: object
    manager_b: object
    employee: object
    other_employee: object
    version: object

    def persona(self, name):
        return AnonymousUser() if name == "anonymous" else getattr(self, name)


PERSONAS = [
    "anonymous", "shopper", "other_shopper", "reviewer", "lead", "manager_a", "manager_b",
    "employee", "other_employee", "admin",
]


@pytest.fixture
def world(db):
    region_a = f.make_region("Region A")
    region_b = f.make_region("Region B")
    location_a = f.make_location(region_a, name="Store A")
    location_b = f.make_location(region_b, name="Store B")
    employee_user = f.make_user("employee", roles.EMPLOYEE)
    other_employee_user = f.make_user("other_employee", roles.EMPLOYEE)
    employee_a = f.make_employee(location_a, user=employee_user, name="Ann Employee")
    employee_b = f.make_employee(location_b, user=other_employee_user, name="Bob Employee")
    manager_a = f.make_user("manager_a", roles.MANAGER)
    manager_a.regions.add(region_a)
    manager_b = f.make_user("manager_b", roles.MANAGER)
    manager_b.regions.add(region_b)
    admin = f.make_user("admin", roles.ADMINISTRATOR)
    return World(
        region_a=region_a, region_b=region_b, location_a=location_a, location_b=location_b,
        employee_a=employee_a, employee_b=employee_b,
        admin=admin,
        lead=f.make_user("lead", roles.QA_LEAD),
        reviewer=f.make_user("reviewer", roles.QA_REVIEWER),
        shopper=f.make_shopper("shopper"),
        other_shopper=f.make_shopper("other_shopper"),
        manager_a=manager_a, manager_b=manager_b,
        employee=employee_user, other_employee=other_employee_user,
        version=f.make_scorecard("Store visit test", user=admin),
    )


@pytest.fixture
def client_for(client):
    """Log the test client in as a persona (or leave it anonymous)."""

    def login(user):
        client.logout()
        if user is not None and getattr(user, "is_authenticated", False):
            client.force_login(user)
        return client

    return login


@pytest.fixture
def scored(world):
    """Region A: employee A with six evaluations (four at 100, one at 66.67, one critical 0).
    Region B: employee B with two at 100."""
    from reports.models import PolicyTarget
    from tests.report_helpers import ARGUED, NO_GREETING

    for answers in [f.ALL_GOOD] * 4 + [NO_GREETING, ARGUED]:
        f.make_evaluation(world.version, world.location_a, world.reviewer, answers, employee=world.employee_a)
    for _ in range(2):
        f.make_evaluation(world.version, world.location_b, world.reviewer, f.ALL_GOOD, employee=world.employee_b)
    PolicyTarget.objects.create(kpi="fcr", target=85, comparison="at_least", unit="%")
    return world
