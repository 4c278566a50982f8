"""Roles are Django groups created by migration; an account without one can open nothing."""

import importlib
from collections.abc import Callable

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser, Group, User

from tandem.access.roles import Role, roles_of

pytestmark = pytest.mark.django_db


def test_it_creates_a_group_for_every_role_when_migrating() -> None:
    # Run the data migrations' own functions: a browser test's flush may have emptied the table.
    Group.objects.all().delete()

    for module in (
        "tandem.organisations.migrations.0001_role_groups",
        "tandem.organisations.migrations.0006_hr_role_group",
        "tandem.audit.migrations.0005_data_protection_officer_role_group",
    ):
        importlib.import_module(module).create_role_groups(apps, None)

    assert set(Group.objects.values_list("name", flat=True)) == set(Role.values)


def test_it_reads_a_users_roles(user_with_role: Callable[[Role], User]) -> None:
    user = user_with_role(Role.ISS_WORKER)
    assert roles_of(user) == {Role.ISS_WORKER}
    assert roles_of(AnonymousUser()) == frozenset()


def test_it_grants_nothing_to_an_account_without_a_role(user_without_role: User) -> None:
    assert roles_of(user_without_role) == frozenset()
    assert not user_without_role.has_perm("standards.view_library")
