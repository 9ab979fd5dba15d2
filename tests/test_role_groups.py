"""Role groups after `migrate` on an empty database.

pytest-django builds the test database by migrating an empty one, so what these tests
read is what `migrate` left: the groups are made by config's post_migrate hook, which
must run once every app's permissions exist (Django sends post_migrate only for apps
with models, so a hook tied to an app without models never runs)."""

import pytest
from django.contrib.auth.models import Group, Permission

from qa import roles


def names(permissions) -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}" for p in permissions.select_related("content_type")}


@pytest.mark.django_db
def test_every_role_group_exists_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= {roles.ADMINISTRATOR, *roles.ROLE_PERMISSIONS}
    assert set(roles.ROLE_ORDER) == {roles.ADMINISTRATOR, *roles.ROLE_PERMISSIONS}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(roles.ROLE_PERMISSIONS))
def test_each_role_holds_exactly_its_permissions(role):
    assert names(Group.objects.get(name=role).permissions.all()) == set(roles.ROLE_PERMISSIONS[role])


@pytest.mark.django_db
def test_every_permission_a_role_names_exists():
    existing = names(Permission.objects.all())
    named = {name for names_ in roles.ROLE_PERMISSIONS.values() for name in names_}
    assert named - existing == set()


@pytest.mark.django_db
def test_the_administrator_holds_every_permission_of_the_admin_apps():
    wanted = names(Permission.objects.filter(content_type__app_label__in=roles.ADMIN_APPS))
    assert {"shops.manage_payments", "scorecards.publish_scorecardversion", "qa.change_evaluation"} <= wanted
    assert names(Group.objects.get(name=roles.ADMINISTRATOR).permissions.all()) == wanted
