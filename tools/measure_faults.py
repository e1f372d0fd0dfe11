"""Measure the fault matrix (issue 12) on litellm, or with ``--edgequake`` on edgequake: every cell of
tests/faults (fault x call mode x provider) against the loopback fault server, written as JSON.

litellm's outcomes are stored in tests/fixtures/faults/litellm.json, which tests/test_fault_matrix.py
checks edgequake against; regenerate it when litellm's pin or the matrix changes:

    LITELLM_LOCAL_MODEL_COST_MAP=True python tools/measure_faults.py --out tests/fixtures/faults/litellm.json
    python tools/measure_faults.py --edgequake --out /tmp/edgequake-faults.json [--faults a,b] [--providers p]

``--merge`` re-measures only the cells selected and keeps the others already in ``--out``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any, Dict, List

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.faults.bodies import PROVIDERS
from tests.faults.cells import FAULTS, TIMEOUT, Cell, Outcome, all_cells, run_cells


def load_module(edgequake: bool) -> Any:
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    if edgequake:
        import edgequake as module
    else:
        import litellm as module

        module.suppress_debug_info = True
    return module


def measure(module: Any, cells: List[Cell], verbose: bool = False) -> Dict[str, Any]:
    def progress(cell: Cell, out: Outcome) -> None:
        if verbose:
            what = f"ok {out.content}" if out.ok else f"{out.cls} {out.status}"
            print(f"{cell.key:45} {what:40} n={out.attempts} {out.elapsed:.2f}s", file=sys.stderr, flush=True)

    started = time.monotonic()
    results = run_cells(module, cells, progress=progress)
    version = getattr(module, "__version__", None)
    if module.__name__ == "litellm":
        from importlib.metadata import version as dist_version

        version = dist_version("litellm")
    return {
        "module": module.__name__,
        "version": version,
        "timeout": TIMEOUT,
        "seconds": round(time.monotonic() - started, 1),
        "cells": {c.key: results[c.key].as_json() for c in cells},
    }


def main(argv: List[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edgequake", action="store_true")
    parser.add_argument("--faults", default=",".join(FAULTS))
    parser.add_argument("--providers", default=",".join(PROVIDERS))
    parser.add_argument("--out", type=Path)
    parser.add_argument("--merge", action="store_true", help="re-measure the cells selected, keep the rest")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    cells = all_cells(args.faults.split(","), args.providers.split(","))
    data = measure(load_module(args.edgequake), cells, verbose=args.verbose)
    if args.merge and args.out and args.out.exists():
        old = json.loads(args.out.read_text())
        data = {**old, **data, "seconds": None, "cells": {**old["cells"], **data["cells"]}}
    text = json.dumps(data, indent=1, sort_keys=True) + "\n"
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main(sys.argv[1:])
