"""Benchmark edgequake against litellm, the providers' SDKs and raw httpx on one loopback server.

    python -m bench                 # full run: every route, all default targets
    python -m bench --quick         # small counts
    python -m bench --routes anthropic --targets edgequake,litellm --scenarios sync,stream

One run starts ``bench/server.py`` (pinned to CPU 1 when there are two or more CPUs), pins itself
to CPU 0, measures import cost in fresh interpreters, then, route by route (OpenAI, Anthropic,
Gemini wires), starts one worker process per target (``bench/worker.py``) that warms the target up,
checks its answers and times the sync, stream and async scenarios. Tables go to stdout, per route;
the full results go to ``bench/results/latest.json``. See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import copy
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

if __package__ in (None, ""):  # run as `python bench/run.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.external import FLOOR, floor_binary, run_floor, run_harness
from bench.host import REPO_ROOT, Server, cpu_plan, machine
from bench.imports import BARE, measure_imports
from bench.options import COUNTS, LISTS, SCHEMA_VERSION, parse_args
from bench.report import add_first_call, add_ratios, header, lookup, metrics_for, render, render_harness
from bench.routes import ROUTES, Route


def run_worker(
    route: Route, name: str, server: Server, config: Dict[str, Any], timeout: float
) -> Dict[str, Any]:
    """Run bench.worker for one target of one route; never raises for the target's failures."""
    before = server.stats()
    base_url = route.base_url(server.root_url)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        out = Path(tmp) / "result.json"
        command = [
            sys.executable, "-m", "bench.worker", "--route", route.name, "--target", name,
            "--base-url", base_url, "--config", json.dumps(config), "--out", str(out),
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
    route: Route,
    names: List[str],
    scenarios: List[str],
    server: Server,
    config: Dict[str, Any],
    args: argparse.Namespace,
) -> Tuple[Dict[str, Dict[str, Dict[str, Any]]], Dict[str, Dict[str, Any]]]:
    """Run every target's worker ``--passes`` times (alternating order); keep each target's best pass."""
    results: Dict[str, Dict[str, Dict[str, Any]]] = {}
    targets: Dict[str, Dict[str, Any]] = {}
    for pass_no in range(args.passes):
        order = names if pass_no % 2 == 0 else names[::-1]
        for name in order:
            if targets.get(name, {}).get("status") == "not installed":
                continue
            label = f" (pass {pass_no + 1}/{args.passes})" if args.passes > 1 else ""
            _log(f"{route.name}/{name}: {', '.join(scenarios)}{label} ...")
            outcome = run_worker(route, name, server, config, args.timeout)
            entries = outcome.pop("scenarios", {})
            if outcome.get("status") != "ok":
                failed = {"status": outcome.get("status", "error"), "reason": outcome.get("reason", "")}
                entries = {s: dict(failed) for s in scenarios}
            for key, entry in entries.items():  # result keys: stream_100, async_1000, ...
                _keep_best(results.setdefault(key, {}), name, key, entry, pass_no)
            for warning in outcome.get("warnings", []):
                _log(f"  warning: {route.name}/{name}: {warning}")
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
    path = next(iter(metrics_for(scenario).values()))
    value = lookup(entry, path) if entry.get("status", "ok") == "ok" else None
    current = by_target.get(name)
    history: List[Optional[float]] = current.get("passes", []) if current else []
    history.append(value)
    best = lookup(current, path) if current and current.get("status", "ok") == "ok" else None
    if current is None or (value is not None and (best is None or value < best)):
        entry["pass"] = pass_no + 1
        by_target[name] = entry
    by_target[name]["passes"] = history


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def route_targets(args: argparse.Namespace) -> Dict[str, List[str]]:
    """Each selected route's targets: its defaults, or those of ``--targets`` it has."""
    plan: Dict[str, List[str]] = {}
    for name in args.routes:
        route = ROUTES[name]
        wanted = list(route.defaults) if args.targets is None else args.targets
        chosen = [t for t in wanted if t in route.targets]
        if chosen:
            plan[name] = chosen
        else:
            _log(f"route {name}: none of {', '.join(wanted)} speaks it; skipped")
    return plan


def measure_all_imports(plan: Dict[str, List[str]], runs: int) -> Dict[str, Dict[str, Any]]:
    """Import cost does not depend on the route, so each distinct import is measured once, for all."""
    codes: Dict[str, str] = {}
    for route_name, names in plan.items():
        for name in names:
            code = ROUTES[route_name].targets[name]().import_code
            if codes.setdefault(name, code) != code:  # a name must mean one library on every route
                raise RuntimeError(f"target {name} imports differently on route {route_name}")
    return measure_imports(codes, runs, cwd=str(REPO_ROOT))


