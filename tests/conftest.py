from __future__ import annotations

import os
from typing import Any, Iterator

import pytest

from tests.loopback import LoopbackServer

# No test may reach a real provider by accident: provider keys and bases are taken out of the
# environment here. Live tests (marked `live`) get their key from LIVE_ENV, captured first.
LIVE_ENV = {k: v for k, v in os.environ.items() if k.endswith("_API_KEY")}
# litellm (reference and delegate) must never fetch its cost map from the network in tests.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
for _name in list(os.environ):
    if _name.endswith(("_API_KEY", "_API_BASE", "_BASE_URL")):
        os.environ.pop(_name, None)


@pytest.fixture(scope="module")
def litellm() -> Any:
    """The reference, for tests that compare edgequake's answer with litellm's (skipped without it)."""
    module = pytest.importorskip("litellm")
    module.suppress_debug_info = True
    return module


@pytest.fixture(scope="session")
def _server() -> Iterator[LoopbackServer]:
    server = LoopbackServer().start()
    yield server
    server.stop()


@pytest.fixture
def server(_server: LoopbackServer) -> Iterator[LoopbackServer]:
    _server.reset()
    yield _server
    leftover = list(_server.replies)
    _server.reset()
    assert not leftover, f"replies queued but never requested: {leftover}"
