"""The matrix's cells and what one cell does with a litellm-compatible module (litellm or edgequake):
the call, made as a user makes it with a one-second timeout and the library's default retries, and its
outcome as data (success with a digest of the content, or the exception's class, status and wording),
so litellm's outcomes can be measured once, stored, and compared with edgequake's."""

from __future__ import annotations

import asyncio
import hashlib
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from typing import Any, Callable, Dict, Iterable, List, Optional

from tests.faults.bodies import PROVIDERS
from tests.faults.server import FaultServer

TIMEOUT = 1.0
# Heavy cells test size, not time: a read gap of a second there would be the test machine's, not the
# library's (the server shares the process and its GIL with the client).
HEAVY_TIMEOUT = 10.0
MODES = ("sync", "async", "sync_stream", "async_stream")
FAULTS: Dict[str, str] = {
    "refused": "connection refused",
    "reset_before_headers": "connection reset before the status line",
    "reset_mid_body": "reset after half of a content-length body",
    "reset_mid_stream": "reset after two events",
    "truncated": "body: half sent, then a clean close; stream: no end marker",
    "stall_before_headers": "no status line for 2 s (timeout 1 s)",
    "stall_mid": "first part, then nothing for 2 s",
    "slow_drip": "5 pieces 0.3 s apart: every gap under the timeout, the whole over it",
    "html_5xx": "502 with an HTML body",
    "malformed_json": "200 with JSON cut short (a bad event in streams)",
    "invalid_utf8": "200 with invalid UTF-8 in the content",
    "wrong_content_type": "a valid reply labelled text/html",
    "redirect_same": "307 to the same origin",
    "redirect_cross": "307 to another origin",
    "big_body": "a 50 MB reply (streams: 800 events of 64 KB)",
    "many_events": "a 100,000-event stream",
    "429_short": "429 with retry-after: 1, then the reply",
    "429_huge": "429 with retry-after: 3600",
    "repeated_503": "503 on every attempt",
}
BODY_ONLY = {"reset_mid_body"}
STREAM_ONLY = {"reset_mid_stream", "many_events"}
HEAVY = {"big_body", "many_events"}  # run one at a time: CPU and memory, not waiting
MODELS = {
    "openai": ("openai/gpt-4o-mini", "/v1"),
    "anthropic": ("anthropic/claude-sonnet-4-5", ""),
    "gemini": ("gemini/gemini-2.5-flash", "/v1beta"),
    "ollama": ("ollama_chat/llama3.1", ""),
}
CANARY = "sk-fault-canary-0123456789"


@dataclass(frozen=True)
class Cell:
    fault: str
    mode: str
    provider: str

    @property
    def key(self) -> str:
        return f"{self.fault}/{self.mode}/{self.provider}"

    @property
    def stream(self) -> bool:
        return self.mode.endswith("stream")


def all_cells(faults: Iterable[str] = FAULTS, providers: Iterable[str] = PROVIDERS) -> List[Cell]:
    out = []
    for fault in faults:
        for provider in providers:
            for mode in MODES:
                stream = mode.endswith("stream")
                if (fault in BODY_ONLY and stream) or (fault in STREAM_ONLY and not stream):
                    continue
                out.append(Cell(fault, mode, provider))
    return out


@dataclass
class Outcome:
    ok: bool
    cls: Optional[str] = None  # the exception's class name
    status: Optional[int] = None
    message: Optional[str] = None  # the first 120 characters of str(exc)
    content: Optional[str] = None  # "<length>:<sha256 prefix>" of the assembled content
    attempts: int = 0
    elapsed: float = 0.0
    forwarded: Optional[bool] = None  # redirects: a credential reached the redirect's target
    inner: Optional[str] = None  # the class of a MidStreamFallbackError's original_exception

    def as_json(self) -> Dict[str, Any]:
        return asdict(self)


def timeout_of(cell: Cell) -> float:
    return HEAVY_TIMEOUT if cell.fault in HEAVY else TIMEOUT


def time_bound(cell: Cell, litellm_elapsed: float) -> float:
    """How long edgequake may take for a cell: the timeout plus a second, or litellm's own time plus
    a second where litellm took longer (its retries and their waits are part of the behaviour)."""
    return max(litellm_elapsed, timeout_of(cell)) + 1.0


def _kwargs(server: FaultServer, cell: Cell, cell_id: str) -> Dict[str, Any]:
    model, suffix = MODELS[cell.provider]
    return {
        "model": model,
        "messages": [{"role": "user", "content": "hi"}],
        "api_key": CANARY,
        "api_base": server.base(cell.fault, cell_id) + suffix,
        "timeout": timeout_of(cell),
        "stream": cell.stream,
    }


