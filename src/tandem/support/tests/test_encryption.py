"""Her address, numbers and notes are encrypted at rest (rule survivor-confidentiality): a database
dump or backup shows none of them, the application reads them as written, keys rotate without
losing anything, a malformed key stops start-up, and her number is still found by the duplicate
check through its blind index."""

import base64
import os
import stat
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings

from tandem.cases.services.intake import SurvivorDetails
from tandem.cases.tests.builders import iss_case_of, received
from tandem.conftest import ServiceStaff
from tandem.lib.encryption import UndecryptableValue, field_key_from_file, field_keys_checked
from tandem.support.models import (
    ContactPoint,
    IssCase,
    PossibleDuplicateSurvivor,
    Relationship,
    Survivor,
    SurvivorAddress,
)
from tandem.support.services.safe_contact import safe_contact_preferences_set
from tandem.support.tests.builders import HER_EMAIL, HER_PHONE, her_survivor, mark, move, version_of

# Fixed synthetic keys (32 bytes each), so test ids are the same on every xdist worker.
OLD_KEY = base64.urlsafe_b64encode(b"Synthetic old field key, 32 byte").decode()
NEW_KEY = base64.urlsafe_b64encode(b"Synthetic new field key, 32 byte").decode()
STREET = "1 Example Street"
POSTCODE = "ZZ99 9ZZ"
SAFE_TIMES = "Synthetic: weekday mornings after 10"


