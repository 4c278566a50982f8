"""Every list an API request may carry has an upper bound (issue 12), and the OpenAPI schema says
so (`maxItems`, `maxProperties` for a map), so a client generated from it knows the bound."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def unbounded_collections(document: dict[str, Any]) -> list[str]:
    """Where a request body's schema allows an array or a map of any size."""
    components = document["components"]["schemas"]
    found: list[str] = []
    seen: set[str] = set()

    def walk(schema: dict[str, Any], where: str) -> None:
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            if name not in seen:
                seen.add(name)
                walk(components[name], name)
            return
        if schema.get("readOnly"):
            return
        if schema.get("type") == "array":
            if "maxItems" not in schema:
                found.append(where)
            walk(schema.get("items", {}), f"{where}[]")
        if isinstance(schema.get("additionalProperties"), dict) and "maxProperties" not in schema:
            found.append(where)
        for name, field in schema.get("properties", {}).items():
            walk(field, f"{where}.{name}")
        for key in ("allOf", "oneOf", "anyOf"):
            for index, part in enumerate(schema.get(key, [])):
                walk(part, f"{where}({key} {index})")

    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for media in operation.get("requestBody", {}).get("content", {}).values():
                walk(media["schema"], f"{method.upper()} {path}")
    return found


def test_every_list_in_an_api_request_has_an_upper_bound(admin_client: Client) -> None:
    document = admin_client.get(reverse("api-schema"), {"format": "json"}).json()
    unbounded = unbounded_collections(document)
    assert unbounded == [], "\n".join(unbounded)
