"""Shared fixtures for the harness's own tests: tiny cassettes written on the fly."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import pytest
import yaml

# litellm must never fetch its cost map or print banners in these tests (see litellm-oracle.md).
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "cassettes"


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
