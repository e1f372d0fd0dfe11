"""What every fuzz strategy shares: the `Scenario` it produces, the named litellm restrictions, and
the scalar strategies and helpers the provider families build on.

A `Scenario` is one recorded interaction the replay server can serve: the request a user's call
sends (URI and JSON body, from which the harness derives the litellm call exactly as it does for a
real cassette) and the response (status, headers, body bytes), plus where a streamed body is cut
into HTTP chunks. Everything generated is *valid* provider output, shaped on the documented format
and on the corpus recordings: the property is that reference and candidate agree on it, so an
invalid input would only test error paths nobody specified.

Restrictions that keep litellm (the reference) from crashing on valid input are named in
`LITELLM_RESTRICTIONS` and applied where the input is built, never in the property.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Tuple

from hypothesis import strategies as st

Json = Dict[str, Any]
Draw = Callable[..., Any]


@dataclass(frozen=True)
class Scenario:
    """One generated interaction: the request a call makes and the response served to it."""

    provider: str  # the harness provider id (edgequake_harness/cassettes/providers.py)
    uri: str  # the recorded request URI; the harness derives the call from it and the body
    request: Json  # the recorded request body (JSON)
    status: int
    headers: Dict[str, str]  # response headers
    body: bytes  # response body as served
    splits: Optional[Tuple[int, ...]] = None  # byte offsets cutting a streamed body; None: per event
    label: str = ""  # what kind of scenario, for names and reports: chat, stream, tools, error

    @property
    def stream(self) -> bool:
        return bool(self.request.get("stream")) or ":streamGenerateContent" in self.uri

    def describe(self) -> str:
        body = self.body.decode("utf-8", "replace")
        cut = "" if self.splits is None else f", cut at {list(self.splits)}"
        return (
            f"{self.provider} {self.label}: POST {self.uri} {json.dumps(self.request, ensure_ascii=False)}\n"
            f"-> {self.status} {self.headers}{cut}\n{body}"
        )


# Documented known litellm 1.110.2 crashes on valid input; each is avoided where noted and
# reported as a litellm bug (docs/fuzzing.md, "litellm bugs found").
LITELLM_RESTRICTIONS: Dict[str, str] = {
    "groq-service-tier": (
        "Groq non-stream bodies always carry `service_tier`: without it litellm 1.110.2 raises "
        "APIConnectionError \"'ModelResponse' object has no attribute 'service_tier'\" on a valid "
        "body (half of the corpus's Groq 200s lack it; replay-notes.md). Applied in chat_scenarios."
    ),
    "comment-after-finish": (
        "No `:` SSE comment line after a finish chunk: litellm 1.110.2's own-HTTP routes (mistral, "
        "xai, groq, deepseek, openrouter, together_ai, fireworks_ai, huggingface) read the body line "
        "by line, turn the comment into an empty chunk and, a finish_reason having arrived, stop the "
        "stream there, so a usage chunk that follows is silently discarded and replaced by a "
        "tokenizer estimate. Comments are valid SSE keep-alives (OpenRouter sends them); edgequake "
        "keeps the provider's usage. Applied in sse()."
    ),
}


# --- primitives ---------------------------------------------------------------------------------

# Any code point but surrogates (not encodable as UTF-8); short, so examples stay readable.
TEXT = st.text(max_size=24)
# Text that is mostly printable, with the odd emoji, combining mark, RTL and line break.
PROSE = st.one_of(
    TEXT,
    st.text(alphabet=st.sampled_from(list('ab é中🙂\u0301\u05d0\n\t"\\')), max_size=24),
)
IDENT = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True)
TOKEN_ID = st.from_regex(r"[A-Za-z0-9]{6,24}", fullmatch=True)
COUNT = st.integers(min_value=0, max_value=5000)
CREATED = st.integers(min_value=1_600_000_000, max_value=1_900_000_000)

# The documented finish reasons, and provider-native ones litellm's map_finish_reason rewrites.
FINISH = st.sampled_from(["stop", "length", "tool_calls", "content_filter", "function_call"])
NATIVE_FINISH = st.sampled_from(["eos", "end_turn", "max_tokens", "stop_sequence", "tool_use", "STOP"])
FINISH_REASON = st.one_of(FINISH, NATIVE_FINISH)

JSON_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    TEXT,
)
JSON_VALUE = st.recursive(
    JSON_SCALAR,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)
ARGUMENTS = st.dictionaries(IDENT, JSON_VALUE, max_size=3)


def dumps(value: Any, ascii_only: bool) -> str:
    """Compact JSON as providers send it: raw UTF-8, or `\\uXXXX` escapes."""
    return json.dumps(value, ensure_ascii=ascii_only, separators=(",", ":"))


@st.composite
def pieces(draw: Draw, text: str, max_pieces: int = 6) -> List[str]:
    """`text` cut at arbitrary (possibly repeated) code-point offsets: empty pieces included."""
    if not text:
        return draw(st.lists(st.just(""), max_size=2))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=max_pieces - 1)))
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:])]


@st.composite
def byte_cuts(draw: Draw, body: bytes, max_cuts: int = 12) -> Optional[Tuple[int, ...]]:
    """Where to cut a streamed body into HTTP chunks: None (one SSE event per chunk, as the
    replay server does for recordings) or arbitrary byte offsets, inside UTF-8 sequences too."""
    if len(body) < 2 or not draw(st.booleans()):
        return None
    offsets = draw(st.lists(st.integers(1, len(body) - 1), max_size=max_cuts, unique=True))
    return tuple(sorted(offsets))
