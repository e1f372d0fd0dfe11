"""The runner's command line: scenarios, counts (full and --quick), list options, and the JSON
schema version they are written under."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from bench.routes import ALL_TARGET_NAMES, DEFAULT_ROUTES, ROUTES

DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results" / "latest.json"
SCENARIOS = ("sync", "stream", "async", "embedding", "memory", "import", "floor", "harness")
QUICK_SCENARIOS = ("sync", "stream", "async", "embedding", "memory", "import", "floor")
# 2: results per route under "routes"; the top-level "results" and "targets" are the OpenAI route's,
# at the paths schema 1 had, so older results still compare.
# 3: more result keys beside schema 2's (which keep their meaning: "stream" is the 5-chunk stream,
# "async" concurrency 100): stream_<n>, async_<c>, embedding_<inputs>_<encoding>, memory; the
# `floor` target; top-level "harness"; config gains stream_sizes, concurrency_levels, embedding_n,
# memory_n, memory_targets. See bench/results/README.md.
SCHEMA_VERSION = 3

# name: (full run, --quick)
COUNTS: Dict[str, Tuple[int, int]] = {
    "sync_n": (1000, 200),
    "sync_warmup": (50, 20),
    "stream_n": (500, 100),
    "stream_warmup": (30, 10),
    "concurrency": (100, 100),
    "async_rounds": (20, 3),
    "async_warmup": (2, 1),
    "import_runs": (7, 3),
    "embedding_n": (200, 30),
    "memory_n": (100_000, 2_000),
}
# name: (full run, --quick, help)
LISTS: Dict[str, Tuple[str, str, str]] = {
    "stream_sizes": ("5,100,1000", "5,100,1000", "chunks per stream, one (b) table each"),
    "concurrency_levels": (
        "1,10,100,1000,10000",
        "1,10,100,1000,10000",
        "concurrent calls per round, one (c) table each",
    ),
    "memory_targets": ("edgequake,httpx", "edgequake,httpx", "targets that run the memory scenario"),
}
HELP = {
    "sync_n": "timed calls in the sync scenario",
    "sync_warmup": "untimed calls first (the first one is reported as '1st call')",
    "stream_n": "timed streams in the stream scenario",
    "stream_warmup": "untimed streams first",
    "concurrency": "concurrent async calls per round",
    "async_rounds": "timed rounds of concurrent calls",
    "async_warmup": "untimed rounds first",
    "import_runs": "timed fresh-interpreter imports per target (after one untimed round)",
    "embedding_n": "timed embedding calls with 1 input (a tenth as many with 256)",
    "memory_n": "sync calls between the memory scenario's RSS readings",
}


def _csv(value: str, allowed: Tuple[str, ...], what: str) -> List[str]:
    items = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [v for v in items if v not in allowed]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown {what}: {', '.join(unknown)} (choose from {', '.join(allowed)})"
        )
    return items


def parse_args(argv: Optional[List[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Compare edgequake, litellm, provider SDKs and raw httpx on one loopback server.",
    )
    parser.add_argument("--quick", action="store_true", help="small counts (a smoke test)")
    parser.add_argument(
        "--routes",
        type=lambda v: _csv(v, DEFAULT_ROUTES, "route"),
        default=list(DEFAULT_ROUTES),
        help=f"comma-separated, from {','.join(DEFAULT_ROUTES)} (default all)",
    )
    defaults = "; ".join(f"{r.name}: {','.join(r.defaults)}" for r in ROUTES.values())
    parser.add_argument(
        "--targets",
        type=lambda v: _csv(v, ALL_TARGET_NAMES, "target"),
        default=None,
        help=f"comma-separated, from {','.join(ALL_TARGET_NAMES)}; each route runs those it has "
        f"(default per route: {defaults})",
    )
    parser.add_argument(
        "--scenarios",
        type=lambda v: _csv(v, SCENARIOS, "scenario"),
        default=None,
        help=f"comma-separated, from {','.join(SCENARIOS)} (default all; --quick: all but harness)",
    )
    for name, (full, quick) in COUNTS.items():
        parser.add_argument(
            "--" + name.replace("_", "-"),
            type=int,
            default=None,
            help=f"{HELP[name]} ({full}; quick {quick})",
        )
    for name, (full, quick, text) in LISTS.items():
        parser.add_argument(
            "--" + name.replace("_", "-"), default=None, help=f"{text} ({full}; quick {quick})"
        )
    parser.add_argument(
        "--passes",
        type=int,
        default=1,
        help="run the worker scenarios this many times, alternating target order, and keep each "
        "target's best pass (steadier on a busy machine; default 1)",
    )
    parser.add_argument("--no-pin", action="store_true", help="do not pin server and client to CPUs")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds allowed per target worker")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="JSON results path")
    args = parser.parse_args(argv)
    if args.scenarios is None:
        args.scenarios = list(QUICK_SCENARIOS if args.quick else SCENARIOS)
    for name, (full, quick, _) in LISTS.items():
        raw = getattr(args, name) or (quick if args.quick else full)
        items = [v.strip() for v in raw.split(",") if v.strip()]
        if name != "memory_targets":
            try:
                items = [int(v) for v in items]  # type: ignore[misc]
            except ValueError:
                parser.error(f"--{name.replace('_', '-')} takes comma-separated integers")
            if any(v < (3 if name == "stream_sizes" else 1) for v in items):  # type: ignore[operator]
                parser.error(f"--{name.replace('_', '-')}: a value is too small")
        setattr(args, name, items)
    if args.passes < 1:
        parser.error("--passes must be at least 1")
    for name, (full, quick) in COUNTS.items():
        if getattr(args, name) is None:
            setattr(args, name, quick if args.quick else full)
        if getattr(args, name) < (0 if name.endswith("warmup") else 1):
            parser.error(f"--{name.replace('_', '-')} is too small")
    return args
