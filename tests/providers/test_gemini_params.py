"""The gemini argument handling (``edgequake._params.gemini``) against litellm's own
``GoogleAIStudioGeminiConfig.map_openai_params``: the same inputs map to the same Gemini params."""

from __future__ import annotations

import copy
from typing import Any, Dict

import pytest

from edgequake._params import gemini

_TOOL = {
    "type": "function",
    "function": {
        "name": "f",
        "description": "d",
        "parameters": {
            "type": "object",
            "properties": {
                "x": {"type": "string", "enum": ["a", ""]},
                "y": {"type": ["integer", "null"]},
                "z": {"type": "array"},
                "w": {"$ref": "#/$defs/W"},
            },
            "$defs": {"W": {"type": "object", "properties": {"v": {"type": "number", "format": "float"}}}},
            "required": ["x"],
            "additionalProperties": False,
        },
    },
}
_SCHEMA = {
    "type": "json_schema",
    "json_schema": {
        "name": "r",
        "strict": True,
        "schema": {
            "type": "object",
            "properties": {"a": {"type": "string"}, "b": {"anyOf": [{"type": "integer"}, {"type": "null"}]}},
            "required": ["a"],
            "additionalProperties": False,
        },
    },
}
CASES = [
    ("gemini-2.5-flash", {"reasoning_effort": "low"}),
    ("gemini-2.5-flash", {"reasoning_effort": "minimal"}),
    ("gemini-2.5-flash-lite", {"reasoning_effort": "minimal"}),
    ("gemini-2.5-flash", {"reasoning_effort": {"effort": "high", "summary": "auto"}}),
    ("gemini-2.5-pro", {"reasoning_effort": "disable"}),
    ("gemini-3-pro-preview", {"reasoning_effort": "low"}),
    ("gemini-3-flash-preview", {"reasoning_effort": "none"}),
    ("gemini-3-flash-preview", {"reasoning_effort": "minimal"}),
    ("gemini-2.5-flash", {"thinking": {"type": "enabled", "budget_tokens": 1000}}),
    ("gemini-2.5-flash", {"thinking": {"type": "disabled", "budget_tokens": 0}}),
    ("gemini-2.5-flash", {"tools": [_TOOL], "tool_choice": {"type": "function", "function": {"name": "f"}}}),
    ("gemini-2.5-flash", {"tools": [_TOOL], "tool_choice": "none"}),
    ("gemini-1.5-flash", {"response_format": _SCHEMA}),
    ("gemini-2.5-flash", {"response_format": _SCHEMA}),
    ("gemini-2.5-flash", {"response_format": {"type": "json_object"}}),
    ("gemini-2.5-flash", {"n": 2, "seed": 3, "presence_penalty": 0.1, "logprobs": True, "stop": "x"}),
    ("gemini-3-pro-preview", {"presence_penalty": 0.1, "max_completion_tokens": 9, "temperature": 1.0}),
]


def _mine(model: str, params: Dict[str, Any]) -> Dict[str, Any]:
    body = gemini.chat_body(model, [], copy.deepcopy(params), drop_params=False, additional_drop_params=None)
    flat = dict(body.get("generation_config", {}))
    if "tools" in body:
        flat["tools"] = body["tools"]
    if "tool_config" in body:
        flat["tool_choice"] = body["tool_config"]
    return flat


@pytest.mark.parametrize(("model", "params"), CASES, ids=[f"{m}-{'-'.join(p)}" for m, p in CASES])
def test_params_map_as_litellm_maps_them(model: str, params: Dict[str, Any]) -> None:
    pytest.importorskip("litellm")
    from litellm.llms.gemini.chat.transformation import GoogleAIStudioGeminiConfig

    reference = GoogleAIStudioGeminiConfig().map_openai_params(
        non_default_params=copy.deepcopy(params), optional_params={}, model=model, drop_params=False
    )
    assert _mine(model, params) == reference


def test_a_pydantic_response_format_keeps_its_schema() -> None:
    pydantic = pytest.importorskip("pydantic")

    class Leaf(pydantic.BaseModel):
        name: str

    class Tree(pydantic.BaseModel):
        leaves: list[Leaf]
        note: str | None = None

    for model in ("gemini-2.5-flash", "gemini-1.5-flash"):
        pytest.importorskip("litellm")
        import litellm

        sent = _sent_response_format(litellm, model, Tree)
        assert _mine(model, {"response_format": Tree}) == sent


def _sent_response_format(litellm: Any, model: str, cls: Any) -> Dict[str, Any]:
    from litellm.llms.gemini.chat.transformation import GoogleAIStudioGeminiConfig

    config = GoogleAIStudioGeminiConfig()
    value = config.get_json_schema_from_pydantic_object(cls)
    return config.map_openai_params(  # type: ignore[no-any-return]
        non_default_params={"response_format": value}, optional_params={}, model=model, drop_params=False
    )


def test_models_and_system_messages() -> None:
    assert gemini.is_gemini_3_or_newer("gemini-3-pro-preview")
    assert gemini.is_gemini_3_or_newer("gemini-flash-latest")
    assert not gemini.is_gemini_3_or_newer("gemini-2.5-flash")
    assert not gemini.is_gemini_3_or_newer("gemma-3-27b-it")
    body = gemini.chat_body("gemini-2.0-flash", [], {}, drop_params=False, additional_drop_params=None)
    assert body["system_instruction"] is False  # litellm's model map: no system messages
    body = gemini.chat_body(
        "gemini-2.5-flash", [], {"stream": True}, drop_params=False, additional_drop_params=None
    )
    assert body["system_instruction"] is True and body["stream"] is True and "api_version" not in body
    assert (
        gemini.chat_body("gemini-3-pro-preview", [], {}, drop_params=False, additional_drop_params=None)[
            "api_version"
        ]
        == "v1alpha"
    )


def test_unsupported_params_raise_or_drop() -> None:
    from edgequake.exceptions import UnsupportedParamsError

    with pytest.raises(UnsupportedParamsError, match=r"gemini does not support parameters: \['logit_bias'\]"):
        gemini.chat_body(
            "gemini-2.5-flash", [], {"logit_bias": {}}, drop_params=False, additional_drop_params=None
        )
    body = gemini.chat_body(
        "gemini-2.5-flash", [], {"logit_bias": {}}, drop_params=True, additional_drop_params=None
    )
    assert "generation_config" not in body
    with pytest.raises(UnsupportedParamsError, match="Invalid `reasoning_effort`"):
        gemini.chat_body(
            "gemini-2.5-flash",
            [],
            {"reasoning_effort": "max"},
            drop_params=False,
            additional_drop_params=None,
        )
