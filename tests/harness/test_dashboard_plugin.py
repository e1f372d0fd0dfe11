"""`pytest --compat` writes the dashboard beside compat.json (through report.compat.write)."""

from __future__ import annotations

from pathlib import Path

import pytest
from inner_pytest import plugin_args, preimport

pytest_plugins = ["pytester"]


def test_pytest_compat_writes_compat_html(pytester: pytest.Pytester, openai_cases: Path) -> None:
    preimport()
    result = pytester.runpytest(
        *plugin_args(),
        "--compat",
        f"--compat-dir={openai_cases}",
        "--compat-reference=fake_llm",
        "--compat-candidate=fake_llm",
        f"--compat-report-dir={pytester.path / 'reports'}",
        "--compat-no-variants",
    )
    result.assert_outcomes(passed=6)
    page = (pytester.path / "reports" / "compat.html").read_text(encoding="utf-8")
    assert "openai/chat/chat" in page and 'data-mode="async"' in page
    assert "compat.html" in result.stdout.str()  # named in the summary's "reports:" line
