"""Command line: `edgequake-harness` / `python -m edgequake_harness` with `run`, `report` and `gate`.

    run  [PATH ...]   replay cassettes through both targets, sync and async, write reports/latest/
    report            re-render the Markdown and terminal summary (with --html the dashboard, --badges badges)
    merge REPORT...   combine shard reports (`run --shard i/n`) into the one report of the whole run
    gate --baseline   exit 1 if any case got worse than the baseline report (per mode), listing each
    fuzz              property-based differential tests on generated traffic (docs/fuzzing.md)

Exit codes: 0 success, 1 divergences/regressions found, 2 usage or input errors.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import List, Optional, Sequence, TextIO

from edgequake_harness.modes import ALL_MODES

# Runs write here, a git-ignored folder: running the harness never dirties a checkout. The committed
# files (reports/baseline.json, reports/compat.md, the README table) change only when a developer
# accepts a run as the new baseline (`make baseline`, see reports/README.md).
DEFAULT_REPORT_DIR = Path("reports") / "latest"


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="edgequake-harness", description=__doc__.splitlines()[0])
    sub = top.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="replay cassettes through reference and candidate, diff, report")
    run.add_argument("paths", nargs="*", default=["cassettes"], help="cassette files or directories")
    run.add_argument("--reference", default="litellm", help="reference target module (default: litellm)")
    run.add_argument("--candidate", default="edgequake", help="candidate target module (default: edgequake)")
    run.add_argument("--provider", action="append", default=[], help="only this provider (repeatable)")
    run.add_argument("--feature", action="append", default=[], help="only this feature (repeatable)")
    run.add_argument("-k", dest="keyword", help="select case ids by expression, like pytest -k")
    run.add_argument("--report-dir", type=Path, default=DEFAULT_REPORT_DIR)
    run.add_argument(
        "--registry",
        type=Path,
        help="divergence registry (default: divergences.yaml in the first cassette dir given)",
    )
    run.add_argument("--policy", type=Path, help="normalisation policy (default: the bundled policy.yaml)")
    run.add_argument("--deadline", type=float, default=60.0, help="seconds before a target call is abandoned")
    run.add_argument(
        "--mode",
        choices=ALL_MODES,
        help="judge only this mode (default: each case sync and async, then its call variants)",
    )
    run.add_argument(
        "--no-call-variants",
        dest="call_variants",
        action="store_false",
        help="skip the call variants (module globals, environment, litellm-only arguments)",
    )
    run.add_argument("--baseline", type=Path, help="also gate against this baseline report")
    run.add_argument(
        "--shard",
        type=_shard,
        help="judge only shard i of n (i/n, 1-based) of the selected cases; `merge` joins the shards",
    )
    _junit_options(run)
    run.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on stderr (default: when stderr is a terminal)",
    )
    run.add_argument("--history", type=Path, help="past reports under this dir: the dashboard's trend")
    run.add_argument("--exit-zero", action="store_true", help="exit 0 even when cases diverge")
    run.add_argument("--allow-empty", action="store_true", help="exit 0 when nothing is selected")

    report = sub.add_parser("report", help="re-render reports from a compat.json")
    report.add_argument("--from", dest="source", type=Path, default=DEFAULT_REPORT_DIR / "compat.json")
    report.add_argument(
        "--markdown", type=Path, help="write the Markdown summary here (default: beside the JSON)"
    )
    report.add_argument(
        "--readme", type=Path, help="rewrite the table between compat-table markers in this file"
    )
    report.add_argument(
        "--html",
        nargs="?",
        const="",
        type=str,
        metavar="PATH",
        help="also write the HTML dashboard (default path: compat.html beside the JSON)",
    )
    report.add_argument("--history", type=Path, help="past reports under this dir: the dashboard's trend")
    report.add_argument(
        "--badges",
        type=Path,
        help="write a badge per provider (SVG) into this directory; with --readme, also the badge line",
    )

    merge = sub.add_parser("merge", help="combine shard reports into the report of the whole run")
    merge.add_argument("reports", nargs="+", type=Path, help="the shards' compat.json files")
    merge.add_argument("--report-dir", type=Path, default=DEFAULT_REPORT_DIR)
    merge.add_argument(
        "--allow-partial",
        action="store_true",
        help="merge even when shards are missing or come from different shardings",
    )
    merge.add_argument("--exit-zero", action="store_true", help="exit 0 even when cases diverge")
    _junit_options(merge)

    gate = sub.add_parser("gate", help="fail if any case got worse than the baseline")
    gate.add_argument("--baseline", type=Path, required=True)
    gate.add_argument("--report", type=Path, default=DEFAULT_REPORT_DIR / "compat.json")
    gate.add_argument(
        "--require-mode",
        action="append",
        default=[],
        choices=ALL_MODES,
        help="fail unless baseline and report both judged this mode (repeatable)",
    )

    from edgequake_harness.fuzz import cli as fuzz_cli

    fuzz_cli.add_parser(sub)
    return top


def main(argv: Optional[Sequence[str]] = None, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    args = parser().parse_args(argv)
    try:
        if args.command == "run":
            return _run(args, out, err)
        if args.command == "report":
            return _report(args, out)
        if args.command == "merge":
            return _merge(args, out)
        if args.command == "fuzz":
            from edgequake_harness.fuzz import cli as fuzz_cli

            return fuzz_cli.main(args, out, err)
        return _gate(args.report, args.baseline, out, args.require_mode)
    except (ValueError, OSError) as exc:
        err.write(f"edgequake-harness: error: {exc}\n")
        return 2


def _default_registry(paths: List[str]) -> Optional[Path]:
    """The registry beside the cassettes being run (as the pytest plugin does), if there is one."""
    for p in paths:
        candidate = Path(p) / "divergences.yaml"
        if Path(p).is_dir() and candidate.exists():
            return candidate
    return None


def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from edgequake_harness.cassettes.case import collect
    from edgequake_harness.cassettes.select import check_selection, select
    from edgequake_harness.judge.outcomes import FAILING
    from edgequake_harness.report import compat as reports
    from edgequake_harness.report import console
    from edgequake_harness.run.runner import RunConfig, Runner, run_metadata

    registry = args.registry or _default_registry(args.paths)
    config = RunConfig(
        paths=args.paths,
        reference=args.reference,
        candidate=args.candidate,
        providers=args.provider,
        features=args.feature,
        keyword=args.keyword,
        policy=args.policy,
        registry=registry,
        deadline_s=args.deadline,
        mode=args.mode,
        call_variants=args.call_variants,
    )
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        raise ValueError(f"no such cassette path: {', '.join(missing)}")
    collected = collect(args.paths)
    cases = select(collected, args.provider, args.feature, args.keyword)
    check_selection(args.paths, collected, cases, args.provider, args.feature, args.keyword, args.allow_empty)
    selected = len(cases)
    if args.shard is not None:  # after the whole selection is checked: an empty shard is no error
        cases = args.shard.select(cases, lambda case: case.id)
    show = err.isatty() if args.progress is None else args.progress
    with Runner(config) as runner, console.progress(err, show) as progress:
        result = runner.run(cases, progress=progress)
    run_meta = run_metadata(config, result.started, result.duration_s, result.targets, result.refused)
    if args.shard is not None:
        run_meta["shard"] = args.shard.to_json(selected)
    report = reports.build(result.results, result.targets, result.stale, run_meta)
    written = reports.write(report, args.report_dir, args.history)
    written += _junit(report, args)
    console.summary(report, out)
    if args.shard is not None:
        from edgequake_harness.run.shard import NOTE

        out.write(f"shard {args.shard}: {NOTE}\n")
    out.write("reports: " + ", ".join(str(p) for p in written) + "\n")
    status = 0
    if args.baseline is not None:
        status = _gate(written[0], args.baseline, out)
    # A shard sees only its cases: an entry may cover differences in another shard, so staleness
    # is decided when the shards are merged (`merge`), not here.
    stale = bool(result.stale) and args.shard is None
    failing = any(r.outcome in FAILING for r in result.results) or stale
    return 0 if args.exit_zero else max(status, 1 if failing else 0)


def _report(args: argparse.Namespace, out: TextIO) -> int:
    from edgequake_harness.report import compat as reports

    report = reports.load(args.source)
    target = args.markdown or args.source.with_name(reports.MARKDOWN_NAME)
    target.write_text(reports.markdown(report), encoding="utf-8")
    out.write(reports.terminal(report) + "\n")
    out.write(f"markdown: {target}\n")
    if args.html is not None:
        from edgequake_harness.report import html

        if not html.available():
            raise ValueError("--html needs jinja2: pip install 'edgequake[compat]'")
        page = Path(args.html) if args.html else args.source.with_name(html.HTML_NAME)
        points, problems = html.model.history(args.history)
        page.write_text(html.render(report, points, problems), encoding="utf-8")
        out.write(f"dashboard: {page}\n")
    if args.readme is not None:
        args.readme.write_text(
            reports.update_readme(args.readme.read_text(encoding="utf-8"), report), encoding="utf-8"
        )
        out.write(f"readme table: {args.readme}\n")
    if args.badges is not None:
        from edgequake_harness.report import badges

        files = badges.write(report, args.badges)
        out.write(f"badges: {len(files)} in {args.badges}\n")
        if args.readme is not None:
            text = args.readme.read_text(encoding="utf-8")
            if badges.has_markers(text):
                text = badges.update_readme(text, report, args.badges, args.readme)
                args.readme.write_text(text, encoding="utf-8")
                out.write(f"readme badges: {args.readme}\n")
    return 0


def _merge(args: argparse.Namespace, out: TextIO) -> int:
    from edgequake_harness.judge.outcomes import FAILING, Outcome
    from edgequake_harness.report import compat as reports
    from edgequake_harness.report.merge import merge

    merged = merge([(str(path), reports.load(path)) for path in args.reports], args.allow_partial)
    written = reports.write(merged, args.report_dir)
    written += _junit(merged, args)
    out.write(reports.terminal(merged) + "\n")
    out.write(f"merged {len(args.reports)} report(s): " + ", ".join(str(p) for p in written) + "\n")
    failing = any(Outcome(c["outcome"]) in FAILING for c in merged["cases"]) or merged["stale_divergences"]
    return 1 if failing and not args.exit_zero else 0


def _shard(text: str) -> object:
    from edgequake_harness.run.shard import Shard

    try:
        return Shard.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _junit_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--junit-xml", type=Path, help="also write JUnit XML here (one testcase per case and mode)"
    )
    command.add_argument(
        "--junit-family",
        choices=("xunit2", "xunit1"),
        default="xunit2",
        help="xunit2 (pytest's default; valid against its schema) or xunit1 (adds per-testcase properties)",
    )


def _junit(report: dict, args: argparse.Namespace) -> List[Path]:
    if args.junit_xml is None:
        return []
    from edgequake_harness.report import junit

    return [junit.write(report, args.junit_xml, args.junit_family)]


def _gate(report_path: Path, baseline_path: Path, out: TextIO, required_modes: Sequence[str] = ()) -> int:
    from edgequake_harness.report import compat as reports
    from edgequake_harness.report.gate import regressions

    found = regressions(reports.load(report_path), reports.load(baseline_path), required_modes)
    if not found:
        out.write(f"gate: passed against {baseline_path}\n")
        return 0
    out.write(f"gate: {len(found)} regression(s) against {baseline_path}:\n")
    out.writelines(f"  {r.describe()}\n" for r in found)
    return 1

