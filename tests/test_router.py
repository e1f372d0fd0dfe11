"""``Router``: deployments grouped by ``model_name``, one picked per call (litellm's simple-shuffle),
the call made with its ``litellm_params`` under the caller's arguments; compared with litellm's Router
on the loopback server (the request each sends, the answer, the error for an unknown group)."""

from __future__ import annotations

import asyncio
import gc
from typing import Any, Iterator, List

import pytest

import edgequake
from tests import payloads
from tests.loopback import LoopbackServer, Reply

litellm = pytest.importorskip("litellm")
# litellm's Router leaves its event loop and client sockets to the garbage collector (its leak, not
# edgequake's); their ResourceWarnings would otherwise fail these tests at a random point.
pytestmark = [
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


@pytest.fixture(autouse=True)
def _collect_litellms_leaks() -> Iterator[None]:
    yield
    gc.collect()  # while this module's warning filters apply, not at the end of the session


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    srv = LoopbackServer().start()
    yield srv
    srv.stop()


def _model_list(base: str) -> List[dict]:
    def deployment(group: str, model: str, key: str, **more: Any) -> dict:
        return {
            "model_name": group,
            "litellm_params": {"model": model, "api_base": base, "api_key": key, **more},
        }

    return [
        deployment("group-1", "openai/gpt-4o-mini", "k1", temperature=0.5),
        deployment("group-2", "openai/gpt-4o", "k2", weight=0),  # never picked: weight 0
        deployment("group-2", "openai/gpt-4.1", "k3", weight=1),
    ]


def _seen(module: Any, server: LoopbackServer, group: str, **kwargs: Any) -> Any:
    server.reset()
    server.enqueue(Reply(body=payloads.chat()))
    router = module.Router(model_list=_model_list(server.url + "/v1"))
    reply = router.completion(model=group, messages=payloads.USER, **kwargs)
    (request,) = server.seen
    return (
        reply.choices[0].message.content,
        request.path,
        request.headers.get("authorization"),
        request.json(),
    )


@pytest.mark.parametrize(
    ("group", "kwargs"), [("group-1", {}), ("group-1", {"temperature": 0.1}), ("group-2", {})]
)
def test_a_group_call_sends_what_litellms_router_sends(
    server: LoopbackServer, group: str, kwargs: dict
) -> None:
    assert _seen(edgequake, server, group, **kwargs) == _seen(litellm, server, group, **kwargs)


def test_async_completion_and_the_model_names(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=payloads.chat()))
    router = edgequake.Router(model_list=_model_list(server.url + "/v1"))
    reply = asyncio.run(router.acompletion(model="group-1", messages=payloads.USER))
    assert isinstance(reply, edgequake.ModelResponse) and server.seen[0].json()["model"] == "gpt-4o-mini"
    assert router.get_model_names() == ["group-1", "group-2"]


def test_an_unknown_group_fails_as_litellms_router_fails(server: LoopbackServer) -> None:
    raised = []
    for module in (litellm, edgequake):
        router = module.Router(model_list=_model_list(server.url + "/v1"))
        with pytest.raises(Exception) as info:
            router.completion(model="nope", messages=payloads.USER)
        raised.append((type(info.value).__name__, str(info.value)))
    assert raised[0] == raised[1]
    assert not server.seen


def test_settings_it_does_not_implement_are_refused() -> None:
    with pytest.raises(NotImplementedError, match="least-busy"):
        edgequake.Router(model_list=[], routing_strategy="least-busy")
    with pytest.raises(NotImplementedError, match="cache_responses"):
        edgequake.Router(model_list=[], cache_responses=True)
    with pytest.raises(ValueError, match="litellm_params"):
        edgequake.Router(model_list=[{"model_name": "g"}])
