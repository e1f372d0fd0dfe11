"""Every regression cassette the property tests shrank, replayed as it was found.

`python -m edgequake_harness run cassettes` replays these like any cassette (one SSE event per HTTP
chunk); here a stream is also cut at the byte offsets it failed with (`notes.splits` in its
`.case.yaml`). A regression passes once the core is fixed or the divergence is registered.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, List

import pytest

from tests.property.conftest import REGRESSIONS


def _cassettes() -> List[Path]:
    from edgequake_harness.fuzz.cassette import regression_paths

    return regression_paths(REGRESSIONS) if REGRESSIONS.is_dir() else []


@pytest.mark.parametrize("path", _cassettes(), ids=lambda p: p.stem)
def test_regression_cassette_agrees(fuzz_runner: Any, path: Path) -> None:
    from edgequake_harness.fuzz.cassette import read_regression
    from edgequake_harness.fuzz.runner import problem

    case, splits = read_regression(path)
    result = fuzz_runner.judge(case, splits)
    why = problem(result)
    details = "\n".join(f"  {d.describe()}" for d in result.diffs[:12])
    assert why is None, f"{path.name}: {why}\n{details}"
