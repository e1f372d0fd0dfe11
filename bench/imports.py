"""Import cost: wall time and RSS of importing each target in a fresh interpreter.

Every sample is a new ``python -c`` process running the target's import statement, then reading
``/proc/self/status``. The bare interpreter runs the same script with ``pass`` in place of the import,
so ``import_ms = median(wall of target process) - median(wall of bare process)``: the whole cost a
user's program pays at start-up, including interpreter work the import triggers (site-packages path
scans, .pyc loads, extension loading). ``in_process_ms`` is the time around the import statement
measured inside the process, for comparison. Samples are taken round-robin (bare, A, B, ..., bare,
A, B, ...) after one untimed warm-up round, so drift and page-cache effects hit all targets alike.
"""

from __future__ import annotations

import subprocess
import sys
import time
from typing import Any, Dict, List, Optional

from bench.stats import median

_SCRIPT = """\
import sys
from time import perf_counter as _pc
_t = _pc()
_err = ""
try:
{body}
except Exception as _e:
    _err = (type(_e).__name__ + ": " + str(_e)).replace("\\t", " ").replace("\\n", " ")[:300]
_d = _pc() - _t
_st = dict(_l.split(":", 1) for _l in open("/proc/self/status") if ":" in _l)
sys.stdout.write("\\nBENCH\\t%r\\t%s\\t%s\\t%d\\t%s\\n" % (
    _d, _st.get("VmRSS", "0 kB").split()[0], _st.get("Threads", "0").strip(), len(sys.modules), _err))
"""

BARE = "(bare interpreter)"


def _script(import_code: Optional[str]) -> str:
    lines = (import_code or "pass").splitlines()
    return _SCRIPT.format(body="\n".join("    " + line for line in lines))


def _sample(script: str, cwd: str, timeout: float) -> Dict[str, Any]:
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=cwd, capture_output=True, text=True, timeout=timeout
    )
    wall = time.perf_counter() - t0
    lines = [line for line in proc.stdout.splitlines() if line.startswith("BENCH\t")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"exit {proc.returncode}: {tail[:300]}"}
    _, in_process, rss_kb, threads, modules, err = lines[-1].split("\t", 5)
    if err:
        return {"error": err}
    return {
        "wall_s": wall,
        "in_process_s": float(in_process),
        "rss_kb": int(rss_kb),
        "threads": int(threads),
        "modules": int(modules),
    }


def measure_imports(
    import_codes: Dict[str, str], runs: int, cwd: str, timeout: float = 120.0
) -> Dict[str, Dict[str, Any]]:
    """Return per-target import results (plus the bare interpreter under ``BARE``)."""
    scripts = {BARE: _script(None), **{name: _script(code) for name, code in import_codes.items()}}
    samples: Dict[str, List[Dict[str, Any]]] = {name: [] for name in scripts}
    failed: Dict[str, str] = {}
    for round_no in range(runs + 1):  # round 0 warms the page cache and .pyc files, untimed
        for name, script in scripts.items():
            if name in failed:
                continue
            try:
                sample = _sample(script, cwd, timeout)
            except subprocess.TimeoutExpired:
                sample = {"error": f"import took more than {timeout:.0f} s"}
            if "error" in sample:
                failed[name] = sample["error"]
            elif round_no > 0:
                samples[name].append(sample)
    bare_wall = median([s["wall_s"] for s in samples[BARE]]) if samples[BARE] else None
    bare_rss = median([s["rss_kb"] for s in samples[BARE]]) if samples[BARE] else None
    results: Dict[str, Dict[str, Any]] = {}
    for name in scripts:
        if name in failed:
            not_installed = any(
                key in failed[name] for key in ("ModuleNotFoundError", "ImportError", "AttributeError")
            )
            results[name] = {"status": "not installed" if not_installed else "error", "reason": failed[name]}
            continue
        got = samples[name]
        wall = median([s["wall_s"] for s in got])
        rss_kb = median([s["rss_kb"] for s in got])
        results[name] = {
            "status": "ok",
            "runs": len(got),
            "process_wall_ms": round(wall * 1e3, 1),
            "import_ms": round((wall - (bare_wall or 0.0)) * 1e3, 1),
            "in_process_ms": round(median([s["in_process_s"] for s in got]) * 1e3, 1),
            "rss_mb": round(rss_kb / 1024, 1),
            "rss_delta_mb": round((rss_kb - (bare_rss or 0)) / 1024, 1),
            "threads": got[-1]["threads"],
            "modules": got[-1]["modules"],
            "process_wall_ms_all": [round(s["wall_s"] * 1e3, 1) for s in got],
        }
    if results.get(BARE, {}).get("status") == "ok":
        results[BARE]["reference_only"] = True
    return results
