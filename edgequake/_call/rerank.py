"""``rerank`` and ``arerank`` with litellm 1.110.2's signatures: Cohere's v2 rerank natively, any
other provider (and Cohere's v1 rerank) handed to litellm, as for the other call functions.

Measured against litellm: the sync call sends ``return_documents`` (its default is True) and the
async one does not (``arerank`` defaults it to None); unset params are not sent; the api_base gets
``/v2/rerank`` appended unless it ends with it (the core's Cohere wire); failures map as litellm's
Cohere mapper maps them, named by the model without its prefix (``arerank``: as the caller wrote it,
since it maps again what its sync call raised).
"""

from __future__ import annotations

import time
from typing import Any, Dict, Optional, Tuple

from edgequake import _core
from edgequake._call.aio import await_core
from edgequake._call.prepare import PreparedCall, prepare_call
from edgequake._call.routing import NotNative, Route, UnsupportedProviderError, split_model
from edgequake._shaping.routes import call_record

__all__ = ["arerank", "rerank"]

# litellm.rerank's own parameters, in its order, as they go on the wire (None: not sent).
_PARAMS = ("query", "top_n", "documents", "rank_fields", "return_documents", "max_tokens_per_doc")


def _v1_client(api_base: Optional[str], max_chunks_per_doc: Any, max_tokens_per_doc: Any) -> bool:
    """litellm's ``should_use_cohere_v1_client``: Cohere's v1 rerank (left to litellm)."""
    if not api_base:
        return False
    v1_params = max_chunks_per_doc is not None and max_tokens_per_doc is None
    return api_base.endswith("/v1/rerank") or (v1_params and not api_base.endswith("/v2/rerank"))


def _native(
    model: str, custom_llm_provider: Optional[str], kwargs: Dict[str, Any], chunks: Any, tokens: Any
) -> bool:
    try:
        provider, _ = split_model(model, custom_llm_provider)
    except Exception:
        return False
    return provider == "cohere" and not _v1_client(kwargs.get("api_base"), chunks, tokens)


def _body_builder(args: Dict[str, Any]) -> Any:
    def build(route: Route, body_params: Dict[str, Any], control: Dict[str, Any]) -> Dict[str, Any]:
        body: Dict[str, Any] = {"model": route.model}
        body.update((k, args[k]) for k in _PARAMS if args.get(k) is not None)
        return body

    return build


def _shape(call: PreparedCall, result: Tuple[int, Dict[str, str], Any]) -> Any:
    from edgequake.types._base import _new
    from edgequake.types.rerank import RerankResponse

    _status, _headers, body = result
    ms = (time.perf_counter() - call.started) * 1000.0
    hidden = {
        "_response_ms": ms,
        **call_record(call.route.api_base or "https://api.cohere.com"),
        "additional_headers": {},
        "litellm_model_name": call.caller_model,
        "provider_response_model": None,
    }
    fields = {k: body.get(k) for k in ("id", "results", "meta") if k in body}
    response = _new(RerankResponse, fields, None, {"_hidden_params": hidden})
    from edgequake._cost.stamp import set_response_cost  # litellm prices reranks per search unit

    return set_response_cost(response, call.caller_model, call.route.provider)


def _prepare(model: str, args: Dict[str, Any], kwargs: Dict[str, Any]) -> PreparedCall:
    control = {k: v for k, v in kwargs.items() if k != "stream"}
    if args.get("custom_llm_provider"):
        control["custom_llm_provider"] = args["custom_llm_provider"]
    return prepare_call(model, "rerank", {}, control, None, _body_builder(args))


def _litellm() -> Any:
    try:
        import litellm
    except ImportError:
        raise UnsupportedProviderError("rerank") from None
    return litellm


def rerank(
    model: str,
    query: str,
    documents: Any,
    custom_llm_provider: Optional[str] = None,
    top_n: Optional[int] = None,
    rank_fields: Any = None,
    return_documents: Optional[bool] = True,
    max_chunks_per_doc: Optional[int] = None,
    max_tokens_per_doc: Optional[int] = None,
    **kwargs: Any,
) -> Any:
    """litellm.rerank: ``documents`` ordered by relevance to ``query``."""
    args = dict(locals())
    del args["kwargs"], args["model"]
    if not _native(model, custom_llm_provider, kwargs, max_chunks_per_doc, max_tokens_per_doc):
        return _litellm().rerank(model=model, **args, **kwargs)
    try:
        call = _prepare(model, args, kwargs)
    except NotNative:
        return _litellm().rerank(model=model, **args, **kwargs)
    try:
        return _shape(call, call.request.send())
    except _core.CoreError as exc:
        raise call.error(exc) from None


async def arerank(
    model: str,
    query: str,
    documents: Any,
    custom_llm_provider: Optional[str] = None,
    top_n: Optional[int] = None,
    rank_fields: Any = None,
    return_documents: Optional[bool] = None,
    max_chunks_per_doc: Optional[int] = None,
    **kwargs: Any,
) -> Any:
    """litellm.arerank: ``rerank`` for asyncio."""
    args = dict(locals())
    del args["kwargs"], args["model"]
    tokens = kwargs.get("max_tokens_per_doc")
    if not _native(model, custom_llm_provider, kwargs, max_chunks_per_doc, tokens):
        return await _litellm().arerank(model=model, **args, **kwargs)
    args["max_tokens_per_doc"] = kwargs.pop("max_tokens_per_doc", None)
    try:
        call = _prepare(model, args, kwargs)
    except NotNative:
        return await _litellm().arerank(model=model, **args, **kwargs)
    try:
        return _shape(call, await await_core(call.request.send_async))
    except _core.CoreError as exc:
        raise call.error(exc, awaited=True) from None
