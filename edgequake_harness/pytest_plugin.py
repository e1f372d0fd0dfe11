"""pytest plugin: `pytest --compat` runs the conformance suite, one test item per case.

Inert unless `--compat` is given: this module imports only pytest and the standard library, and
every hook returns at once without the option (the plugin is loaded in every pytest session of
anyone who installs edgequake). With `--compat`, file-based test collection is switched off and
the items are the cases under `--compat-dir` (default `cassettes`), one per case and consumption
mode, with ids `provider/feature/name[sync]` and `provider/feature/name[async]` (`--compat-mode`
keeps one mode). `--compat-shard i/n` keeps shard i of n of the cases (`run.shard`), after -k/-m.

Per-case results ride on each TestReport's `user_properties` (JSON strings), so the controller
rebuilds the whole report from worker reports under pytest-xdist. Session state lives in
`config.stash`. Reports are written by the controller at session finish; a failed gate or a stale
registered divergence fails the session.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

from edgequake_harness.modes import ALL_MODES

OPTION = "--compat"
RESULT_PROPERTY = "compat_result"
TARGETS_PROPERTY = "compat_targets"


@dataclass
class CompatState:
    config: Any  # edgequake_harness.run.runner.RunConfig
    report_dir: Optional[Path]
    baseline: Optional[Path]
    started: str = ""
    shard: Any = None  # edgequake_harness.run.shard.Shard, from --compat-shard
    shard_emptied: bool = False  # cases were selected, none of them in this shard
    runner: Any = None  # edgequake_harness.run.runner.Runner, created on first use in each process
    results: Dict[str, Dict[str, Any]] = field(default_factory=dict)  # nodeid -> CaseResult JSON
    targets: Dict[str, Any] = field(default_factory=dict)
    summary: List[str] = field(default_factory=list)
    failed: bool = False


STATE = pytest.StashKey[CompatState]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("compat", "edgequake conformance harness")
    group.addoption(OPTION, action="store_true", help="run the conformance suite over cassettes (only that)")
    group.addoption("--compat-dir", action="append", default=[], help="cassette file or dir (repeatable)")
    group.addoption(
        "--compat-reference", default="litellm", help="reference target module (default: litellm)"
    )
    group.addoption(
        "--compat-candidate", default="edgequake", help="candidate target module (default: edgequake)"
    )
    group.addoption(
        "--compat-report-dir",
        default="reports/latest",
        help="where compat.json/compat.md go ('' for none)",
    )
    group.addoption(
        "--compat-baseline", default=None, help="baseline compat.json; the session fails if worse"
    )
    group.addoption(
        "--compat-registry", default=None, help="divergence registry (default: <dir>/divergences.yaml)"
    )
    group.addoption("--compat-provider", action="append", default=[], help="only this provider (repeatable)")
    group.addoption("--compat-feature", action="append", default=[], help="only this feature (repeatable)")
    group.addoption(
        "--compat-deadline", type=float, default=60.0, help="seconds before a target call is abandoned"
    )
    group.addoption(
        "--compat-mode",
        choices=ALL_MODES,
        default=None,
        help="judge only this mode (default: sync, async and the call variants, one item per case and mode)",
    )
    group.addoption(
        "--compat-allow-empty",
        action="store_true",
        help="a selection with no case is not a failure (default: pytest's exit 5, saying why)",
    )
    group.addoption(
        "--compat-shard",
        default=None,
        metavar="I/N",
        help="judge only shard I of N of the selected cases (1-based); `edgequake-harness merge` joins them",
    )
    group.addoption(
        "--compat-no-variants",
        action="store_true",
        help="skip the call variants (module globals, environment, litellm-only arguments)",
    )


def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption(OPTION):
        return
    dirs = config.getoption("--compat-dir") or ["cassettes"]
    missing = [d for d in dirs if not Path(d).exists()]
    if missing:
        raise pytest.UsageError(f"--compat: no such cassette path: {', '.join(missing)}")
    from datetime import datetime, timezone

    from edgequake_harness.run.runner import RunConfig
    from edgequake_harness.run.shard import Shard

    shard_option = config.getoption("--compat-shard")
    try:
        shard = Shard.parse(shard_option) if shard_option is not None else None
    except ValueError as exc:
        raise pytest.UsageError(f"--compat-shard: {exc}") from None
    registry = config.getoption("--compat-registry")
    default_registry = Path(dirs[0]) / "divergences.yaml"
    report_dir = config.getoption("--compat-report-dir")
    baseline = config.getoption("--compat-baseline")
    run_config = RunConfig(
        paths=dirs,
        reference=config.getoption("--compat-reference"),
        candidate=config.getoption("--compat-candidate"),
        providers=config.getoption("--compat-provider"),
        features=config.getoption("--compat-feature"),
        registry=Path(registry) if registry else (default_registry if default_registry.exists() else None),
        deadline_s=config.getoption("--compat-deadline"),
        mode=config.getoption("--compat-mode"),
        call_variants=not config.getoption("--compat-no-variants"),
    )
    config.stash[STATE] = CompatState(
        config=run_config,
        report_dir=Path(report_dir) if report_dir else None,
        baseline=Path(baseline) if baseline else None,
        started=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        shard=shard,
    )
    config.addinivalue_line("markers", "compat: a conformance case replayed from a cassette")
    # The remaining hooks live on an object registered only now, so without --compat none exist.
    config.pluginmanager.register(CompatSession(config), "edgequake-compat-session")


class CompatSession:
    """Hooks active only under --compat; state stays in config.stash."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.state = config.stash[STATE]

    def pytest_ignore_collect(self, collection_path: Path) -> Optional[bool]:
        # `--compat` runs the conformance suite only; unrelated test modules are not even imported.
        return True

    @pytest.hookimpl(tryfirst=True)  # before -k/-m deselection, so they apply to compat items too
    def pytest_collection_modifyitems(self, session: pytest.Session, items: List[pytest.Item]) -> None:
        from edgequake_harness.cassettes.case import collect
        from edgequake_harness.cassettes.select import select

        suite = CompatSuite.from_parent(session, name="compat", nodeid="compat")
        run_config = self.state.config
        cases = select(collect(run_config.paths), run_config.providers, run_config.features)
        items[:] = [
            CompatItem.from_parent(suite, name=f"{case.id}[{mode}]", case=case, mode=mode)
            for case in cases
            for mode in run_config.modes_for(case)
        ]
        # Report the suite's collection so terminal counts ("N tests collected") include the cases.
        session.ihook.pytest_collectreport(
            report=pytest.CollectReport(suite.nodeid, "passed", None, list(items))
        )

    # After -k/-m deselection: shard what the run selected, as the CLI does. (A second method for one
    # hook needs its own name: pytest reads only `pytest_*` names, pluggy maps it by `specname`.)
    @pytest.hookimpl(trylast=True, specname="pytest_collection_modifyitems")
    def pytest_collection_modifyitems_shard(self, config: pytest.Config, items: List[pytest.Item]) -> None:
        shard = self.state.shard
        if shard is None:
            return
        kept = shard.select(items, lambda item: item.case.id if isinstance(item, CompatItem) else item.nodeid)
        self.state.shard_emptied = bool(items) and not kept
        if len(kept) < len(items):
            keep = set(map(id, kept))
            config.hook.pytest_deselected(items=[item for item in items if id(item) not in keep])
            items[:] = kept

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        if not session.items and not hasattr(self.config, "workerinput"):
            run_config = self.state.config
            filters = [f"provider={p}" for p in run_config.providers]
            filters += [f"feature={f}" for f in run_config.features]
            keyword = self.config.getoption("keyword") or self.config.getoption("markexpr")
            filters += [f"-k/-m {keyword!r}"] if keyword else []
            filters += [f"shard {self.state.shard}"] if self.state.shard is not None else []
            where = ", ".join(str(p) for p in run_config.paths)
            self.state.summary = [
                f"no conformance case selected from {where}"
                + (f" with {'; '.join(filters)}" if filters else "")
                + (
                    " (--compat-allow-empty: not a failure)"
                    if self.config.getoption("--compat-allow-empty")
                    else ""
                )
            ]

    @pytest.hookimpl(tryfirst=True)  # before --junitxml's hook reads the properties
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        # Also runs on the controller for worker reports (xdist): that is how results are gathered.
        for name, value in report.user_properties:
            if name == RESULT_PROPERTY:
                self.state.results[report.nodeid] = json.loads(str(value))
            elif name == TARGETS_PROPERTY:
                self.state.targets = json.loads(str(value))
        if not hasattr(self.config, "workerinput"):
            # The properties carry results to the controller and stop there: pytest's --junitxml
            # would write them as testcase properties, which its xunit2 schema does not allow (and
            # a whole result as an attribute is no use in a CI system). On a worker they must stay:
            # xdist sends the report on after this hook.
            transport = (RESULT_PROPERTY, TARGETS_PROPERTY)
            report.user_properties = [p for p in report.user_properties if p[0] not in transport]

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        state = self.state
        if state.runner is not None:
            state.runner.__exit__(None, None, None)
            state.runner = None
        if not session.items and (self.config.getoption("--compat-allow-empty") or state.shard_emptied):
            # Asked for, or more shards than cases: an empty selection is not a failure.
            session.exitstatus = pytest.ExitCode.OK
        if hasattr(self.config, "workerinput") or not (state.results or state.shard_emptied):
            return  # xdist workers report to the controller; the controller writes the reports
        _finish(state)
        if state.failed and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.state.summary:
            terminalreporter.section("edgequake conformance")
            for line in self.state.summary:
                terminalreporter.write_line(line)


