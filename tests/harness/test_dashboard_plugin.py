"""`pytest --compat` writes the dashboard beside compat.json (through report.compat.write)."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]


def test_pytest_compat_writes_compat_html(pytester: pytest.Pytester, openai_cases: Path) -> None:
    import deepdiff  # noqa: F401  (imported once here: pytester's in-process run restores sys.modules)
    import vcr.serializers.yamlserializer  # noqa: F401

    import edgequake_harness.run.runner  # noqa: F401

    installed = any(ep.name == "edgequake_compat" for ep in metadata.entry_points(group="pytest11"))
    result = pytester.runpytest(
        "-p",
        "no:hypothesispytest",
        "-p",
        "no:cacheprovider",
        *([] if installed else ["-p", "edgequake_harness.pytest_plugin"]),
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
