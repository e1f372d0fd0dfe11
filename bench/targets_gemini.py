"""The Gemini route's clients: ``gemini/<model>`` through edgequake and litellm, and raw httpx on
``models/<m>:generateContent`` / ``:streamGenerateContent?alt=sse`` (the floor).

No official SDK target: Google's ``google-genai`` is not part of this environment, and adding it
is not worth a dependency for one benchmark row.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Tuple

from bench.targets import API_KEY, Edgequake, Litellm, RawHttpx

MODEL = "gemini-2.5-flash"
LITELLM_MODEL = f"gemini/{MODEL}"


class GeminiEdgequake(Edgequake):
    litellm_model = LITELLM_MODEL
    description = f"edgequake.completion / acompletion, model {LITELLM_MODEL}"


class GeminiLitellm(Litellm):
    litellm_model = LITELLM_MODEL
    description = f"litellm.completion / acompletion, model {LITELLM_MODEL}"


def _text(candidates: List[Any]) -> str:
    if not candidates:
        return ""
    return "".join(part.get("text", "") for part in candidates[0]["content"]["parts"])


class GeminiHttpx(RawHttpx):
    """Key in x-goog-api-key (not the URL, so the floor builds no query string per call)."""

    description = "httpx.Client.post to models/<m>:generateContent + .json(); streams: alt=sse chunks"

    def __init__(self) -> None:
        super().__init__()
        self.headers = {"x-goog-api-key": API_KEY}

    def build_payload(self, messages: List[Dict[str, str]]) -> Dict[str, Any]:
        return {"contents": [{"role": "user", "parts": [{"text": m["content"]}]} for m in messages]}

    def build_stream_payload(self, messages: List[Dict[str, str]]) -> Dict[str, Any]:
        return self.build_payload(messages)  # Gemini says "stream" in the URL, not in the body

    def urls(self, base_url: str) -> Tuple[str, str]:
        prefix = f"{base_url}/models/{MODEL}"
        return f"{prefix}:generateContent", f"{prefix}:streamGenerateContent?alt=sse"

    @staticmethod
    def text(body: Any) -> str:
        return _text(body.get("candidates", []))

    @staticmethod
    def piece(data: str) -> Optional[str]:
        return _text(json.loads(data).get("candidates", [])) or None