class CompatSuite(pytest.Collector):
    def collect(self) -> List[pytest.Item]:  # items are created in pytest_collection_modifyitems
        return []


class CompatFailure(Exception):
    """A diverged or candidate-error case; repr_failure shows the diff."""


class CompatItem(pytest.Item):
    def __init__(self, *, case: Any, mode: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.mode = mode
        self.add_marker(pytest.mark.compat)

    def runtest(self) -> None:
        from edgequake_harness.judge.outcomes import FAILING, PASSING, Outcome

        state = self.config.stash[STATE]
        runner = _runner(self.config, state)
        result = runner.run_case(self.case, self.mode)
        self.user_properties.append((RESULT_PROPERTY, json.dumps(result.to_json(), default=repr)))
        if result.outcome is not Outcome.SKIPPED:
            self.user_properties.append((TARGETS_PROPERTY, json.dumps(runner.describe_targets())))
        if result.outcome in PASSING:
            return
        if result.outcome in FAILING:
            raise CompatFailure(result)
        pytest.skip(f"{result.outcome.value}: {result.reason}")

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, CompatFailure):
            result = excinfo.value.args[0]
            lines = [
                f"{result.outcome.value} [{result.mode}]: {result.reason}",
                f"cassette: {result.cassette}",
            ]
            if result.call:
                lines.append(f"call: {result.call}")
            lines += [f"  {d.describe()}" for d in result.diffs[:30]]
            if len(result.diffs) > 30:
                lines.append(f"  ... {len(result.diffs) - 30} more differences")
            return "\n".join(lines)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> Any:
        return self.case.path, None, self.name


