"""litellm 1.110.2's argument handling for Ollama: which OpenAI params each route takes, which it
refuses (or drops with ``drop_params``), and what reaches the core.

The core (``core/src/wire/ollama/``) turns the body built here into Ollama's request: OpenAI params
mapped into ``options``/``format``/``think``/``tools``, provider kwargs (``num_ctx``, ``keep_alive``,
``mirostat``...) forwarded as litellm forwards them, messages rewritten (``/api/chat``) or rendered
into litellm's prompt template (``/api/generate``).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from edgequake._params.rules import UNSUPPORTED, VALIDATED, VALIDATED_SET

__all__ = ["OLLAMA_PROVIDERS", "chat_body", "embedding_body"]

OLLAMA_PROVIDERS = ("ollama", "ollama_chat")

# OllamaConfig / OllamaChatConfig.get_supported_openai_params
_SUPPORTED = {
    "ollama": frozenset(
        {
            "max_tokens",
            "stream",
            "top_p",
            "temperature",
            "seed",
            "frequency_penalty",
            "stop",
            "response_format",
            "max_completion_tokens",
            "reasoning_effort",
        }
    ),
    "ollama_chat": frozenset(
        {
            "max_tokens",
            "max_completion_tokens",
            "stream",
            "top_p",
            "temperature",
            "seed",
            "frequency_penalty",
            "stop",
            "tools",
            "tool_choice",
            "functions",
            "response_format",
            "reasoning_effort",
        }
    ),
}
# litellm validates these names without refusing them (stream_options, user: never sent to Ollama)
_UNVALIDATED = frozenset({"user", "stream_options"})


def _unsupported(message: str) -> Exception:
    from edgequake.exceptions import UnsupportedParamsError

    return UnsupportedParamsError(message=message, status_code=400)  # type: ignore[no-any-return]


def _global_drop_params() -> bool:
    import sys

    return getattr(sys.modules.get("edgequake"), "drop_params", False) is True


_FUNCTION_PROMPT_HEADER = (
    'To call a function, reply with JSON ONLY in this format {"name": "function_name", '
    '"arguments":{"argument_name": "argument_value"}}. Once a function result answers the request, '
    "reply to the user in plain text instead of calling a function again. The following functions "
    "are available to you:"
)


def _sorted(value: Any) -> Any:
    # litellm validates the tools into a new dict whose keys come out sorted, and quotes its repr()
    if isinstance(value, dict):
        return {k: _sorted(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted(v) for v in value]
    return value


def _function_prompt_messages(messages: list, functions: List[Any], model: str, drop: bool) -> list:
    """litellm's generate route has no tools: it describes them in a system prompt
    (``function_call_prompt``) and asks for a JSON reply, read back as a tool call."""
    if not functions:
        return messages
    prompt = _FUNCTION_PROMPT_HEADER + "".join(f"\n{_sorted(f)}\n" for f in functions)
    if not any(isinstance(m.get("role"), str) and "system" in m["role"] for m in messages):
        return [*messages, {"role": "system", "content": prompt}]
    out = []
    for m in messages:
        if isinstance(m.get("role"), str) and "system" in m["role"]:
            content = m.get("content")
            if isinstance(content, str):
                content = f"{content} {prompt}"
            elif isinstance(content, list):
                content = [*content, {"type": "text", "text": f" {prompt}"}]
            elif drop:
                content = prompt
            else:
                from edgequake import exceptions

                raise exceptions.BadRequestError(
                    message=(
                        "system message content must be a string or a list of content parts, got "
                        f"{type(content).__name__}. Pass drop_params=True to send the function prompt in "
                        "its place"
                    ),
                    model=model,
                    llm_provider="ollama",
                )
            m = {**m, "content": content}
        out.append(m)
    return out


_JPEG_AND_PNG = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


def _convert_image(image: str) -> str:
    """litellm's ``convert_image`` for /api/generate: PNG and JPEG go as base64, anything else is
    re-encoded to JPEG with Pillow (which litellm requires for it); text that is not base64, or an
    image Pillow cannot open, goes unchanged."""
    import base64
    import binascii

    from edgequake._call.bad_arguments import BadArgument

    payload = image.split(",")[-1] if image.startswith("data:") else image
    try:
        raw = base64.b64decode(payload)
    except (binascii.Error, ValueError):
        return image
    if raw.startswith(_JPEG_AND_PNG):
        return payload
    try:
        import io

        from PIL import Image  # type: ignore[import-not-found]
    except Exception:
        raise BadArgument(
            "APIConnectionError", "ollama image conversion failed please run `pip install Pillow`", bare=True
        ) from None
    try:
        picture = Image.open(io.BytesIO(raw))
    except Exception:
        return image
    jpeg = io.BytesIO()
    picture.convert("RGB").save(jpeg, "JPEG")
    return base64.b64encode(jpeg.getvalue()).decode("utf-8")


def _generate_images(messages: list) -> list:
    """The generate route's images as litellm sends them: each user-side image part's data-URL
    payload (``convert_to_ollama_image``) through ``_convert_image``. The parts are rewritten to that
    final text, which the core's prompt renderer then passes on as it is."""
    out = []
    for m in messages:
        content = m.get("content") if isinstance(m, dict) else None
        if not isinstance(content, list) or m.get("role") not in ("user", "tool", "function"):
            out.append(m)
            continue
        parts = []
        for part in content:
            url = None
            if isinstance(part, dict) and part.get("type") == "image_url":
                image_url = part.get("image_url")
                url = image_url.get("url") if isinstance(image_url, dict) else image_url
            if isinstance(url, str) and url and not url.startswith("http"):
                if url.startswith("data:image/") and ";base64," in url:
                    url = url.split("data:image/")[1].split(";base64,")[1]
                if not url.startswith("data:image/"):
                    part = {"type": "image_url", "image_url": {"url": _convert_image(url)}}
            parts.append(part)
        out.append({**m, "content": parts})
    return out


