"""``litellm.router``: edgequake has no ``Router``. Constructing one says so and names the ways out,
instead of failing later with an ``AttributeError`` (smolagents' ``LiteLLMRouterModel`` and
langchain-litellm's router chat model build one)."""

from __future__ import annotations

from typing import Any, NoReturn

__all__ = ["Router"]

_WAY_OUT = (
    "edgequake does not implement litellm.Router (load balancing, fallbacks across deployments). "
    "Call edgequake.completion() for each deployment yourself, or run the program on litellm itself "
    "(without installing edgequake as `litellm`) where it needs a Router."
)


class Router:
    """Stands in for ``litellm.Router``; raises ``NotImplementedError`` when constructed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        _refuse()


def _refuse() -> NoReturn:
    raise NotImplementedError(_WAY_OUT)
