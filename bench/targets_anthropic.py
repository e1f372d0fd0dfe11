"""The Anthropic route's clients: ``anthropic/<model>`` through edgequake and litellm, raw httpx on
the Messages API (the floor), and the official ``anthropic`` SDK when it is installed.

The SDK is optional on purpose (not a dependency of the project): without it the target's
``setup`` raises ImportError and the run reports it as "not installed".
"""

from __future__ import annotations

import contextlib
import json
from time import perf_counter_ns
from typing import Any, AsyncIterator, Dict, List, Optional, Tuple

from bench.targets import (
    API_KEY,
    MESSAGES,
    AsyncCall,
    Edgequake,
    Litellm,
    RawHttpx,
    Target,
    _dist_version,
)

MODEL = "claude-sonnet-4-5"
LITELLM_MODEL = f"anthropic/{MODEL}"
# litellm sends max_tokens 4096 for Claude when none is given; the floor and the SDK must name one.
MAX_TOKENS = 4096
VERSION = "2023-06-01"


class AnthropicEdgequake(Edgequake):
    litellm_model = LITELLM_MODEL
    description = f"edgequake.completion / acompletion, model {LITELLM_MODEL}"


class AnthropicLitellm(Litellm):
    litellm_model = LITELLM_MODEL
    description = f"litellm.completion / acompletion, model {LITELLM_MODEL}"


def _text(body: Any) -> str:
    return "".join(block["text"] for block in body["content"] if block["type"] == "text")


class AnthropicHttpx(RawHttpx):
    """POST /v1/messages with the headers the API requires; text from the text blocks."""

    description = "httpx.Client.post to /v1/messages + .json(); streams: text_delta events"

    def __init__(self) -> None:
        super().__init__()
        self.headers = {"x-api-key": API_KEY, "anthropic-version": VERSION}

    def build_payload(self, messages: List[Dict[str, str]]) -> Dict[str, Any]:
        return {"model": MODEL, "max_tokens": MAX_TOKENS, "messages": messages}

    def urls(self, base_url: str) -> Tuple[str, str]:
        url = f"{base_url}/v1/messages"
        return url, url

    @staticmethod
    def text(body: Any) -> str:
        return _text(body)

    @staticmethod
    def piece(data: str) -> Optional[str]:
        event = json.loads(data)
        if event["type"] == "content_block_delta" and event["delta"]["type"] == "text_delta":
            return str(event["delta"]["text"])
        return None


class AnthropicSDK(Target):
    name = "anthropic"
    import_code = "from anthropic import Anthropic"
    description = "Anthropic(base_url=...).messages.create / AsyncAnthropic (optional)"

    def __init__(self) -> None:
        super().__init__()
        self.client: Any = None
        self.kwargs: Dict[str, Any] = {"model": MODEL, "max_tokens": MAX_TOKENS, "messages": MESSAGES}
        self.stream_kwargs = self.kwargs

    def on_messages(self) -> None:
        self.stream_kwargs = {**self.kwargs, "messages": self.messages}

    def setup(self, base_url: str) -> None:
        super().setup(base_url)
        from anthropic import Anthropic

        self.client = Anthropic(base_url=base_url, api_key=API_KEY)

    def version(self) -> Optional[str]:
        return _dist_version("anthropic")

    def call(self) -> str:
        return _sdk_text(self.client.messages.create(**self.kwargs))

    def stream(self) -> List[str]:
        # The raw event stream (stream=True), not the messages.stream() helper: the helper also
        # accumulates a whole Message, work the other targets' streams do not do.
        pieces: List[str] = []
        for event in self.client.messages.create(stream=True, **self.stream_kwargs):
            if event.type == "content_block_delta" and event.delta.type == "text_delta":
                if not pieces:
                    self.first_piece_ns = perf_counter_ns()
                pieces.append(event.delta.text)
        return pieces

    @contextlib.asynccontextmanager
    async def async_session(self) -> AsyncIterator[AsyncCall]:
        from anthropic import AsyncAnthropic

        async with AsyncAnthropic(base_url=self.base_url, api_key=API_KEY) as client:
            create: Any = client.messages.create
            kwargs = self.kwargs

            async def acall() -> str:
                return _sdk_text(await create(**kwargs))

            yield acall

    def close(self) -> None:
        if self.client is not None:
            self.client.close()


def _sdk_text(message: Any) -> str:
    return "".join(block.text for block in message.content if block.type == "text")
