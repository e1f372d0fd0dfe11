"""Ratios against the baselines, and the plain-text tables the runner prints."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple

from bench.stats import ratio

BASELINES = ("litellm", "httpx")
SCENARIO_ORDER = ("sync", "stream", "async", "embedding", "memory", "import")
Path = Tuple[str, ...]

# Metrics given as ratios in the JSON; the first one of each scenario is also shown in the table.
RATIO_METRICS: Dict[str, Dict[str, Path]] = {
    "sync": {
        "median_us": ("latency_us", "median"),
        "p90_us": ("latency_us", "p90"),
        "cpu_us_per_call": ("cpu_us_per_call",),
    },
    "stream": {
        "median_us": ("latency_us", "median"),
        "p90_us": ("latency_us", "p90"),
        "cpu_us_per_call": ("cpu_us_per_call",),
    },
    "async": {
        "round_wall_ms": ("round_wall_ms", "median"),
        "latency_median_ms": ("latency_ms", "median"),
        "cpu_us_per_request": ("cpu_us_per_request",),
    },
    "import": {
        "import_ms": ("import_ms",),
        "import_plus_first_call_ms": ("import_plus_first_call_ms",),
        "rss_mb": ("rss_mb",),
    },
}

# (header, path, format) per column.
COLUMNS: Dict[str, List[Tuple[str, Path, str]]] = {
    "sync": [
        ("median us", ("latency_us", "median"), "{:.0f}"),
        ("p90 us", ("latency_us", "p90"), "{:.0f}"),
        ("CPU us/call", ("cpu_us_per_call",), "{:.0f}"),
        ("1st call ms", ("first_call_ms",), "{:.1f}"),
    ],
    "stream": [
        ("median us", ("latency_us", "median"), "{:.0f}"),
        ("p90 us", ("latency_us", "p90"), "{:.0f}"),
        ("CPU us/call", ("cpu_us_per_call",), "{:.0f}"),
        ("1st call ms", ("first_call_ms",), "{:.1f}"),
    ],
    "async": [
        ("wall ms", ("round_wall_ms", "median"), "{:.1f}"),
        ("req/s", ("requests_per_s",), "{:.0f}"),
        ("req med ms", ("latency_ms", "median"), "{:.1f}"),
        ("req p90 ms", ("latency_ms", "p90"), "{:.1f}"),
        ("CPU us/req", ("cpu_us_per_request",), "{:.0f}"),
    ],
    "import": [
        ("import ms", ("import_ms",), "{:.0f}"),
        ("process ms", ("process_wall_ms",), "{:.0f}"),
        ("in-proc ms", ("in_process_ms",), "{:.0f}"),
        ("+1st call ms", ("import_plus_first_call_ms",), "{:.0f}"),
        ("RSS MB", ("rss_mb",), "{:.1f}"),
        ("+RSS MB", ("rss_delta_mb",), "{:.1f}"),
        ("modules", ("modules",), "{:d}"),
    ],
}


_STREAM_METRICS: Dict[str, Path] = {
    **RATIO_METRICS["stream"],
    "first_chunk_median_us": ("first_chunk_us", "median"),
    "cpu_us_per_chunk": ("cpu_us_per_chunk",),
}
RATIO_METRICS["memory"] = {
    "rss_growth_mb": ("rss_growth_mb",),
    "rss_after_import_mb": ("rss_after_import_mb",),
}
COLUMNS["stream_n"] = [
    ("median us", ("latency_us", "median"), "{:.0f}"),
    ("p90 us", ("latency_us", "p90"), "{:.0f}"),
    ("1st chunk us", ("first_chunk_us", "median"), "{:.0f}"),
    ("CPU us/call", ("cpu_us_per_call",), "{:.0f}"),
    ("CPU us/chunk", ("cpu_us_per_chunk",), "{:.2f}"),
]
COLUMNS["async_n"] = [
    ("wall ms", ("round_wall_ms", "median"), "{:.1f}"),
    ("req/s", ("requests_per_s",), "{:.0f}"),
    ("req p50 ms", ("latency_ms", "median"), "{:.1f}"),
    ("req p99 ms", ("latency_ms", "p99"), "{:.1f}"),
    ("CPU us/req", ("cpu_us_per_request",), "{:.0f}"),
    ("rounds", ("rounds",), "{:d}"),
]
COLUMNS["embedding"] = COLUMNS["sync"][:3]
COLUMNS["memory"] = [
    ("calls", ("n",), "{:d}"),
    ("RSS import MB", ("rss_after_import_mb",), "{:.1f}"),
    ("RSS warm MB", ("rss_after_warmup_mb",), "{:.1f}"),
    ("RSS end MB", ("rss_after_mb",), "{:.1f}"),
    ("growth MB", ("rss_growth_mb",), "{:.1f}"),
    ("CPU us/call", ("cpu_us_per_call",), "{:.0f}"),
]


def kind(key: str) -> str:
    """The scenario a result key belongs to: stream_100 -> stream, embedding_1_float -> embedding."""
    return key.split("_", 1)[0]


def metrics_for(key: str) -> Dict[str, Path]:
    """Ratio metrics of a result key (the first is the primary one, shown in the tables)."""
    if key.startswith("stream"):
        return _STREAM_METRICS
    if key.startswith("embedding"):
        return RATIO_METRICS["sync"]
    return RATIO_METRICS.get(kind(key), {})


def columns_for(key: str) -> List[Tuple[str, Path, str]]:
    if key.startswith("stream"):
        return COLUMNS["stream_n"]
    if key.startswith("async"):
        return COLUMNS["async_n"]
    return COLUMNS[kind(key)]


def ordered_keys(results: Dict[str, Any]) -> List[str]:
    """Result keys in table order: scenarios in SCENARIO_ORDER, sizes ascending within each."""

    def size(key: str) -> Tuple[int, ...]:
        parts = key.split("_")[1:]
        if not parts:  # the schema-2 keys: the 5-chunk stream, concurrency 100
            return (5,) if key == "stream" else (100,)
        return (int(parts[0]) if parts[0].isdigit() else 0, 0 if parts[-1] == "float" else 1)

    order = {name: i for i, name in enumerate(SCENARIO_ORDER)}
    return sorted(results, key=lambda k: (order.get(kind(k), len(order)), size(k)))


def lookup(entry: Dict[str, Any], path: Path) -> Optional[Any]:
    value: Any = entry
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def add_first_call(results: Dict[str, Dict[str, Dict[str, Any]]]) -> None:
    """import_ms + the sync scenario's first call: time to a first response, for lazy-loading libraries."""
    for name, entry in results.get("import", {}).items():
        first = lookup(results.get("sync", {}).get(name, {}), ("first_call_ms",))
        if entry.get("status") == "ok" and isinstance(first, (int, float)):
            entry["import_plus_first_call_ms"] = round(entry["import_ms"] + first, 1)


