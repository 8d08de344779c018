"""The Open Referral UK profile's JSON Schemas and OpenAPI description, read from
../shared/reference/oruk-uk-profile (CC BY-SA 4.0: read in place, never copied into this
repository; see its PROVENANCE.md). They carry no `$schema`, so they are checked as Draft
2020-12 with a format checker, and strictly: `additionalProperties: false` is added to every
object, as HSDS's own CI does, so a field the profile does not define is an error too."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

PROFILE = Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "oruk-uk-profile"
needs_profile = pytest.mark.skipif(
    not PROFILE.is_dir(), reason="needs the ORUK profile in ../shared/reference/oruk-uk-profile")
FORMAT_CHECKER = Draft202012Validator.FORMAT_CHECKER


def strict(schema: dict) -> dict:
    """A copy with `additionalProperties: false` on every object that lists its properties."""
    schema = copy.deepcopy(schema)

    def walk(node):
        if not isinstance(node, dict):
            return
        if isinstance(node.get("properties"), dict):
            node.setdefault("additionalProperties", False)
            for child in node["properties"].values():
                walk(child)
        walk(node.get("items"))
        for key in ("allOf", "anyOf", "oneOf"):
            for child in node.get(key, []):
                walk(child)

    walk(schema)
    return schema


@cache
def compiled(name: str) -> dict:
    return json.loads((PROFILE / "schema" / "compiled" / f"{name}.json").read_text())


@cache
def openapi() -> dict:
    return json.loads((PROFILE / "schema" / "openapi.json").read_text())


def page_schema(items: dict) -> dict:
    """The ORUK page envelope (openapi.json's Page, every field present) around items."""
    page = openapi()["components"]["schemas"]["Page"]
    return {"type": "object", "required": [*page["properties"], "contents"],
            "properties": {**page["properties"],
                           "contents": {"type": "array", "items": items}}}


def root_schema() -> dict:
    response = openapi()["paths"]["/"]["get"]["responses"]["200"]
    schema = dict(response["content"]["application/json"]["schema"])
    return {**schema, "required": list(schema["properties"])}


def validator(schema: dict) -> Draft202012Validator:
    return Draft202012Validator(strict(schema), format_checker=FORMAT_CHECKER)


def errors(schema: dict, instance) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator(schema).iter_errors(instance)]
