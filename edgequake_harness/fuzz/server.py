"""The replay server, with streamed bodies cut into HTTP chunks at chosen byte offsets.

`edgequake_harness.replay.server.ReplayServer` sends a streamed body one SSE event per HTTP chunk,
which is how recorded traffic is replayed. Generated scenarios also say *where* to cut the body (`splits`):
anywhere, mid-line, mid-JSON, inside a UTF-8 sequence. Both targets' HTTP stacks (h11/httpx or
aiohttp, hyper in the Rust core) hand each chunk's data to the SSE decoder as it arrives, so a
decoder that assumes whole events or whole code points per read is caught here.

Everything else (matching, recording, misses, framing) is the base server's.
"""

from __future__ import annotations

from typing import List, Optional, Sequence, Tuple

from edgequake_harness.cassettes.formats import RecordedResponse
from edgequake_harness.replay import server as base
from edgequake_harness.replay.loopback import Connection


class SplitReplayServer(base.ReplayServer):
    """A ReplayServer whose streamed responses are cut at `splits` (None: one event per chunk)."""

    splits: Optional[Tuple[int, ...]] = None

    def cut_at(self, splits: Optional[Sequence[int]]) -> None:
        self.splits = tuple(splits) if splits is not None else None

    async def _write(self, conn: Connection, response: RecordedResponse) -> None:
        # Everything else about the connection is the base server's; only the cutting differs.
        await write_response(conn, response, self.splits)


def cut(body: bytes, splits: Sequence[int]) -> List[bytes]:
    bounds = [0, *(s for s in splits if 0 < s < len(body)), len(body)]
    return [body[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]


async def write_response(
    conn: Connection, response: RecordedResponse, splits: Optional[Sequence[int]]
) -> None:
    content_type = (response.header("content-type") or "").lower()
    if splits is None or not base.is_streamed(content_type):
        await base.write_response(conn, response)
    else:
        await base.write_streamed(conn, response, cut(response.body, splits))
