"""pytest plugin (entry point `edgequake_vcr`): `@pytest.mark.vcr` tests replay and record the
traffic of edgequake's Rust core too, not only that of the Python HTTP libraries vcrpy patches.

With pytest-recording installed, it owns the `vcr` marker, `vcr_config`, `--record-mode` and the
`vcr` fixture (the vcrpy Cassette), and this plugin only adds the bridge to that cassette: nothing
of the user's setup changes. Without it, `recording.py` provides the same names, so a suite written
for pytest-recording runs unchanged. Two plugins registering `--record-mode` would stop pytest
with a conflict, which is why one of them is chosen here, before any option is added.

Inert for tests without the marker, and cheap to load: pytest and the standard library only.
"""

from __future__ import annotations

import importlib.util
import os
from typing import Any, Iterator

import pytest

_OWN = "edgequake_vcr_recording"
# Plugins that provide the `vcr` marker and fixtures themselves: (entry-point name, module).
# pytest-vcr is pytest-recording's predecessor, with the same marker and a `vcr` fixture of its own.
_PROVIDERS = (("recording", "pytest_recording.plugin"), ("vcr", "pytest_vcr"))
_CALL_FAILED = pytest.StashKey[bool]()


def recording_plugin_present(pluginmanager: pytest.PytestPluginManager) -> bool:
    """Whether pytest-recording (or pytest-vcr) provides the marker and fixtures in this session:
    already registered, or installed and about to be (its entry point, unless blocked with
    -p no:recording or by PYTEST_DISABLE_PLUGIN_AUTOLOAD)."""
    for name, module in _PROVIDERS:
        if pluginmanager.has_plugin(name) or pluginmanager.has_plugin(module):
            return True
    if os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD"):
        return False
    return any(
        not pluginmanager.is_blocked(name) and importlib.util.find_spec(module.split(".")[0]) is not None
        for name, module in _PROVIDERS
    )


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    if not recording_plugin_present(pluginmanager) and not pluginmanager.has_plugin(_OWN):
        from edgequake_harness.vcr import recording

        # Registered now so its own pytest_addoption (a historic hook) runs at once.
        pluginmanager.register(recording, _OWN)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


@pytest.fixture(autouse=True)
def _edgequake_cassette_bridge(request: pytest.FixtureRequest) -> Iterator[Any]:
    """For a `vcr`-marked test: edgequake's requests go to the test's cassette, through the bridge."""
    if request.node.get_closest_marker("vcr") is None:
        yield None
        return
    cassette = request.getfixturevalue("vcr")
    if cassette is not None and not hasattr(cassette, "can_play_response_for"):
        # pytest-vcr: `vcr` is the vcrpy VCR (the configuration), the cassette is `vcr_cassette`.
        cassette = request.getfixturevalue("vcr_cassette")
    if cassette is None:  # pytest-recording's --disable-recording: the test talks to the network
        yield None
        return
    from edgequake_harness.vcr.bridge import diverted

    with diverted(cassette) as bridge:
        yield bridge
    if bridge.misses and not request.node.stash.get(_CALL_FAILED, False):
        # The test caught the edgequake exception and passed; the unmatched request still fails it.
        pytest.fail(
            f"edgequake sent a request the cassette cannot answer:\n{bridge.misses[0]}", pytrace=False
        )
