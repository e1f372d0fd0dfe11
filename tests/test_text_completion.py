"""``text_completion`` / ``atext_completion`` against the loopback server, compared with litellm 1.110.2:
the native ``/completions`` route (sync, async, streams), the chat-completion bridge, failures, what
goes on the wire, and that the native path never imports litellm."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from typing import Any, Dict, List

import pytest

import edgequake
from tests.loopback import LoopbackServer, Reply, sse

litellm = pytest.importorskip("litellm")
# litellm's async route leaves its aiohttp session and sockets for the garbage collector, whose
# ResourceWarnings surface in whichever test runs next; they are the reference's, not edgequake's.
pytestmark = [
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]
litellm.suppress_debug_info = True

TEXT = {
    "id": "cmpl-1",
    "object": "text_completion",
    "created": 1700000000,
    "model": "davinci-002",
    "choices": [{"text": " hi", "index": 0, "logprobs": None, "finish_reason": "length"}],
    "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4},
}
CHAT = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1700000000,
    "model": "gpt-4o-mini",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello"}, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4},
}
ANTHROPIC = {
    "id": "msg_1",
    "type": "message",
    "role": "assistant",
    "model": "claude-3-5-haiku-20241022",
    "content": [{"type": "text", "text": "Hi!"}],
    "stop_reason": "end_turn",
    "stop_sequence": None,
    "usage": {"input_tokens": 5, "output_tokens": 2},
}


def _text_events() -> List[str]:
    def chunk(text: Any, finish: Any) -> Dict[str, Any]:
        choice = {"text": text, "index": 0, "logprobs": None, "finish_reason": finish}
        return {
            "id": "cmpl-s",
            "object": "text_completion",
            "created": 1,
            "model": "davinci-002",
            "choices": [choice],
        }

    usage = {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}
    return sse(chunk(" hi", None), chunk(" there", "length"), {"id": "cmpl-s", "choices": [], "usage": usage})


def _both(server: LoopbackServer, reply: Any, call: Any) -> List[Any]:
    """``call(module)`` through litellm, then edgequake, each against a fresh copy of ``reply``;
    returns [(litellm result, its request), (edgequake result, its request)]."""
    out = []
    for module in (litellm, edgequake):
        server.reset()
        server.enqueue(*(reply() if callable(reply) else [reply]))
        try:
            result: Any = call(module)
        except Exception as exc:  # the failure is the result compared
            result = exc
        out.append((result, server.seen[-1] if server.seen else None))
        _collect_litellm_leftovers()
    return out


def _collect_litellm_leftovers() -> None:
    """Collect now, warnings off: what litellm's async route leaves unclosed (aiohttp sessions,
    sockets) would otherwise warn from the garbage collector at a random later point."""
    import gc
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gc.collect()


def _dump(obj: Any) -> Any:
    if isinstance(obj, BaseException):
        return (type(obj).__name__, getattr(obj, "status_code", None), obj.llm_provider, obj.model, str(obj))
    data = obj.model_dump()
    data.pop("created", None)
    if isinstance(data.get("usage"), dict):
        data["usage"].pop("cost", None)  # litellm prices from its cost map (volatile)
    return data


def _same(pairs: List[Any]) -> None:
    (ref, ref_seen), (cand, cand_seen) = pairs
    if isinstance(ref, list):
        assert [_dump(c) for c in cand] == [_dump(c) for c in ref]
    else:
        assert _dump(cand) == _dump(ref)
    assert (cand_seen.path, cand_seen.json()) == (ref_seen.path, ref_seen.json())


def test_native_sync_matches_litellm(server: LoopbackServer) -> None:
    pairs = _both(
        server,
        lambda: [Reply(body=TEXT)],
        lambda m: m.text_completion(
            model="openai/davinci-002",
            prompt="hello",
            api_base=server.url + "/v1",
            api_key="k",
            max_retries=0,
        ),
    )
    _same(pairs)
    result, seen = pairs[1]
    assert isinstance(result, edgequake.TextCompletionResponse)
    assert isinstance(result.choices[0], edgequake.TextChoices)
    assert result.choices[0].text == " hi" and seen.path == "/v1/completions"


def test_native_async_bare_model_and_prompt_list(server: LoopbackServer) -> None:
    def call(m: Any) -> Any:
        return asyncio.run(
            m.atext_completion(
                model="davinci-002",
                prompt=["a", "b"],
                api_base=server.url + "/v1",
                api_key="k",
                max_retries=0,
            )
        )

    _same(_both(server, lambda: [Reply(body=TEXT)], call))
    assert server.seen[-1].json() == {"model": "davinci-002", "prompt": ["a", "b"]}


def test_together_native_route(server: LoopbackServer) -> None:
    _same(
        _both(
            server,
            lambda: [Reply(body=TEXT)],
            lambda m: m.text_completion(
                model="together_ai/mistralai/Mixtral",
                prompt="x",
                max_tokens=5,
                api_base=server.url + "/v1",
                api_key="k",
            ),
        )
    )


def test_stream_sync_and_async(server: LoopbackServer) -> None:
    kwargs = dict(model="openai/davinci-002", prompt="hello", stream=True, api_key="k", max_retries=0)
    options = {"stream_options": {"include_usage": True}}
    _same(
        _both(
            server,
            lambda: [Reply(events=_text_events())],
            lambda m: list(m.text_completion(api_base=server.url + "/v1", **kwargs, **options)),
        )
    )

    async def consume(m: Any) -> List[Any]:
        stream = await m.atext_completion(api_base=server.url + "/v1", **kwargs)
        return [c async for c in stream]

    pairs = _both(server, lambda: [Reply(events=_text_events())], lambda m: asyncio.run(consume(m)))
    _same(pairs)
    chunks = pairs[1][0]
    assert "".join(c.choices[0].text or "" for c in chunks) == " hi there"
    assert all(c.usage is None for c in chunks)  # no include_usage: no usage anywhere


def test_errors_sync_and_async(server: LoopbackServer) -> None:
    error = {"error": {"message": "bad key", "type": "invalid_request_error", "code": "invalid_api_key"}}
    kwargs = dict(model="openai/davinci-002", prompt="a", api_key="k", max_retries=0)
    pairs = _both(
        server,
        lambda: [Reply(status=401, body=error)],
        lambda m: m.text_completion(api_base=server.url + "/v1", **kwargs),
    )
    _same(pairs)
    assert isinstance(pairs[1][0], edgequake.AuthenticationError)
    assert pairs[1][0].llm_provider == "text-completion-openai"

    def awaited(m: Any) -> Any:
        return asyncio.run(m.atext_completion(api_base=server.url + "/v1", **kwargs))

    _same(_both(server, lambda: [Reply(status=401, body=error)], awaited))


def test_a_200_error_body_raises(server: LoopbackServer) -> None:
    server.enqueue(Reply(body={"error": {"message": "oops", "type": "server_error"}}))
    with pytest.raises(edgequake.BadRequestError) as info:
        edgequake.text_completion(
            model="openai/davinci-002", prompt="a", api_base=server.url + "/v1", api_key="k", max_retries=0
        )
    assert "oops" in str(info.value)  # litellm returns it as a success (a registered divergence)


def test_chat_bridged_routes(server: LoopbackServer) -> None:
    _same(
        _both(
            server,
            lambda: [Reply(body=CHAT)],
            lambda m: m.text_completion(
                model="openai/gpt-4o-mini",
                prompt=["a", "b"],
                echo=True,
                best_of=2,
                suffix="s",
                api_base=server.url + "/v1",
                api_key="k",
                max_retries=0,
            ),
        )
    )
    pairs = _both(
        server,
        lambda: [Reply(body=ANTHROPIC)],
        lambda m: m.text_completion(
            model="anthropic/claude-3-5-haiku-20241022",
            prompt="hello",
            max_tokens=10,
            api_base=server.url,
            api_key="k",
        ),
    )
    (ref, _), (cand, seen) = pairs
    ref_dump, cand_dump = _dump(ref), _dump(cand)
    ref_dump.pop("id"), cand_dump.pop("id")  # anthropic's ids are made up locally (uuid4)
    assert cand_dump == ref_dump and seen.path == "/v1/messages"


def test_litellm_only_kwargs_stay_out_of_the_body(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=TEXT))
    edgequake.text_completion(
        model="openai/davinci-002",
        prompt="a",
        api_base=server.url + "/v1",
        api_key="k",
        max_retries=0,
        metadata={"trace": 1},
        num_retries=0,
        timeout=30,
        custom_llm_provider="openai",
        logprobs=2,
    )
    assert server.seen[-1].json() == {"model": "davinci-002", "prompt": "a", "logprobs": 2}


def test_exported_and_typed() -> None:
    for name in ("text_completion", "atext_completion"):
        assert name in edgequake.__all__ and name in dir(edgequake)
    from edgequake.types.utils import Logprobs, TextChoices, TextCompletionResponse

    assert edgequake.TextCompletionResponse is TextCompletionResponse
    choice = TextChoices(finish_reason="end_turn", text="x", logprobs={"tokens": ["x"]})
    assert choice.finish_reason == "stop" and isinstance(choice.logprobs, Logprobs)
    assert TextCompletionResponse(stream=True).object == "text_completion.chunk"


def test_native_path_never_imports_litellm(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=TEXT), Reply(events=_text_events()))
    code = (
        "import sys, edgequake\n"
        f"base = '{server.url}/v1'\n"
        "r = edgequake.text_completion(model='openai/davinci-002', prompt='a', api_base=base, api_key='k')\n"
        "s = list(edgequake.text_completion(\n"
        "    model='openai/davinci-002', prompt='a', stream=True, api_base=base, api_key='k'))\n"
        "assert r.choices[0].text == ' hi' and len(s) == 3, (r, s)\n"
        "assert 'litellm' not in sys.modules and 'openai' not in sys.modules, 'imported'\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_azure_text_deployment_route_and_error(server: LoopbackServer) -> None:
    kwargs = dict(
        model="azure_text/my-dep", prompt="hello", api_key="k", api_version="2024-10-21", max_retries=0
    )
    pairs = _both(
        server, lambda: [Reply(body=TEXT)], lambda m: m.text_completion(api_base=server.url, **kwargs)
    )
    _same(pairs)
    assert pairs[1][1].path == "/openai/deployments/my-dep/completions?api-version=2024-10-21"
    assert pairs[1][1].headers["api-key"] == "k"
    error = {"error": {"message": "bad key", "code": "401"}}
    _same(
        _both(
            server,
            lambda: [Reply(status=401, body=error)],
            lambda m: m.text_completion(api_base=server.url, **kwargs),
        )
    )


def test_huggingface_echo_asks_for_top_tokens(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=CHAT))
    edgequake.text_completion(
        model="huggingface/together/meta-llama/L",
        prompt="hello",
        echo=True,
        api_base=server.url + "/together",
        api_key="k",
    )
    body = server.seen[-1].json()
    assert body["top_n_tokens"] == 3 and body["echo"] is True


def test_other_providers_are_handed_to_litellm_with_edgequakes_types(server: LoopbackServer) -> None:
    kwargs = dict(model="hosted_vllm/my-model", prompt="hello", api_key="k", max_retries=0)
    pairs = _both(
        server, lambda: [Reply(body=TEXT)], lambda m: m.text_completion(api_base=server.url + "/v1", **kwargs)
    )
    _same(pairs)
    assert isinstance(pairs[1][0], edgequake.TextCompletionResponse)
    chunks = _both(
        server,
        lambda: [Reply(events=_text_events())],
        lambda m: list(m.text_completion(api_base=server.url + "/v1", stream=True, **kwargs)),
    )
    _same(chunks)
    assert all(isinstance(c, edgequake.TextCompletionResponse) for c in chunks[1][0])


def test_signature_is_litellms() -> None:
    import inspect

    def shape(function: Any) -> List[Any]:
        return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()]

    assert shape(edgequake.text_completion) == shape(litellm.text_completion)
    assert shape(edgequake.atext_completion) == shape(litellm.atext_completion)


def test_mock_response_never_goes_on_the_wire() -> None:
    def dump(m: Any) -> Any:
        data = m.text_completion(
            model="openai/davinci-002", prompt="hi", mock_response="hello there"
        ).model_dump()
        return {k: v for k, v in data.items() if k not in ("id", "created")}

    assert dump(edgequake) == dump(litellm)