def raw(table: str, column: str, pk: int) -> str:
    """The column as a database dump would show it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        (value,) = cursor.fetchone()
    return str(value)


def her_records(staff: ServiceStaff) -> tuple[Survivor, SurvivorAddress, ContactPoint]:
    survivor = her_survivor(staff)
    address = move(staff, survivor, lines=f"{STREET}\nSynthetic Town", postcode=POSTCODE)
    point = mark(
        staff, survivor, value="07700 900321", unsafe=True, unsafe_reason="Synthetic: he has it"
    )
    return survivor, address, point


@pytest.mark.django_db
def test_it_keeps_her_address_numbers_and_safe_times_out_of_the_raw_columns(
    staffed_service: ServiceStaff,
) -> None:
    survivor, address, point = her_records(staffed_service)
    safe_contact_preferences_set(
        iss_case=survivor.iss_case,
        actor=staffed_service.iss_worker,
        expected_version=version_of(survivor),
        preferred_methods=["text"],
        unsafe_methods=["letter"],
        safe_times=SAFE_TIMES,
        notes="Synthetic: he checks her post",
    )

    stored = {
        "lines": raw("support_survivoraddress", "lines", address.pk),
        "postcode": raw("support_survivoraddress", "postcode", address.pk),
        "her phone": raw("support_survivor", "phone", survivor.pk),
        "her email": raw("support_survivor", "email", survivor.pk),
        "her number": raw("support_contactpoint", "value", point.pk),
        "unsafe reason": raw("support_contactpoint", "unsafe_reason", point.pk),
        "safe times": raw("support_safecontactpreference", "safe_times", survivor.safe_contact.pk),
        "phone index": raw("support_survivor", "phone_index", survivor.pk),
    }
    for plain in (STREET, POSTCODE, "ZZ99", "900001", "900321", HER_EMAIL, "weekday", "he has"):
        assert not [what for what, value in stored.items() if plain in value], plain
    assert all(value.startswith("gAAAAA") for what, value in stored.items() if "index" not in what)
    assert len(stored["phone index"]) == 64


@pytest.mark.django_db
def test_it_reads_back_what_was_written(staffed_service: ServiceStaff) -> None:
    survivor, address, point = her_records(staffed_service)

    survivor = Survivor.objects.get(pk=survivor.pk)
    address = SurvivorAddress.objects.get(pk=address.pk)
    assert (survivor.phone, survivor.email) == (HER_PHONE, HER_EMAIL)
    assert (address.lines, address.postcode) == (f"{STREET}\nSynthetic Town", POSTCODE)
    assert ContactPoint.objects.get(pk=point.pk).unsafe_reason == "Synthetic: he has it"
    assert list(SurvivorAddress.objects.values_list("postcode", flat=True)) == [POSTCODE]


@pytest.mark.django_db
def test_it_stores_an_empty_value_as_empty_and_any_text_whole(
    staffed_service: ServiceStaff,
) -> None:
    survivor = her_survivor(staffed_service)
    Survivor.objects.filter(pk=survivor.pk).update(phone="", email="")
    address = move(staffed_service, survivor, lines="2 Ffordd Tŷ Ni\nAberdâr (synthetic)")

    assert raw("support_survivor", "phone", survivor.pk) == ""
    assert raw("support_survivoraddress", "unsafe_reason", address.pk) == ""
    assert SurvivorAddress.objects.get(pk=address.pk).lines == "2 Ffordd Tŷ Ni\nAberdâr (synthetic)"
    assert Survivor.objects.get(pk=survivor.pk).phone == ""


@pytest.mark.django_db
def test_it_refuses_to_search_an_encrypted_column(staffed_service: ServiceStaff) -> None:
    her_records(staffed_service)

    with pytest.raises(FieldError, match=r"SurvivorAddress\.postcode is encrypted.*blind index"):
        SurvivorAddress.objects.filter(postcode=POSTCODE).exists()
    with pytest.raises(FieldError, match=r"SurvivorAddress\.lines is encrypted"):
        SurvivorAddress.objects.filter(lines__icontains="Example").exists()
    assert SurvivorAddress.objects.exclude(unsafe_reason="").count() == 0, "emptiness still works"


# Rotation


@pytest.mark.django_db
def test_it_reads_under_an_old_key_and_rotation_moves_everything_to_the_new_one(
    staffed_service: ServiceStaff,
) -> None:
    with override_settings(TANDEM_FIELD_KEYS=[OLD_KEY]):
        survivor, address, _ = her_records(staffed_service)
    before = raw("support_survivoraddress", "postcode", address.pk)

    with override_settings(TANDEM_FIELD_KEYS=[NEW_KEY, OLD_KEY]):
        assert SurvivorAddress.objects.get(pk=address.pk).postcode == POSTCODE
        call_command("rotate-field-keys", stdout=StringIO())

    after = raw("support_survivoraddress", "postcode", address.pk)
    assert after != before
    assert Fernet(NEW_KEY.encode()).decrypt(after).decode() == POSTCODE
    with pytest.raises(InvalidToken):
        Fernet(OLD_KEY.encode()).decrypt(after)
    phone = raw("support_survivor", "phone", survivor.pk)
    assert Fernet(NEW_KEY.encode()).decrypt(phone).decode() == HER_PHONE
    with override_settings(TANDEM_FIELD_KEYS=[NEW_KEY]):
        assert SurvivorAddress.objects.get(pk=address.pk).lines.startswith(STREET)


@pytest.mark.django_db
def test_it_refuses_to_read_or_rotate_without_the_key_a_value_was_written_with(
    staffed_service: ServiceStaff,
) -> None:
    with override_settings(TANDEM_FIELD_KEYS=[OLD_KEY]):
        _, address, _ = her_records(staffed_service)
    before = raw("support_survivoraddress", "postcode", address.pk)

    with override_settings(TANDEM_FIELD_KEYS=[NEW_KEY]):
        with pytest.raises(UndecryptableValue, match=r"SurvivorAddress\.\w+ cannot be decrypted"):
            SurvivorAddress.objects.get(pk=address.pk)
        with pytest.raises(CommandError, match="Nothing was changed"):
            call_command("rotate-field-keys")

    assert raw("support_survivoraddress", "postcode", address.pk) == before


@pytest.mark.django_db
def test_it_rebuilds_the_blind_indexes_when_rotating(staffed_service: ServiceStaff) -> None:
    """A changed TANDEM_BLIND_INDEX_KEY takes effect once the command has run: her numbers are
    indexed afresh, so the duplicate check still finds her."""
    survivor, _, point = her_records(staffed_service)
    before = raw("support_contactpoint", "value_index", point.pk)

    with override_settings(TANDEM_BLIND_INDEX_KEY="Synthetic another blind index key, 32+ long"):
        call_command("rotate-field-keys", stdout=StringIO())
        new = named_again(staffed_service, phone="07700 900321")

    assert raw("support_contactpoint", "value_index", point.pk) != before
    assert PossibleDuplicateSurvivor.objects.get(survivor=new).existing == survivor


# Keys


def test_it_refuses_a_malformed_key_naming_its_place_but_not_the_key() -> None:
    with pytest.raises(ImproperlyConfigured, match="TANDEM_FIELD_KEYS: key 2 of 2") as refused:
        field_keys_checked([NEW_KEY, "Synthetic-not-a-key"], name="TANDEM_FIELD_KEYS")

    assert "Synthetic-not-a-key" not in str(refused.value)
    assert "Fernet.generate_key()" in str(refused.value)
    assert field_keys_checked([NEW_KEY, OLD_KEY], name="TANDEM_FIELD_KEYS") == [NEW_KEY, OLD_KEY]


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ("Synthetic-not-a-key", "TANDEM_FIELD_KEYS: key 1 of 1 is not a Fernet key"),
        (f"{NEW_KEY},{NEW_KEY[:-2]}", "TANDEM_FIELD_KEYS: key 2 of 2 is not a Fernet key"),
    ],
    ids=["not a key", "second key cut short"],
)
def test_it_stops_start_up_on_a_malformed_key(tmp_path: Path, keys: str, message: str) -> None:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tandem.settings",
        "TANDEM_VAR_DIR": str(tmp_path),
        "TANDEM_FIELD_KEYS": keys,
    }

    started = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert started.returncode != 0
    assert message in started.stderr
    assert "Synthetic-not-a-key" not in started.stderr


def test_it_generates_a_key_once_readable_by_the_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "var" / "field_key"

    key = field_key_from_file(path)

    assert field_key_from_file(path) == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    Fernet(key.encode())
    assert [p.name for p in path.parent.iterdir()] == ["field_key"], "no draft left behind"


def test_it_names_a_key_file_that_is_not_a_key(tmp_path: Path) -> None:
    path = tmp_path / "field_key"
    path.write_text("Synthetic damaged file", encoding="utf-8")

    with pytest.raises(ImproperlyConfigured, match=f"{path}: key 1 of 1 is not a Fernet key"):
        field_key_from_file(path)


# The duplicate check through the blind index


def named_again(staff: ServiceStaff, *, phone: str) -> Survivor:
    """Another perpetrator's referral naming a woman of another name with this number."""
    case = received(
        staff,
        first_name="Otherperson",
        phone="07700 900778",
        survivors=[SurvivorDetails("Different", "Name", Relationship.EX_PARTNER, phone=phone)],
    )
    return iss_case_of(case).survivor


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("written", "flagged"),
    [("+44 (0)7700-900-001", True), ("07700900001", True), ("07700 900002", False)],
)
def test_it_still_flags_her_number_however_written_though_it_is_encrypted(
    staffed_service: ServiceStaff, written: str, flagged: bool
) -> None:
    known = her_survivor(staffed_service)

    new = named_again(staffed_service, phone=written)

    flags = PossibleDuplicateSurvivor.objects.filter(survivor=new, existing=known)
    assert [flag.matched_on for flag in flags] == (["phone number"] if flagged else [])
    assert "900" not in raw("support_survivor", "phone", new.pk)


