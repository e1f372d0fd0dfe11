"""litellm 1.110.2's ``AnthropicConfig.filter_anthropic_output_schema``: a JSON schema as Anthropic's
structured outputs accept it. Constraints Anthropic rejects are removed and restated in the node's
``description`` ("Note: minimum length: 3."), ``oneOf`` becomes ``anyOf``, and every object schema
gets ``additionalProperties: false``.
"""

from __future__ import annotations

import json
from typing import Any, Dict

__all__ = ["filter_output_schema"]

# litellm's constraint_labels, in its order (the note lists them in this order).
_LABELS = {
    "minItems": "minimum number of items: {}",
    "maxItems": "maximum number of items: {}",
    "uniqueItems": "all array items must be unique",
    "contains": "array must contain an item matching: {}",
    "minContains": "minimum number of matching items: {}",
    "maxContains": "maximum number of matching items: {}",
    "prefixItems": "leading items must match, in order: {}",
    "minimum": "minimum value: {}",
    "maximum": "maximum value: {}",
    "exclusiveMinimum": "exclusive minimum value: {}",
    "exclusiveMaximum": "exclusive maximum value: {}",
    "multipleOf": "must be a multiple of {}",
    "minLength": "minimum length: {}",
    "maxLength": "maximum length: {}",
    "minProperties": "minimum number of properties: {}",
    "maxProperties": "maximum number of properties: {}",
    "patternProperties": "properties whose names match each pattern must satisfy: {}",
    "propertyNames": "property names must satisfy: {}",
    "dependentRequired": "dependent required properties: {}",
    "dependentSchemas": "dependent schemas: {}",
    "unevaluatedProperties": "unevaluated properties must satisfy: {}",
    "if": "conditional (if): {}",
    "then": "conditional (then): {}",
    "else": "conditional (else): {}",
    "not": "must not match: {}",
}
_ENUM_CHECKS = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def _enum_conflicts(schema: Dict[str, Any]) -> bool:
    values, declared = schema.get("enum"), schema.get("type")
    if not isinstance(values, list) or declared is None:
        return False
    if isinstance(declared, list):
        return True
    check = _ENUM_CHECKS.get(declared) if isinstance(declared, str) else None
    return check is not None and not all(check(v) for v in values)


def _is_object(node: Dict[str, Any]) -> bool:
    kind = node.get("type")
    return kind == "object" or (isinstance(kind, list) and "object" in kind)


def filter_output_schema(schema: Any) -> Any:
    if not isinstance(schema, dict):
        return schema
    min_items = schema.get("minItems")
    enforced_min = isinstance(min_items, int) and not isinstance(min_items, bool) and min_items in (0, 1)
    unsupported = set(_LABELS) - ({"minItems"} if enforced_min else set())
    notes = []
    for key, label in _LABELS.items():
        if key not in schema or key not in unsupported:
            continue
        value = schema[key]
        if isinstance(value, bool) and not value:
            continue
        shown = json.dumps(value) if isinstance(value, (dict, list)) else value
        notes.append(label.format(shown))
    out: Dict[str, Any] = {}
    if notes:
        note = "Note: " + ", ".join(notes) + "."
        existing = schema.get("description", "")
        out["description"] = f"{existing} {note}" if existing else note
    drop_type = _enum_conflicts(schema)
    for key, value in schema.items():
        if (
            key in unsupported
            or (key == "type" and drop_type)
            or (key == "description" and "description" in out)
        ):
            continue
        if key in ("properties", "$defs", "definitions") and isinstance(value, dict):
            out[key] = {k: filter_output_schema(v) for k, v in value.items()}
        elif key == "items" and isinstance(value, dict):
            out[key] = filter_output_schema(value)
        elif key in ("anyOf", "oneOf") and isinstance(value, list):
            out["anyOf"] = out.get("anyOf", []) + [filter_output_schema(v) for v in value]
        elif key == "allOf" and isinstance(value, list):
            out[key] = [filter_output_schema(v) for v in value]
        elif key == "$ref" and isinstance(value, str):
            out[key] = f"#{value}" if value.startswith(("/$defs/", "/definitions/")) else value
        else:
            out[key] = value
    if _is_object(out):
        out["additionalProperties"] = False
    return out
