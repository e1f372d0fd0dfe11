"""The clients under test, each behind the same small interface.

A target imports its library only in :meth:`Target.setup`, so a worker process that measures one
target never loads the others. ``setup`` raising :class:`ImportError` means "not installed".
Each operation returns what the caller would actually use (the reply text, the streamed pieces), so
the work of parsing the response is part of what is timed, and the first warm-up call can check it.
"""

from __future__ import annotations

import contextlib
import json
import os
from time import perf_counter_ns
from typing import Any, AsyncIterator, Awaitable, Callable, Dict, List, Optional, Tuple

from bench.bodies import REPLY_TEXT, STREAM_PIECES, stream_pieces, stream_request

MODEL = "gpt-4o-mini"
LITELLM_MODEL = f"openai/{MODEL}"
MESSAGES: List[Dict[str, str]] = [{"role": "user", "content": "Say hello."}]
API_KEY = "sk-bench"
EXPECTED_TEXT = REPLY_TEXT
EXPECTED_PIECES = list(STREAM_PIECES)

AsyncCall = Callable[[], Awaitable[str]]


class Unsupported(Exception):
    """The target has no equivalent of this operation (reported as "n/a")."""


class Target:
    """Base class. ``name`` is the CLI/JSON name; ``import_code`` is what the import benchmark runs."""

    name = ""
    import_code = ""
    description = ""

    def __init__(self) -> None:
        self.base_url = ""
        self.messages: List[Dict[str, str]] = MESSAGES  # what stream() sends (its size, on the server)
        self.first_piece_ns = 0  # perf_counter_ns when the last stream() received its first piece

    def setup(self, base_url: str) -> None:
        self.base_url = base_url

    def stream_size(self, chunks: int) -> List[str]:
        """Make ``stream()`` ask for a ``chunks``-chunk stream; returns the pieces it must read."""
        self.messages = [{"role": "user", "content": stream_request(chunks)}]
        self.on_messages()
        return list(stream_pieces(chunks))

    def on_messages(self) -> None:
        """``self.messages`` changed: rebuild whatever request was built from it."""

    def version(self) -> Optional[str]:
        return None

    def call(self) -> str:
        raise Unsupported(self.name)

    def stream(self) -> List[str]:
        raise Unsupported(self.name)

    async def astream(self) -> List[str]:
        """``stream()`` through the target's async API (``bench.profile --what astream``)."""
        raise Unsupported(self.name)

    @contextlib.asynccontextmanager
    async def async_session(self) -> AsyncIterator[AsyncCall]:
        raise Unsupported(self.name)
        yield  # pragma: no cover  (makes this an async generator)

    def close(self) -> None:
        pass


class _LitellmLike(Target):
    """litellm and any drop-in with its API (edgequake): module-level completion/acompletion.

    ``litellm_model`` picks the provider route; the other routes' modules subclass with their own."""

    module_name = ""
    litellm_model = LITELLM_MODEL

    def __init__(self) -> None:
        super().__init__()
        self.mod: Any = None

    def _import(self) -> Any:
        raise NotImplementedError

    def setup(self, base_url: str) -> None:
        super().setup(base_url)
        self.mod = self._import()

    def version(self) -> Optional[str]:
        return _dist_version(self.module_name) or getattr(self.mod, "__version__", None)

    def _kwargs(self, messages: List[Dict[str, str]] = MESSAGES) -> Dict[str, Any]:
        return {
            "model": self.litellm_model,
            "messages": messages,
            "api_base": self.base_url,
            "api_key": API_KEY,
        }

    def call(self) -> str:
        response = self.mod.completion(**self._kwargs())
        return str(response.choices[0].message.content)

    def stream(self) -> List[str]:
        pieces: List[str] = []
        for chunk in self.mod.completion(stream=True, **self._kwargs(self.messages)):
            if chunk.choices and chunk.choices[0].delta.content:
                if not pieces:
                    self.first_piece_ns = perf_counter_ns()
                pieces.append(chunk.choices[0].delta.content)
        return pieces

    async def astream(self) -> List[str]:
        pieces: List[str] = []
        async for chunk in await self.mod.acompletion(stream=True, **self._kwargs(self.messages)):
            if chunk.choices and chunk.choices[0].delta.content:
                pieces.append(chunk.choices[0].delta.content)
        return pieces

    @contextlib.asynccontextmanager
    async def async_session(self) -> AsyncIterator[AsyncCall]:
        acompletion = self.mod.acompletion
        kwargs = self._kwargs()

        async def acall() -> str:
            response = await acompletion(**kwargs)
            return str(response.choices[0].message.content)

        yield acall


