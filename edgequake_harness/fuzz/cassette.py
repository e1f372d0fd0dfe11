"""Generated scenarios as cassettes: in memory for a run, on disk as regression cassettes.

A scenario becomes a one-interaction `Cassette` and its `Case` is derived exactly as a recorded
cassette's is (`derive_call` from the request URI and body, `derive_feature`), so a regression
cassette written here replays the same call under `python -m edgequake_harness run cassettes` and
`pytest --compat`.

Regression cassettes are vcrpy YAML (`version: 1`) written with vcrpy's own serializer and read
back before they are kept: the bytes served must be the bytes that failed. Beside each one, a
`<stem>.case.yaml` carries the case metadata the harness reads plus `notes` (provenance
`authored (hypothesis shrink)`, the byte offsets the stream was cut at, what differed), and
`README.md` in the directory lists every regression cassette with its provenance.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from edgequake_harness.cassettes.case import DEFAULT_KWARGS, META_SUFFIX, Case, derive_feature
from edgequake_harness.cassettes.derive import derive_call
from edgequake_harness.cassettes.formats import (
    Cassette,
    Interaction,
    RecordedRequest,
    RecordedResponse,
    load_cassette,
)
from edgequake_harness.fuzz.strategies.common import Scenario, dumps
from edgequake_harness.judge.outcomes import CaseResult

PROVENANCE = "authored (hypothesis shrink)"
README = "README.md"
_REASONS = {200: "OK", 400: "Bad Request", 429: "Too Many Requests", 500: "Internal Server Error"}


def interaction(scenario: Scenario) -> Interaction:
    request = RecordedRequest(
        "POST",
        scenario.uri,
        {"content-type": ["application/json"]},
        dumps(scenario.request, False).encode("utf-8"),
    )
    headers = {name.lower(): [value] for name, value in scenario.headers.items()}
    response = RecordedResponse(scenario.status, _REASONS.get(scenario.status, ""), headers, scenario.body)
    return Interaction(request, response)


def name_of(scenario: Scenario) -> str:
    digest = hashlib.sha1(
        scenario.uri.encode() + dumps(scenario.request, True).encode() + scenario.body
    ).hexdigest()[:10]
    return f"fuzz-{scenario.provider}-{scenario.label}-{digest}"


def to_case(scenario: Scenario, path: Optional[Path] = None) -> Case:
    """The harness case for a scenario, derived as a recorded cassette's would be."""
    name = name_of(scenario)
    where = path or Path("<hypothesis>") / f"{name}.yaml"
    cassette = Cassette(where, "vcrpy", (interaction(scenario),))
    call = derive_call(cassette, None, None, DEFAULT_KWARGS)  # raises Unsupported: a strategy bug
    return Case(call.provider, derive_feature(cassette, call), name, where, cassette, call)


def cassette_dict(scenario: Scenario) -> Dict[str, Any]:
    recorded = interaction(scenario)
    body: Any = scenario.body
    with contextlib.suppress(UnicodeDecodeError):  # else kept as bytes: vcrpy writes !!binary
        body = scenario.body.decode("utf-8")
    return {
        "interactions": [
            {
                "request": {
                    "body": recorded.request.body.decode("utf-8"),
                    "headers": {"Content-Type": ["application/json"]},
                    "method": "POST",
                    "uri": scenario.uri,
                },
                "response": {
                    "body": {"string": body},
                    "headers": {name: [value] for name, value in scenario.headers.items()},
                    "status": {"code": scenario.status, "message": recorded.response.reason},
                },
            }
        ],
        "version": 1,
    }


def write_regression(scenario: Scenario, result: CaseResult, directory: Path) -> Path:
    """Write the cassette, its case metadata and a README row; returns the cassette path."""
    import yaml
    from vcr.serializers import yamlserializer

    directory.mkdir(parents=True, exist_ok=True)
    name = name_of(scenario)
    path = directory / f"{name}.yaml"
    path.write_text(yamlserializer.serialize(cassette_dict(scenario)), encoding="utf-8")
    served = load_cassette(path).interactions[0].response.body
    if served != scenario.body:
        path.unlink()
        raise RuntimeError(f"{path}: the YAML round trip changed the response body; not kept")
    notes: Dict[str, Any] = {
        "provenance": PROVENANCE,
        "outcome": result.outcome.value,
        "reason": result.reason,
        "differences": [d.describe(160) for d in result.diffs[:10]],
        "signature": sorted({re.sub(r"\[\d+\]", "[*]", d.path) for d in result.diffs})
        or [f"<{result.outcome.value}>"],
    }
    if scenario.splits is not None:
        notes["splits"] = list(scenario.splits)
        notes["replay"] = (
            "the failure was found with the stream cut into HTTP chunks at `splits`; "
            "`harness run` serves one event per chunk, tests/property/test_regressions.py serves the cuts"
        )
    meta = {"notes": notes}
    (directory / f"{name}{META_SUFFIX}").write_text(
        yaml.safe_dump(meta, allow_unicode=False, sort_keys=False, width=100), encoding="utf-8"
    )
    _add_readme_row(directory, name, scenario, result)
    return path


def read_regression(path: Path) -> Tuple[Case, Optional[Tuple[int, ...]]]:
    """A regression cassette as a case, with the byte offsets its stream was cut at (if any)."""
    import yaml

    from edgequake_harness.cassettes.case import load_case, meta_path

    case = load_case(path)
    meta = meta_path(path)
    splits = None
    if meta.exists():
        notes = (yaml.safe_load(meta.read_text(encoding="utf-8")) or {}).get("notes") or {}
        if isinstance(notes, dict) and notes.get("splits") is not None:
            splits = tuple(int(s) for s in notes["splits"])
    return case, splits


_README_HEAD = """# Regression cassettes from property-based differential tests

Each cassette here was generated by the hypothesis strategies in `edgequake_harness/fuzz/strategies/`, made
minimal by hypothesis's shrinker, and kept because reference (litellm) and candidate (edgequake)
disagreed on it (`docs/fuzzing.md`). They are authored, not recorded: provenance
`authored (hypothesis shrink)`. Beside each cassette, `<name>.case.yaml` `notes` say what differed
and, for streams found with arbitrary HTTP chunk boundaries, the byte offsets (`splits`) that
`tests/property/test_regressions.py` replays; `python -m edgequake_harness run cassettes` replays them one
SSE event per chunk like every other cassette.

| cassette | provenance | provider | kind | outcome | first difference |
|---|---|---|---|---|---|
"""


def _add_readme_row(directory: Path, name: str, scenario: Scenario, result: CaseResult) -> None:
    readme = directory / README
    text = readme.read_text(encoding="utf-8") if readme.exists() else _README_HEAD
    if f"`{name}.yaml`" in text:
        return
    first = result.diffs[0].path if result.diffs else (result.reason or "")
    first = first.replace("|", "\\|").replace("\n", " ")[:120]
    row = (
        f"| `{name}.yaml` | {PROVENANCE} | {scenario.provider} | {scenario.label} "
        f"| {result.outcome.value} | {first} |\n"
    )
    readme.write_text(text.rstrip("\n") + "\n" + row, encoding="utf-8")


def regression_paths(directory: Path) -> List[Path]:
    return sorted(p for p in directory.glob("*.yaml") if not p.name.endswith(META_SUFFIX))
