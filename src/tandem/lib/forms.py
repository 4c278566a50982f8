"""Reaching a form's declared field as the kind it was declared as.

A form's `fields` are typed as plain `Field`; a form that narrows a choice field's queryset or
choices at run time needs it as its own kind. This checks the kind in every run (an `assert`
would vanish under `python -O`) and says which field of which form is wrong.
"""

from typing import TypeVar

from django import forms

FieldKind = TypeVar("FieldKind", bound=forms.Field)


def form_field(form: forms.BaseForm, name: str, kind: type[FieldKind]) -> FieldKind:
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(
            f"{type(form).__name__}.{name} is a {type(field).__name__}, not a {kind.__name__}"
        )
    return field