def chat_body(
    provider: str,
    model: str,
    messages: list,
    params: Dict[str, Any],
    *,
    drop_params: bool,
    additional_drop_params: Optional[List[str]],
) -> Dict[str, Any]:
    """The OpenAI-shaped body the core translates for Ollama: supported params, provider kwargs."""
    supported = _SUPPORTED[provider]
    if additional_drop_params:
        params = {k: v for k, v in params.items() if k not in additional_drop_params}
    drop = drop_params or _global_drop_params()
    if provider == "ollama" and ("tools" in params or "functions" in params):
        params = dict(params)
        functions = params.pop("tools") if "tools" in params else params.pop("functions")
        params.pop("tool_choice", None)  # litellm: "causes ollama requests to hang"
        messages = _function_prompt_messages(messages, functions or [], model, drop)
        params["format"] = "json"
    bad = [
        k
        for k in params
        if k in VALIDATED_SET
        and k not in supported
        and k not in _UNVALIDATED
        and not (k == "n" and params[k] == 1)
    ]
    if bad and not drop:
        bad.sort(key=VALIDATED.index)
        raise _unsupported(UNSUPPORTED.format(provider=provider, keys=bad, model=model))
    if provider == "ollama":
        messages = _generate_images(messages)
    body: Dict[str, Any] = {"model": model, "messages": messages}
    for key, value in params.items():
        if key == "extra_body":
            if isinstance(value, dict):
                body.update(value)
            continue
        if key in VALIDATED_SET and key not in supported:
            continue  # refused above, or dropped
        if key == "response_format":
            from edgequake._params.body import _response_format  # a pydantic class -> json_schema

            value = _response_format(value)
        body[key] = value
    return body


def embedding_body(
    provider: str, model: str, input: Any, params: Dict[str, Any], *, drop_params: bool
) -> Dict[str, Any]:
    """litellm's ollama embedding arguments: one list of strings; ``dimensions`` kept, any other
    OpenAI param refused (or dropped with drop_params); provider kwargs go on to the core."""
    from edgequake import exceptions

    if provider == "ollama_chat":  # litellm has no embedding route for ollama_chat/
        raise exceptions.LiteLLMUnknownProvider(model=model, custom_llm_provider=provider)
    if isinstance(input, str):
        input = [input]
    if not isinstance(input, list) or not all(isinstance(item, str) for item in input):
        raise exceptions.BadRequestError(
            message=f"Invalid input for ollama embeddings. input={input}", model=model, llm_provider="ollama"
        )
    drop = drop_params or _global_drop_params()
    openai_embedding = ("encoding_format", "user", "timeout")
    bad = {k: v for k, v in params.items() if k in openai_embedding}
    if bad and not drop:
        raise _unsupported(
            f"Setting {bad} is not supported by ollama. To drop it from the call, set "
            "`litellm.drop_params = True`."
        )
    body: Dict[str, Any] = {"model": model, "input": input}
    for key, value in params.items():
        if key in bad:
            continue
        if key == "extra_body" and isinstance(value, dict):
            body.update(value)
        else:
            body[key] = value
    return body