class Litellm(_LitellmLike):
    name = "litellm"
    module_name = "litellm"
    import_code = "import litellm"
    description = "litellm.completion / acompletion, model openai/..."

    def _import(self) -> Any:
        os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
        import litellm

        litellm.suppress_debug_info = True
        return litellm


class Edgequake(_LitellmLike):
    name = "edgequake"
    module_name = "edgequake"
    # Touching .completion makes an importable-but-unbuilt package count as not installed.
    import_code = "import edgequake\nedgequake.completion"
    description = "edgequake.completion / acompletion, model openai/..."

    def _import(self) -> Any:
        import edgequake

        if not hasattr(edgequake, "completion"):
            where = getattr(edgequake, "__file__", None) or list(getattr(edgequake, "__path__", []))
            raise ImportError(f"edgequake ({where}) has no completion(); is the native core built?")
        return edgequake


class OpenAISDK(Target):
    name = "openai"
    import_code = "from openai import OpenAI"
    description = "OpenAI(base_url=...).chat.completions.create / AsyncOpenAI"

    def __init__(self) -> None:
        super().__init__()
        self.client: Any = None

    def setup(self, base_url: str) -> None:
        super().setup(base_url)
        from openai import OpenAI

        self.client = OpenAI(base_url=base_url, api_key=API_KEY)

    def version(self) -> Optional[str]:
        return _dist_version("openai")

    def call(self) -> str:
        response = self.client.chat.completions.create(model=MODEL, messages=MESSAGES)
        return str(response.choices[0].message.content)

    def stream(self) -> List[str]:
        pieces: List[str] = []
        for chunk in self.client.chat.completions.create(model=MODEL, messages=self.messages, stream=True):
            if chunk.choices and chunk.choices[0].delta.content:
                if not pieces:
                    self.first_piece_ns = perf_counter_ns()
                pieces.append(chunk.choices[0].delta.content)
        return pieces

    @contextlib.asynccontextmanager
    async def async_session(self) -> AsyncIterator[AsyncCall]:
        from openai import AsyncOpenAI

        async with AsyncOpenAI(base_url=self.base_url, api_key=API_KEY) as client:
            create: Any = client.chat.completions.create

            async def acall() -> str:
                response = await create(model=MODEL, messages=MESSAGES)
                return str(response.choices[0].message.content)

            yield acall

    def close(self) -> None:
        if self.client is not None:
            self.client.close()


