"""Encryption at rest for what a database dump or backup must never reveal: where a survivor lives,
how to reach her, and what she told the ISS.

Leaked safe addresses are the most common serious data breach in this sector. An
`EncryptedTextField` keeps a Fernet token (AES-CBC with an HMAC-SHA256) in its column and the
plain text in Python. The keys are `settings.TANDEM_FIELD_KEYS`: the first encrypts and every one
decrypts (MultiFernet), so a retired key stays listed until `tandem rotate-field-keys` has
re-encrypted everything with the new one.

A token cannot be compared in SQL, so a value that is looked up by equality has a
`BlindIndexField` beside it: an HMAC-SHA256 of its normalised text under a key of its own,
`settings.TANDEM_BLIND_INDEX_KEY`, which does not change when the field keys are rotated.
"""

import hashlib
import hmac
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps as installed_apps
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Expression
from django.db.models.functions import Cast
from django.db.models.lookups import Exact, IsNull, Lookup

from tandem.lib.secret_key import text_file_created_once

FIELD_KEY_HELP = (
    "generate one with: python -c "
    "'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
)
BLIND_INDEX_LENGTH = 64  # hex digits of an HMAC-SHA256
BLIND_INDEX_KEY_MIN_LENGTH = 32


class UndecryptableValue(ImproperlyConfigured):
    """A stored token that none of the configured keys opens: a key was removed too soon, or the
    value was written under keys this installation does not have."""


def field_keys_checked(keys: list[str], *, name: str) -> list[str]:
    """The keys, each checked to be a Fernet key. A malformed one stops start-up, named by its
    position (never shown: it is a secret)."""
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: key {position} of {len(keys)} is not a Fernet key (32 url-safe "
                f"base64-encoded bytes); {FIELD_KEY_HELP}"
            ) from None
    return keys


def field_key_from_file(path: Path) -> str:
    """The field key stored at `path`, created (readable by the owner only) on first use, whole
    or not at all: two processes starting together must not each encrypt with a key of their
    own, or one's data would be lost with its key."""
    key = text_file_created_once(path, lambda: Fernet.generate_key().decode())
    return field_keys_checked([key], name=str(path))[0]


def blind_index_key_checked(key: str, *, name: str) -> str:
    if len(key) < BLIND_INDEX_KEY_MIN_LENGTH:
        raise ImproperlyConfigured(
            f"{name} is too short: use at least {BLIND_INDEX_KEY_MIN_LENGTH} random characters"
        )
    return key


