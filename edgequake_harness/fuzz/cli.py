"""`python -m edgequake_harness fuzz`: the property-based differential tests, run longer than CI runs them.

    python -m edgequake_harness fuzz --examples 500 --provider groq --kind stream
    python -m edgequake_harness fuzz --examples 200          # every OpenAI-wire provider, every kind
    python -m edgequake_harness fuzz --provider anthropic --seed 1234  # reproducible

One property per (provider, kind): each generates `--examples` scenarios, serves them to the
reference and the candidate and requires agreement after normalisation (docs/fuzzing.md). A
disagreement is shrunk and written as a regression cassette under `--save-dir` (default
cassettes/regressions); the run then goes on with the next property. Exit codes: 0 every property
held, 1 a disagreement or a litellm failure was found, 2 usage errors.

Only argparse is imported here, so `python -m edgequake_harness run` never pays for hypothesis.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, List, Optional, TextIO

DEFAULT_SAVE_DIR = Path("cassettes") / "regressions"


def add_parser(sub: Any) -> None:
    fuzz = sub.add_parser("fuzz", help="property-based differential tests on generated traffic")
    fuzz.add_argument("--examples", type=int, default=200, help="examples per property (default 200)")
    fuzz.add_argument(
        "--provider",
        action="append",
        default=[],
        help="only this provider (repeatable; default: every OpenAI-wire provider together)",
    )
    fuzz.add_argument(
        "--kind", action="append", default=[], choices=("chat", "stream", "error"), help="repeatable"
    )
    fuzz.add_argument("--seed", type=int, help="hypothesis seed, for a reproducible run")
    fuzz.add_argument("--save-dir", type=Path, default=DEFAULT_SAVE_DIR, help="where regression cassettes go")
    fuzz.add_argument("--no-save", action="store_true", help="report disagreements without writing cassettes")
    fuzz.add_argument("--no-shrink", action="store_true", help="report the first failing example as found")
    fuzz.add_argument(
        "--skip-known",
        action="store_true",
        help="exploration: pass over disagreements the regressions in --save-dir already show",
    )
    fuzz.add_argument("--reference", default="litellm")
    fuzz.add_argument("--candidate", default="edgequake")
    fuzz.add_argument(
        "--deadline", type=float, default=30.0, help="seconds before a target call is abandoned"
    )


def main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from hypothesis import settings

    from edgequake_harness.fuzz.runner import (
        KINDS,
        FuzzRunner,
        fuzz_config,
        known_signatures,
        phases,
        run_property,
        scenarios,
    )

    if args.examples < 1:
        raise ValueError("--examples must be at least 1")
    providers: List[Optional[str]] = list(args.provider) or [None]
    kinds = list(args.kind) or list(KINDS)
    plans = [(p, k, scenarios(k, p)) for p in providers for k in kinds]  # ValueError for unknown names
    config = settings(
        settings.get_profile("edgequake-fuzz"),
        max_examples=args.examples,
        phases=phases(not args.no_shrink),
        derandomize=False,
    )
    save_dir = None if args.no_save else args.save_dir
    failed = 0
    run_config = fuzz_config(args.reference, args.candidate, args.deadline)
    with FuzzRunner(run_config) as runner:
        for provider, kind, strategy in plans:
            name = f"{provider or 'openai-wire'}/{kind}"
            known = known_signatures(args.save_dir) if args.skip_known else None
            tally = run_property(runner, strategy, config, save_dir, seed_value=args.seed, known=known)
            counts = ", ".join(f"{n} {k}" for k, n in sorted(tally.outcomes.items()))
            verdict = "FAILED" if tally.failure else "held"
            out.write(f"{name}: {verdict} ({counts})\n")
            if tally.failure:
                failed += 1
                out.write(_indent(tally.failure) + "\n")
            for path in tally.saved:
                out.write(f"  regression cassette: {path}\n")
            out.flush()
    out.write(f"fuzz: {len(plans) - failed} of {len(plans)} properties held\n")
    return 1 if failed else 0


def _indent(text: str, limit: int = 60) -> str:
    lines = text.splitlines()
    shown = lines[:limit] + ([f"... {len(lines) - limit} more lines"] if len(lines) > limit else [])
    return "\n".join("  " + line for line in shown)
