"""Encrypt survivors' addresses, numbers, emails and notes already stored, and index her phone
numbers for the duplicate check. Reversible: backwards decrypts them with the current keys.

Apart from 0005's schema changes, so that each runs in its own transaction (PostgreSQL refuses
to alter a table whose rows were updated earlier in the same transaction)."""

from collections.abc import Callable

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from tandem.lib.encryption import decrypt_text, encrypt_text, store_token, stored_tokens
from tandem.support.contact_values import contact_value_index

ENCRYPTED = {
    "survivor": ["phone", "email"],
    "isscase": ["contact_unsafe_reason", "closure_reason", "early_closure_reason"],
    "contactattempt": ["notes", "destination"],
    "safecontactpreference": ["safe_times", "notes"],
    "sharedrisknote": ["note"],
    "survivoraddress": ["lines", "postcode", "source", "unsafe_reason"],
    "contactpoint": ["value", "unsafe_reason"],
    "dashassessment": ["professional_judgement_reasons"],
    "riskincident": ["summary"],
    "safetyplan": ["summary"],
    "supportsession": ["summary"],
    "signposting": ["to_whom", "reason", "outcome"],
}


def _rewrite_every_value(apps: Apps, change: Callable[[str, str], str]) -> None:
    for model_name, fields in ENCRYPTED.items():
        model = apps.get_model("support", model_name)
        for field in fields:
            where = f"{model.__name__}.{field}"
            for pk, stored in list(stored_tokens(model, field)):
                store_token(model, pk, field, change(stored, where))


def encrypt_existing(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # Indexed first, while the numbers are still plain text.
    survivor = apps.get_model("support", "Survivor")
    for pk, phone in list(stored_tokens(survivor, "phone")):
        survivor.objects.filter(pk=pk).update(
            phone_index=contact_value_index(kind="phone", value=phone)
        )
    point = apps.get_model("support", "ContactPoint")
    kinds = dict(point.objects.values_list("pk", "kind"))
    for pk, value in list(stored_tokens(point, "value")):
        point.objects.filter(pk=pk).update(
            value_index=contact_value_index(kind=kinds[pk], value=value)
        )
    _rewrite_every_value(apps, lambda plain, where: encrypt_text(plain))


def decrypt_existing(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _rewrite_every_value(apps, lambda token, where: decrypt_text(token, where=where))


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0005_encrypt_survivor_data"),
    ]

    operations = [
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
