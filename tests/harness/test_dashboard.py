"""The HTML dashboard (report/html.py), the per-side evidence it drills into, and the CLI wiring."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
from pathlib import Path
from typing import Tuple

import pytest
from crafted_report import CLOSE, HOSTILE, IMG, SCRIPT, report
from markupsafe import escape

from edgequake_harness.cli import main
from edgequake_harness.judge.normalise import load_policy
from edgequake_harness.judge.outcomes import CaseResult
from edgequake_harness.report import compat as reports
from edgequake_harness.report import dashboard_model as model
from edgequake_harness.report import evidence, html


def cli(*argv: str) -> Tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_every_outcome_is_shown_with_its_count() -> None:
    page = html.render(report())
    for outcome, label in model.LABELS.items():
        assert f'data-outcome="{outcome}"' in page  # a result of each kind in the case list
        assert f'<span class="badge o-{outcome}">{label}</span>' in page  # and in the legend
        assert f'data-outcome-count="{outcome}">' in page


def test_hostile_cassette_text_is_escaped_everywhere() -> None:
    page = html.render(report())
    for hostile in HOSTILE:
        assert hostile not in page
    # Only the page's own two script elements exist, and no element came from report text.
    assert page.count("<script") == 2
    assert "<img" not in page
    assert "&lt;script&gt;window.__pwned" in page  # shown, as text
    # The JSON block cannot be closed by a value: `<`, `>` and `&` are escaped inside it.
    block = re.search(r'<script type="application/json" id="facets">(.*?)</script>', page, re.S)
    assert block is not None and "<" not in block.group(1)
    assert "evil" + CLOSE in json.loads(block.group(1))["provider"]


def test_the_one_inline_script_is_allowed_by_hash_and_nothing_else() -> None:
    page = html.render(report())
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy is not None and "default-src 'none'" in policy.group(1)
    script = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(script) == 1
    digest = base64.b64encode(hashlib.sha256(script[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in policy.group(1)
    assert "innerHTML" not in script[0] and "http" not in script[0]  # no markup from data, no fetch


def test_matrix_percentages_and_bands() -> None:
    cell = model.Cell.of({"conformant": 9, "diverged": 1, "delegated": 5})
    assert (cell.pct, cell.css, cell.total) == (90.0, "p90", 15)  # delegated is not judged
    only = model.Cell.of({"delegated": 2, "skipped": 1})
    assert (only.pct, only.css, only.note) == (None, "na", "2 delegated, 1 skipped")
    matrices = model.matrices(report())
    assert [m.mode for m in matrices] == ["sync", "async", "sync/env"]
    sync = matrices[0]
    assert sync.features == ["chat", "stream"]
    assert {p for p, _, _ in sync.rows} == {"openai", "anthropic"}


def test_drill_down_shows_diff_chunks_requests_and_registered_reasons() -> None:
    page = html.render(report())
    assert "response.choices[0].message.content" in page
    assert "<summary>chunks (3)</summary>" in page and "<summary>requests</summary>" in page
    assert "/v1/chat/completions" in page
    assert str(escape("litellm bug " + IMG)) in page
    assert "openai/chat/*" in page  # the registry entry, in its section
    assert "Stale entries" in page


def test_trend_from_a_history_directory(tmp_path: Path) -> None:
    history = tmp_path / "history"
    for day in ("2026-11-28", "2026-11-29"):
        (history / day).mkdir(parents=True)
        reports.write(report(f"{day}T10:00:00+00:00"), history / day)
    (history / "junk.json").write_text("{not json", encoding="utf-8")
    points, problems = model.history(history)
    assert [p.started[:10] for p in points] == ["2026-11-28", "2026-11-29"]
    assert problems and problems[0].startswith("junk.json")
    page = html.render(report(), points, problems)
    assert page.count("<polyline") == 3  # one line per mode
    assert "history: skipped junk.json" in page
    assert "A trend needs" in html.render(report())  # one report: no chart, and how to get one


def test_a_report_without_evidence_still_renders() -> None:
    old = report()
    for case in old["cases"]:
        case.pop("evidence", None)
    page = html.render(old)
    assert "no per-side evidence" in page


def test_evidence_is_bounded_normalised_and_scrubbed() -> None:
    long = "x" * 5000
    observation = {
        "response": {"id": "chatcmpl-123", "choices": [{"message": {"content": long}}]},
        "chunks": [{"n": i, "created": 1700000000 + i} for i in range(40)],
        "requests": [{"method": "POST", "path": "/v1", "query": {"key": ["sk-fake"], "alt": ["sse"]}}],
        "delegated": None,
    }
    normaliser = load_policy().for_case("openai")
    side = evidence.side(observation, normaliser)
    content = side["response"]["choices"][0]["message"]["content"]
    assert len(content) < 500 and content.endswith("more characters]")
    assert side["chunks"][0] == {"n": 0, "created": "<volatile>"}  # as the diff compared it
    assert side["chunk_count"] == 40 and len(side["chunks"]) == evidence.MAX_ITEMS + 1
    assert side["requests"][0]["query"] == {"key": ["<redacted>"], "alt": ["sse"]}
    assert "sk-fake" not in json.dumps(side)
    assert list(evidence.of(observation, observation, normaliser)) == ["both"]
    stamped = {"response": {"created": 1796149083, "choices": [{"index": 0, "created": 3}]}}
    assert evidence.side(stamped, normaliser)["response"] == {
        "created": "<clock>",  # a wall clock: a re-run must give the same evidence
        "choices": [{"index": 0, "created": 3}],
    }
    other = {**observation, "response": {"id": "x", "choices": []}}
    assert list(evidence.of(observation, other, normaliser)) == ["reference", "candidate"]


def test_a_case_repeating_its_evidence_in_another_mode_carries_it_once() -> None:
    built = report()
    twins = [c for c in built["cases"] if c["id"] == "openai/chat/conformant-x"]
    assert [(c["mode"], list(c["evidence"])) for c in twins] == [("sync", ["both"]), ("async", ["same_as"])]
    assert twins[1]["evidence"] == {"same_as": "sync"}
    assert evidence.shared(built["cases"]) == built["cases"]  # idempotent: a re-build gives the same
    views = {(v.data["id"], v.data["mode"]): v for v in model.cases(built)}
    view = views[("openai/chat/conformant-x", "async")]
    assert (view.same_as, view.sides) == ("sync", [])
    assert view.same_index == views[("openai/chat/conformant-x", "sync")].index
    assert f'data-same-as="case-{view.same_index}"' in html.render(built)


def test_evidence_survives_the_result_round_trip() -> None:
    result = CaseResult.from_json(report()["cases"][0])
    assert result.evidence is not None
    assert CaseResult.from_json(result.to_json()).to_json() == result.to_json()


def test_write_puts_compat_html_beside_json_and_markdown(tmp_path: Path) -> None:
    written = reports.write(report(), tmp_path)
    assert [p.name for p in written] == ["compat.json", "compat.md", "compat.html"]
    assert SCRIPT not in (tmp_path / "compat.html").read_text(encoding="utf-8")


def test_report_html_re_renders_with_history(tmp_path: Path) -> None:
    (tmp_path / "past").mkdir()
    reports.write(report("2026-11-01T00:00:00+00:00"), tmp_path / "past")
    source = tmp_path / "now" / "compat.json"
    reports.write(report(), source.parent)
    (source.parent / "compat.html").unlink()
    code, out, _ = cli("report", "--from", str(source), "--html", "--history", str(tmp_path / "past"))
    assert code == 0 and f"dashboard: {source.parent / 'compat.html'}" in out
    assert "<polyline" in (source.parent / "compat.html").read_text(encoding="utf-8")
    elsewhere = tmp_path / "page.html"
    assert cli("report", "--from", str(source), "--html", str(elsewhere))[0] == 0
    assert elsewhere.exists()
    code, _, err = cli("report", "--from", str(source), "--html", "--history", str(tmp_path / "none"))
    assert code == 2 and "not a directory" in err


def test_run_writes_the_dashboard(openai_cases: Path, tmp_path: Path) -> None:
    code, out, _ = cli(
        "run",
        str(openai_cases),
        "--reference",
        "fake_llm",
        "--candidate",
        "fake_llm",
        "--report-dir",
        str(tmp_path),
        "--no-progress",
        "--no-call-variants",
    )
    assert code == 0, out
    page = (tmp_path / "compat.html").read_text(encoding="utf-8")
    assert "openai/stream/stream" in page and 'data-outcome="conformant"' in page
    saved = reports.load(tmp_path / "compat.json")
    assert all("evidence" in case for case in saved["cases"])  # both sides ran: evidence kept


@pytest.mark.parametrize("missing", ["jinja2"])
def test_without_jinja2_write_skips_the_page(
    missing: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(html, "available", lambda: False)
    assert [p.name for p in reports.write(report(), tmp_path)] == ["compat.json", "compat.md"]
    code, _, err = cli("report", "--from", str(tmp_path / "compat.json"), "--html")
    assert code == 2 and missing in err
