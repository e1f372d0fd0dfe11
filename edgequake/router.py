"""``litellm.router.Router``, the part libraries use: a list of deployments grouped by ``model_name``,
``completion`` / ``acompletion`` / ``embedding`` / ``aembedding`` on a group, one deployment picked
per call as litellm's default ``simple-shuffle`` strategy picks it (weighted by ``weight``, else
``rpm``, else ``tpm``, else uniform), the call made with the deployment's ``litellm_params`` under
the caller's arguments (litellm's merge order). smolagents' ``LiteLLMRouterModel`` and
langchain-litellm's router chat model build one.

What litellm's Router also does and this one does not (other routing strategies, caching, cooldowns,
health checks, budgets, Redis, fallbacks between groups, ...) is refused when asked for: the
constructor raises ``NotImplementedError`` naming the setting, never ignores it.
"""

from __future__ import annotations

import random
from typing import Any, Dict, List, Optional, Sequence

__all__ = ["Router"]

# Constructor settings that keep their meaning here (the rest raise, see _refuse_unsupported).
_ACCEPTED = frozenset(
    {"model_list", "routing_strategy", "num_retries", "timeout", "default_litellm_params", "set_verbose",
     "debug_level"}
)  # fmt: skip
_DEFAULT_STRATEGY = "simple-shuffle"


class Router:
    def __init__(self, model_list: Optional[List[Dict[str, Any]]] = None, **settings: Any) -> None:
        _refuse_unsupported(settings)
        self.model_list: List[Dict[str, Any]] = [dict(d) for d in (model_list or [])]
        for deployment in self.model_list:
            if not isinstance(deployment.get("litellm_params"), dict) or "model_name" not in deployment:
                raise ValueError(
                    "each model_list entry needs a 'model_name' and a 'litellm_params' dict, got "
                    f"{sorted(deployment)}"
                )
        self.routing_strategy = settings.get("routing_strategy") or _DEFAULT_STRATEGY
        self.num_retries = settings.get("num_retries")
        self.timeout = settings.get("timeout")
        self.default_litellm_params: Dict[str, Any] = dict(settings.get("default_litellm_params") or {})

    # -- the groups ---------------------------------------------------------------------------------
    @property
    def model_names(self) -> List[str]:
        return list(dict.fromkeys(d["model_name"] for d in self.model_list))

    def get_model_names(self) -> List[str]:
        return self.model_names

    def get_model_list(self, model_name: Optional[str] = None) -> List[Dict[str, Any]]:
        return [d for d in self.model_list if model_name is None or d["model_name"] == model_name]

    def _arguments(self, model: str, kwargs: Dict[str, Any]) -> Dict[str, Any]:
        deployment = pick(self.get_model_list(model))
        if deployment is None:
            from edgequake import exceptions

            raise exceptions.BadRequestError(
                message=f"You passed in model={model}. There are no healthy deployments for this model"
                f"\n\nLiteLLM: model group '{model}' failed with the error above. No fallback was attempted.",
                model=model,
                llm_provider="",
            )
        merged = {**self.default_litellm_params, **deployment["litellm_params"]}
        if self.num_retries is not None:
            merged.setdefault("num_retries", self.num_retries)
        if self.timeout is not None:
            merged.setdefault("timeout", self.timeout)
        return {**merged, **kwargs}  # the caller's arguments win, as in litellm's Router

    # -- calls --------------------------------------------------------------------------------------
    def completion(self, model: str, messages: Sequence[Any], **kwargs: Any) -> Any:
        import edgequake

        return edgequake.completion(messages=messages, **self._arguments(model, kwargs))

    async def acompletion(self, model: str, messages: Sequence[Any], **kwargs: Any) -> Any:
        import edgequake

        return await edgequake.acompletion(messages=messages, **self._arguments(model, kwargs))

    def embedding(self, model: str, input: Any, **kwargs: Any) -> Any:
        import edgequake

        return edgequake.embedding(input=input, **self._arguments(model, kwargs))

    async def aembedding(self, model: str, input: Any, **kwargs: Any) -> Any:
        import edgequake

        return await edgequake.aembedding(input=input, **self._arguments(model, kwargs))


def pick(deployments: List[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """litellm's simple-shuffle: weighted by the first of ``weight``, ``rpm``, ``tpm`` every deployment
    states (in ``litellm_params``), else a uniform choice."""
    if not deployments:
        return None
    for key in ("weight", "rpm", "tpm"):
        weights = [d["litellm_params"].get(key, d.get(key)) for d in deployments]
        if all(isinstance(w, (int, float)) and w >= 0 for w in weights) and sum(weights) > 0:
            return random.choices(deployments, weights=weights)[0]
    return random.choice(deployments)


def _refuse_unsupported(settings: Dict[str, Any]) -> None:
    strategy = settings.get("routing_strategy") or _DEFAULT_STRATEGY
    if strategy != _DEFAULT_STRATEGY:
        raise NotImplementedError(
            f"edgequake's Router routes with litellm's default 'simple-shuffle' only, not {strategy!r}; "
            "run the program on litellm itself for other strategies"
        )
    unsupported = sorted(
        k for k, v in settings.items() if k not in _ACCEPTED and v not in (None, False, [], {})
    )
    if unsupported:
        raise NotImplementedError(
            f"edgequake's Router does not implement {', '.join(unsupported)} (it picks a deployment per "
            "call and makes the call); run the program on litellm itself where it needs them"
        )
