"""The replay server: matching, order, framing, streaming, recording, misses. Loopback only."""

from __future__ import annotations

import json
import socket
from typing import Iterator

import httpx
import pytest

from edgequake_harness.cassettes.formats import Interaction, RecordedRequest, RecordedResponse
from edgequake_harness.replay.matching import Matcher, endpoint_key
from edgequake_harness.replay.server import MISS_STATUS, ReplayServer, split_events

CHAT = "https://api.openai.com/v1/chat/completions"
JSON = {"content-type": ["application/json"]}


def recorded(uri: str, status: int, body: bytes, headers=None, method: str = "POST") -> Interaction:
    return Interaction(RecordedRequest(method, uri), RecordedResponse(status, "", headers or JSON, body))


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with ReplayServer() as running:
        yield running


def test_binds_loopback_on_a_free_port(server: ReplayServer) -> None:
    assert server.url.startswith("http://127.0.0.1:")
    assert server.port > 0


def test_endpoint_key_ignores_host_query_and_fragment() -> None:
    assert endpoint_key("post", "https://api.mistral.ai/v1/chat/completions?b=2&a=1#stream") == (
        "POST /v1/chat/completions"
    )
    assert endpoint_key("GET", "/v1/models/") == endpoint_key("GET", "http://127.0.0.1:9/v1/models")


def test_retry_gets_the_next_recording_in_order(server: ReplayServer) -> None:
    server.load([recorded(CHAT, 429, b'{"n": 1}'), recorded(CHAT, 200, b'{"n": 2}')])
    with httpx.Client() as client:
        first = client.post(f"{server.url}/v1/chat/completions?x=1", json={})
        second = client.post(f"{server.url}/v1/chat/completions", json={})
        third = client.post(f"{server.url}/v1/chat/completions", json={})
    assert (first.status_code, first.json()) == (429, {"n": 1})
    assert (second.status_code, second.json()) == (200, {"n": 2})
    assert third.status_code == MISS_STATUS
    assert "already served" in third.json()["error"]["message"]


def test_unmatched_request_names_the_closest_recording(server: ReplayServer) -> None:
    server.load([recorded("https://x/v1/embeddings", 200, b"{}"), recorded(CHAT, 200, b"{}")])
    with httpx.Client() as client:
        miss = client.post(f"{server.url}/chat/completions", json={"model": "m"})
    assert miss.status_code == MISS_STATUS
    error = miss.json()["error"]
    assert error["closest"] == "POST /v1/chat/completions"
    assert "POST /chat/completions" in error["message"]
    (logged,) = server.misses
    assert logged.matched is None and json.loads(logged.body) == {"model": "m"}


def test_records_every_request_with_headers_and_body(server: ReplayServer) -> None:
    server.load([recorded(CHAT, 200, b"{}")])
    with httpx.Client() as client:
        client.post(f"{server.url}/v1/chat/completions", json={"a": 1}, headers={"Authorization": "Bearer k"})
    (request,) = server.requests
    assert request.method == "POST" and request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == ["Bearer k"]
    assert json.loads(request.body) == {"a": 1} and request.matched == 0


def test_recorded_framing_headers_are_replaced(server: ReplayServer) -> None:
    lying = {**JSON, "content-length": ["9999"], "transfer-encoding": ["chunked"], "x-kept": ["yes"]}
    server.load([recorded(CHAT, 200, b'{"ok": true}', lying)])
    with httpx.Client() as client:
        response = client.post(f"{server.url}/v1/chat/completions", json={})
    assert response.json() == {"ok": True}
    assert response.headers["content-length"] == str(len(b'{"ok": true}'))
    assert "transfer-encoding" not in response.headers
    assert response.headers["x-kept"] == "yes"


def test_sse_is_streamed_one_event_per_chunk(server: ReplayServer) -> None:
    body = b'data: {"a":1}\n\ndata: {"a":2}\r\n\r\ndata: [DONE]\n\n'
    server.load([recorded(CHAT, 200, body, {"content-type": ["text/event-stream"]})])
    # Read the raw socket so the test sees the chunked framing the client library would hide.
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(
            b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )
        raw = b""
        while chunk := sock.recv(65536):
            raw += chunk
    head, _, framed = raw.partition(b"\r\n\r\n")
    assert b"transfer-encoding: chunked" in head.lower()
    assert framed == b"".join(
        b"%x\r\n%s\r\n" % (len(e), e) for e in split_events(body, "text/event-stream")
    ) + (b"0\r\n\r\n")
    assert split_events(body, "text/event-stream") == [
        b'data: {"a":1}\n\n',
        b'data: {"a":2}\r\n\r\n',
        b"data: [DONE]\n\n",
    ]


def test_ndjson_is_split_by_line() -> None:
    assert split_events(b'{"a":1}\n{"a":2}\n', "application/x-ndjson") == [b'{"a":1}\n', b'{"a":2}\n']


def test_chunked_request_bodies_are_read(server: ReplayServer) -> None:
    server.load([recorded(CHAT, 200, b"{}")])
    with httpx.Client() as client:
        client.post(f"{server.url}/v1/chat/completions", content=iter([b'{"a":', b"1}"]))
    assert json.loads(server.requests[0].body) == {"a": 1}


def test_load_starts_a_fresh_replay(server: ReplayServer) -> None:
    server.load([recorded(CHAT, 200, b"{}")])
    with httpx.Client() as client:
        client.post(f"{server.url}/v1/chat/completions", json={})
        server.load([recorded(CHAT, 201, b"{}")])
        assert server.requests == []
        assert client.post(f"{server.url}/v1/chat/completions", json={}).status_code == 201


def test_matcher_with_no_interactions_says_so() -> None:
    _, miss = Matcher([]).take("GET", "/x")
    assert miss is not None and "the cassette has none" in miss.describe()