def _runner(config: pytest.Config, state: CompatState) -> Any:
    if state.runner is None:
        from edgequake_harness.run.runner import Runner

        state.runner = Runner(state.config).__enter__()
    return state.runner


def _finish(state: CompatState) -> None:
    from edgequake_harness.judge.outcomes import CaseResult
    from edgequake_harness.judge.registry import Registry
    from edgequake_harness.report import compat as reports
    from edgequake_harness.report.gate import regressions
    from edgequake_harness.run.runner import judged, run_metadata

    results = [CaseResult.from_json(r) for r in state.results.values()]
    stale = Registry.load(state.config.registry).stale(judged(results))
    if not state.targets and state.shard is not None:  # an empty shard: merge needs the versions
        from edgequake_harness.run.runner import Runner

        state.targets = Runner(state.config).describe_targets()  # loads the targets, runs nothing
    targets = state.targets or {
        role: {"module": name, "version": None, "error": "not run"}
        for role, name in (("reference", state.config.reference), ("candidate", state.config.candidate))
    }
    refused = dict(state.runner.refused) if state.runner is not None else None  # this process's only
    run = run_metadata(state.config, state.started, None, targets, refused)
    if state.shard is not None:
        run["shard"] = state.shard.to_json()
    report = reports.build(results, targets, stale, run)
    state.summary.append(reports.terminal(report))
    if state.shard is not None:
        from edgequake_harness.run.shard import NOTE

        state.summary.append(f"shard {state.shard}: {NOTE}")
    if state.report_dir is not None:
        written = reports.write(report, state.report_dir)
        state.summary.append("reports: " + ", ".join(str(p) for p in written))
    state.failed = bool(stale) and state.shard is None  # a shard cannot tell: `merge` decides
    if state.baseline is not None:
        found = regressions(report, reports.load(state.baseline))
        state.summary.append(
            f"gate: {len(found)} regression(s) against {state.baseline}"
            if found
            else f"gate: passed against {state.baseline}"
        )
        state.summary += [f"  {r.describe()}" for r in found]
        state.failed = state.failed or bool(found)
