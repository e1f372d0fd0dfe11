"""What litellm's own-HTTP routes keep of an upstream stream chunk before its stream wrapper sees it.

On the ``httpx`` routes (see ``edgequake._shaping.response``) litellm first turns each decoded ``data:`` event
into a ``ModelResponseStream`` with a per-provider ``chunk_parser``; whatever that parser does not pass
on never reaches the caller. Measured against litellm 1.110.2:

* the OpenAI-compatible parser (xai, groq, deepseek, together_ai, fireworks_ai, huggingface, mistral)
  keeps ``id``, ``system_fingerprint``, ``created``, ``model``, ``choices``, a non-null ``usage`` and a
  non-empty string ``service_tier``; every other top-level key (``citations``, ``x_groq``,
  ``prompt_filter_results``...) is dropped, and ``delta.reasoning`` is renamed ``reasoning_content``;
* xai gives a choice-less chunk that has a ``usage`` key one empty choice (dropped when it is null),
  folds reasoning tokens into ``completion_tokens`` (``edgequake._shaping.usage.xai_usage``), and
  the usage chunk the wrapper then emits keeps only litellm's declared usage fields (xAI's
  ``num_sources_used`` is gone);
* openrouter keeps ``id`` (a chunk without one ends the stream with ``BadRequestError``), ``created``,
  ``model``, ``usage`` and ``choices``, and sets ``delta.reasoning_content`` from ``delta.reasoning``
  (so an upstream ``reasoning_content`` is lost: reproduced); a chunk with an ``error`` key ends
  the stream with that error, raised by the core (``core/src/verdict.rs``) before a parser runs;
* mistral (Magistral) may send ``delta.content`` as a list of blocks: ``thinking`` blocks become
  ``thinking_blocks`` (signature ``"mistral"``) and ``reasoning_content`` (their texts joined by a
  newline), ``text`` blocks are joined into ``content`` (``None`` when there are none).

The sdk routes (openai, azure, cerebras) pass the chunk through unchanged.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List

from edgequake._shaping.usage import xai_usage

__all__ = ["parser_for"]

Chunk = Dict[str, Any]


def _openrouter_key_error(key: str, chunk: Chunk, model: str) -> Exception:
    from edgequake import exceptions  # lazy: exceptions import openai

    return exceptions.BadRequestError(
        message=f"OpenrouterException - KeyError: {key!r}, Got unexpected response from OpenRouter: {chunk}",
        model=model,
        llm_provider="openrouter",
    )


def _choices_reasoning_renamed(choices: List[Any]) -> List[Any]:
    out = []
    for c in choices:
        d = c.get("delta") if isinstance(c, dict) else None
        if isinstance(d, dict) and "reasoning" in d:
            d = dict(d)
            d["reasoning_content"] = d.pop("reasoning")
            c = dict(c, delta=d)
        out.append(c)
    return out


def _openai_compatible(raw: Chunk, model: str) -> Chunk:
    out: Chunk = {
        "id": raw.get("id"),
        "system_fingerprint": raw.get("system_fingerprint"),
        "object": "chat.completion.chunk",
        "created": raw.get("created"),
        "model": raw.get("model"),
        "choices": _choices_reasoning_renamed(raw.get("choices") or []),
    }
    if raw.get("usage") is not None:
        out["usage"] = raw["usage"]
    tier = raw.get("service_tier")
    if isinstance(tier, str) and tier:
        out["service_tier"] = tier
    return out


def _xai(raw: Chunk, model: str) -> Chunk:
    # litellm's xai parser gives a choice-less chunk with a "usage" key one empty choice; with a real
    # usage the wrapper still emits it as the usage chunk, with a null one the empty choice is dropped
    if not raw.get("choices") and "usage" in raw and raw["usage"] is None:
        raw = dict(raw, choices=[{"index": 0, "delta": {}, "finish_reason": None}])
    usage = raw.get("usage")
    if isinstance(usage, dict):
        usage = xai_usage(usage)
        if not raw.get("choices"):
            usage = {k: v for k, v in usage.items() if k in _USAGE_DECLARED}
        raw = dict(raw, usage=usage)
    return _openai_compatible(raw, model)


_USAGE_DECLARED = frozenset(
    {
        "prompt_tokens",
        "completion_tokens",
        "total_tokens",
        "completion_tokens_details",
        "prompt_tokens_details",
    }
)


def _openrouter(raw: Chunk, model: str) -> Chunk:
    # (a chunk with an "error" key never gets here: the core raises it, see core/src/verdict.rs)
    # litellm mutates the chunk as it goes, so the error text shows the renamed deltas
    if "choices" not in raw:
        raise _openrouter_key_error("choices", raw, model)
    choices = []
    for c in raw["choices"]:
        if "delta" not in c:
            raise _openrouter_key_error("delta", raw, model)
        d = dict(c["delta"])
        d["reasoning_content"] = d.get("reasoning")
        choices.append(dict(c, delta=d))
    seen = dict(raw, choices=choices)
    for key in ("id", "created", "model"):
        if key not in raw:
            raise _openrouter_key_error(key, seen, model)
    return {
        "id": raw["id"],
        "object": "chat.completion.chunk",
        "created": raw["created"],
        "usage": raw.get("usage"),
        "model": raw["model"],
        "choices": choices,
        "system_fingerprint": None,
    }


def _mistral_blocks(blocks: List[Any]) -> Dict[str, Any]:
    texts: List[str] = []
    thinking: List[Dict[str, Any]] = []
    for block in blocks:
        if not isinstance(block, dict):
            continue
        if block.get("type") == "thinking":
            parts = block.get("thinking") or []
            text = "".join(
                p.get("text", "") for p in parts if isinstance(p, dict) and p.get("type") == "text"
            )
            if text:
                thinking.append({"type": "thinking", "thinking": text, "signature": "mistral"})
        elif block.get("type") == "text":
            texts.append(block.get("text", ""))
    out: Dict[str, Any] = {"content": "".join(texts) if texts else None}
    if thinking:
        out["thinking_blocks"] = thinking
        out["reasoning_content"] = "\n".join(b["thinking"] for b in thinking)
    return out


def _mistral(raw: Chunk, model: str) -> Chunk:
    choices = []
    for c in raw.get("choices") or []:
        d = c.get("delta") if isinstance(c, dict) else None
        if isinstance(d, dict) and isinstance(d.get("content"), list):
            d = {k: v for k, v in d.items() if k not in ("thinking_blocks", "reasoning_content")}
            d.update(_mistral_blocks(d["content"]))
            c = dict(c, delta=d)
        choices.append(c)
    return _openai_compatible(dict(raw, choices=choices), model)


def _identity(raw: Chunk, model: str) -> Chunk:
    return raw


def _ollama(raw: Chunk, model: str) -> Chunk:
    from edgequake._shaping.ollama import stream_parser  # the core already translated the line

    return stream_parser(raw, model)
def _gemini(raw: Chunk, model: str) -> Chunk:
    """The gemini wire's chunks are litellm's already; its ``vertex_ai_*`` lists stay on them."""
    out = _openai_compatible(raw, model)
    out.update({k: v for k, v in raw.items() if k.startswith("vertex_ai_")})
    return out


_PARSERS: Dict[str, Callable[[Chunk, str], Chunk]] = {
    "openai": _identity,
    "azure": _identity,
    "cerebras": _identity,
    "xai": _xai,
    "openrouter": _openrouter,
    "mistral": _mistral,
    "ollama": _ollama,
    "ollama_chat": _ollama,
    "gemini": _gemini,
}


def parser_for(provider: str) -> Callable[[Chunk, str], Chunk]:
    return _PARSERS.get(provider, _openai_compatible)