def add_ratios(results: Dict[str, Dict[str, Dict[str, Any]]]) -> None:
    """Give every measured entry ``ratios = {"vs_litellm": {...}, "vs_httpx": {...}}`` (value / base)."""
    for scenario, by_target in results.items():
        metrics = metrics_for(scenario)
        for entry in by_target.values():
            if not _measured(entry) or entry.get("reference_only"):
                continue
            entry["ratios"] = {
                f"vs_{base}": {
                    metric: ratio(lookup(entry, path), _base_value(by_target, base, path))
                    for metric, path in metrics.items()
                }
                for base in BASELINES
            }


def _measured(entry: Dict[str, Any]) -> bool:
    return bool(entry.get("status", "ok") == "ok")


def _base_value(by_target: Dict[str, Dict[str, Any]], base: str, path: Path) -> Optional[float]:
    entry = by_target.get(base)
    if entry is None or not _measured(entry):
        return None
    value = lookup(entry, path)
    return float(value) if isinstance(value, (int, float)) else None


def _fmt(fmt: str, value: Optional[Any]) -> str:
    if value is None:
        return "-"
    try:
        return fmt.format(value)
    except (ValueError, TypeError):
        return str(value)


def _fmt_ratio(value: Optional[float]) -> str:
    return "-" if value is None else f"{value:.2f}x"


