"""Measure one target in its own process: ``python -m bench.worker --route R --target NAME ...``.

The runner starts one worker per target so that no target pays for another's imports (litellm's
~3000 modules make every garbage collection in a shared process slower), so a crash or hang in one
client cannot take the run down, and so each target's RSS and thread count are its own. The worker
writes one JSON document to ``--out``; it never raises past ``main``.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import gc
import json
import sys
import time
import traceback
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from bench.bodies import STREAM_CHUNKS
from bench.embeddings import embedder
from bench.embeddings import expected as embedding_expected
from bench.routes import ROUTES
from bench.stats import summarize
from bench.targets import EXPECTED_TEXT, AsyncCall, Target, Unsupported


class Counter:
    def __init__(self) -> None:
        self.calls = 0


class Mismatch(Exception):
    """A warm-up answer differs from the server's fixed reply: the route is broken (an empty text,
    lost stream pieces), so its timings would measure a failure. The scenario becomes an error."""


def _check(label: str, got: object, expected: object) -> str:
    if got != expected:
        raise Mismatch(f"{label} mismatch: got {got!r}, expected {expected!r}")
    return "ok"


def bench_sync(
    fn: Callable[[], Any], expected: object, n: int, warmup: int, counter: Counter
) -> Dict[str, Any]:
    """Per-call latency (perf_counter) and client CPU (process_time, all threads) of ``fn``."""
    clock = time.perf_counter_ns
    start = clock()
    first = fn()
    first_ns = clock() - start
    counter.calls += 1
    check = _check("result", first, expected)
    for _ in range(max(warmup - 1, 0)):
        fn()
        counter.calls += 1
    gc.collect()
    latencies = [0] * n
    cpu0, wall0 = time.process_time_ns(), clock()
    for i in range(n):
        t = clock()
        fn()
        latencies[i] = clock() - t
    wall_ns, cpu_ns = clock() - wall0, time.process_time_ns() - cpu0
    counter.calls += n
    return {
        "n": n,
        "warmup": warmup,
        "first_call_ms": round(first_ns / 1e6, 3),
        "latency_us": summarize(latencies, scale=1e3),
        "cpu_us_per_call": round(cpu_ns / 1e3 / n, 1),
        "calls_per_s": round(n / (wall_ns / 1e9), 1),
        "check": check,
        "result_sample": first if isinstance(first, str) else len(first),
    }


def bench_stream(
    target: Target, chunks: int, n: int, warmup: int, counter: Counter
) -> Dict[str, Any]:
    """``bench_sync`` over whole ``chunks``-chunk streams, plus the time to the first text piece
    (from the call to the piece in the caller's hands) and client CPU per chunk."""
    expected = target.stream_size(chunks)
    clock = time.perf_counter_ns
    firsts: List[int] = []

    def one() -> Any:
        t = clock()
        pieces = target.stream()
        firsts.append(target.first_piece_ns - t)
        return pieces

    entry = bench_sync(one, expected, n, warmup, counter)
    timed = firsts[-n:]
    entry.pop("result_sample", None)
    entry["chunks"] = chunks
    entry["first_chunk_us"] = summarize(timed, scale=1e3)
    entry["cpu_us_per_chunk"] = round(entry["cpu_us_per_call"] / chunks, 2)
    return entry


async def _async_rounds(
    session_cm: Any, concurrency: int, rounds: int, warmup: int, counter: Counter
) -> Dict[str, Any]:
    clock = time.perf_counter_ns
    async with session_cm as acall:

        async def one(call: AsyncCall) -> Any:
            t = clock()
            text = await call()
            return clock() - t, text

        async def run_round() -> Sequence[Any]:
            results = await asyncio.gather(*(one(acall) for _ in range(concurrency)))
            counter.calls += concurrency
            return results

        check = "ok"
        for _ in range(warmup):
            for _, text in await run_round():
                check = _check("result", text, EXPECTED_TEXT)
        gc.collect()
        walls: List[int] = []
        latencies: List[int] = []
        cpu0 = time.process_time_ns()
        for _ in range(rounds):
            t0 = clock()
            results = await run_round()
            walls.append(clock() - t0)
            latencies.extend(r[0] for r in results)
        cpu_ns = time.process_time_ns() - cpu0
        # Every answer of every round, not just one: a client may fail only under concurrency.
        for _, text in results:
            check = _check("result", text, EXPECTED_TEXT)
    wall = summarize(walls, scale=1e6, digits=2)
    return {
        "concurrency": concurrency,
        "rounds": rounds,
        "warmup_rounds": warmup,
        "round_wall_ms": wall,
        "latency_ms": summarize(latencies, scale=1e6, digits=2),
        "cpu_us_per_request": round(cpu_ns / 1e3 / (rounds * concurrency), 1),
        "requests_per_s": round(concurrency / (wall["median"] / 1e3), 1) if wall else None,
        "check": check,
    }


def bench_async(
    target: Target, concurrency: int, rounds: int, warmup: int, counter: Counter
) -> Dict[str, Any]:
    return asyncio.run(_async_rounds(target.async_session(), concurrency, rounds, warmup, counter))


def async_plan(config: Dict[str, Any]) -> List[Tuple[str, int, int, int]]:
    """(result key, concurrency, timed rounds, warm-up rounds) per level: about the same number of
    requests at every level (``async_rounds`` rounds of 100), at most 10x as many rounds at low
    concurrency, at least one round at 10,000; no warm-up round above 1,000 (they are the slow ones)."""
    budget = config["async_rounds"] * 100
    plan = []
    for c in config.get("concurrency_levels", [config["concurrency"]]):
        key = "async" if c == config["concurrency"] else f"async_{c}"
        rounds = max(1, min(budget // c, 10 * config["async_rounds"]))
        plan.append((key, c, rounds, config["async_warmup"] if c <= 1000 else 0))
    return plan


def bench_memory(
    fn: Callable[[], Any], expected: object, n: int, counter: Counter, after_import: float
) -> Dict[str, Any]:
    """RSS after import (``after_import``, read right after setup), after a warm-up of 200 calls, and
    after ``n`` more sync calls."""
    _check("result", fn(), expected)
    for _ in range(199):
        fn()
    gc.collect()
    warm = _rss_mb()
    cpu0 = time.process_time_ns()
    for _ in range(n):
        fn()
    cpu_ns = time.process_time_ns() - cpu0
    gc.collect()
    end = _rss_mb()
    counter.calls += 200 + n
    return {
        "n": n,
        "rss_after_import_mb": after_import,
        "rss_after_warmup_mb": warm,
        "rss_after_mb": end,
        "rss_growth_mb": round(end - warm, 1),
        "cpu_us_per_call": round(cpu_ns / 1e3 / n, 1),
        "check": "ok",
    }


def _rss_mb() -> float:
    return round(int(_proc_status().get("VmRSS", "0 kB").split()[0]) / 1024, 1)


def _proc_status() -> Dict[str, str]:
    try:
        with open("/proc/self/status") as fh:
            return dict(line.rstrip("\n").split(":\t", 1) for line in fh if ":\t" in line)
    except OSError:
        return {}


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"[:300]


def run(name: str, base_url: str, config: Dict[str, Any], route: str = "openai") -> Dict[str, Any]:
    result: Dict[str, Any] = {"target": name, "route": route, "status": "ok", "scenarios": {}}
    target = ROUTES[route].targets[name]()
    t0 = time.perf_counter()
    try:
        target.setup(base_url)
    except ImportError as exc:
        result.update(status="not installed", reason=_describe(exc))
        return result
    except Exception as exc:
        traceback.print_exc()
        result.update(status="error", reason=f"setup failed: {_describe(exc)}")
        return result
    result["setup_s"] = round(time.perf_counter() - t0, 3)
    result["version"] = target.version()
    counter = Counter()
    after_import = _rss_mb()  # setup has imported the library, nothing more
    measures = plan(target, config, counter, route)
    if "memory" in config["scenarios"] and name in config.get("memory_targets", ()):
        # last: the sync scenario's first call must be the process's first call
        memory = functools.partial(
            bench_memory, target.call, EXPECTED_TEXT, config["memory_n"], counter, after_import
        )
        measures.append(("memory", memory))
    for scenario, measure in measures:
        try:
            result["scenarios"][scenario] = measure()
        except Mismatch as exc:
            result["scenarios"][scenario] = {"status": "error", "reason": str(exc)[:300], "check": "failed"}
        except Unsupported:
            result["scenarios"][scenario] = {
                "status": "n/a",
                "reason": f"{name} has no {scenario} client here",
            }
        except Exception as exc:
            traceback.print_exc()
            result["scenarios"][scenario] = {"status": "error", "reason": _describe(exc)}
    try:
        target.close()
    except Exception:
        traceback.print_exc()
    status = _proc_status()
    result["calls_made"] = counter.calls
    result["rss_mb_end"] = round(int(status.get("VmRSS", "0 kB").split()[0]) / 1024, 1)
    result["threads_end"] = int(status.get("Threads", "0"))
    result["modules_loaded"] = len(sys.modules)
    return result


Measure = Callable[[], Dict[str, Any]]


def plan(target: Target, config: Dict[str, Any], counter: Counter, route: str) -> List[Tuple[str, Measure]]:
    """The (result key, measurement) pairs of the configured scenarios, in run order."""
    wanted = config["scenarios"]
    out: List[Tuple[str, Measure]] = []
    if "sync" in wanted:
        sync = functools.partial(
            bench_sync, target.call, EXPECTED_TEXT, config["sync_n"], config["sync_warmup"], counter
        )
        out.append(("sync", sync))
    if "stream" in wanted:
        for chunks in config.get("stream_sizes", [STREAM_CHUNKS]):
            key = "stream" if chunks == STREAM_CHUNKS else f"stream_{chunks}"
            n = stream_count(config["stream_n"], chunks)
            warm = config["stream_warmup"] if chunks == STREAM_CHUNKS else min(config["stream_warmup"], 3)
            out.append((key, functools.partial(bench_stream, target, chunks, n, warm, counter)))
    if "async" in wanted:
        for key, c, rounds, warm in async_plan(config):
            out.append((key, functools.partial(bench_async, target, c, rounds, warm, counter)))
    if "embedding" in wanted and route == "openai":
        for inputs in config.get("embedding_inputs", [1, 256]):
            for encoding in ("float", "base64"):
                fn = embedder(target, inputs, encoding)
                if fn is None:
                    continue
                n = config["embedding_n"] if inputs == 1 else max(5, config["embedding_n"] // 10)
                want = embedding_expected(inputs, encoding)
                measure = functools.partial(bench_sync, fn, want, n, min(config["sync_warmup"], 5), counter)
                out.append((f"embedding_{inputs}_{encoding}", measure))
    return out


def stream_count(stream_n: int, chunks: int) -> int:
    """Fewer streams as they get longer (by the square root: 500 x 5 chunks, 112 x 100, 35 x 1000)."""
    if chunks <= STREAM_CHUNKS:
        return stream_n
    return max(3, round(stream_n * (STREAM_CHUNKS / chunks) ** 0.5))


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark one target (started by bench.run).")
    parser.add_argument("--route", default="openai", choices=sorted(ROUTES))
    parser.add_argument("--target", required=True)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--config", required=True, help="JSON object with scenarios and counts")
    parser.add_argument("--out", required=True, help="where to write the JSON result")
    args = parser.parse_args(argv)
    if args.target not in ROUTES[args.route].targets:
        parser.error(
            f"no target {args.target!r} on route {args.route} ({', '.join(ROUTES[args.route].targets)})"
        )
    try:
        result = run(args.target, args.base_url, json.loads(args.config), args.route)
    except BaseException as exc:  # report, never crash the run
        traceback.print_exc()
        result = {"target": args.target, "route": args.route, "status": "error", "reason": _describe(exc)}
        result["scenarios"] = {}
    with open(args.out, "w") as fh:
        json.dump(result, fh)
    return 0


if __name__ == "__main__":
    sys.exit(main())
