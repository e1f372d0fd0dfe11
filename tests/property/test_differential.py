"""The property, bounded for CI: reference and candidate agree on generated provider traffic.

Profile `edgequake-ci` (edgequake_harness/fuzz/runner.py): derandomized, so every run and machine sees
the same examples, and small enough that this directory runs in well under 3 minutes on 2 cores
(docs/fuzzing.md). `python -m edgequake_harness fuzz --examples N --provider P` runs the same properties
longer and saves shrunk failures under cassettes/regressions/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import pytest

hypothesis = pytest.importorskip("hypothesis")

from hypothesis import given, settings  # noqa: E402

from edgequake_harness.fuzz.runner import assert_agrees  # noqa: E402
from edgequake_harness.fuzz.strategies import (  # noqa: E402
    Scenario,
    chat_scenarios,
    error_scenarios,
    native_scenarios,
    stream_scenarios,
)

CI = settings.get_profile("edgequake-ci")
# Anthropic and Gemini are delegated to litellm by edgequake today: they check the harness (the
# policy's volatile fields for these providers), so fewer examples.
NATIVE = settings(CI, max_examples=8)


@CI
@given(scenario=chat_scenarios())
def test_openai_wire_chat(fuzz_runner: Any, save_dir: Optional[Path], scenario: Scenario) -> None:
    assert_agrees(fuzz_runner, scenario, save_dir)


@CI
@given(scenario=stream_scenarios())
def test_openai_wire_stream(fuzz_runner: Any, save_dir: Optional[Path], scenario: Scenario) -> None:
    assert_agrees(fuzz_runner, scenario, save_dir)


@CI
@given(scenario=error_scenarios())
def test_openai_wire_errors(fuzz_runner: Any, save_dir: Optional[Path], scenario: Scenario) -> None:
    assert_agrees(fuzz_runner, scenario, save_dir)


@NATIVE
@given(scenario=native_scenarios("anthropic"))
def test_anthropic(fuzz_runner: Any, save_dir: Optional[Path], scenario: Scenario) -> None:
    assert_agrees(fuzz_runner, scenario, save_dir)


@NATIVE
@given(scenario=native_scenarios("gemini"))
def test_gemini(fuzz_runner: Any, save_dir: Optional[Path], scenario: Scenario) -> None:
    assert_agrees(fuzz_runner, scenario, save_dir)
