"""Shared fixtures for the harness's own tests: tiny cassettes written on the fly."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import pytest
import yaml

# litellm must never fetch its cost map or print banners in these tests (see litellm-oracle.md).
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "cassettes"
FAKES = Path(__file__).resolve().parent / "fakes"
# Fake target modules are named by module name, like real targets.
if str(FAKES) not in sys.path:
    sys.path.insert(0, str(FAKES))


def _interaction(
    uri: str = "https://api.openai.com/v1/chat/completions",
    request: Optional[Dict[str, Any]] = None,
    status: int = 200,
    body: Any = None,
    headers: Optional[Dict[str, List[str]]] = None,
    method: str = "POST",
) -> Dict[str, Any]:
    """One vcrpy interaction; `body` may be a dict (JSON) or str/bytes (raw)."""
    import json

    if isinstance(body, (dict, list)):
        body = json.dumps(body)
    return {
        "request": {
            "method": method,
            "uri": uri,
            "headers": {"content-type": ["application/json"]},
            "body": json.dumps(request) if request is not None else None,
        },
        "response": {
            "status": {"code": status, "message": "OK" if status < 400 else "Error"},
            "headers": headers or {"content-type": ["application/json"]},
            "body": {"string": body if body is not None else ""},
        },
    }


CassetteWriter = Callable[..., Path]


@pytest.fixture
def interaction() -> Callable[..., Dict[str, Any]]:
    """Build one vcrpy interaction dict (see `_interaction`)."""
    return _interaction


@pytest.fixture
def bundled() -> Path:
    """The repository's bundled starter cassettes."""
    return BUNDLED


@pytest.fixture
def write_cassette(tmp_path: Path) -> CassetteWriter:
    """Write a vcrpy cassette under tmp_path/<provider>/<name>.yaml and return its path."""

    def write(*interactions: Dict[str, Any], provider: str = "openai", name: str = "case") -> Path:
        path = tmp_path / "cassettes" / provider / f"{name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump({"interactions": list(interactions), "version": 1}))
        return path

    return write


CHAT_BODY = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1700000000,
    "model": "gpt-x",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "Paris"}, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4},
}
REQUEST = {"model": "gpt-x", "messages": [{"role": "user", "content": "capital of France?"}]}


def _sse(*contents: str) -> str:
    import json

    events = [
        {
            "id": "c1",
            "object": "chat.completion.chunk",
            "created": 1,
            "model": "gpt-x",
            "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}],
        }
        for text in contents
    ]
    return "".join(f"data: {json.dumps(e)}\n\n" for e in events) + "data: [DONE]\n\n"


@pytest.fixture
def openai_cases(write_cassette) -> Path:
    """A cassette dir with one chat, one stream and one 404 case (OpenAI wire), for fake targets."""
    write_cassette(_interaction(request=REQUEST, body=CHAT_BODY), name="chat")
    write_cassette(
        _interaction(
            request={**REQUEST, "stream": True},
            body=_sse("Pa", "ris"),
            headers={"content-type": ["text/event-stream"]},
        ),
        name="stream",
    )
    error = {"error": {"message": "The model `gpt-x` does not exist", "type": "invalid_request_error"}}
    path = write_cassette(_interaction(request=REQUEST, status=404, body=error), name="missing")
    return path.parent.parent


@pytest.fixture
def fake_drift() -> Any:
    """The drifting fake candidate module, with its mutation knobs reset after the test."""
    import fake_drift as module

    yield module
    module.MUTATE_RESPONSE = module.MUTATE_BODY = None
