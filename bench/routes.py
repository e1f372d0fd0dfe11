"""The benchmark's routes: one provider wire each, with the clients that speak it.

Every route has the same two baselines, ``litellm`` and ``httpx`` (the floor speaking that route's
wire), so its ratios read the same way as the OpenAI route's. Target names are per route: ``edgequake``
on the Anthropic route is edgequake calling ``anthropic/claude-sonnet-4-5``.
"""

from __future__ import annotations

from typing import Callable, Dict, Tuple

from bench import targets, targets_anthropic, targets_gemini, targets_ollama
from bench.targets import Target

TargetFactory = Callable[[], Target]


class Route:
    """``base_path`` is appended to the server's root URL to make the ``api_base`` a user would give
    (litellm appends ``/v1/messages`` to an Anthropic base, and ``/models/...`` to a Gemini one)."""

    def __init__(
        self,
        name: str,
        model: str,
        wire: str,
        base_path: str,
        factories: Tuple[TargetFactory, ...],
        defaults: Tuple[str, ...],
        stream_shape: str,
    ) -> None:
        self.name = name
        self.model = model
        self.wire = wire
        self.base_path = base_path
        self.targets: Dict[str, TargetFactory] = {f().name: f for f in factories}
        self.defaults = defaults
        self.stream_shape = stream_shape  # for the (b) table's title: what one stream is on this wire

    def base_url(self, root: str) -> str:
        return root + self.base_path


ROUTES: Dict[str, Route] = {
    route.name: route
    for route in (
        # Kept exactly as before routes existed: same target names, same /v1 base.
        Route(
            "openai",
            targets.LITELLM_MODEL,
            "POST /v1/chat/completions",
            "/v1",
            tuple(targets.TARGETS.values()),
            targets.DEFAULT_TARGETS,
            "5-chunk stream",
        ),
        Route(
            "anthropic",
            targets_anthropic.LITELLM_MODEL,
            "POST /v1/messages",
            "",
            (
                targets_anthropic.AnthropicEdgequake,
                targets_anthropic.AnthropicLitellm,
                targets_anthropic.AnthropicHttpx,
                targets_anthropic.AnthropicSDK,
            ),
            ("edgequake", "litellm", "httpx", "anthropic"),
            "7-event stream (3 text deltas)",
        ),
        Route(
            "gemini",
            targets_gemini.LITELLM_MODEL,
            "POST /v1beta/models/<m>:generateContent, :streamGenerateContent?alt=sse",
            "/v1beta",
            (targets_gemini.GeminiEdgequake, targets_gemini.GeminiLitellm, targets_gemini.GeminiHttpx),
            ("edgequake", "litellm", "httpx"),
            "3-chunk stream",
        ),
        Route(
            "ollama",
            targets_ollama.LITELLM_MODEL,
            "POST /api/chat",
            "",
            (targets_ollama.OllamaEdgequake, targets_ollama.OllamaLitellm, targets_ollama.OllamaHttpx),
            ("edgequake", "litellm", "httpx"),
            "4-line NDJSON stream (3 pieces)",
        ),
    )
}
DEFAULT_ROUTES = tuple(ROUTES)
ALL_TARGET_NAMES = tuple(dict.fromkeys(name for route in ROUTES.values() for name in route.targets))
