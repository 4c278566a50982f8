"""The OpenAPI schema describes what the API checks, so a client generated from it works.

drf-spectacular's schema, with what it leaves out by default:
- a text field that may not be blank needs a character other than white space (DRF trims it, so
  " " is blank): `minLength: 1` and, unless the field has a pattern of its own, `pattern: \\S`;
- a text field that may be blank but otherwise has a format (an email address) is either;
- a file is sent as one (`format: binary`), not as the URL it is read back from;
- a list that may not be empty says so (`minItems: 1`);
- what a service (or a serializer's own method) checks, as the field's `style` says
  (`described_as`, `NOT_BLANK`);
- a decimal sent as a number has its places (`multipleOf`);
- a route with a record's id in its path may answer 404;
- a read whose route documents only its refusals (`tandem.api.list_schema`) still answers 200
  with the view's serializer (a page of them for a list).

And the input fields whose bounds the schema then carries: `record_id` and `stored_integer`, so
that no number reaches the database beyond what it stores (a 500 otherwise).

The test that holds the schema to the API is tests/test_api_schema_fuzz.py (schemathesis).
"""

import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.validators import MinValueValidator, RegexValidator
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

# The largest whole number SQLite and PostgreSQL (bigint) store.
STORED_INTEGER_MAX = 2**63 - 1
# Something besides white space, as Python's str.strip() (which DRF trims with) counts it: ECMA's
# \s, which a JSON Schema pattern means, leaves out the information separators \x1c-\x1f and \x85.
NOT_ONLY_WHITE_SPACE = r"[^\s\x1c-\x1f\x85]"
PATH_PARAMETER = re.compile(r"{\w+}")
NO_SUCH_RECORD = OpenApiResponse(
    description="No such record, or not one you may open (its existence is not leaked)"
)


# A check drf-spectacular cannot see (a service's own, so that it refuses naming its rule, or a
# serializer's `validate_<field>`) is described in the field's `style`, which the schema merges
# in: e.g. `style=described_as(minimum=1, maximum=60)`.
DESCRIBED_AS = "openapi"


def described_as(**schema: Any) -> dict[str, Any]:
    return {DESCRIBED_AS: schema}


NOT_BLANK = described_as(minLength=1, pattern=NOT_ONLY_WHITE_SPACE)


# No event a service records is older; and before 1847 London's local time had an offset in
# seconds, which no date-time answer can carry.
EARLIEST_RECORDED_MOMENT = datetime(1900, 1, 1, tzinfo=UTC)


def recorded_moment(**options: Any) -> serializers.DateTimeField:
    """When something happened, as a request gives it: not before 1900."""
    return serializers.DateTimeField(
        validators=[
            MinValueValidator(EARLIEST_RECORDED_MOMENT, message="Give a date from 1900 on")
        ],
        **options,
    )


def record_id(**options: Any) -> serializers.IntegerField:
    """The id of a record: a whole number from 1 to what the database stores."""
    return serializers.IntegerField(min_value=1, max_value=STORED_INTEGER_MAX, **options)


def stored_integer(*, min_value: int, **options: Any) -> serializers.IntegerField:
    """A whole number from `min_value` to what the database stores (a version, a count)."""
    return serializers.IntegerField(min_value=min_value, max_value=STORED_INTEGER_MAX, **options)


class BoundedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A record named by its id, refused as "does not exist" when beyond what the database
    stores (DRF would send it to the database, which fails)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, int) and not 1 <= data <= STORED_INTEGER_MAX:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class ValidationDescribingSchema(AutoSchema):
    def _map_serializer_field(
        self, field: Any, direction: str, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        schema: dict[str, Any] = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.FileField) and direction == "request":
            return {"type": "string", "format": "binary"}  # an upload, not its URL
        for bound in ("minimum", "maximum"):
            if isinstance(schema.get(bound), Decimal):
                schema[bound] = float(schema[bound])  # JSON has numbers, not decimals
        schema.update(field.style.get(DESCRIBED_AS, {}))
        if (
            direction == "request"
            and schema.get("type") == "string"
            and isinstance(field, serializers.CharField)
            and not field.allow_blank
            and "enum" not in schema
        ):
            schema.setdefault("minLength", 1)
            own_pattern = any(isinstance(v, RegexValidator) for v in field.validators)
            if field.trim_whitespace and not own_pattern:
                schema.setdefault("pattern", NOT_ONLY_WHITE_SPACE)
        many = isinstance(field, serializers.ManyRelatedField | serializers.ListField)
        if many and not field.allow_empty:
            schema.setdefault("minItems", 1)
        if (
            isinstance(field, serializers.DecimalField)
            and field.decimal_places is not None
            and schema.get("type") == "number"
        ):
            schema.setdefault("multipleOf", float(Decimal(1).scaleb(-field.decimal_places)))
        return schema

    def _insert_field_validators(self, field: Any, schema: dict[str, Any]) -> None:
        super()._insert_field_validators(field, schema)
        if getattr(field, "allow_blank", False) and "format" in schema:
            schema["anyOf"] = [{"format": schema.pop("format")}, {"maxLength": 0}]

    def _get_response_bodies(
        self, direction: Literal["request", "response"] = "response"
    ) -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        if self.method == "GET" and not any(str(code).startswith("2") for code in responses):
            serializer = self._get_serializer()
            if serializer is not None:
                success = self._get_response_for_code(serializer, "200", direction=direction)
                responses = {"200": success, **responses}
        if PATH_PARAMETER.search(self.path) and "404" not in responses:
            responses["404"] = self._get_response_for_code(NO_SUCH_RECORD, "404")
        return responses
