"""Run cases end to end: replay each through the reference and the candidate, diff, judge.

Every case is judged in each consumption mode (`MODES`: sync, `completion()` read with `for`; async,
`acompletion()` read with `async for`), one result per case and mode, unless the run (`--mode`) or
the case's metadata (`mode:`) names one. One replay server serves the whole run; it is re-loaded
before each target's call, so every target starts from a fresh replay of the cassette (same bytes,
same order, an empty request log).
"""

from __future__ import annotations

import platform
import sys
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

from edgequake_harness import __version__
from edgequake_harness.cassettes.case import MODES, Case
from edgequake_harness.judge.compare import compare, request_view
from edgequake_harness.judge.normalise import Policy, load_policy
from edgequake_harness.judge.observation import Observation
from edgequake_harness.judge.outcomes import COMPARED, CaseResult, Outcome, judge
from edgequake_harness.judge.registry import Registry
from edgequake_harness.modes import VARIANT_MODES
from edgequake_harness.replay.server import ReplayServer
from edgequake_harness.report import coverage, evidence
from edgequake_harness.run import variants
from edgequake_harness.run.collector import SafePointCollector
from edgequake_harness.run.sandbox import Sandbox
from edgequake_harness.run.targets import DEFAULT_DEADLINE_S, PINNED_LITELLM, EventLoop, Target, TargetError

Progress = Callable[[int, int, str], None]


@dataclass
class RunConfig:
    paths: Sequence[str] = ("cassettes",)
    reference: str = "litellm"
    candidate: str = "edgequake"
    providers: Sequence[str] = ()
    features: Sequence[str] = ()
    keyword: Optional[str] = None
    policy: Optional[Path] = None
    registry: Optional[Path] = None
    deadline_s: float = DEFAULT_DEADLINE_S
    mode: Optional[str] = None  # one mode only ("sync", "async", "sync/env", ...); None: every mode
    call_variants: bool = True  # also judge the call variants (run.variants) that apply to a case

    def modes_for(self, case: Case) -> Tuple[str, ...]:
        """The modes this run judges the case in: the run's, else the case's stated one, else both
        consumption modes and then the call variants that apply to the case (sync consumption)."""
        if self.mode:
            return (self.mode,)
        if case.meta.mode:  # the case states how it must be run: that way only
            return (case.meta.mode,)
        extra = variants.modes(case.call) if self.call_variants and not case.skip else ()
        return MODES + extra


@dataclass
class RunResult:
    config: RunConfig
    results: List[CaseResult]
    targets: Dict[str, Dict[str, Any]]
    stale: List[Dict[str, Any]]
    started: str
    duration_s: float
    refused: Dict[str, int] = field(default_factory=dict)  # outside connections refused (run.sandbox)


