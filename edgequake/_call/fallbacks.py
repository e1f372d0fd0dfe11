"""``fallbacks=`` and ``context_window_fallback_dict=``, as litellm 1.110.2's ``completion`` and
``acompletion`` run them (``litellm_core_utils/fallback_utils.py``, ``utils.client``; measured with
``tests/test_fallbacks.py`` against litellm):

* ``fallbacks=[...]`` (or ``litellm.model_fallbacks``): the call's model first, then each entry in
  order; an entry is a model name or a dict of arguments for that attempt (its ``"model"`` defaults
  to the original model). Each attempt gets the original arguments minus ``fallbacks``, with the
  same ``litellm_call_id``. The first success is returned with
  ``_hidden_params["additional_headers"]["x-litellm-attempted-fallbacks"]`` = its index. Each
  failure is logged at ERROR on the ``LiteLLM`` logger ("Fallback attempt failed for model ...").
  When all fail: ``acompletion`` raises a bare ``Exception("<last error>. All fallback attempts
  failed. ...")``, ``completion`` an ``APIConnectionError`` with that text (litellm maps it again).
* ``context_window_fallback_dict={model: bigger}``: a ``ContextWindowExceededError`` from ``model``
  (the caller's string) is retried once with ``bigger``, unless ``num_retries`` is set (litellm then
  takes its retry branch instead).

Where edgequake differs, deliberately (docs/callbacks.md): litellm's sync ``completion`` runs the
fallbacks through ``acompletion`` on a private event loop, so a stream cannot be iterated
(``MidStreamFallbackError``) and only async hooks fire; edgequake runs them in the calling thread,
streams work and sync hooks fire for each attempt.
"""

from __future__ import annotations

import copy
import uuid
from typing import Any, Callable, Dict, Iterator, List, Tuple

Attempt = Callable[[str, Dict[str, Any], Dict[str, Any]], Any]
_TAIL = ". All fallback attempts failed. Enable verbose logging with `litellm.set_verbose=True` for details."


def _attempts(
    model: str, params: Dict[str, Any], kwargs: Dict[str, Any], fallbacks: List[Any]
) -> Iterator[Tuple[str, Dict[str, Any], Dict[str, Any]]]:
    base_kwargs = {k: v for k, v in kwargs.items() if k != "fallbacks"}
    base_kwargs.setdefault("litellm_call_id", str(uuid.uuid4()))
    for entry in [model, *fallbacks]:
        attempt_params, attempt_kwargs = dict(params), dict(base_kwargs)
        if isinstance(entry, dict):
            overrides = copy.deepcopy(dict(entry))
            attempt_model = overrides.pop("model", model)
            for key, value in overrides.items():
                (attempt_params if key in attempt_params else attempt_kwargs)[key] = value
        else:
            attempt_model = entry
        yield attempt_model, attempt_params, attempt_kwargs


def _mark(response: Any, index: int) -> Any:
    hidden = getattr(response, "_hidden_params", None)
    if isinstance(hidden, dict):
        headers = hidden.get("additional_headers")
        headers = dict(headers) if isinstance(headers, dict) else {}
        headers["x-litellm-attempted-fallbacks"] = index
        hidden["additional_headers"] = headers
    return response


def _log_failed(model: str, exc: BaseException) -> None:
    from edgequake._logging import verbose_logger

    verbose_logger.error("Fallback attempt failed for model %s: %s", model, exc, exc_info=exc)


def _all_failed(last: Any, model: str, awaited: bool) -> Exception:
    text = f"{last}{_TAIL}"
    if awaited:
        return Exception(text)
    from edgequake import exceptions

    return exceptions.APIConnectionError(message=text, model=model, llm_provider=None)  # type: ignore[arg-type]


def run_sync(
    attempt: Attempt, model: str, params: Dict[str, Any], kwargs: Dict[str, Any], fallbacks: List[Any]
) -> Any:
    last: Any = None
    for index, (m, p, k) in enumerate(_attempts(model, params, kwargs, fallbacks)):
        try:
            return _mark(attempt(m, p, k), index)
        except Exception as exc:
            _log_failed(m, exc)
            last = exc
    raise _all_failed(last, model, awaited=False)


async def run_async(
    attempt: Any, model: str, params: Dict[str, Any], kwargs: Dict[str, Any], fallbacks: List[Any]
) -> Any:
    last: Any = None
    for index, (m, p, k) in enumerate(_attempts(model, params, kwargs, fallbacks)):
        try:
            return _mark(await attempt(m, p, k), index)
        except Exception as exc:
            _log_failed(m, exc)
            last = exc
    raise _all_failed(last, model, awaited=True)


# -- context window ---------------------------------------------------------------------------------
def _bigger(model: str, kwargs: Dict[str, Any], exc: BaseException) -> Any:
    import sys

    from edgequake import exceptions

    table = kwargs.get("context_window_fallback_dict")
    if not table or not isinstance(exc, exceptions.ContextWindowExceededError) or model not in table:
        return None
    if kwargs.get("num_retries") or getattr(sys.modules["edgequake"], "num_retries", None):
        return None
    return table[model]


def with_context_window(inner: Any) -> Any:
    """``inner`` retried once with the bigger model of ``context_window_fallback_dict``."""

    def run(model: str, messages: Any, params: Dict[str, Any], kwargs: Dict[str, Any]) -> Any:
        try:
            return inner(model, messages, params, kwargs)
        except Exception as exc:
            bigger = _bigger(model, kwargs, exc)
            if bigger is None:
                raise
            return inner(bigger, messages, params, kwargs)

    return run


def with_context_window_async(inner: Any) -> Any:
    async def run(model: str, messages: Any, params: Dict[str, Any], kwargs: Dict[str, Any]) -> Any:
        try:
            return await inner(model, messages, params, kwargs)
        except Exception as exc:
            bigger = _bigger(model, kwargs, exc)
            if bigger is None:
                raise
            return await inner(bigger, messages, params, kwargs)

    return run
