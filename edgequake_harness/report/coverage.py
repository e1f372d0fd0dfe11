"""Coverage: which provider x feature cells the cases exercise, so empty cells are visible.

A case counts in every feature it exercises (a streamed tool call is both `stream` and `tools`),
not only in its primary feature (the report's `feature` column). Labels come from the call and the
recorded response the call reproduces:

    chat       a non-streamed completion that the recording answers with a 2xx
    stream     a streamed completion
    tools      tools/functions in the call, or a tool call in the recorded response
    vision     an image part in the messages
    json       response_format in the call
    embedding  an embedding call
    errors     a recorded status >= 400, the case's feature is "error", or an error event in a 2xx stream
    reasoning  reasoning/thinking asked for, or reasoning content / thinking blocks in the response

A Core provider's empty cell needs a stated reason: `coverage-gaps.yaml` beside the cassettes
(`gaps: [{provider, feature, reason}]`). The report lists each empty Core cell with its reason, or
as "no case and no stated reason" so that a gap never goes unnoticed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Sequence

from edgequake_harness.report.markdown import text

if TYPE_CHECKING:
    from edgequake_harness.cassettes.case import Case

FEATURES = ("chat", "stream", "tools", "vision", "json", "embedding", "errors", "reasoning")
CORE_PROVIDERS = ("openai", "azure", "anthropic", "gemini", "mistral", "ollama", "openrouter", "xai")
GAPS_NAME = "coverage-gaps.yaml"
# Outcomes that count a case as passing in a cell (the cell shows passing/total). Delegated is not
# one: the candidate did not serve the call, so the cell must not look covered by it.
PASSING = ("conformant", "registered_divergence")

_REASONING_BODY = re.compile(
    rb'"(reasoning_content|thinking|redacted_thinking|reasoning|reasoning_details|thought_signature|thoughtSignature)"'
    rb'|"thought"\s*:\s*true|"reasoning_tokens"\s*:\s*[1-9]|"thoughtsTokenCount"\s*:\s*[1-9]'
)
_TOOL_BODY = re.compile(
    rb'"(tool_calls|tool_use|functionCall|function_call)"\s*:\s*[\[{"]|"type"\s*:\s*"tool_use"'
)
_REASONING_KWARGS = ("reasoning_effort", "thinking", "reasoning")


def labels(case: Case) -> List[str]:
    """The features this case exercises, in FEATURES order; empty for a case with no call."""
    call, cassette = case.call, case.cassette
    if call is None or cassette is None:
        return []
    kwargs = call.kwargs
    found = set()
    response = cassette.interactions[call.interaction].response
    body = response.body or b""
    if call.function == "embedding":
        found.add("embedding")
    elif call.stream:
        found.add("stream")
    elif response.status < 400:
        found.add("chat")
    if kwargs.get("tools") or kwargs.get("functions") or (response.status < 400 and _TOOL_BODY.search(body)):
        found.add("tools")
    if any(_has_image(m) for m in kwargs.get("messages") or []):
        found.add("vision")
    if kwargs.get("response_format"):
        found.add("json")
    if response.status >= 400 or case.feature == "error" or (call.stream and _stream_error(body)):
        found.add("errors")
    if any(kwargs.get(k) for k in _REASONING_KWARGS) or (
        response.status < 400 and _REASONING_BODY.search(body)
    ):
        found.add("reasoning")
    return [f for f in FEATURES if f in found]


def _has_image(message: Any) -> bool:
    content = message.get("content") if isinstance(message, dict) else None
    return isinstance(content, list) and any(
        isinstance(part, dict) and part.get("type") in ("image_url", "input_image", "image")
        for part in content
    )


def _stream_error(body: bytes) -> bool:
    return b"event: error" in body or bool(re.search(rb'(^|\n)data: \{"error"|"error"\s*:\s*\{', body))


def load_gaps(paths: Iterable[str]) -> List[Dict[str, str]]:
    """Stated reasons for empty cells, from `coverage-gaps.yaml` in (or above) the run's paths."""
    import yaml

    seen: Dict[Path, None] = {}
    for raw in paths:
        path = Path(raw)
        for directory in [path if path.is_dir() else path.parent, *path.parents]:
            candidate = directory / GAPS_NAME
            if candidate.is_file():
                seen.setdefault(candidate.resolve())
                break
    gaps: List[Dict[str, str]] = []
    for file in seen:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        for entry in data.get("gaps") or []:
            if isinstance(entry, dict) and {"provider", "feature", "reason"} <= set(entry):
                gaps.append({k: str(entry[k]) for k in ("provider", "feature", "reason")})
    return gaps


def matrix(
    cases: Sequence[Dict[str, Any]], gaps: Sequence[Dict[str, str]] = (), core: Sequence[str] = CORE_PROVIDERS
) -> Dict[str, Any]:
    """The report's `coverage` block from its case entries (each with `provider`, `labels`, `outcome`).

    {features, core, providers: {provider: {feature: {cases, passing, outcomes}}}, empty_core: [...]}
    Every Core provider has a row even with no case at all; skipped cases do not cover a cell.
    """
    providers: Dict[str, Dict[str, Dict[str, Any]]] = {}
    for provider in core:
        providers[provider] = {}
    for case in cases:
        if case.get("outcome") == "skipped":
            continue
        row = providers.setdefault(case["provider"], {})
        for feature in case.get("labels") or []:
            cell = row.setdefault(feature, {"cases": 0, "passing": 0, "outcomes": {}})
            cell["cases"] += 1
            cell["passing"] += case["outcome"] in PASSING
            cell["outcomes"][case["outcome"]] = cell["outcomes"].get(case["outcome"], 0) + 1
    stated = {(g["provider"], g["feature"]): g["reason"] for g in gaps}
    empty_core = [
        {"provider": p, "feature": f, "reason": stated.get((p, f))}
        for p in core
        for f in FEATURES
        if f not in providers.get(p, {})
    ]
    ordered = {p: providers[p] for p in [*core, *sorted(set(providers) - set(core))]}
    return {"features": list(FEATURES), "core": list(core), "providers": ordered, "empty_core": empty_core}


def markdown(coverage: Optional[Dict[str, Any]]) -> List[str]:
    """The provider x feature table (cells: passing/cases; `·` for an empty cell) and the gap list."""
    if not coverage:
        return []
    features = coverage["features"]
    lines = [
        "## Coverage: cases per provider x feature",
        "",
        "A case counts in every feature it exercises; a cell shows passing/cases (passing: conformant",
        "or registered; a delegated case is not passing). `·` marks an empty cell; **bold** rows are",
        "Core providers.",
        "",
        "| provider | " + " | ".join(features) + " |",
        "|---|" + "---:|" * len(features),
    ]
    for provider, row in coverage["providers"].items():
        name = f"**{text(provider)}**" if provider in coverage["core"] else text(provider)
        cells = [f"{row[f]['passing']}/{row[f]['cases']}" if f in row else "·" for f in features]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    if coverage["empty_core"]:
        lines += ["", "Empty cells for Core providers:", ""]
        for gap in coverage["empty_core"]:
            reason = gap["reason"] or "**no case and no stated reason**"
            lines.append(f"- {text(gap['provider'])} x {text(gap['feature'])}: {text(reason)}")
    return lines
