"""JUnit XML from a compat.json, for CI systems (`run --junit-xml`, `merge --junit-xml`).

The file has the shape pytest's `--junitxml` writes in its default family, xunit2, so that what a
CI system accepts from `pytest --compat --junitxml` it accepts from the CLI too:

    <testsuites name=...><testsuite name errors failures skipped tests time timestamp hostname>
      <properties><property name value/>...</properties>        (suite level: targets, counts)
      <testcase classname="provider.feature" name="case[mode]" time>
        <failure message="first difference">all differences</failure>     diverged, candidate error,
                                                                            sandbox violation
        <skipped type="edgequake.<outcome>" message="<outcome>: reason">  skipped, delegated,
                                                                            reference error
A passing result (conformant, registered divergence) has no child, as in pytest.

Each result's outcome is in the file: a failure's and a skip's `type` is `edgequake.<outcome>`, and
the suite's properties count every outcome. xunit2 has no place for per-testcase properties (the
schema pytest validates its output against, `junit-10.xsd`, allows `<properties>` only on the
suite; pytest warns that `record_property` is incompatible with xunit2 for that reason), so those
are written only with `family="xunit1"` (outcome, mode, cassette, plus the `file` attribute), as
pytest does for `junit_family=xunit1`.
"""

from __future__ import annotations

import json
import platform
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Dict, List, Optional

FAMILIES = ("xunit2", "xunit1")
FAILURE_OUTCOMES = ("diverged", "candidate_error", "sandbox_violation")
SKIPPED_OUTCOMES = ("skipped", "delegated", "reference_error")
MAX_DIFFS = 30
MESSAGE_BUDGET = 500  # a message attribute is one line a CI system shows; the text holds the rest

# Characters XML 1.0 cannot carry at all (a recorded body may hold them): shown escaped instead.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: Any) -> str:
    return _ILLEGAL.sub(lambda m: f"#x{ord(m.group()):02X}", str(text))


def _value(data: Any, width: int = 120) -> str:
    rendered = json.dumps(data, ensure_ascii=False, default=repr)
    return rendered if len(rendered) <= width else rendered[: width - 1] + "…"


def describe_diff(diff: Dict[str, Any]) -> str:
    return (
        f"{diff['path']} {diff['kind']}: {_value(diff.get('reference'))} -> {_value(diff.get('candidate'))}"
    )


def _one_line(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= MESSAGE_BUDGET else line[: MESSAGE_BUDGET - 1] + "…"


def classname(case: Dict[str, Any]) -> str:
    return f"{case['provider']}.{case['feature']}"


def testname(case: Dict[str, Any]) -> str:
    return f"{case['name']}[{case.get('mode') or 'sync'}]"


def _failure(case: Dict[str, Any]) -> ET.Element:
    diffs: List[Dict[str, Any]] = case.get("diffs") or []
    head = f"{case['outcome']} [{case.get('mode') or 'sync'}]: {case.get('reason') or ''}".rstrip(": ")
    message = f"{head}; first difference: {describe_diff(diffs[0])}" if diffs else head
    lines = [head, f"cassette: {case.get('cassette')}"]
    if case.get("call"):
        lines.append(f"call: {case['call']}")
    lines += [f"  {describe_diff(d)}" for d in diffs[:MAX_DIFFS]]
    if len(diffs) > MAX_DIFFS:
        lines.append(f"  ... {len(diffs) - MAX_DIFFS} more differences (compat.json)")
    node = ET.Element("failure", message=clean(_one_line(message)), type=f"edgequake.{case['outcome']}")
    node.text = clean("\n".join(lines))
    return node


def _skipped(case: Dict[str, Any]) -> ET.Element:
    message = f"{case['outcome']}: {case.get('reason') or ''}"
    node = ET.Element("skipped", type=f"edgequake.{case['outcome']}", message=clean(_one_line(message)))
    node.text = clean(f"{case.get('cassette')}: {message}")
    return node


def testcase(case: Dict[str, Any], family: str = "xunit2") -> ET.Element:
    attrs = {"classname": clean(classname(case)), "name": clean(testname(case))}
    if family == "xunit1":
        attrs["file"] = clean(case.get("cassette") or "")
    node = ET.Element("testcase", attrs, time=f"{float(case.get('duration_s') or 0.0):.3f}")
    if family == "xunit1":
        properties = ET.SubElement(node, "properties")
        for name in ("outcome", "mode", "cassette"):
            ET.SubElement(properties, "property", name=name, value=clean(case.get(name) or ""))
    if case["outcome"] in FAILURE_OUTCOMES:
        node.append(_failure(case))
    elif case["outcome"] in SKIPPED_OUTCOMES:
        node.append(_skipped(case))
    return node


def render(report: Dict[str, Any], family: str = "xunit2", hostname: Optional[str] = None) -> str:
    """The JUnit XML document for a report (one testcase per case and mode, in report order)."""
    if family not in FAMILIES:
        raise ValueError(f"unknown JUnit family {family!r} (one of {', '.join(FAMILIES)})")
    cases: List[Dict[str, Any]] = report["cases"]
    failures = sum(c["outcome"] in FAILURE_OUTCOMES for c in cases)
    skipped = sum(c["outcome"] in SKIPPED_OUTCOMES for c in cases)
    run = report.get("run") or {}
    duration = run.get("duration_s")
    if duration is None:
        duration = sum(float(c.get("duration_s") or 0.0) for c in cases)
    suite = ET.Element(
        "testsuite",
        name="edgequake-harness",
        errors="0",
        failures=str(failures),
        skipped=str(skipped),
        tests=str(len(cases)),
        time=f"{float(duration):.3f}",
        timestamp=clean(run.get("started") or ""),
        hostname=clean(hostname if hostname is not None else platform.node()),
    )
    properties = ET.SubElement(suite, "properties")
    for role in ("reference", "candidate"):
        target = (report.get("targets") or {}).get(role) or {}
        value = f"{target.get('module')} {target.get('version') or '(not loaded)'}"
        ET.SubElement(properties, "property", name=role, value=clean(value))
    if run.get("shard"):
        ET.SubElement(
            properties, "property", name="shard", value=f"{run['shard']['index']}/{run['shard']['count']}"
        )
    for outcome, count in (report.get("summary") or {}).get("outcomes", {}).items():
        ET.SubElement(properties, "property", name=f"outcome.{outcome}", value=str(count))
    for case in cases:
        suite.append(testcase(case, family))
    root = ET.Element("testsuites", name="edgequake conformance")
    root.append(suite)
    return '<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(root, encoding="unicode")


def write(report: Dict[str, Any], path: Path, family: str = "xunit2") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(report, family), encoding="utf-8")
    return path
