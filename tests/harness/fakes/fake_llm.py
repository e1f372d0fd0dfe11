"""A tiny litellm-shaped target for the harness's own tests: OpenAI wire format only, over httpx.

It lets most harness tests run without importing litellm (seconds per process). Responses are
attribute-accessible objects with `model_dump()`; errors subclass openai's classes like litellm's.
`fake_drift` wraps it as a subtly wrong candidate.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Iterator, List, Optional

import httpx
import openai

__version__ = "0.0.1"
suppress_debug_info = False
api_key: Optional[str] = None  # module globals, read as litellm's openai route reads them
api_base: Optional[str] = None


class Obj:
    """Attribute access over a dict, plus model_dump(), like litellm's pydantic objects."""

    def __init__(self, data: Dict[str, Any]) -> None:
        self._data = data

    def __getattr__(self, name: str) -> Any:
        try:
            value = self._data[name]
        except KeyError:
            raise AttributeError(name) from None
        if isinstance(value, dict):
            return Obj(value)
        if isinstance(value, list):
            return [Obj(v) if isinstance(v, dict) else v for v in value]
        return value

    def model_dump(self) -> Dict[str, Any]:
        return json.loads(json.dumps(self._data))


class _StatusError:
    def __init__(self, message: str, status: int, model: str, provider: str) -> None:
        request = httpx.Request("POST", "http://fake")
        super().__init__(message, response=httpx.Response(status, request=request), body=None)  # type: ignore[call-arg]
        self.status_code, self.model, self.llm_provider, self.message = status, model, provider, message


class NotFoundError(_StatusError, openai.NotFoundError):
    pass


class RateLimitError(_StatusError, openai.RateLimitError):
    pass


class APIError(_StatusError, openai.InternalServerError):
    pass


def _raise(response: httpx.Response, model: str, provider: str) -> None:
    cls = {404: NotFoundError, 429: RateLimitError}.get(response.status_code, APIError)
    raise cls(f"fake.{cls.__name__}: {response.text}", response.status_code, model, provider)


def completion(
    model: str,
    messages: List[Dict[str, Any]],
    api_base: Optional[str] = None,
    api_key: Optional[str] = None,
    stream: bool = False,
    max_retries: Optional[int] = None,
    _mutate_body: Optional[Any] = None,
    _mutate_response: Optional[Any] = None,
    **kwargs: Any,
) -> Any:
    provider, name = model.split("/", 1)
    api_base = api_base or globals()["api_base"] or os.environ.get("OPENAI_API_BASE")
    api_key = api_key or globals()["api_key"] or os.environ.get("OPENAI_API_KEY")
    body = {"model": name, "messages": messages, **kwargs}
    if stream:
        body["stream"] = True
    body = _mutate_body(body) if _mutate_body else body
    headers = {"Authorization": f"Bearer {api_key}"}
    url = f"{api_base}/chat/completions"
    if not stream:
        response = httpx.post(url, json=body, headers=headers)
        if response.status_code >= 400:
            _raise(response, name, provider)
        data = response.json()
        return Obj(_mutate_response(data) if _mutate_response else data)
    return _stream(url, body, headers, name, provider)


def _stream(
    url: str, body: Dict[str, Any], headers: Dict[str, str], model: str, provider: str
) -> Iterator[Obj]:
    with httpx.stream("POST", url, json=body, headers=headers) as response:
        if response.status_code >= 400:
            response.read()
            _raise(response, model, provider)
        for line in response.iter_lines():
            if line.startswith("data: ") and line != "data: [DONE]":
                yield Obj(json.loads(line[len("data: ") :]))


def stream_chunk_builder(chunks: List[Obj], messages: Any = None) -> Obj:
    text = "".join(
        (c.model_dump()["choices"] or [{}])[0].get("delta", {}).get("content") or "" for c in chunks
    )
    return Obj({"choices": [{"index": 0, "message": {"role": "assistant", "content": text}}]})


async def acompletion(**kwargs: Any) -> Any:
    """The async twin: the same request over httpx.AsyncClient; streams are async iterators."""
    mutate_body, mutate_response = kwargs.pop("_mutate_body", None), kwargs.pop("_mutate_response", None)
    provider, name = kwargs["model"].split("/", 1)
    body = {"model": name, "messages": kwargs["messages"]}
    extra = {
        k: v
        for k, v in kwargs.items()
        if k not in ("model", "messages", "api_base", "api_key", "max_retries")
    }
    body.update(extra)
    body = mutate_body(body) if mutate_body else body
    url = f"{kwargs['api_base']}/chat/completions"
    headers = {"Authorization": f"Bearer {kwargs['api_key']}"}
    client = httpx.AsyncClient()
    if not body.get("stream"):
        async with client:
            response = await client.post(url, json=body, headers=headers)
        if response.status_code >= 400:
            _raise(response, name, provider)
        data = response.json()
        return Obj(mutate_response(data) if mutate_response else data)
    return _astream(client, url, body, headers, name, provider)


async def _astream(
    client: httpx.AsyncClient,
    url: str,
    body: Dict[str, Any],
    headers: Dict[str, str],
    model: str,
    provider: str,
) -> Any:
    async with client, client.stream("POST", url, json=body, headers=headers) as response:
        if response.status_code >= 400:
            await response.aread()
            _raise(response, model, provider)
        async for line in response.aiter_lines():
            if line.startswith("data: ") and line != "data: [DONE]":
                yield Obj(json.loads(line[len("data: ") :]))
