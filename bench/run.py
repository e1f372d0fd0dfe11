"""Benchmark edgequake against litellm, the openai SDK and raw httpx on one loopback server.

    python -m bench                 # full run, all default targets
    python -m bench --quick         # small counts, well under a minute
    python -m bench --targets litellm,openai --scenarios sync,stream

One run starts ``bench/server.py`` (pinned to CPU 1 when there are two or more CPUs), pins itself
to CPU 0, measures import cost in fresh interpreters, then starts one worker process per target
(``bench/worker.py``) that warms the target up and times the sync, stream and async scenarios.
Tables go to stdout; the full results go to ``bench/results/latest.json``. See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

if __package__ in (None, ""):  # run as `python bench/run.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.imports import BARE, measure_imports
from bench.report import RATIO_METRICS, add_first_call, add_ratios, lookup, render
from bench.targets import DEFAULT_TARGETS, TARGETS

REPO_ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = REPO_ROOT / "bench"
DEFAULT_OUTPUT = BENCH_DIR / "results" / "latest.json"
SCENARIOS = ("sync", "stream", "async", "import")
SCHEMA_VERSION = 1

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
        description="Compare edgequake, litellm, the openai SDK and raw httpx against one loopback server.",
    )
    parser.add_argument("--quick", action="store_true", help="small counts (finishes in well under 60 s)")
    names = tuple(TARGETS)
    parser.add_argument(
        "--targets",
        type=lambda v: _csv(v, names, "target"),
        default=list(DEFAULT_TARGETS),
        help=f"comma-separated, from {','.join(names)} (default {','.join(DEFAULT_TARGETS)})",
    )
    parser.add_argument(
        "--scenarios",
        type=lambda v: _csv(v, SCENARIOS, "scenario"),
        default=list(SCENARIOS),
        help=f"comma-separated, from {','.join(SCENARIOS)} (default all)",
    )
    for name, (full, quick) in COUNTS.items():
        parser.add_argument(
            "--" + name.replace("_", "-"),
            type=int,
            default=None,
            help=f"{HELP[name]} ({full}; quick {quick})",
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
    if args.passes < 1:
        parser.error("--passes must be at least 1")
    for name, (full, quick) in COUNTS.items():
        if getattr(args, name) is None:
            setattr(args, name, quick if args.quick else full)
        if getattr(args, name) < (0 if name.endswith("warmup") else 1):
            parser.error(f"--{name.replace('_', '-')} is too small")
    return args


def _cpu_plan(pin: bool) -> Tuple[Optional[int], Optional[int]]:
    """(client CPU, server CPU), or (None, None) when not pinning."""
    if not pin or not hasattr(os, "sched_getaffinity"):
        return None, None
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return None, None
    return cpus[0], cpus[1]


class Server:
    """The benchmark server as a child process; it exits when we close its stdin."""

    def __init__(self, cpu: Optional[int]) -> None:
        command = [sys.executable, str(BENCH_DIR / "server.py"), "--port", "0", "--exit-on-stdin-eof"]
        if cpu is not None:
            command += ["--cpu", str(cpu)]
        self.proc = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=str(REPO_ROOT)
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().decode().split()
        if len(line) != 2 or line[0] != "LISTENING":
            self.stop()
            raise RuntimeError(f"benchmark server did not start (said {line!r})")
        self.port = int(line[1])
        self.base_url = f"http://127.0.0.1:{self.port}/v1"

    def stats(self) -> Dict[str, Any]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("GET", "/_stats")
            return dict(json.loads(conn.getresponse().read()))
        finally:
            conn.close()

    def stop(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def run_worker(name: str, server: Server, config: Dict[str, Any], timeout: float) -> Dict[str, Any]:
    """Run bench.worker for one target; never raises for the target's failures."""
    before = server.stats()
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        out = Path(tmp) / "result.json"
        command = [
            sys.executable, "-m", "bench.worker", "--target", name, "--base-url", server.base_url,
            "--config", json.dumps(config), "--out", str(out),
        ]  # fmt: skip
        proc = subprocess.Popen(
            command, cwd=str(REPO_ROOT), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        try:
            log, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            log, _ = proc.communicate()
            reason = f"timed out after {timeout:.0f} s"
            return {"target": name, "status": "error", "reason": reason, "log_tail": log.splitlines()[-20:]}
        if out.exists():
            result = dict(json.loads(out.read_text()))
        else:
            tail = (log.strip().splitlines() or ["no output"])[-1]
            result = {"target": name, "status": "error", "reason": f"worker exit {proc.returncode}: {tail}"}
    if log.strip():
        result["log_tail"] = log.strip().splitlines()[-20:]
    after = server.stats()
    result["server_requests"] = after["requests"] - before["requests"]
    # minus one: the connection of the `after` stats query itself
    result["server_connections"] = after["connections"] - before["connections"] - 1
    calls = result.get("calls_made")
    failed = any(e.get("status", "ok") != "ok" for e in result.get("scenarios", {}).values())
    if calls is not None and not failed and calls != result["server_requests"]:
        result.setdefault("warnings", []).append(
            f"made {calls} calls but the server saw {result['server_requests']} requests"
        )
    return result


def run_workers(
    names: List[str], scenarios: List[str], server: Server, config: Dict[str, Any], args: argparse.Namespace
) -> Tuple[Dict[str, Dict[str, Dict[str, Any]]], Dict[str, Dict[str, Any]]]:
    """Run every target's worker ``--passes`` times (alternating order); keep each target's best pass."""
    results: Dict[str, Dict[str, Dict[str, Any]]] = {s: {} for s in scenarios}
    targets: Dict[str, Dict[str, Any]] = {}
    for pass_no in range(args.passes):
        order = names if pass_no % 2 == 0 else names[::-1]
        for name in order:
            if targets.get(name, {}).get("status") == "not installed":
                continue
            label = f" (pass {pass_no + 1}/{args.passes})" if args.passes > 1 else ""
            _log(f"{name}: {', '.join(scenarios)}{label} ...")
            outcome = run_worker(name, server, config, args.timeout)
            entries = outcome.pop("scenarios", {})
            if outcome.get("status") != "ok":
                failed = {"status": outcome.get("status", "error"), "reason": outcome.get("reason", "")}
                entries = {s: dict(failed) for s in scenarios}
            for scenario in scenarios:
                if scenario in entries:
                    _keep_best(results[scenario], name, scenario, entries[scenario], pass_no)
            for warning in outcome.get("warnings", []):
                _log(f"  warning: {name}: {warning}")
            previous = targets.get(name)
            if previous is not None and previous.get("status") == "ok" and outcome.get("status") != "ok":
                previous.setdefault("warnings", []).append(f"pass {pass_no + 1}: {outcome.get('reason')}")
            else:
                targets[name] = outcome
            time.sleep(0.3)  # let any background threads of the last target wind down
    return results, targets


def _keep_best(
    by_target: Dict[str, Dict[str, Any]], name: str, scenario: str, entry: Dict[str, Any], pass_no: int
) -> None:
    """Keep the pass with the lowest primary metric; record every pass's value in ``passes``."""
    path = next(iter(RATIO_METRICS[scenario].values()))
    value = lookup(entry, path) if entry.get("status", "ok") == "ok" else None
    current = by_target.get(name)
    history: List[Optional[float]] = current.get("passes", []) if current else []
    history.append(value)
    best = lookup(current, path) if current and current.get("status", "ok") == "ok" else None
    if current is None or (value is not None and (best is None or value < best)):
        entry["pass"] = pass_no + 1
        by_target[name] = entry
    by_target[name]["passes"] = history


def _machine(client_cpu: Optional[int], server_cpu: Optional[int]) -> Dict[str, Any]:
    model = ""
    try:
        with open("/proc/cpuinfo") as fh:
            model = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), "")
    except OSError:
        pass
    return {
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "executable": sys.executable,
        "cpu_model": model,
        "cpu_count": os.cpu_count(),
        "client_cpu": client_cpu,
        "server_cpu": server_cpu,
        "loadavg_at_start": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    # Inherited by every worker and import sample: never fetch litellm's cost map over the network.
    os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
    config: Dict[str, Any] = {name: getattr(args, name) for name in COUNTS}
    config["scenarios"] = args.scenarios
    config["targets"] = args.targets
    config["quick"] = args.quick
    config["passes"] = args.passes
    client_cpu, server_cpu = _cpu_plan(not args.no_pin)
    started = time.perf_counter()
    results: Dict[str, Dict[str, Dict[str, Any]]] = {}
    targets: Dict[str, Dict[str, Any]] = {}

    server = Server(server_cpu)
    try:
        if client_cpu is not None:
            os.sched_setaffinity(0, {client_cpu})  # inherited by workers and import samples
        _log(f"server {server.base_url} (cpu {server_cpu}), client cpu {client_cpu}")
        if "import" in args.scenarios:
            _log(f"import: {config['import_runs']} fresh interpreters per target ...")
            codes = {name: TARGETS[name]().import_code for name in args.targets}
            results["import"] = measure_imports(codes, config["import_runs"], cwd=str(REPO_ROOT))
        worker_scenarios = [s for s in args.scenarios if s != "import"]
        if worker_scenarios:
            worker_results, targets = run_workers(args.targets, worker_scenarios, server, config, args)
            results.update(worker_results)
        server_totals = server.stats()
    finally:
        server.stop()

    for name in args.targets:
        imp = results.get("import", {}).get(name)
        if name not in targets and imp is not None:
            targets[name] = {"target": name, "status": imp["status"], "reason": imp.get("reason", "")}
    add_first_call(results)
    add_ratios(results)
    document = {
        "schema_version": SCHEMA_VERSION,
        "generated_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "command": [Path(sys.executable).name, *(sys.argv if argv is None else ["-m", "bench", *argv])],
        "duration_s": round(time.perf_counter() - started, 1),
        "machine": _machine(client_cpu, server_cpu),
        "config": config,
        "server": {"base_url": server.base_url, "totals": server_totals},
        "targets": targets,
        "results": results,
    }
    print(_header(document))
    print(render(results, [*args.targets, BARE], config))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.output.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(document, indent=2) + "\n")
    tmp.replace(args.output)
    print(f"results written to {_display(args.output)} ({document['duration_s']} s)")
    return 0


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _header(document: Dict[str, Any]) -> str:
    machine = document["machine"]
    pin = (
        f"client on CPU {machine['client_cpu']}, server on CPU {machine['server_cpu']}"
        if machine["client_cpu"] is not None
        else "not pinned"
    )
    lines = [
        f"edgequake bench: Python {machine['python']} on {machine['cpu_model'] or platform.machine()}, "
        f"{machine['cpu_count']} CPUs, {pin}",
    ]
    load = machine.get("loadavg_at_start")
    if load and load[0] > 0.5:
        lines.append(
            f"  ! load average {load[0]:.2f} at start: other processes are using the CPUs, "
            "so these numbers are noisy (compare ratios within this run, not across runs)"
        )
    for name, info in document["targets"].items():
        if info.get("status") == "ok":
            extra = (
                f"RSS after run {info.get('rss_mb_end')} MB, {info.get('threads_end')} threads, "
                f"{info.get('server_connections')} connections for {info.get('server_requests')} requests"
            )
            lines.append(f"  {name:<10} {info.get('version') or '?':<10} {extra}")
        else:
            lines.append(f"  {name:<10} {info.get('status')}: {info.get('reason', '')}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
