"""`tandem demo`: one synthetic sign-in per role, never without DEBUG."""

from functools import partial
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import override_settings

from tandem.access.roles import Role, roles_of
from tandem.demo.management.commands import demo as demo_command
from tandem.demo.plans import MIN_SIZE
from tandem.demo.service import demo_service_load
from tandem.demo.users import DEMO_PASSWORD, demo_username
from tandem.organisations.models import Organisation, Service

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def smallest_demo_service(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about the sign-ins: the demo service they also load is kept small."""
    monkeypatch.setattr(
        demo_command, "demo_service_load", partial(demo_service_load, size=MIN_SIZE)
    )


@override_settings(DEBUG=False)
def test_it_refuses_demo_sign_ins_without_debug() -> None:
    with pytest.raises(CommandError, match="only with DEBUG=true"):
        call_command("demo", stdout=StringIO())
    assert not User.objects.filter(username__startswith="demo-").exists()


@override_settings(DEBUG=True)
def test_it_creates_one_demo_sign_in_per_role_and_can_be_run_again() -> None:
    out = StringIO()
    call_command("demo", stdout=out)
    call_command("demo", stdout=StringIO())

    assert User.objects.filter(username__startswith="demo-").count() == len(Role)
    for role in Role:
        user = authenticate(username=demo_username(role), password=DEMO_PASSWORD)
        assert user is not None
        assert roles_of(user) == {role}
        assert demo_username(role) in out.getvalue()


@override_settings(DEBUG=True)
def test_it_refuses_a_database_that_holds_a_real_service() -> None:
    """Finding: through the demo administrator (published password) a real service's survivor
    records could be reached; the demo is loaded only into a database of its own."""
    organisation = Organisation.objects.create(name="Real-looking Services (synthetic)")
    Service.objects.create(
        organisation=organisation, name="Northtown DAPP (synthetic)", iss_provision="internal"
    )

    with pytest.raises(CommandError, match=r"not the demo's \(Northtown DAPP \(synthetic\)\)"):
        call_command("demo", stdout=StringIO())
    assert not User.objects.filter(username__startswith="demo-").exists()
