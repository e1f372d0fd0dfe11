"""Before/after on the same machine, same run: edgequake at a git ref against the working tree.

    python -m bench.abtest --before HEAD~1 --runs 5 --calls 3000

Exports ``edgequake/`` at ``--before`` (``git archive``) to a temporary directory, puts this checkout's
built native core beside it (so only Python changes are compared), starts the bench server on its own
CPU, then alternates fresh interpreters of the two versions (pinned to the other CPU): each measures
the CPU time (process, all threads) of ``import edgequake`` plus one ``completion``, then, after 300
warm-up calls, CPU per call over ``--calls`` calls. Prints the medians. CPU time, not wall time: on a
machine shared with other work it is the steadier of the two.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Dict, List, Optional

from bench.host import REPO_ROOT, Server, cpu_plan

_MEASURE = """
import os, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
t0 = time.process_time()
import edgequake
kw = dict(model="openai/gpt-4o-mini", messages=[{"role": "user", "content": "Say hello."}],
          api_base=f"http://127.0.0.1:{port}/v1", api_key="sk-bench")
edgequake.completion(**kw)
first = time.process_time() - t0
for _ in range(300):
    edgequake.completion(**kw)
c0 = time.process_time()
for _ in range(n):
    edgequake.completion(**kw)
print(first * 1e3, (time.process_time() - c0) / n * 1e6)
"""


def _export(ref: str, into: Path) -> Path:
    archive = into / "edgequake.tar"
    with open(archive, "wb") as out:
        subprocess.run(["git", "archive", ref, "edgequake"], cwd=str(REPO_ROOT), stdout=out, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into / "before")
    for core in (REPO_ROOT / "edgequake").glob("_core*"):
        shutil.copy2(core, into / "before" / "edgequake" / core.name)
    return into / "before"


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.abtest", description=__doc__.split("\n", 1)[0])
    parser.add_argument("--before", required=True, help="git ref of the version to compare with")
    parser.add_argument("--runs", type=int, default=5, help="fresh interpreters per version")
    parser.add_argument("--calls", type=int, default=3000, help="timed calls per interpreter")
    args = parser.parse_args(argv)
    client_cpu, server_cpu = cpu_plan(True)
    results: Dict[str, List[List[float]]] = {"before": [], "after": []}
    with tempfile.TemporaryDirectory(prefix="abtest-") as tmp:
        before = _export(args.before, Path(tmp))
        script = Path(tmp) / "measure.py"
        script.write_text(_MEASURE)
        server = Server(server_cpu)
        if client_cpu is not None:
            os.sched_setaffinity(0, {client_cpu})  # inherited by every measured interpreter
        try:
            for _ in range(args.runs):
                for label, path in (("before", str(before)), ("after", str(REPO_ROOT))):
                    env = {**os.environ, "PYTHONPATH": path, "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
                    command = [sys.executable, str(script), str(server.port), str(args.calls)]
                    out = subprocess.run(command, cwd=tmp, env=env, capture_output=True, text=True)
                    if out.returncode != 0:
                        raise SystemExit(f"{label}: {out.stderr.strip()[-500:]}")
                    results[label].append([float(v) for v in out.stdout.split()])
        finally:
            server.stop()
    for label, rows in results.items():
        first = statistics.median(r[0] for r in rows)
        per_call = statistics.median(r[1] for r in rows)
        print(
            f"{label:<7} import + first call {first:6.1f} ms CPU   "
            f"{per_call:6.1f} us CPU per call  ({len(rows)} runs)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
