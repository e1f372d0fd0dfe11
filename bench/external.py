"""The measurements that are not a Python target in a worker: the Rust-only floor client
(``core/examples/floor.rs``) and the harness replaying the whole cassette library.

The floor is built with ``cargo build --release --example floor`` when cargo is present (once; the
binary is reused while it is newer than its source) and reported as ``not built`` otherwise. Its raw
samples are summarised here exactly as a worker summarises a Python target's, so its rows sit in the
same tables (target name ``floor``, OpenAI route).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

from bench.bodies import STREAM_CHUNKS
from bench.host import REPO_ROOT
from bench.stats import summarize
from bench.worker import async_plan, stream_count

FLOOR = "floor"
FLOOR_SOURCE = REPO_ROOT / "core" / "examples" / "floor.rs"
FLOOR_BINARY = REPO_ROOT / "target" / "release" / "examples" / "floor"


def floor_binary(log: Callable[[str], None]) -> Dict[str, Any]:
    """{"status": "ok", "path": ...} or {"status": "not built", "reason": ...}."""
    fresh = FLOOR_BINARY.exists() and FLOOR_BINARY.stat().st_mtime >= FLOOR_SOURCE.stat().st_mtime
    if fresh:
        return {"status": "ok", "path": str(FLOOR_BINARY)}
    cargo = shutil.which("cargo")
    if cargo is None:
        return {"status": "not built", "reason": "cargo not found (the floor is core/examples/floor.rs)"}
    log("floor: cargo build --release --example floor ...")
    proc = subprocess.run(
        [cargo, "build", "--release", "--example", "floor", "-q"],
        cwd=str(REPO_ROOT), capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    if proc.returncode != 0 or not FLOOR_BINARY.exists():
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {"status": "not built", "reason": f"cargo build failed: {tail[:300]}"}
    return {"status": "ok", "path": str(FLOOR_BINARY)}


def run_floor(
    binary: Dict[str, Any], base_url: str, config: Dict[str, Any], timeout: float
) -> Dict[str, Dict[str, Any]]:
    """The floor's entries, by result key (``sync``, ``stream``, ``stream_100``, ``async``, ...)."""
    wanted = config["scenarios"]
    keys = [k for k in ("sync", "stream", "async") if k in wanted]
    if binary.get("status") != "ok":
        return {k: {"status": "not built", "reason": binary.get("reason", "")} for k in keys}
    sizes = config.get("stream_sizes", [STREAM_CHUNKS]) if "stream" in wanted else []
    streams = ",".join(f"{c}:{stream_count(config['stream_n'], c)}" for c in sizes)
    levels = async_plan(config) if "async" in wanted else []
    command = [
        binary["path"], "--base-url", base_url, "--sync-n", str(config["sync_n"]),
        "--stream", streams, "--async", ",".join(f"{c}:{rounds}" for _, c, rounds, _ in levels),
    ]  # fmt: skip
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        raw = json.loads(proc.stdout) if proc.returncode == 0 else None
        reason = (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"])[-1]
    except (subprocess.TimeoutExpired, ValueError) as exc:
        raw, reason = None, f"{type(exc).__name__}: {exc}"[:300]
    if raw is None:
        return {k: {"status": "error", "reason": reason[:300]} for k in keys}
    out: Dict[str, Dict[str, Any]] = {}
    if "sync" in raw and "sync" in wanted:  # the binary always runs it (its warm-up)
        out["sync"] = _sync_entry(raw["sync"])
    for chunks in sizes:
        entry = _sync_entry(raw[f"stream_{chunks}"])
        entry.update(
            chunks=chunks,
            first_chunk_us=summarize(raw[f"stream_{chunks}"]["first_ns"], scale=1e3),
            cpu_us_per_chunk=round(entry["cpu_us_per_call"] / chunks, 2),
        )
        out["stream" if chunks == STREAM_CHUNKS else f"stream_{chunks}"] = entry
    for key, c, rounds, _ in levels:
        got = raw[f"async_{c}"]
        wall = summarize(got["walls_ns"], scale=1e6, digits=2)
        out[key] = {
            "concurrency": c,
            "rounds": rounds,
            "round_wall_ms": wall,
            "latency_ms": summarize(got["latencies_ns"], scale=1e6, digits=2),
            "cpu_us_per_request": round(got["cpu_ns"] / 1e3 / (rounds * c), 1),
            "requests_per_s": round(c / (wall["median"] / 1e3), 1) if wall else None,
            "check": "ok",
        }
    return out


def _sync_entry(got: Dict[str, Any]) -> Dict[str, Any]:
    n = got["n"]
    return {
        "n": n,
        "latency_us": summarize(got["latencies_ns"], scale=1e3),
        "cpu_us_per_call": round(got["cpu_ns"] / 1e3 / n, 1),
        "check": "ok",
    }


def run_harness(log: Callable[[str], None], timeout: float) -> Dict[str, Any]:
    """Seconds to replay the whole library (both targets, sync and async), without and with the call
    variants, unpinned (the harness's own default way of running), with the outcome counts."""
    out: Dict[str, Any] = {}
    for label, extra in (("no_call_variants", ["--no-call-variants"]), ("with_call_variants", [])):
        report_dir = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-harness-{os.getpid()}-{label}"
        command = [
            sys.executable, "-m", "edgequake_harness", "run", "cassettes", *extra,
            "--report-dir", str(report_dir), "--exit-zero", "--no-progress",
        ]  # fmt: skip
        log(f"harness: {' '.join(command[1:])} ...")
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(
                command, cwd=str(REPO_ROOT), capture_output=True, text=True, timeout=timeout,
                preexec_fn=_unpin,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            out[label] = {"status": "error", "reason": f"timed out after {timeout:.0f} s"}
            continue
        seconds = round(time.perf_counter() - t0, 1)
        if proc.returncode != 0:
            tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            out[label] = {"status": "error", "reason": tail[:300], "seconds": seconds}
            continue
        out[label] = {"status": "ok", "seconds": seconds, "outcomes": _outcomes(report_dir)}
        shutil.rmtree(report_dir, ignore_errors=True)
    return out


def _unpin() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, range(os.cpu_count() or 1))


def _outcomes(report_dir: Path) -> Optional[Dict[str, int]]:
    try:
        doc = json.loads((report_dir / "compat.json").read_text())
    except (OSError, ValueError):
        return None
    counts: Dict[str, int] = {}
    cases: List[Dict[str, Any]] = doc.get("cases", [])
    for case in cases:
        for outcome in _case_outcomes(case):
            counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def _case_outcomes(case: Dict[str, Any]) -> List[str]:
    modes = case.get("modes")
    if isinstance(modes, dict):
        return [str(m.get("outcome")) for m in modes.values() if isinstance(m, dict)]
    return [str(case.get("outcome"))]