class RawHttpx(Target):
    """The floor for a Python HTTP client: post JSON, parse JSON, index into it.

    The other routes subclass it and change only the URLs, headers, body and the two parsers, so
    every route's floor does the same minimal work."""

    name = "httpx"
    import_code = "import httpx"
    description = "httpx.Client.post + .json() / httpx.AsyncClient (default limits)"

    def __init__(self) -> None:
        super().__init__()
        self.client: Any = None
        self.url = ""
        self.stream_url = ""
        self.headers = {"authorization": f"Bearer {API_KEY}"}
        self.payload: Dict[str, Any] = self.build_payload(MESSAGES)
        self.stream_payload: Dict[str, Any] = self.build_stream_payload(MESSAGES)

    def build_payload(self, messages: List[Dict[str, str]]) -> Dict[str, Any]:
        return {"model": MODEL, "messages": messages}

    def build_stream_payload(self, messages: List[Dict[str, str]]) -> Dict[str, Any]:
        return {**self.build_payload(messages), "stream": True}

    def on_messages(self) -> None:
        self.stream_payload = self.build_stream_payload(self.messages)

    def urls(self, base_url: str) -> Tuple[str, str]:
        """(call URL, stream URL)."""
        url = f"{base_url}/chat/completions"
        return url, url

    @staticmethod
    def text(body: Any) -> str:
        """The reply text of a whole (parsed JSON) response."""
        return str(body["choices"][0]["message"]["content"])

    @staticmethod
    def piece(data: str) -> Optional[str]:
        """The content piece of one SSE ``data:`` payload, or None (a frame without text)."""
        if data == "[DONE]":
            return None  # read on to the end of the body, so the connection goes back to the pool
        choices = json.loads(data)["choices"]
        if choices and choices[0]["delta"].get("content"):
            return str(choices[0]["delta"]["content"])
        return None

    @classmethod
    def line_piece(cls, line: str) -> Optional[str]:
        """The content piece of one line of a stream's body (SSE: only ``data:`` lines carry one)."""
        return cls.piece(line[5:].strip()) if line.startswith("data:") else None

    def setup(self, base_url: str) -> None:
        super().setup(base_url)
        import httpx

        self.url, self.stream_url = self.urls(base_url)
        self.client = httpx.Client()

    def version(self) -> Optional[str]:
        return _dist_version("httpx")

    def call(self) -> str:
        response = self.client.post(self.url, json=self.payload, headers=self.headers)
        response.raise_for_status()
        return self.text(response.json())

    def stream(self) -> List[str]:
        pieces: List[str] = []
        piece_of = self.line_piece
        with self.client.stream(
            "POST", self.stream_url, json=self.stream_payload, headers=self.headers
        ) as response:
            response.raise_for_status()
            for line in response.iter_lines():
                piece = piece_of(line)
                if piece:
                    if not pieces:
                        self.first_piece_ns = perf_counter_ns()
                    pieces.append(piece)
        return pieces

    @contextlib.asynccontextmanager
    async def async_session(self) -> AsyncIterator[AsyncCall]:
        import httpx

        # Default limits (100 connections); no pool timeout, so 1,000 waiting calls queue, not fail.
        async with httpx.AsyncClient(timeout=httpx.Timeout(5.0, pool=None)) as client:
            url, payload, headers, text = self.url, self.payload, self.headers, self.text

            async def acall() -> str:
                response = await client.post(url, json=payload, headers=headers)
                response.raise_for_status()
                return text(response.json())

            yield acall

    def close(self) -> None:
        if self.client is not None:
            self.client.close()


class RawAiohttp(Target):
    """Async-only reference (opt-in): shows how fast the server answers 100 concurrent requests."""

    name = "aiohttp"
    import_code = "import aiohttp"
    description = "aiohttp.ClientSession.post + .json() (async only; server-capacity reference)"

    def setup(self, base_url: str) -> None:
        super().setup(base_url)
        import aiohttp  # noqa: F401  (fail early when missing)

    def version(self) -> Optional[str]:
        return _dist_version("aiohttp")

    @contextlib.asynccontextmanager
    async def async_session(self) -> AsyncIterator[AsyncCall]:
        import aiohttp

        url = f"{self.base_url}/chat/completions"
        payload = {"model": MODEL, "messages": MESSAGES}
        headers = {"authorization": f"Bearer {API_KEY}"}
        async with aiohttp.ClientSession() as session:

            async def acall() -> str:
                async with session.post(url, json=payload, headers=headers) as response:
                    response.raise_for_status()
                    body = await response.json()
                return str(body["choices"][0]["message"]["content"])

            yield acall


def _dist_version(dist: str) -> Optional[str]:
    try:
        from importlib.metadata import PackageNotFoundError, version
    except ImportError:  # pragma: no cover
        return None
    try:
        return version(dist)
    except PackageNotFoundError:
        return None


TARGETS: Dict[str, Callable[[], Target]] = {
    cls.name: cls for cls in (Edgequake, Litellm, OpenAISDK, RawHttpx, RawAiohttp)
}
# aiohttp is async-only: its rows are in the (c) tables (the fastest Python async client, a floor there)
DEFAULT_TARGETS = ("edgequake", "litellm", "openai", "httpx", "aiohttp")
