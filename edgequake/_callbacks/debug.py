"""The lines litellm's debug logging shows for a chat call, on the ``LiteLLM`` logger (redacted by
``edgequake._logging.SecretFilter``): the call's arguments (DEBUG, ``api_key`` shown as
``REDACTED``), the model and provider (INFO), the raw response (DEBUG) and the success handoff
(INFO). ``set_verbose=True`` adds litellm's deprecation WARNING and its ``print`` lines."""

from __future__ import annotations

import logging
import sys
from typing import Any, Dict

_SECRET_ARGS = ("api_key", "azure_ad_token", "aws_secret_access_key", "vertex_credentials")


def _args_text(
    function: str, model: str, messages: Any, params: Dict[str, Any], kwargs: Dict[str, Any]
) -> str:
    shown = [f"model={model!r}", f"messages={messages!r}"]
    for source in (params, kwargs):
        for key, value in source.items():
            if value is None:
                continue
            shown.append(f"{key}=REDACTED" if key in _SECRET_ARGS else f"{key}={value!r}")
    return f"litellm.{function}({', '.join(shown)})"


def request(function: str, model: str, messages: Any, params: Dict[str, Any], kwargs: Dict[str, Any]) -> None:
    from edgequake import _logging

    for source in (params, kwargs):
        _logging.remember_secret(source.get("api_key"))
    pkg = sys.modules["edgequake"]
    logger = _logging.verbose_logger
    if getattr(pkg, "set_verbose", False):
        logger.warning(
            "`litellm.set_verbose` is deprecated. Please set `os.environ['LITELLM_LOG'] = 'DEBUG'` "
            "for debug logs."
        )
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug("\n\nRequest to litellm:\n%s\n", _args_text(function, model, messages, params, kwargs))
    if logger.isEnabledFor(logging.INFO):
        from edgequake._call.routing import split_model

        try:
            provider, wire = split_model(model, kwargs.get("custom_llm_provider"))
        except Exception:
            provider, wire = "", model
        logger.info("\nLiteLLM %s() model= %s; provider = %s", function, wire, provider)
    shown = {k: v for k, v in {**params, **kwargs}.items() if v is not None and k not in _SECRET_ARGS}
    _logging.print_verbose(f"Final returned optional params: {shown}")


def response(result: Any) -> None:
    from edgequake._logging import verbose_logger

    if verbose_logger.isEnabledFor(logging.DEBUG) and hasattr(result, "model_dump_json"):
        verbose_logger.debug("RAW RESPONSE:\n%s\n\n", result.model_dump_json())
    if verbose_logger.isEnabledFor(logging.INFO):
        verbose_logger.info("Wrapper: Completed Call, calling success_handler")
