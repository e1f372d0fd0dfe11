"""Write docs/reliability.md from a run: the fault matrix (edgequake's outcome per cell beside
litellm 1.110.2's, measured by tools/measure_faults.py) and the figures the reliability tests record
(exit runs, the file-limit test, the soak). Never edit the doc by hand; regenerate it:

    python tools/gen_reliability.py                      # runs the matrix and the figure tests now
    python tools/gen_reliability.py --edgequake /tmp/eq.json --figures /tmp/figures.jsonl
    EDGEQUAKE_SOAK=long EDGEQUAKE_EXIT_RUNS=200 python tools/gen_reliability.py   # the long profile
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, List

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.faults.bodies import PROVIDERS  # noqa: E402
from tests.faults.cells import FAULTS, HEAVY_TIMEOUT, MODES, TIMEOUT, Cell, all_cells, time_bound  # noqa: E402

LITELLM = ROOT / "tests" / "fixtures" / "faults" / "litellm.json"
DOC = ROOT / "docs" / "reliability.md"
FIGURE_TESTS = [
    "tests/test_exit.py",
    "tests/test_soak.py",
    "tests/test_pool_and_retries.py::test_thousands_of_calls_under_a_small_file_limit_all_succeed",
]


def _short(cell: Dict[str, Any]) -> str:
    return "ok" if cell["ok"] else f"{cell['cls']} {cell['status']}"


def _verdict(key: str, ours: Dict[str, Any], ref: Dict[str, Any]) -> str:
    fault, mode, provider = key.split("/")
    cross = fault == "redirect_cross"
    same = all(ours[f] == ref[f] for f in ("ok", "cls", "status", "content"))
    in_time = ours["elapsed"] <= time_bound(Cell(fault, mode, provider), ref["elapsed"])
    text = _short(ours)
    if cross and ours.get("forwarded"):
        return f"✗ {text}, credential forwarded"
    if same and in_time:
        return f"✓ {text}"
    if same:
        return f"✗ {text}, {ours['elapsed']} s (litellm {ref['elapsed']} s)"
    return f"✗ {text} (litellm: {_short(ref)})"


def table(ours: Dict[str, Any], ref: Dict[str, Any]) -> List[str]:
    lines = [
        "| fault | provider | " + " | ".join(m.replace("_", " ") for m in MODES) + " |",
        "|---|---|" + "---|" * len(MODES),
    ]
    for fault, what in FAULTS.items():
        for provider in PROVIDERS:
            row = [f"{fault}: {what}" if provider == PROVIDERS[0] else "", provider]
            for mode in MODES:
                key = f"{fault}/{mode}/{provider}"
                if key not in ref:
                    row.append("n/a")
                elif key not in ours:
                    row.append(f"not run (litellm: {_short(ref[key])})")
                else:
                    row.append(_verdict(key, ours[key], ref[key]))
            lines.append("| " + " | ".join(row) + " |")
    return lines


def summary(ours: Dict[str, Any], ref: Dict[str, Any]) -> List[str]:
    run = [k for k in ref if k in ours]
    passing = [k for k in run if _verdict(k, ours[k], ref[k]).startswith("✓")]
    slowest = max((ours[k]["elapsed"] - ref[k]["elapsed"] for k in run), default=0.0)
    worst = max(run, key=lambda k: ours[k]["elapsed"] - ref[k]["elapsed"], default="")

    def forwarding(cells: Dict[str, Any]) -> str:
        routes = {
            k.split("/")[2] for k, v in cells.items() if k.startswith("redirect_cross") and v["forwarded"]
        }
        return ", ".join(sorted(routes)) or "no"

    return [
        f"- cells: {len(ref)} measured on litellm, {len(run)} run on edgequake, **{len(passing)} pass** "
        "(same class and status, or success with the same content, within the timeout + 1 s or"
        " litellm's time + 1 s)",
        f"- edgequake's largest time over litellm's for a cell: {slowest:+.2f} s (`{worst}`)",
        f"- cross-origin redirects: litellm re-sends the credential on {forwarding(ref)} routes (httpx drops"
        f" only `Authorization`); edgequake on {forwarding(ours)} routes",
    ]


def wrapped(ours: Dict[str, Any], ref: Dict[str, Any]) -> List[str]:
    """Cells whose MidStreamFallbackError wraps another class than litellm's (open, listed in
    tests/test_fault_matrix.py's OPEN_INNER)."""
    keys = [
        k
        for k in ref
        if k in ours
        and ours[k]["cls"] == "MidStreamFallbackError"
        and ours[k].get("inner") != ref[k].get("inner")
    ]
    if not keys:
        return ["None: every MidStreamFallbackError wraps litellm's class."]
    lines = ["| cell | litellm wraps | edgequake wraps |", "|---|---|---|"]
    lines += [f"| `{k}` | {ref[k].get('inner')} | {ours[k].get('inner')} |" for k in sorted(keys)]
    return lines


