"""The Ollama route's clients: ``ollama_chat/<model>`` (litellm's /api/chat route) through edgequake
and litellm, and raw httpx on ``/api/chat`` (the floor: JSON, and NDJSON lines when streaming).

No SDK target: the ``ollama`` package is not part of this environment, and adding it is not worth a
dependency for one benchmark row.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Tuple

from bench.targets import Edgequake, Litellm, RawHttpx

MODEL = "llama3.1"
LITELLM_MODEL = f"ollama_chat/{MODEL}"


class OllamaEdgequake(Edgequake):
    litellm_model = LITELLM_MODEL
    description = f"edgequake.completion / acompletion, model {LITELLM_MODEL}"


class OllamaLitellm(Litellm):
    litellm_model = LITELLM_MODEL
    description = f"litellm.completion / acompletion, model {LITELLM_MODEL}"


class OllamaHttpx(RawHttpx):
    """No auth header (a local Ollama has none); ``stream: false`` for a whole reply, as Ollama
    streams by default."""

    description = "httpx.Client.post to /api/chat + .json(); streams: NDJSON lines"

    def __init__(self) -> None:
        super().__init__()
        self.headers = {}

    def build_payload(self, messages: List[Dict[str, str]]) -> Dict[str, Any]:
        return {"model": MODEL, "messages": messages, "stream": False}

    def build_stream_payload(self, messages: List[Dict[str, str]]) -> Dict[str, Any]:
        return {"model": MODEL, "messages": messages, "stream": True}

    def urls(self, base_url: str) -> Tuple[str, str]:
        url = f"{base_url}/api/chat"
        return url, url

    @staticmethod
    def text(body: Any) -> str:
        return str(body["message"]["content"])

    @classmethod
    def line_piece(cls, line: str) -> Optional[str]:
        if not line:
            return None
        content = json.loads(line)["message"].get("content")
        return str(content) if content else None
