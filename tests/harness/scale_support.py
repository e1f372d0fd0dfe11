"""Helpers shared by the sharding/merge/JUnit tests: a case library with every kind of result the
fakes can produce, and the comparison of two reports that ignores only the run-specific fields."""

from __future__ import annotations

import copy
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

import yaml

from edgequake_harness.report.merge import RUN_SPECIFIC

SCHEMA = Path(__file__).resolve().parent / "schemas" / "junit-10.xsd"


def chat_body(model: str) -> Dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1700000000,
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4},
    }


def library(write_cassette: Callable[..., Path], interaction: Callable[..., Dict[str, Any]]) -> Path:
    """Four chat cases (each answering with its own model name), a stream, a 404 and a stated skip,
    plus a registry: one entry used by one case only (so every other shard sees it unused), one
    entry that is stale in the whole run."""
    request = {"model": "gpt-x", "messages": [{"role": "user", "content": "hi"}]}
    path = Path()
    for name in ("chat_a", "chat_b", "chat_c", "chat_d"):
        path = write_cassette(interaction(request=request, body=chat_body(f"gpt-{name}")), name=name)
    events = "".join(
        'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-x","choices":'
        f'[{{"index":0,"delta":{{"content":"{t}"}},"finish_reason":null}}]}}\n\n'
        for t in ("o", "k")
    )
    write_cassette(
        interaction(
            request={**request, "stream": True},
            body=events + "data: [DONE]\n\n",
            headers={"content-type": ["text/event-stream"]},
        ),
        name="stream",
    )
    error = {"error": {"message": "no such model", "type": "invalid_request_error"}}
    write_cassette(interaction(request=request, status=404, body=error), name="missing")
    skipped = write_cassette(interaction(request=request, body=chat_body("gpt-x")), name="later")
    skipped.with_name("later.case.yaml").write_text("skip: recorded for a feature not derived yet\n")
    root = path.parent.parent
    (root / "divergences.yaml").write_text(
        yaml.safe_dump(
            {
                "version": 1,
                "divergences": [
                    {"case": "openai/*", "path": "response.model", "reason": "seeded: only chat_a differs"},
                    {"case": "openai/chat/*", "path": "response.nothing", "reason": "stale everywhere"},
                ],
            }
        )
    )
    return root


def drift(body: Dict[str, Any]) -> Dict[str, Any]:
    """fake_drift's response mutation: chat_a differs where the registry covers it (registered),
    chat_b where it does not (diverged); every other case is conformant."""
    if body.get("model") == "gpt-chat_a":
        return {**body, "model": "drifted"}
    if body.get("model") == "gpt-chat_b":
        return {**body, "id": "other"}
    return body


def without_run_specific(report: Dict[str, Any]) -> Dict[str, Any]:
    """The report less the fields merge.RUN_SPECIFIC names (`run.<key>` and `cases[].<key>`)."""
    out = copy.deepcopy(report)
    for field in RUN_SPECIFIC:
        where, _, key = field.partition(".")
        if where == "run":
            out["run"].pop(key, None)
        elif where == "cases[]":
            for case in out["cases"]:
                case.pop(key, None)
        else:
            raise AssertionError(f"unknown run-specific field {field}")
    return out


def markdown_without_start(text: str) -> str:
    return re.sub(r"; run [^\n]*\.\n", "; run <started>.\n", text)


def junit_shape(path: Path) -> Tuple[Dict[str, str], List[Tuple[str, str, Tuple[str, ...]]]]:
    """(suite counts, [(result key, child tag, child attribute names)]) of a JUnit XML file, with
    the result key `provider/feature/name[mode]` whichever way the file splits classname and name."""
    root = ET.parse(path).getroot()
    assert root.tag == "testsuites"
    (suite,) = list(root)
    counts = {k: suite.get(k, "") for k in ("tests", "failures", "skipped", "errors")}
    rows = []
    for case in suite.iter("testcase"):
        name = case.get("name", "")
        classname = case.get("classname", "")
        key = name if "/" in name else classname.replace(".", "/", 1) + "/" + name
        children = [c for c in case if c.tag != "properties"]
        tag = children[0].tag if children else "passed"
        attrs = tuple(sorted(children[0].attrib)) if children else ()
        rows.append((key, tag, attrs))
    return counts, sorted(rows)
