"""Fixtures for the property-based differential tests: one fuzz runner (replay server, both
targets loaded once) for the whole session, since importing litellm alone takes seconds."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator, Optional

import pytest

REPO = Path(__file__).resolve().parents[2]
REGISTRY = REPO / "cassettes" / "divergences.yaml"
REGRESSIONS = REPO / "cassettes" / "regressions"


def pytest_configure(config: pytest.Config) -> None:
    # When a hypothesis test fails, its pytest plugin touches `mypy_extensions.TypedDict` while
    # building the report; under `filterwarnings = error` that DeprecationWarning turns every
    # property failure into a pytest INTERNALERROR that hides the falsifying example.
    config.addinivalue_line(
        "filterwarnings", "ignore:mypy_extensions.TypedDict is deprecated:DeprecationWarning"
    )


@pytest.fixture(scope="session")
def fuzz_runner() -> Iterator[object]:
    pytest.importorskip("hypothesis")
    pytest.importorskip("litellm", reason="the reference target (litellm) is not installed")
    from edgequake_harness.fuzz.runner import FuzzRunner, fuzz_config

    with FuzzRunner(fuzz_config(registry=REGISTRY)) as runner:
        yield runner


@pytest.fixture(scope="session")
def save_dir() -> Optional[Path]:
    """Where a failing property writes its shrunk example: EDGEQUAKE_FUZZ_SAVE (a directory,
    e.g. cassettes/regressions), else nowhere; `python -m edgequake_harness fuzz` saves by default."""
    value = os.environ.get("EDGEQUAKE_FUZZ_SAVE")
    return Path(value) if value else None
