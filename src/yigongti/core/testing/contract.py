"""The OpenAPI document as a tested contract (conventions §7): every JSON response the test suite
receives from ``/api/v1/`` is validated against the schema drf-spectacular generates for the
operation and status code. Undocumented 2xx answers fail the test as well."""

from __future__ import annotations

import functools
import re
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

API_PREFIX = "/api/v1/"


def _nullable_to_json_schema(node: Any) -> Any:
    """OpenAPI 3.0 ``nullable: true`` → JSON Schema ``null`` alternatives, recursively."""
    if isinstance(node, list):
        return [_nullable_to_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    converted = {k: _nullable_to_json_schema(v) for k, v in node.items()}
    if "oneOf" in converted and "discriminator" not in converted:
        # Undiscriminated alternatives (a full row or its brief form) overlap by design: a full row
        # also satisfies the brief schema. Accept a match of either.
        converted["anyOf"] = converted.pop("oneOf")
    if converted.pop("nullable", False):
        if "type" in converted and isinstance(converted["type"], str):
            converted["type"] = [converted["type"], "null"]
            if "enum" in converted:
                converted["enum"] = [*converted["enum"], None]
        else:
            return {"anyOf": [converted, {"type": "null"}]}
    return converted


@functools.cache
def _contract() -> tuple[list[tuple[re.Pattern[str], dict[str, Any]]], Registry]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = _nullable_to_json_schema(schema.get("components", {}))
    registry: Registry = Registry().with_resource(
        "urn:components", Resource.from_contents({"components": components}, default_specification=_SPEC)
    )
    paths = []
    for template, operations in schema["paths"].items():
        pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")
        paths.append((pattern, operations))
    # Literal segments must win over parameters (".../recycle-bin" before ".../{id}").
    paths.sort(key=lambda item: item[0].pattern.count("[^/]+"))
    return paths, registry


def _spec() -> Any:
    from referencing.jsonschema import DRAFT202012

    return DRAFT202012


_SPEC = _spec()


def _rewrite_refs(node: Any) -> Any:
    if isinstance(node, list):
        return [_rewrite_refs(n) for n in node]
    if isinstance(node, dict):
        return {
            k: (
                "urn:components#" + v[1:]
                if k == "$ref" and isinstance(v, str) and v.startswith("#/")
                else _rewrite_refs(v)
            )
            for k, v in node.items()
        }
    return node


_validators: dict[tuple[str, int, str], Draft202012Validator] = {}


def _validator(method: str, operation_id: int, status: str, schema: Any, registry: Registry) -> Draft202012Validator:
    key = (method, operation_id, status)
    if key not in _validators:
        _validators[key] = Draft202012Validator(_rewrite_refs(_nullable_to_json_schema(schema)), registry=registry)
    return _validators[key]


def validate_response(method: str, path: str, status: int, content_type: str, body: Any) -> None:
    """Raise AssertionError when a JSON API response does not match the OpenAPI document."""
    if not path.startswith(API_PREFIX) or status >= 300 or "json" not in content_type:
        return
    paths, registry = _contract()
    operations = next((ops for pattern, ops in paths if pattern.match(path)), None)
    if operations is None:
        raise AssertionError(f"{method} {path}: 路径不在 OpenAPI 文档中")
    operation = operations.get(method.lower())
    if operation is None:
        raise AssertionError(f"{method} {path}: 方法不在 OpenAPI 文档中")
    responses = operation.get("responses", {})
    documented = responses.get(str(status))
    if documented is None:
        raise AssertionError(f"{method} {path}: 状态码 {status} 未在 OpenAPI 文档中声明（已声明 {sorted(responses)}）")
    media = (documented.get("content") or {}).get("application/json")
    if not media or "schema" not in media:
        return
    validator = _validator(method.lower(), id(operation), str(status), media["schema"], registry)
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.path)
        raise AssertionError(f"{method} {path} → {status} 不符合 OpenAPI 文档：{where}: {first.message}")
