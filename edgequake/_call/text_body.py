"""The body litellm posts to a provider's native ``/completions``: ``model``, ``prompt`` as the caller
gave it (litellm turns it into messages and back), then the call's parameters sorted as litellm's
``completion`` sorts them for the route (OpenAI parameters it supports, provider-specific keywords
such as ``best_of``/``echo``/``suffix`` passed on, litellm's own controls never sent)."""

from __future__ import annotations

from typing import Any, Dict

from edgequake._call.arguments import drop_params_on
from edgequake._call.routing import Route


def body_builder(prompt: Any) -> Any:
    """``prepare_call``'s ``build_body`` for the ``text_completion`` route."""

    def build(route: Route, body_params: Dict[str, Any], control: Dict[str, Any]) -> Dict[str, Any]:
        from edgequake._params.body import chat_body

        sorted_params = chat_body(
            route.provider,
            route.model,
            [],
            body_params,
            drop_params=drop_params_on(control),
            additional_drop_params=control.get("additional_drop_params"),
        )
        body: Dict[str, Any] = {"model": route.model, "prompt": prompt}
        body.update((k, v) for k, v in sorted_params.items() if k not in ("model", "messages"))
        if "stream" in body_params:  # litellm sends a given stream flag even when false
            body["stream"] = body_params["stream"]
        return body

    return build