class Runner:
    def __init__(self, config: RunConfig) -> None:
        self.config = config
        self.policy: Policy = load_policy(config.policy)
        self.registry = Registry.load(config.registry)
        self._targets: Dict[str, Union[Target, TargetError]] = {}
        self._server: Optional[ReplayServer] = None
        self._loop: Optional[EventLoop] = None
        self._sandbox: Optional[Sandbox] = None
        self._collector: Optional[SafePointCollector] = None
        self.refused: Counter[str] = Counter()  # outside connections the sandbox refused, by target host

    def __enter__(self) -> Runner:
        self._sandbox = Sandbox().__enter__()  # before any target makes a client
        self._server = ReplayServer().start()
        self._collector = SafePointCollector().__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None
        if self._loop is not None:
            self._loop.close()
            self._loop = None
        if self._sandbox is not None:
            self._sandbox.__exit__()
            self._sandbox = None
        if self._collector is not None:
            self._collector.__exit__()
            self._collector = None

    def target(self, role: str) -> Union[Target, TargetError]:
        if role not in self._targets:
            name = self.config.reference if role == "reference" else self.config.candidate
            try:
                self._targets[role] = Target.load(name)
            except TargetError as exc:
                self._targets[role] = exc
        return self._targets[role]

    def describe_targets(self) -> Dict[str, Dict[str, Any]]:
        out = {}
        for role in ("reference", "candidate"):
            loaded = self.target(role)
            name = self.config.reference if role == "reference" else self.config.candidate
            if isinstance(loaded, TargetError):
                out[role] = {"module": name, "version": None, "error": str(loaded)}
            else:
                out[role] = {"module": name, "version": loaded.version, "error": None}
        return out

    def observe(self, role: str, case: Case, mode: Optional[str] = None) -> Union[Observation, TargetError]:
        assert self._server is not None and case.call is not None and case.cassette is not None
        target = self.target(role)
        if isinstance(target, TargetError):
            return target
        mode, variant = variants.split(mode or self.config.mode or case.call.mode)
        call = replace(case.call, mode=mode) if mode != case.call.mode else case.call
        if call.mode == "async" and self._loop is None:
            self._loop = EventLoop()
        self._server.load(case.cassette.interactions)
        if self._sandbox is not None:
            self._sandbox.take_outside()  # what an abandoned earlier call did is not this case's
        observation = target.run(call, self._server.url, self.config.deadline_s, self._loop, variant)
        if self._collector is not None:
            self._collector.after_call()
        for received in self._server.requests:
            observation.requests.append(
                request_view(received.method, received.target, received.headers, received.body)
            )
            if received.miss:
                observation.misses.append(received.miss)
            if self._sandbox is not None:
                text = f"{received.target} {received.headers!r} {received.body!r}"
                for name in self._sandbox.leaked(text):
                    observation.sandbox.append(
                        f"sent the environment's {name} (its canary) to the replay server"
                    )
        if self._sandbox is not None:
            # Refused either way; not put on the case, since it cannot be told whose it was: a
            # library's background thread (litellm's logging worker, say) dials while the next
            # target runs. The run's report lists them.
            self.refused.update(self._sandbox.take_outside())
        return observation

    def run_case(self, case: Case, mode: Optional[str] = None) -> CaseResult:
        """One case in one mode (default: the run's mode, else the case's own call mode)."""
        mode = mode or self.config.mode or (case.call.mode if case.call else MODES[0])
        started = time.perf_counter()
        result = self._judge(case, mode)
        result.duration_s = round(time.perf_counter() - started, 4)
        result.labels = coverage.labels(case)
        return result

    def _judge(self, case: Case, mode: str) -> CaseResult:
        def result(outcome: Outcome, reason: Optional[str], **more: Any) -> CaseResult:
            return CaseResult(
                case.id,
                case.provider,
                case.feature,
                case.name,
                str(case.path),
                outcome,
                reason,
                mode=mode,
                **more,
            )

        if case.skip or case.call is None:
            return result(Outcome.SKIPPED, case.skip or "no call")
        call = f"{case.call.function}(model={case.call.model!r}, stream={case.call.stream}) [{mode}]"
        reference = self.observe("reference", case, mode)
        if isinstance(reference, TargetError):
            return result(Outcome.REFERENCE_ERROR, str(reference), call=call)
        candidate = self.observe("candidate", case, mode)
        if isinstance(candidate, TargetError):
            return result(Outcome.CANDIDATE_ERROR, str(candidate), call=call)
        left, right = reference.to_json(), candidate.to_json()
        normaliser = self.policy.for_case(case.provider, case.meta.volatile)
        diffs = compare(left, right, normaliser)
        unregistered, registered = self.registry.split(case.id, diffs, mode)
        outcome, reason = judge(left, right, diffs, unregistered)
        shown = unregistered if outcome is not Outcome.REGISTERED else []
        seen = evidence.of(left, right, normaliser)
        return result(outcome, reason, diffs=shown, registered=registered, call=call, evidence=seen)

    def run(self, cases: Sequence[Case], progress: Optional[Progress] = None) -> RunResult:
        """Every case in every mode the run judges it in (`RunConfig.modes_for`), cases in order."""
        started = datetime.now(timezone.utc).isoformat(timespec="seconds")
        clock = time.perf_counter()
        work = [(case, mode) for case in cases for mode in self.config.modes_for(case)]
        results = []
        for index, (case, mode) in enumerate(work):
            if progress:
                progress(index, len(work), f"{case.id} [{mode}]")
            results.append(self.run_case(case, mode))
        if progress:
            progress(len(work), len(work), "")
        targets = self.describe_targets()
        return RunResult(
            self.config,
            results,
            targets,
            self.registry.stale(judged(results)),
            started,
            round(time.perf_counter() - clock, 3),
            dict(self.refused),
        )


def judged(results: Sequence[CaseResult]) -> List[Tuple[str, str, List[Dict[str, Any]]]]:
    """(case id, mode, registered pairs) for results whose two sides were actually compared."""
    return [(r.id, r.mode, r.registered) for r in results if r.outcome in COMPARED]


def run_warnings(targets: Dict[str, Dict[str, Any]], refused: Optional[Dict[str, int]] = None) -> List[str]:
    out = []
    for what, count in sorted((refused or {}).items()):
        out.append(f"sandbox refused an outside connection ({count}x): {what}")
    reference = targets.get("reference", {})
    if reference.get("module") == "litellm" and reference.get("version") not in (None, PINNED_LITELLM):
        out.append(f"reference litellm is {reference['version']}, not the pinned {PINNED_LITELLM}")
    return out


def run_metadata(
    config: RunConfig,
    started: Optional[str],
    duration_s: Optional[float],
    targets: Dict[str, Dict[str, Any]],
    refused: Optional[Dict[str, int]] = None,
) -> Dict[str, Any]:
    """The report's `run` block, the same for the CLI and the pytest plugin."""
    return {
        "started": started,
        "duration_s": duration_s,
        "harness": __version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "paths": [str(p) for p in config.paths],
        "filters": {
            "provider": list(config.providers),
            "feature": list(config.features),
            "keyword": config.keyword,
        },
        "modes": [config.mode] if config.mode else [*MODES, *(VARIANT_MODES if config.call_variants else ())],
        "policy": str(config.policy) if config.policy else "bundled",
        "registry": str(config.registry) if config.registry else None,
        "warnings": run_warnings(targets, refused),
        "refused": dict(sorted((refused or {}).items())),  # summed when shard reports are merged
    }
