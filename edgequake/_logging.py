"""``litellm._logging``: litellm's loggers, by the names litellm gives them, so code that configures
or silences them (dspy sets ``verbose_logger``'s level) configures edgequake's output the same way."""

from __future__ import annotations

import logging

verbose_logger = logging.getLogger("LiteLLM")
verbose_router_logger = logging.getLogger("LiteLLM Router")
verbose_proxy_logger = logging.getLogger("LiteLLM Proxy")

__all__ = ["verbose_logger", "verbose_proxy_logger", "verbose_router_logger"]
