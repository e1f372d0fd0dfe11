"""litellm's ``build_vertex_schema``: a JSON schema as Gemini's OpenAPI-style ``Schema`` (function
parameters, and ``response_schema`` for models without ``responseJsonSchema``): ``$defs`` inlined,
type lists as ``anyOf``, ``null`` branches as ``nullable``, enums Gemini rejects removed, arrays given
``items``, objects typed, unknown keys filtered, and (structured output only) ``propertyOrdering``.
"""

from __future__ import annotations

import copy
from typing import Any, Dict, FrozenSet, Optional

__all__ = ["vertex_schema"]

# The keys of litellm's `Schema` TypedDict: everything else is filtered out.
_SCHEMA_FIELDS: FrozenSet[str] = frozenset(
    {
        "type", "format", "title", "description", "nullable", "default", "items", "minItems", "maxItems",
        "enum", "properties", "propertyOrdering", "required", "minProperties", "maxProperties", "minimum",
        "maximum", "minLength", "maxLength", "pattern", "example", "anyOf",
    }
)  # fmt: skip
_TYPE_SPECIFIC = ("properties", "required", "additionalProperties", "items", "minItems", "maxItems",
                  "minProperties", "maxProperties")  # fmt: skip


def _unpack_defs(node: Any, defs: Dict[str, Any], chain: FrozenSet[str] = frozenset()) -> Any:
    """Every ``$ref`` into ``$defs``/``definitions`` replaced by a copy of its target; a reference
    back into its own chain (recursion) is left as it is."""
    if isinstance(node, list):
        return [_unpack_defs(v, defs, chain) for v in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[-1]
        target = defs.get(name)
        if target is not None and name not in chain:
            merged = {**copy.deepcopy(target), **{k: v for k, v in node.items() if k != "$ref"}}
            return _unpack_defs(merged, defs, chain | {name})
        return node
    return {k: _unpack_defs(v, defs, chain) for k, v in node.items()}


def _convert_types(schema: Any) -> None:
    if not isinstance(schema, dict):
        return
    t = schema.get("type")
    if isinstance(t, list) and len(t) > 1:
        any_of = []
        for item in t:
            if not isinstance(item, str):
                continue
            if item in ("object", "array"):
                branch = {"type": item}
                branch.update({f: copy.deepcopy(schema[f]) for f in _TYPE_SPECIFIC if f in schema})
                any_of.append(branch)
            elif item == "integer" and isinstance(schema.get("enum"), list):
                any_of.append({"type": item, "enum": [v for v in schema["enum"] if v is not None]})
            else:
                any_of.append({"type": item})
        if any(i in ("object", "array") for i in t if isinstance(i, str)):
            for f in _TYPE_SPECIFIC:
                schema.pop(f, None)
        schema["anyOf"] = any_of
        schema.pop("type")
    elif isinstance(t, list) and len(t) == 1:
        schema["type"] = t[0]
    for prop in (
        (schema.get("properties") or {}).values() if isinstance(schema.get("properties"), dict) else ()
    ):
        _convert_types(prop)
    if "items" in schema:
        _convert_types(schema["items"])
    for branch in schema.get("anyOf") or () if isinstance(schema.get("anyOf"), list) else ():
        _convert_types(branch)


def _nullable(schema: Any) -> None:
    if not isinstance(schema, dict):
        return
    any_of = schema.get("anyOf")
    if isinstance(any_of, list):
        kept = [b for b in any_of if not (isinstance(b, dict) and b.get("type") == "null")]
        had_null = len(kept) < len(any_of)
        any_of[:] = kept or any_of[:1]
        for branch in any_of:
            if not isinstance(branch, dict):
                continue
            if not branch:
                branch["type"] = "object"
            if had_null:
                branch["nullable"] = True
            _nullable(branch)
    if isinstance(schema.get("properties"), dict):
        for prop in schema["properties"].values():
            _nullable(prop)
    if "items" in schema:
        _nullable(schema["items"])


def _fix_enums(schema: Any) -> None:
    if not isinstance(schema, dict):
        return
    if isinstance(schema.get("enum"), list):
        schema["enum"] = [None if v == "" else v for v in schema["enum"]]
        t = schema.get("type")
        keep = isinstance(t, str) and t.lower() == "string"
        if not keep and isinstance(schema.get("anyOf"), list):
            keep = any(
                isinstance(b, dict) and isinstance(b.get("type"), str) and b["type"].lower() == "string"
                for b in schema["anyOf"]
            )
        if not keep:
            schema.pop("enum", None)
    if isinstance(schema.get("properties"), dict):
        for prop in schema["properties"].values():
            _fix_enums(prop)
    if "items" in schema:
        _fix_enums(schema["items"])
    for branch in schema.get("anyOf") or () if isinstance(schema.get("anyOf"), list) else ():
        _fix_enums(branch)


def _items(schema: Any) -> None:
    if isinstance(schema, dict):
        t = schema.get("type")
        if isinstance(t, str) and t.lower() == "array" and schema.get("items", {}) == {}:
            schema["items"] = {"type": "object"}
        for value in schema.values():
            if isinstance(value, dict):
                _items(value)
            elif isinstance(value, list):
                for item in value:
                    _items(item)


def _object_type(schema: Any) -> None:
    if not isinstance(schema, dict):
        return
    if not any(k in schema for k in ("type", "anyOf", "oneOf", "allOf")):
        schema["type"] = "object"
    props = schema.get("properties")
    if props is not None:
        if "required" in schema and schema["required"] is None:
            schema.pop("required")
        if not props:
            schema.pop("properties", None)
            schema.pop("required", None)
        schema["type"] = "object"
        if isinstance(props, dict):
            for value in props.values():
                _object_type(value)
    if "items" in schema:
        _object_type(schema["items"])
    for key in ("anyOf", "oneOf", "allOf"):
        for value in schema.get(key) or () if isinstance(schema.get(key), list) else ():
            _object_type(value)


def _filter(schema: Any) -> Any:
    if not isinstance(schema, dict):
        return schema
    if schema.get("anyOf"):
        any_of = schema["anyOf"]
        title, description = schema.get("title"), schema.get("description")
        if (title or description) and isinstance(any_of, list) and all(isinstance(b, dict) for b in any_of):
            for branch in any_of:
                if title:
                    branch["title"] = title
                if description:
                    branch["description"] = description
        schema = {"anyOf": any_of}
    out: Dict[str, Any] = {}
    for key, value in schema.items():
        if key not in _SCHEMA_FIELDS:
            continue
        if key == "properties" and isinstance(value, dict):
            out[key] = {k: _filter(v) for k, v in value.items()}
        elif key == "format":
            if value in ("enum", "date-time"):
                out[key] = value
        elif key == "items" and isinstance(value, dict):
            out[key] = _filter(value)
        elif key == "anyOf" and isinstance(value, list):
            out[key] = [_filter(v) for v in value]
        else:
            out[key] = value
    return out


def _ordering(schema: Dict[str, Any]) -> None:
    props = schema.get("properties")
    if isinstance(props, dict):
        schema.setdefault("propertyOrdering", list(props))
        for value in props.values():
            if isinstance(value, dict):
                _ordering(value)
    if isinstance(schema.get("items"), dict):
        _ordering(schema["items"])


def vertex_schema(parameters: Dict[str, Any], *, property_ordering: bool, defs: Optional[dict] = None) -> Any:
    """``parameters`` (a copy the caller owns) as litellm's ``build_vertex_schema`` returns it."""
    found = parameters.pop("$defs", {}) or {}
    found.update(parameters.pop("definitions", {}) or {})
    schema = _unpack_defs(parameters, {**(defs or {}), **found})
    _convert_types(schema)
    _nullable(schema)
    _fix_enums(schema)
    _items(schema)
    _object_type(schema)
    schema = _filter(schema)
    if property_ordering and isinstance(schema, dict):
        _ordering(schema)
    return schema
