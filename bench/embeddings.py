"""The embedding scenario's clients (OpenAI route, ``POST /v1/embeddings``): one call per iteration
with ``inputs`` strings and ``encoding_format`` float or base64; the server answers 1,536 floats per
input (as float32 base64 when asked). Each returns the number of vectors and the length of the first
one as the client hands it over (a list of floats, or a base64 string), which the warm-up checks.
"""

from __future__ import annotations

from typing import Any, Callable, List, Optional, Tuple

from bench.bodies import EMBEDDING_DIMS
from bench.targets import API_KEY, Target

MODEL = "text-embedding-3-small"
Embed = Callable[[], Tuple[int, int]]
B64_LEN = (EMBEDDING_DIMS * 4 + 2) // 3 * 4  # base64 of 1,536 float32


def expected(inputs: int, encoding: str) -> Tuple[int, int]:
    return inputs, B64_LEN if encoding == "base64" else EMBEDDING_DIMS


def _shape(data: List[Any]) -> Tuple[int, int]:
    first = data[0]
    vector = first["embedding"] if isinstance(first, dict) else first.embedding
    return len(data), len(vector)


def embedder(target: Target, inputs: int, encoding: str) -> Optional[Embed]:
    """A zero-argument call for ``target``, or None when it has no embedding client here."""
    texts = [f"text number {i}" for i in range(inputs)]
    name = target.name
    if name in ("edgequake", "litellm"):
        embedding = target.mod.embedding
        kwargs = {
            "model": f"openai/{MODEL}", "input": texts, "encoding_format": encoding,
            "api_base": target.base_url, "api_key": API_KEY,
        }  # fmt: skip

        def lib() -> Tuple[int, int]:
            return _shape(embedding(**kwargs).data)

        return lib
    if name == "openai":
        create = target.client.embeddings.create

        def sdk() -> Tuple[int, int]:
            return _shape(create(model=MODEL, input=texts, encoding_format=encoding).data)

        return sdk
    if name == "httpx":
        client = target.client
        url = f"{target.base_url}/embeddings"
        payload = {"model": MODEL, "input": texts, "encoding_format": encoding}
        headers = {"authorization": f"Bearer {API_KEY}"}

        def raw() -> Tuple[int, int]:
            response = client.post(url, json=payload, headers=headers)
            response.raise_for_status()
            return _shape(response.json()["data"])

        return raw
    return None