def _digest(text: str) -> str:
    return f"{len(text)}:{hashlib.sha256(text.encode('utf-8', 'surrogatepass')).hexdigest()[:12]}"


def _message_text(response: Any) -> str:
    return response.choices[0].message.content or ""


def _delta_text(chunks: List[Any]) -> str:
    return "".join((c.choices[0].delta.content or "") for c in chunks if c.choices)


def _failed(exc: BaseException) -> Outcome:
    if isinstance(exc, (KeyboardInterrupt, SystemExit)):
        raise exc
    status = getattr(exc, "status_code", None)
    inner = getattr(exc, "original_exception", None)
    return Outcome(
        ok=False,
        cls=type(exc).__name__,
        status=status if isinstance(status, int) else None,
        message=str(exc)[:120],
        inner=type(inner).__name__ if inner is not None else None,
    )


def _finish(out: Outcome, server: FaultServer, cell: Cell, cell_id: str, started: float) -> Outcome:
    out.elapsed = round(time.monotonic() - started, 2)
    out.attempts = server.attempts.get(cell_id, 0)
    if cell.fault.startswith("redirect"):
        out.forwarded = server.forwarded.get(cell_id)
    return out


def run_sync(module: Any, server: FaultServer, cell: Cell, cell_id: str) -> Outcome:
    started = time.monotonic()
    try:
        result = module.completion(**_kwargs(server, cell, cell_id))
        text = _delta_text(list(result)) if cell.stream else _message_text(result)
        out = Outcome(ok=True, content=_digest(text))
    except BaseException as exc:
        out = _failed(exc)
    return _finish(out, server, cell, cell_id, started)


async def run_async(module: Any, server: FaultServer, cell: Cell, cell_id: str) -> Outcome:
    started = time.monotonic()
    try:
        result = await module.acompletion(**_kwargs(server, cell, cell_id))
        text = _delta_text([c async for c in result]) if cell.stream else _message_text(result)
        out = Outcome(ok=True, content=_digest(text))
    except BaseException as exc:
        out = _failed(exc)
    return _finish(out, server, cell, cell_id, started)


def run_cells(
    module: Any,
    cells: List[Cell],
    parallel: int = 16,
    progress: Optional[Callable[[Cell, Outcome], None]] = None,
    warm: bool = True,
) -> Dict[str, Outcome]:
    """Every cell once, against one fault server: light cells many at a time (sync ones in threads,
    async ones in one loop), heavy ones one by one so their timing is their own."""
    results: Dict[str, Outcome] = {}

    def done(cell: Cell, out: Outcome) -> None:
        results[cell.key] = out
        if progress is not None:
            progress(cell, out)

    light = [c for c in cells if c.fault not in HEAVY]
    heavy = [c for c in cells if c.fault in HEAVY]
    with FaultServer() as server:
        ids = {c.key: f"{n}" for n, c in enumerate(cells)}
        if warm:  # only timing needs it
            _warm_up(module, server, {(c.provider, c.mode) for c in cells})
        for cell in heavy:
            server.prepare(cell.fault, cell.provider)
        sync_cells = [c for c in light if not c.mode.startswith("async")]
        async_cells = [c for c in light if c.mode.startswith("async")]

        async def gather() -> None:
            gate = asyncio.Semaphore(parallel)

            async def one(cell: Cell) -> None:
                async with gate:
                    done(cell, await run_async(module, server, cell, ids[cell.key]))

            await asyncio.gather(*(one(c) for c in async_cells))

        # The async cells' loop in a thread of its own, beside the sync cells' threads: the matrix
        # takes about as long as its slowest cell.
        loop_thread = threading.Thread(target=asyncio.run, args=(gather(),), name="fault-cells-async")
        loop_thread.start()
        with ThreadPoolExecutor(parallel) as pool:
            outs = pool.map(lambda c: run_sync(module, server, c, ids[c.key]), sync_cells)
            for cell, out in zip(sync_cells, outs):
                done(cell, out)
        loop_thread.join()
        for cell in heavy:
            if cell.mode.startswith("async"):
                done(cell, asyncio.run(run_async(module, server, cell, ids[cell.key])))
            else:
                done(cell, run_sync(module, server, cell, ids[cell.key]))
    return results


def _warm_up(module: Any, server: FaultServer, pairs: Iterable[Any]) -> None:
    # One plain call per provider and mode first: a library's first call imports and builds clients
    # (over a second for litellm), which would otherwise eat the first cells' one-second timeouts.
    for provider, mode in sorted(pairs):
        cell = Cell("ok", mode, provider)
        if mode.startswith("async"):
            asyncio.run(run_async(module, server, cell, "warm"))
        else:
            run_sync(module, server, cell, "warm")
