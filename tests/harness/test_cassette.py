"""Cassette loading: every corpus format, and malformed files that must name file and problem."""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path

import pytest

from edgequake_harness.cassettes.case import discover
from edgequake_harness.cassettes.formats import CassetteError, load_cassette


def test_plain_vcrpy_yaml(write_cassette, interaction) -> None:
    path = write_cassette(interaction(request={"model": "gpt-4o"}, body={"id": "x"}))
    cassette = load_cassette(path)
    assert cassette.format == "vcrpy"
    (only,) = cassette.interactions
    assert only.request.method == "POST"
    assert only.request.path == "/v1/chat/completions"
    assert only.request.json() == {"model": "gpt-4o"}
    assert only.response.status == 200
    assert only.response.json() == {"id": "x"}


def test_binary_gzip_body_is_decoded_and_header_dropped(tmp_path: Path) -> None:
    payload = json.dumps({"ok": True}).encode()
    text = (
        "interactions:\n- request: {method: POST, uri: 'https://api.openai.com/v1/chat/completions'}\n"
        "  response:\n    status: {code: 200, message: OK}\n"
        "    headers: {Content-Encoding: [gzip], Content-Type: [application/json]}\n"
        f"    body: {{string: !!binary '{base64.b64encode(gzip.compress(payload)).decode()}'}}\n"
        "version: 1\n"
    )
    path = tmp_path / "gz.yaml"
    path.write_text(text)
    response = load_cassette(path).interactions[0].response
    assert response.body == payload
    assert "content-encoding" not in response.headers
    assert response.header("content-type") == "application/json"


def test_gzip_header_over_plain_body_is_dropped(write_cassette, interaction) -> None:
    headers = {"content-encoding": ["gzip"], "content-type": ["application/json"]}
    path = write_cassette(interaction(body={"a": 1}, headers=headers))
    response = load_cassette(path).interactions[0].response
    assert response.json() == {"a": 1}
    assert "content-encoding" not in response.headers


def test_pydantic_ai_parsed_body_without_version(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "interactions:\n- request:\n    method: POST\n    uri: https://api.groq.com/openai/v1/chat/completions\n"
        "    parsed_body: {model: m, messages: [{role: user, content: hi}]}\n"
        "  response:\n    status: {code: 404, message: Not Found}\n"
        "    parsed_body: {error: {message: nope}}\n"
    )
    cassette = load_cassette(path)
    assert cassette.format == "vcrpy+parsed_body"
    request, response = cassette.interactions[0].request, cassette.interactions[0].response
    assert request.json()["messages"] == [{"role": "user", "content": "hi"}]
    assert response.status == 404 and response.json() == {"error": {"message": "nope"}}


def test_har_entries_in_recorded_order(bundled: Path) -> None:
    cassette = load_cassette(
        bundled / "openai/mirascope__stream__openai_completions__streams-text-response.har"
    )
    assert cassette.format == "har"
    (only,) = cassette.interactions
    assert only.request.json()["stream"] is True
    assert only.response.header("content-type").startswith("text/event-stream")
    assert only.response.body.startswith(b"data: ")


BUNDLED = Path(__file__).resolve().parents[2] / "cassettes"


@pytest.mark.parametrize("path", discover([BUNDLED]), ids=lambda p: p.name)
def test_every_bundled_cassette_loads(path: Path) -> None:
    assert load_cassette(path).interactions


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("interactions: [", "invalid YAML"),
        ("just: a mapping\n", "no 'interactions' list"),
        ("interactions: []\nversion: 1\n", "no interactions"),
        ("interactions: [{request: {method: GET, uri: /x}}]\n", "missing 'response'"),
        (
            "interactions: [{request: {method: GET, uri: /x}, response: {status: {code: ok}}}]\n",
            "status.code",
        ),
        ("interactions: [{request: {uri: /x}, response: {status: {code: 200}}}]\n", "'method' and 'uri'"),
        (
            "interactions: [{request: {method: GET, uri: /x}, response: {status: {code: 1}}}]\nversion: 9\n",
            "version 9",
        ),
        ("interactions: [{request_sample: {}, response_sample: {}}]\n", "gRPC"),
    ],
)
def test_malformed_yaml_names_file_and_problem(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(CassetteError) as info:
        load_cassette(path)
    assert str(path) in str(info.value)
    assert problem in info.value.problem


def test_malformed_har_names_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.har"
    path.write_text(json.dumps({"log": {"entries": []}}))
    with pytest.raises(CassetteError, match=r"bad\.har: not a HAR 1\.2 file"):
        load_cassette(path)


def test_corrupt_gzip_is_an_error_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "gz.yaml"
    broken = base64.b64encode(b"\x1f\x8b\x08garbage").decode()
    path.write_text(
        "interactions:\n- request: {method: POST, uri: /v1/x}\n  response:\n    status: {code: 200}\n"
        f"    body: {{string: !!binary '{broken}'}}\n"
    )
    with pytest.raises(CassetteError, match="does not decompress"):
        load_cassette(path)
