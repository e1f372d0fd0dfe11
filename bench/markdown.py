"""Markdown from a bench JSON: the README's Speed table and docs/performance.md's full tables, each
written between its markers, so no number in the docs is typed by hand.

    python -m bench.report                       # print the README's Speed table
    python -m bench.report --markdown            # print every table, per route, as Markdown
    python -m bench.report --readme README.md --doc docs/performance.md [results.json]
    python -m bench.report --doc docs/performance.md --section c10000 bench/results/c10000.json
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any, Dict, List, Optional

from bench.report import (
    BASELINES,
    _fmt,
    _fmt_ratio,
    columns_for,
    lookup,
    markdown_summary,
    metrics_for,
    ordered_keys,
    title,
)

DEFAULT_SOURCE = Path(__file__).resolve().parent / "results" / "latest.json"
README_MARKERS = ("<!-- speed-table:start -->", "<!-- speed-table:end -->")
DOC_MARKERS = ("<!-- bench-tables:start -->", "<!-- bench-tables:end -->")
BARE = "(bare interpreter)"


def _row(cells: List[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def route_tables(doc: Dict[str, Any], config: Dict[str, Any]) -> str:
    out: List[str] = []
    results = doc["results"]
    order = [*doc["order"], BARE]
    for key in ordered_keys(results):
        by_target = {n: e for n, e in results[key].items() if e.get("status") != "n/a"}
        if not by_target:
            continue
        columns = columns_for(key)
        primary = next(iter(metrics_for(key)), None)
        head = ["target", *(c[0] for c in columns)]
        if primary:
            head += [f"vs {b}" for b in BASELINES]
        out += [
            f"**{title(key, {**config, 'stream_shape': doc.get('stream_shape', '5-chunk stream')})}**",
            "",
        ]
        out += [_row(head), "|" + "---|" * len(head)]
        for name in [n for n in order if n in by_target] + [n for n in by_target if n not in order]:
            entry = by_target[name]
            if entry.get("status", "ok") != "ok":
                out.append(
                    _row(
                        [name, f"{entry.get('status')}: {entry.get('reason', '')}"[:120]]
                        + [""] * (len(head) - 2)
                    )
                )
                continue
            cells = [name, *(_fmt(fmt, lookup(entry, path)) for _, path, fmt in columns)]
            if primary:
                cells += [_fmt_ratio(lookup(entry, ("ratios", f"vs_{b}", primary))) for b in BASELINES]
            out.append(_row(cells))
        out.append("")
    return "\n".join(out)


def all_tables(document: Dict[str, Any]) -> str:
    machine = document["machine"]
    load = (machine.get("loadavg_at_start") or [0.0])[0]
    command = " ".join(["python -m bench", *document["command"][2:]])
    out = [
        f"From `{command}`, finished {document['generated_at']} ({document.get('duration_s')} s), on "
        f"{machine['cpu_count']} CPUs ({machine['cpu_model'] or '?'}, Python {machine['python']}), client "
        f"on CPU {machine.get('client_cpu')}, server on CPU {machine.get('server_cpu')}, load average "
        f"{load:.1f} at start. Ratios: the first column's value divided by the same route's litellm and "
        "raw httpx (below 1.00x is faster). Regenerate with "
        "`python -m bench.report --doc docs/performance.md`.",
        "",
    ]
    for route, doc in document["routes"].items():
        out += [f"### route `{route}`: {doc['model']}, {doc['wire']}", ""]
        out.append(route_tables(doc, document["config"]))
    harness = document.get("harness")
    if harness:
        out += ["### harness: the whole library, both targets, sync and async", ""]
        out += [_row(["run", "seconds", "outcomes"]), "|---|---|---|"]
        for label, entry in harness.items():
            outcomes = ", ".join(f"{k} {v}" for k, v in sorted((entry.get("outcomes") or {}).items()))
            seconds = entry.get("seconds")
            out.append(
                _row(
                    [
                        label.replace("_", " "),
                        "-" if seconds is None else f"{seconds:.1f}",
                        outcomes or entry.get("reason", ""),
                    ]
                )
            )
        out.append("")
    return "\n".join(out)


def replace_between(path: Path, markers: tuple, text: str) -> None:
    start, end = markers
    content = path.read_text()
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if not pattern.search(content):
        raise SystemExit(f"{path}: markers {start} ... {end} not found")
    path.write_text(pattern.sub(lambda _: f"{start}\n{text.rstrip()}\n{end}", content, count=1))


def main(argv: Optional[List[str]] = None) -> int:
    import json

    parser = argparse.ArgumentParser(prog="python -m bench.report", description=__doc__.split("\n", 1)[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE, help="bench JSON")
    parser.add_argument("--markdown", action="store_true", help="print every table as Markdown")
    parser.add_argument("--readme", type=Path, help="rewrite the Speed table between its markers here")
    parser.add_argument("--doc", type=Path, help="rewrite the tables between their markers here")
    parser.add_argument(
        "--section", help="with --doc: the markers <!-- bench-tables-SECTION:start/end --> instead"
    )
    args = parser.parse_args(argv)
    document = json.loads(args.source.read_text())
    if args.readme:
        replace_between(args.readme, README_MARKERS, markdown_summary(document))
    if args.doc:
        markers = DOC_MARKERS
        if args.section:
            name = f"bench-tables-{args.section}"
            markers = (f"<!-- {name}:start -->", f"<!-- {name}:end -->")
        replace_between(args.doc, markers, all_tables(document))
    if args.markdown:
        print(all_tables(document))
    elif not (args.readme or args.doc):
        print(markdown_summary(document))
    return 0