TITLES = {
    "sync": "(a) sync, non-streaming: one call per iteration",
    "stream": "(b) sync stream: one {stream_shape} consumed fully per iteration",
    "stream_n": "(b) sync stream: one {chunks}-chunk stream ({pieces} text pieces) consumed fully",
    "async": "(c) async: {concurrency} concurrent calls per round (wall = one round)",
    "embedding": "(e) embedding: {inputs} input(s) x 1,536 floats, encoding_format={encoding}",
    "memory": "(f) memory: RSS after import, after 200 warm-up calls, after {memory_n} more sync calls",
    "import": "(d) import: fresh interpreter per sample, over a bare interpreter",
}


def title(key: str, config: Dict[str, Any]) -> str:
    values: Dict[str, Any] = {"stream_shape": "5-chunk stream", **config}
    parts = key.split("_")
    if key.startswith("stream_"):
        values.update(chunks=int(parts[1]), pieces=int(parts[1]) - 2)
        return TITLES["stream_n"].format(**values)
    if key.startswith("async"):
        values["concurrency"] = int(parts[1]) if len(parts) > 1 else config.get("concurrency")
    if key.startswith("embedding"):
        values.update(inputs=parts[1], encoding=parts[2])
    return TITLES[kind(key)].format(**values)


def render(
    results: Dict[str, Dict[str, Dict[str, Any]]], order: Sequence[str], config: Dict[str, Any]
) -> str:
    """All scenario tables as one string."""
    out: List[str] = []
    for scenario in ordered_keys(results):
        by_target = {n: e for n, e in results[scenario].items() if e.get("status") != "n/a"}
        if not by_target:
            continue
        columns = columns_for(scenario)
        primary = next(iter(metrics_for(scenario)))
        headers = ["target", *(c[0] for c in columns), "vs litellm", "vs httpx"]
        rows: List[List[str]] = []
        notes: List[str] = []
        names = [n for n in order if n in by_target]
        if scenario == "import":
            names += [n for n in by_target if n not in names]
        for name in names:
            entry = by_target[name]
            if not _measured(entry):
                rows.append([name, f"{entry.get('status', 'error')}: {entry.get('reason', '')}"])
                continue
            ratios = entry.get("ratios", {})
            rows.append(
                [
                    name,
                    *(_fmt(fmt, lookup(entry, path)) for _, path, fmt in columns),
                    _fmt_ratio(lookup(ratios, ("vs_litellm", primary))),
                    _fmt_ratio(lookup(ratios, ("vs_httpx", primary))),
                ]
            )
            check = entry.get("check", "ok")
            if check != "ok":
                notes.append(f"  ! {name}: {check}")
            for warning in entry.get("warnings", []):
                notes.append(f"  ! {name}: {warning}")
        out.append(_table(title(scenario, config), headers, rows, primary))
        out.extend(notes)
        out.append("")
    return "\n".join(out)


def _table(title: str, headers: List[str], rows: List[List[str]], primary: str) -> str:
    full = [r for r in rows if len(r) == len(headers)]
    widths = [max(len(h), *(len(r[i]) for r in full)) if full else len(h) for i, h in enumerate(headers)]
    widths[0] = max([widths[0], *(len(r[0]) for r in rows)])

    def line(cells: List[str]) -> str:
        if len(cells) != len(headers):  # a status row: name, then free text
            return f"{cells[0]:<{widths[0]}}  {cells[1]}"
        return "  ".join(
            f"{c:<{widths[i]}}" if i == 0 else f"{c:>{widths[i]}}" for i, c in enumerate(cells)
        ).rstrip()

    rule = "-" * len(line(headers))
    body = [line(r) for r in rows]
    return "\n".join([title, rule, line(headers), rule, *body, rule, f"ratios: {primary} / baseline's"])