# The migration that encrypted the rows already stored


@pytest.mark.django_db(transaction=True)
def test_it_encrypts_rows_stored_before_and_decrypts_them_when_reversed(
    staffed_service: ServiceStaff,
) -> None:
    survivor, address, point = her_records(staffed_service)
    executor = MigrationExecutor(connection)
    before = [("support", "0004_safety_plans_sessions_referrals")]
    # Every app's latest, in case a later migration elsewhere depends on this one.
    latest = executor.loader.graph.leaf_nodes()

    try:
        executor.migrate(before)
        assert raw("support_survivoraddress", "postcode", address.pk) == POSTCODE
        assert raw("support_survivor", "phone", survivor.pk) == HER_PHONE
        assert raw("support_contactpoint", "value", point.pk) == "07700 900321"
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)

    assert raw("support_survivoraddress", "postcode", address.pk).startswith("gAAAAA")
    assert SurvivorAddress.objects.get(pk=address.pk).postcode == POSTCODE
    assert Survivor.objects.get(pk=survivor.pk).phone == HER_PHONE
    assert IssCase.objects.get(survivor=survivor).survivor.email == HER_EMAIL
    assert ContactPoint.objects.filter(value_index=point.value_index).get() == point
    assert Survivor.objects.filter(phone_index=survivor.phone_index).get() == survivor
