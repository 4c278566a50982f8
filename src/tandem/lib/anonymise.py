"""Anonymising a record past its retention period: every piece of free text that could name or
describe a person is replaced, and what counts and compliance need (dates, choices, yes/no
answers, references) is kept.

Free text is replaced by a marker rather than emptied: a reader sees it was removed, and rules
such as "a reason when flagged unsafe" still hold.
"""

from collections.abc import Iterator

from django.db import models

from tandem.lib.encryption import BlindIndexField

ANONYMISED = "[anonymised]"


def free_text_anonymised(record: models.Model, *, keep: frozenset[str] = frozenset()) -> list[str]:
    """Replace each non-empty free-text field of `record` (text without a fixed set of choices,
    not unique, not in `keep`) with the marker, unsaved; the names of the fields changed."""
    changed = []
    for field in record._meta.concrete_fields:
        if (
            isinstance(field, models.CharField | models.TextField)
            and not isinstance(field, BlindIndexField)
            and not field.choices
            and not field.unique
            and field.name not in keep
            and getattr(record, field.attname)
        ):
            setattr(record, field.attname, ANONYMISED[: field.max_length or None])
            changed.append(field.attname)
    return changed


def records_within(record: models.Model, *, app_label: str, depth: int) -> Iterator[models.Model]:
    """The records of `app_label` that belong to `record`: those pointing at it, and those
    pointing at them, `depth` steps down. Records of other apps are left to their own app."""
    if depth == 0:
        return
    for relation in record._meta.related_objects:
        related_model = relation.related_model
        if (
            isinstance(related_model, str)
            or related_model._meta.app_label != app_label
            or relation.many_to_many
        ):
            continue
        accessor = relation.get_accessor_name()
        if accessor is None:
            continue
        if relation.one_to_one:
            related = getattr(record, accessor, None)
            children = [related] if related is not None else []
        else:
            children = list(getattr(record, accessor).all())
        for child in children:
            yield child
            yield from records_within(child, app_label=app_label, depth=depth - 1)


def record_anonymised(record: models.Model, *, keep: frozenset[str] = frozenset()) -> None:
    changed = free_text_anonymised(record, keep=keep)
    if changed:
        # Blind indexes are computed on save from the values they index: include them.
        indexes = [
            f.attname for f in record._meta.concrete_fields if isinstance(f, BlindIndexField)
        ]
        record.save(update_fields=[*changed, *indexes])