def header(document: Dict[str, Any]) -> str:
    """The machine line, a load warning, then per route each target's version and footprint."""
    machine = document["machine"]
    pin = (
        f"client on CPU {machine['client_cpu']}, server on CPU {machine['server_cpu']}"
        if machine["client_cpu"] is not None
        else "not pinned"
    )
    lines = [
        f"edgequake bench: Python {machine['python']} on {machine['cpu_model'] or '?'}, "
        f"{machine['cpu_count']} CPUs, {pin}",
    ]
    load = machine.get("loadavg_at_start")
    if load and load[0] > 0.5:
        lines.append(
            f"  ! load average {load[0]:.2f} at start: other processes are using the CPUs, "
            "so these numbers are noisy (compare ratios within this run, not across runs)"
        )
    for route, doc in document["routes"].items():
        lines.append(f"route {route} ({doc['model']}):")
        for name, info in doc["targets"].items():
            if info.get("status") == "ok" and info.get("rss_mb_end") is None:  # the floor: no worker
                counts = f"{info.get('server_connections')} connections for {info.get('server_requests')}"
                lines.append(f"  {name:<10} {info.get('version') or '?'}: {counts} requests")
            elif info.get("status") == "ok":
                extra = (
                    f"RSS after run {info.get('rss_mb_end')} MB, {info.get('threads_end')} threads, "
                    f"{info.get('server_connections')} connections for {info.get('server_requests')} requests"
                )
                lines.append(f"  {name:<10} {info.get('version') or '?':<10} {extra}")
            else:
                lines.append(f"  {name:<10} {info.get('status')}: {info.get('reason', '')}")
    return "\n".join(lines) + "\n"


def markdown_summary(document: Dict[str, Any], target: str = "edgequake") -> str:
    """The README's Speed table: ``target``'s primary ratios per route and scenario, with where and
    when they were measured, so the README is regenerated from a run, never typed in."""
    scenarios = [s for s in ("sync", "stream", "async") if s in document["config"]["scenarios"]]
    head = ["route", *(f"{s} vs {base}" for s in scenarios for base in BASELINES)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for route, doc in document["routes"].items():
        cells = [f"`{route}` ({doc['model']})"]
        for scenario in scenarios:
            entry = doc["results"].get(scenario, {}).get(target, {})
            primary = next(iter(RATIO_METRICS[scenario]))
            for base in BASELINES:
                cells.append(_fmt_ratio(lookup(entry, ("ratios", f"vs_{base}", primary))))
        lines.append("| " + " | ".join(cells) + " |")
    machine = document["machine"]
    load = (machine.get("loadavg_at_start") or [0.0])[0]
    busy = " (other work was running)" if load > 0.5 else ""
    command = " ".join(["python -m bench", *document["command"][2:]])  # [1] is the script's path
    rounds = document["config"]["concurrency"]
    lines += [
        "",
        f"{target}'s median time per call (sync, stream) and per round of {rounds} concurrent calls "
        "(async), divided by the same route's litellm and raw httpx: below 1.00x is faster. "
        f"From `{command}`, finished {document['generated_at']}, on {machine['cpu_count']} CPUs "
        f"({machine['cpu_model'] or '?'}, Python {machine['python']}), load average {load:.1f} at "
        f"start{busy}; regenerate with `python -m bench.report --readme README.md`.",
    ]
    return "\n".join(lines)


def render_harness(harness: Dict[str, Any]) -> str:
    """The harness scenario's lines: seconds per library replay, and its outcomes."""
    lines = ["(g) harness: `python -m edgequake_harness run cassettes` (both targets, sync and async)"]
    for label, entry in harness.items():
        if entry.get("status") != "ok":
            lines.append(f"  {label:<20} {entry.get('status')}: {entry.get('reason', '')}")
            continue
        outcomes = ", ".join(f"{k} {v}" for k, v in sorted((entry.get("outcomes") or {}).items()))
        lines.append(f"  {label:<20} {entry['seconds']:>7.1f} s   {outcomes}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # python -m bench.report [--markdown] [--readme F] [--doc F] [results.json]
    from bench.markdown import main

    raise SystemExit(main())