@lru_cache(maxsize=4)
def _cipher_for(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet(Fernet(key) for key in keys)


def field_cipher() -> MultiFernet:
    """The MultiFernet of the configured keys (looked up each time, so tests can override them)."""
    return _cipher_for(tuple(settings.TANDEM_FIELD_KEYS))


def encrypt_text(plain: str) -> str:
    return field_cipher().encrypt(plain.encode("utf-8")).decode("ascii")


def decrypt_text(token: str, *, where: str = "a field") -> str:
    try:
        return field_cipher().decrypt(token).decode("utf-8")
    except InvalidToken:
        raise UndecryptableValue(
            f"{where} cannot be decrypted with any key in TANDEM_FIELD_KEYS: was a key removed "
            "before `tandem rotate-field-keys` re-encrypted everything with the new one?"
        ) from None


def rotate_token(token: str, *, where: str = "a field") -> str:
    """The same plain text (and time stamp) encrypted with the current key."""
    try:
        return field_cipher().rotate(token).decode("ascii")
    except InvalidToken:
        raise UndecryptableValue(
            f"{where} cannot be decrypted with any key in TANDEM_FIELD_KEYS, so cannot be rotated"
        ) from None


def blind_index(text: str) -> str:
    """The HMAC-SHA256 an equality lookup compares instead of an encrypted value ("" for "").

    `text` should carry what kind of value it is (e.g. "phone:07700900001"), so equal digits in
    different roles do not index alike."""
    if not text:
        return ""
    key = settings.TANDEM_BLIND_INDEX_KEY.encode("utf-8")
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def _not_searchable(lookup: "Lookup[Any]") -> FieldError:
    return FieldError(
        f"{getattr(lookup.lhs, 'target', 'the field')} is encrypted, so it cannot be searched "
        "in the database: look the value up by its blind index"
    )


class _ComparedWithEmptyOnly(Exact):
    """Ciphertexts differ for equal plain texts, so only emptiness (stored as "") is comparable."""

    def get_prep_lookup(self) -> Any:
        if self.rhs != "":
            raise _not_searchable(self)
        return super().get_prep_lookup()


class _NotSearchable(Lookup):
    def get_prep_lookup(self) -> Any:
        raise _not_searchable(self)


class EncryptedTextField(models.TextField):
    """Text kept encrypted in its column and plain in Python. The empty string is stored as it
    is, so "none given" stays visible to constraints and filters; nothing else is comparable in
    SQL (use a `BlindIndexField`). `max_length` limits the plain text, not the column."""

    description = "Text encrypted at rest"

    @property
    def validators(self) -> list[Callable[..., Any]]:
        extra = [] if self.max_length is None else [MaxLengthValidator(self.max_length)]
        return [*super().validators, *extra]

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(value)

    def from_db_value(
        self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper
    ) -> str | None:
        if not value:
            return value
        return decrypt_text(value, where=f"{self.model.__name__}.{self.name}")

    def get_lookup(self, lookup_name: str) -> "type[Lookup[Any]] | None":
        # A lookup that refuses when used, not None: Django would then try it as a transform.
        return {"exact": _ComparedWithEmptyOnly, "isnull": IsNull}.get(lookup_name, _NotSearchable)


class BlindIndexField(models.CharField):
    """The blind index of a value of the same row, set on every save from `of(instance)`, the
    normalised text to index ("" for none).

    `of` is code, not schema, so it is left out of migrations: a historical model in a migration
    sets the index itself."""

    def __init__(self, *args: Any, of: Callable[[Any], str] | None = None, **kwargs: Any) -> None:
        self.of = of
        kwargs.setdefault("max_length", BLIND_INDEX_LENGTH)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        if self.of is None:
            return super().pre_save(model_instance, add)
        value = blind_index(self.of(model_instance))
        setattr(model_instance, self.attname, value)
        return value


# Reading and writing tokens as stored, for migrations and key rotation.

_RAW = "_stored_token"


def stored_tokens(model: type[models.Model], field_name: str) -> Iterator[tuple[Any, str]]:
    """(pk, token) of each row whose value is not empty, without decrypting it."""
    rows = (
        model._base_manager.annotate(**{_RAW: Cast(field_name, models.TextField())})
        .exclude(**{field_name: ""})
        .order_by("pk")
        .values_list("pk", _RAW)
    )
    yield from rows.iterator(chunk_size=500)


def store_token(model: type[models.Model], pk: Any, field_name: str, token: str) -> None:
    """Write `token` (or plain text, in a migration) to the column exactly as given."""
    model._base_manager.filter(pk=pk).update(
        **{field_name: models.Value(token, output_field=models.TextField())}
    )


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every installed model with encrypted fields, and their names."""
    found = []
    for model in installed_apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if names:
            found.append((model, names))
    return found


def field_keys_rotate() -> int:
    """Re-encrypt every stored value with the current key, and re-compute every blind index
    (so a changed TANDEM_BLIND_INDEX_KEY takes effect too). Returns how many values were
    re-encrypted. Once it has run, keys after the first can be removed."""
    rotated = 0
    for model, names in encrypted_fields():
        for name in names:
            where = f"{model.__name__}.{name}"
            for pk, token in list(stored_tokens(model, name)):
                store_token(model, pk, name, rotate_token(token, where=where))
                rotated += 1
    for model in installed_apps.get_models():
        indexes = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, BlindIndexField) and f.of is not None
        ]
        if indexes:
            for instance in model._base_manager.order_by("pk").iterator(chunk_size=500):
                instance.save(update_fields=indexes)
    return rotated
