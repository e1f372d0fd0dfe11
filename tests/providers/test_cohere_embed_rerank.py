"""Cohere v2 embeddings and rerank, native: requests as litellm 1.110.2 sends them, replies shaped as
it shapes them, errors as its Cohere mapper maps them. Against the loopback server; no network."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest

import edgequake
from tests.loopback import LoopbackServer, Reply

# --- embeddings -------------------------------------------------------------------------------------

EMBED = {
    "id": "e",
    "texts": ["a", "b"],
    "embeddings": {"float": [[0.1, 0.2], [0.3, 0.4]]},
    "meta": {"api_version": {"version": "2"}, "billed_units": {"input_tokens": 8}},
    "response_type": "embeddings_by_type",
}


def test_embedding_request_and_response(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=EMBED))
    resp = edgequake.embedding(
        model="cohere/embed-english-v3.0",
        input=["a", "b"],
        input_type="search_query",
        dimensions=256,
        encoding_format="float",
        api_key="k",
        api_base=server.url + "/v2/embed",
    )
    assert server.seen[-1].json() == {
        "model": "embed-english-v3.0",
        "texts": ["a", "b"],
        "input_type": "search_query",
        "output_dimension": 256,
        "embedding_types": ["float"],
    }
    assert "request-source" not in server.seen[-1].headers
    assert [d.embedding for d in resp.data] == [[0.1, 0.2], [0.3, 0.4]]
    usage = resp.model_dump()["usage"]
    assert (usage["prompt_tokens"], usage["total_tokens"], usage["prompt_tokens_details"]["text_tokens"]) == (
        8,
        8,
        8,
    )


def test_async_embedding_of_one_string_and_default_input_type(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=EMBED))

    async def main() -> Any:
        return await edgequake.aembedding(
            model="cohere/embed-english-v3.0", input="a", api_key="k", api_base=server.url + "/v2/embed"
        )

    resp = asyncio.run(main())
    assert server.seen[-1].json()["texts"] == ["a"]
    assert server.seen[-1].json()["input_type"] == "search_document"
    assert len(resp.data) == 2


def test_embedding_errors_and_unsupported_params(server: LoopbackServer) -> None:
    server.enqueue(Reply(status=404, body={"id": "x", "message": "model 'nonexistent' not found"}))
    with pytest.raises(edgequake.NotFoundError) as info:
        edgequake.embedding(
            model="cohere/nonexistent", input=["a"], api_key="k", api_base=server.url + "/v2/embed"
        )
    assert info.value.message.startswith("litellm.NotFoundError: CohereException - ")
    with pytest.raises(
        edgequake.UnsupportedParamsError, match=re.escape("cohere does not support parameters: {'user': 'u'}")
    ):
        edgequake.embedding(model="cohere/embed-english-v3.0", input=["a"], user="u", api_base=server.url)


# --- rerank -----------------------------------------------------------------------------------------

RERANK = {
    "id": "26c7d7a0",
    "results": [{"index": 3, "relevance_score": 0.999071}, {"index": 4, "relevance_score": 0.7779754}],
    "meta": {"api_version": {"version": "2"}, "billed_units": {"search_units": 1}},
}
DOCS = ["a", "b", "c", "d", "e"]


def test_rerank_sync(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=RERANK))
    resp = edgequake.rerank(
        model="cohere/rerank-english-v3.0",
        query="q?",
        documents=DOCS,
        top_n=2,
        api_key="k",
        api_base=server.url,
    )
    seen = server.seen[-1]
    assert seen.path == "/v2/rerank"
    assert seen.headers["authorization"] == "Bearer k"
    # litellm's sync rerank sends return_documents (its default, True); unset params are not sent
    assert seen.json() == {
        "model": "rerank-english-v3.0",
        "query": "q?",
        "top_n": 2,
        "documents": DOCS,
        "return_documents": True,
    }
    assert resp.model_dump() == RERANK
    assert resp.results[0]["index"] == 3
    assert resp._hidden_params["litellm_model_name"] == "cohere/rerank-english-v3.0"


def test_arerank_sends_no_return_documents_by_default(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=RERANK))

    async def main() -> Any:
        return await edgequake.arerank(
            model="cohere/rerank-english-v3.0",
            query="q?",
            documents=DOCS,
            api_key="k",
            api_base=server.url + "/v2/rerank",
        )

    resp = asyncio.run(main())
    assert server.seen[-1].path == "/v2/rerank"
    assert "return_documents" not in server.seen[-1].json()
    assert resp.id == "26c7d7a0"


def test_rerank_errors_map_like_litellm(server: LoopbackServer) -> None:
    server.enqueue(Reply(status=401, body={"id": "x", "message": "invalid api token"}))
    with pytest.raises(edgequake.AuthenticationError) as info:
        edgequake.rerank(model="cohere/rerank-english-v3.0", query="q", documents=["a"], api_base=server.url)
    assert (info.value.llm_provider, info.value.model) == ("cohere", "rerank-english-v3.0")
    server.enqueue(Reply(status=404, body={"id": "x", "message": "nf"}))

    async def main() -> Any:
        return await edgequake.arerank(
            model="cohere/rerank-english-v3.0", query="q", documents=["a"], api_base=server.url
        )

    with pytest.raises(edgequake.NotFoundError) as nf:
        asyncio.run(main())
    assert nf.value.model == "cohere/rerank-english-v3.0"  # arerank names the model as the caller wrote it
    assert re.search(r"CohereException - \{", nf.value.message)


# --- where the key and base come from ---------------------------------------------------------------


def test_embedding_reads_only_the_calls_api_base(monkeypatch: pytest.MonkeyPatch) -> None:
    """litellm's Cohere embedding ignores litellm.api_base and COHERE_API_BASE (measured: it then
    calls api.cohere.ai); only the request is prepared here, nothing is sent."""
    from edgequake._call.prepare import embedding_body_builder, prepare_call

    monkeypatch.setenv("COHERE_API_BASE", "http://127.0.0.1:9/v2/chat")
    monkeypatch.setattr(edgequake, "api_base", "http://127.0.0.1:9/v2/chat")
    call = prepare_call(
        "cohere/embed-english-v3.0", "embedding", {}, {"api_key": "k"}, None, embedding_body_builder(["a"])
    )
    assert call.request.url == "https://api.cohere.ai/v2/embed"
    given = {"api_key": "k", "api_base": "http://h/v2/embed"}
    call = prepare_call(
        "cohere/embed-english-v3.0", "embedding", {}, given, None, embedding_body_builder(["a"])
    )
    assert call.request.url == "http://h/v2/embed"


def test_the_environment_key_comes_before_the_global_one(
    server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COHERE_API_KEY", "envkey")
    monkeypatch.setattr(edgequake, "api_key", "globalkey")
    server.enqueue(Reply(body=EMBED))
    edgequake.embedding(model="cohere/embed-english-v3.0", input=["a"], api_base=server.url + "/v2/embed")
    assert server.seen[-1].headers["authorization"] == "Bearer envkey"
    monkeypatch.setattr(edgequake, "cohere_key", "cohere-global")
    server.enqueue(Reply(body=EMBED))
    edgequake.embedding(model="cohere/embed-english-v3.0", input=["a"], api_base=server.url + "/v2/embed")
    assert server.seen[-1].headers["authorization"] == "Bearer cohere-global"


@pytest.mark.parametrize(
    ("bad", "text"), [([[1, 2]], "Input must be a list of strings"), ([], "list index out of range")]
)
def test_inputs_litellm_cannot_embed(server: LoopbackServer, bad: Any, text: str) -> None:
    """litellm's Cohere transformation fails on them before sending, re-raised unmapped."""
    with pytest.raises(edgequake.APIConnectionError) as info:
        edgequake.embedding(model="cohere/embed-english-v3.0", input=bad, api_key="k", api_base=server.url)
    assert (info.value.message, info.value.llm_provider, info.value.model) == (
        f"litellm.APIConnectionError: {text}",
        "",
        "",
    )
    assert server.seen == []