def figures(path: Path) -> List[str]:
    records = (
        [json.loads(line) for line in path.read_text().splitlines() if line.strip()] if path.exists() else []
    )
    lines = ["| figure | measured |", "|---|---|"]
    for r in records:
        if r["name"] == "exit":
            lines.append(
                f"| exit: {r['scenario']} | {r['abnormal']} abnormal exits in {r['runs']} runs, "
                f"{r['neighbours']} busy neighbours ({r['seconds']} s) |"
            )
        elif r["name"] == "file_limit":
            lines.append(
                f"| {r['calls']:,} concurrent `acompletion` under `ulimit -n {r['ulimit']}` | "
                f"{r['failed']} failed, at most {r['most_in_flight']} in flight, files open afterwards: "
                f"{r['opened_files_after']} ({r['seconds']} s) |"
            )
        elif r["name"] == "soak":
            lines.append(
                f"| soak ({r['profile']}): {r['calls']:,} sequential calls, then {r['mixed_s']:.0f} s mixed "
                f"({r['mixed_rounds']:,} rounds) | {r['unexpected']} unexpected outcomes, RSS growth "
                f"{r['rss_growth_mb']} MB ({r['sequential_s']} s sequential) |"
            )
    if len(lines) == 2:
        lines.append("| (no figures recorded in this run) | |")
    return lines


def render(ours: Dict[str, Any], ref_data: Dict[str, Any], figure_path: Path) -> str:
    ref = ref_data["cells"]
    return "\n".join(
        [
            "# Reliability",
            "",
            "<!-- generated by tools/gen_reliability.py from a run; do not edit by hand -->",
            "",
            "What edgequake does when the network or the provider misbehaves, measured on loopback fault",
            f"servers beside litellm {ref_data['version']} (tests/faults; litellm's outcomes in",
            "tests/fixtures/faults/litellm.json, from tools/measure_faults.py). Each call is made as a user",
            f"makes it: `timeout={TIMEOUT:g}` ({HEAVY_TIMEOUT:g} s for the 50 MB and 100,000-event cells,",
            "which test size, not time), the library's default retries, a canary key. A cell passes when",
            "edgequake raises litellm's exception class with litellm's status, or succeeds with the same",
            "content, within the call's timeout plus 1 s (litellm's own time plus 1 s where its retries take",
            "longer). tests/test_fault_matrix.py",
            "checks every cell in CI (one cell of the 100,000-event stream; `EDGEQUAKE_FAULTS=full` runs",
            "them all).",
            "",
            "## Fault matrix",
            "",
            *summary(ours, ref),
            "",
            *table(ours, ref),
            "",
            "## Open: the exception a MidStreamFallbackError wraps",
            "",
            "Class and status of what is raised match in every cell; where litellm's stream wrapper maps a",
            "broken or undecodable stream to `APIConnectionError` inside the fallback error, edgequake still",
            "wraps an `InternalServerError` (a matter of `original_exception` and of the message's second",
            "class name; the wording after the provider label also differs in these cells):",
            "",
            *wrapped(ours, ref),
            "",
            "## Process life, bounded resources, soak",
            "",
            "From tests/test_exit.py (`EDGEQUAKE_EXIT_RUNS`, default 20 runs per scenario; 200 for the long",
            "profile), tests/test_pool_and_retries.py and tests/test_soak.py (`EDGEQUAKE_SOAK=long`: 100,000",
            "calls and 10 minutes mixed; CI: 10,000 calls and 10 s).",
            "",
            *figures(figure_path),
            "",
        ]
    )


def main(argv: List[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edgequake", type=Path, help="a tools/measure_faults.py --edgequake output")
    parser.add_argument("--figures", type=Path, help="EDGEQUAKE_FIGURES lines from a test run")
    parser.add_argument("--out", type=Path, default=DOC)
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="reliability-"))
    if args.edgequake is None:
        args.edgequake = tmp / "edgequake.json"
        env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
        cmd = [
            sys.executable,
            str(ROOT / "tools" / "measure_faults.py"),
            "--edgequake",
            "--out",
            str(args.edgequake),
        ]
        subprocess.run(cmd, check=True, env=env, cwd=ROOT)
    if args.figures is None:
        args.figures = tmp / "figures.jsonl"
        env = {**os.environ, "EDGEQUAKE_FIGURES": str(args.figures), "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
        cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *FIGURE_TESTS]
        subprocess.run(cmd, check=False, env=env, cwd=ROOT)
    ours = json.loads(args.edgequake.read_text())["cells"]
    assert set(ours) <= {c.key for c in all_cells()}, "the run has cells the matrix does not"
    args.out.write_text(render(ours, json.loads(LITELLM.read_text()), args.figures))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main(sys.argv[1:])