def _route_results(
    route: Route, names: List[str], imports: Optional[Dict[str, Dict[str, Any]]], server: Server,
    config: Dict[str, Any], args: argparse.Namespace, floor: Optional[Dict[str, Any]] = None,
) -> Dict[str, Any]:  # fmt: skip
    results: Dict[str, Dict[str, Dict[str, Any]]] = {}
    targets: Dict[str, Dict[str, Any]] = {}
    if imports is not None:  # a copy per route: ratios and +1st call are the route's own
        results["import"] = {n: copy.deepcopy(e) for n, e in imports.items() if n in names or n == BARE}
    worker_scenarios = [s for s in args.scenarios if s not in ("import", "floor", "harness")]
    if worker_scenarios:
        worker_results, targets = run_workers(route, names, worker_scenarios, server, config, args)
        for key, by_target in worker_results.items():
            results.setdefault(key, {}).update(by_target)
    if floor is not None and route.name == "openai":
        _log("openai/floor: " + ", ".join(s for s in ("sync", "stream", "async") if s in args.scenarios))
        before = server.stats()
        for key, entry in run_floor(floor, route.base_url(server.root_url), config, args.timeout).items():
            results.setdefault(key, {})[FLOOR] = entry
        after = server.stats()
        targets[FLOOR] = {
            "target": FLOOR, "status": floor["status"], "reason": floor.get("reason", ""),
            "version": "reqwest (core/examples/floor.rs)",
            "server_requests": after["requests"] - before["requests"],
            "server_connections": after["connections"] - before["connections"] - 1,
        }  # fmt: skip
    for name in names:
        imp = results.get("import", {}).get(name)
        if name not in targets and imp is not None:
            targets[name] = {"target": name, "status": imp["status"], "reason": imp.get("reason", "")}
    add_first_call(results)
    add_ratios(results)
    return {
        "model": route.model,
        "wire": route.wire,
        "base_url": route.base_url(server.root_url),
        "order": [*names, FLOOR] if FLOOR in targets else names,
        "targets": targets,
        "results": results,
    }


def mismatches(routes: Dict[str, Dict[str, Any]]) -> List[str]:
    """Every scenario whose warm-up answers were wrong: the run then exits non-zero."""
    return [
        f"{route}/{name} {scenario}: {entry.get('reason', '')}"
        for route, doc in routes.items()
        for scenario, by_target in doc["results"].items()
        for name, entry in by_target.items()
        if entry.get("check") == "failed"
    ]


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    # Inherited by every worker and import sample: never fetch litellm's cost map over the network.
    os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
    plan = route_targets(args)
    config: Dict[str, Any] = {name: getattr(args, name) for name in COUNTS}
    config["scenarios"] = args.scenarios
    config["routes"] = list(plan)
    config["targets"] = plan.get("openai", [])  # schema 1's key: the OpenAI route's targets
    config["targets_by_route"] = plan
    config["quick"] = args.quick
    config["passes"] = args.passes
    for name in LISTS:
        config[name] = getattr(args, name)
    if args.concurrency not in config["concurrency_levels"]:  # the primary level is always measured
        config["concurrency_levels"] = sorted({*config["concurrency_levels"], args.concurrency})
    client_cpu, server_cpu = cpu_plan(not args.no_pin)
    started = time.perf_counter()
    routes: Dict[str, Dict[str, Any]] = {}

    server = Server(server_cpu)
    try:
        if client_cpu is not None:
            os.sched_setaffinity(0, {client_cpu})  # inherited by workers and import samples
        _log(f"server {server.root_url} (cpu {server_cpu}), client cpu {client_cpu}")
        imports = None
        if "import" in args.scenarios and plan:
            _log(f"import: {config['import_runs']} fresh interpreters per target ...")
            imports = measure_all_imports(plan, config["import_runs"])
        floor = floor_binary(_log) if "floor" in args.scenarios and "openai" in plan else None
        for route_name, names in plan.items():
            routes[route_name] = _route_results(
                ROUTES[route_name], names, imports, server, config, args, floor
            )
        server_totals = server.stats()
    finally:
        server.stop()
    harness = run_harness(_log, args.timeout) if "harness" in args.scenarios else None

    openai = routes.get("openai", {})
    document = {
        "schema_version": SCHEMA_VERSION,
        "generated_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "command": [Path(sys.executable).name, *(sys.argv if argv is None else ["-m", "bench", *argv])],
        "duration_s": round(time.perf_counter() - started, 1),
        "machine": machine(client_cpu, server_cpu),
        "config": config,
        "server": {"base_url": server.base_url, "root_url": server.root_url, "totals": server_totals},
        "targets": openai.get("targets", {}),
        "results": openai.get("results", {}),
        "routes": routes,
    }
    if harness is not None:
        document["harness"] = harness
    print(header(document))
    for route_name, doc in routes.items():
        print(f"=== route {route_name}: model {doc['model']}, {doc['wire']} ===\n")
        shape = {"stream_shape": ROUTES[route_name].stream_shape}
        print(render(doc["results"], [*doc["order"], BARE], {**config, **shape}))
    if harness is not None:
        print(render_harness(harness))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.output.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(document, indent=2) + "\n")
    tmp.replace(args.output)
    print(f"results written to {_display(args.output)} ({document['duration_s']} s)")
    failed = mismatches(routes)
    for line in failed:
        _log(f"! wrong answer: {line}")
    return 1 if failed else 0


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
