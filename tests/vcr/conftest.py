"""Fixtures for the cassette plugin's tests: a user's project, built with pytester, whose tests
are `@pytest.mark.vcr` tests calling edgequake and litellm with no api_base."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import yaml

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

SECRET = "sk-test-9f8e7d6c5b4a-never-on-disk"
CHAT_URL = "https://api.openai.com/v1/chat/completions"
QUIET = [
    "-p",
    "no:hypothesispytest",
    "-p",
    "no:anyio",
    "-p",
    "no:asyncio",
    "-p",
    "no:cacheprovider",
    "-W",
    "ignore",
]

# The user's conftest: a fake key, and any socket to a non-loopback address refused, so a request
# that escaped the cassette fails loudly instead of reaching (or waiting for) the network.
USER_CONFTEST = f'''
import os, socket
import pytest

os.environ["OPENAI_API_KEY"] = "{SECRET}"

_connect = socket.socket.connect

def _loopback_only(self, address):
    host = address[0] if isinstance(address, tuple) else address
    if host not in ("127.0.0.1", "::1", "localhost"):
        raise OSError(f"network unreachable in this test: {{address!r}}")
    return _connect(self, address)

@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)
'''


def completion_body(content: str) -> Dict[str, Any]:
    return {
        "id": "chatcmpl-vcr",
        "object": "chat.completion",
        "created": 1700000000,
        "model": "gpt-4o-mini",
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
        ],
        "usage": {"prompt_tokens": 5, "completion_tokens": 4, "total_tokens": 9},
    }


def stream_body(*pieces: str) -> str:
    events = []
    deltas = [({"content": piece}, None) for piece in pieces] + [({}, "stop")]
    for delta, finish in deltas:
        chunk = {
            "id": "chatcmpl-vcr",
            "object": "chat.completion.chunk",
            "created": 1700000000,
            "model": "gpt-4o-mini",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
        events.append(f"data: {json.dumps(chunk)}\n\n")
    return "".join(events) + "data: [DONE]\n\n"


def cassette(
    body: str, content_type: str = "application/json", uri: str = CHAT_URL, request_body: Optional[str] = None
) -> Dict[str, Any]:
    """A vcrpy cassette as a user would have committed it: one interaction."""
    return {
        "version": 1,
        "interactions": [
            {
                "request": {
                    "method": "POST",
                    "uri": uri,
                    "body": request_body or json.dumps({"model": "gpt-4o-mini", "messages": []}),
                    "headers": {"Content-Type": ["application/json"]},
                },
                "response": {
                    "status": {"code": 200, "message": "OK"},
                    "headers": {"Content-Type": [content_type]},
                    "body": {"string": body},
                },
            }
        ],
    }


def write_cassettes(root: Path, module: str, names: List[str], data: Dict[str, Any]) -> None:
    folder = root / "cassettes" / module
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / f"{name}.yaml").write_text(yaml.safe_dump(data))


@pytest.fixture(scope="session", autouse=True)
def _preimported() -> None:
    # pytester's in-process runs restore sys.modules afterwards; importing the heavy modules once
    # keeps each inner run from importing them again.
    # litellm's service logger keeps an event loop running in a thread of its own, never closed; first
    # imported inside an inner run, pytester would drop the module afterwards and the loop would be
    # collected (an unclosed-loop ResourceWarning at session end). Imported here, it lives on.
    import litellm._service_logger  # noqa: F401
    import vcr.serializers.yamlserializer
    import vcr.stubs.aiohttp_stubs
    import vcr.stubs.httpx_stubs  # noqa: F401

    import edgequake  # noqa: F401
    import edgequake_harness.vcr.bridge  # noqa: F401


@pytest.fixture
def user_project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest(USER_CONFTEST)
    return pytester
