"""The `vcr` marker, its fixtures and `--record-mode`, under pytest-recording's names and rules,
for sessions without pytest-recording (`plugin.py` registers this module then, never beside it).

- `@pytest.mark.vcr(**kwargs)`: the test uses a cassette; keyword arguments are vcrpy
  `use_cassette` options, the nearest marker's winning (function over class over module).
- `vcr_config`: a fixture returning `use_cassette` options; override it at any scope (conftest,
  module, class). Marker keywords win over it, and a `record_mode` in either wins over the option.
- `vcr_cassette_dir`: `<test file's dir>/cassettes/<module name>`; `default_cassette_name`: the
  test's name (`Class.test` in a class, parametrize ids kept, path-hostile characters as '-'), or
  `@pytest.mark.default_cassette("name")`; the file is `<dir>/<name>.yaml`.
- `--record-mode`: vcrpy's none (default: replay only, nothing reaches the network), once,
  new_episodes, all; any other value, wherever given, is refused.
- `vcr`: the vcrpy Cassette in use (None without the marker).
Whatever the options, the secret filters of `scrub.py` are added to them.
"""

from __future__ import annotations

import os
from typing import Any, Dict, Iterator, Optional

import pytest

RECORD_MODES = ("none", "once", "new_episodes", "all")
_PATH_HOSTILE = str.maketrans({ch: "-" for ch in "/\\:*?\"<>|%'"})


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("recording", "cassettes for @pytest.mark.vcr tests (edgequake)")
    group.addoption(
        "--record-mode",
        action="store",
        default="none",
        choices=RECORD_MODES,
        help="vcrpy record mode for @pytest.mark.vcr tests (default: none, replay only)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "vcr(**options): replay (or record) the test's HTTP traffic from a vcrpy cassette"
    )
    config.addinivalue_line("markers", "default_cassette(name): the cassette name for a vcr test")


def validated_mode(mode: Any, where: str) -> str:
    if mode not in RECORD_MODES:
        hint = (
            " ('rewrite' is pytest-recording's own mode; install pytest-recording for it)"
            if mode == "rewrite"
            else ""
        )
        raise pytest.UsageError(
            f"invalid record_mode {mode!r} in {where}: use one of {', '.join(RECORD_MODES)}{hint}"
        )
    return str(mode)


@pytest.fixture(scope="session")
def record_mode(request: pytest.FixtureRequest) -> str:
    return validated_mode(request.config.getoption("--record-mode"), "--record-mode")


@pytest.fixture(scope="module")
def vcr_config() -> Dict[str, Any]:
    return {}


@pytest.fixture
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    module = request.node.module.__name__.split(".")[-1]
    return os.path.join(os.path.dirname(str(request.node.path)), "cassettes", module)


@pytest.fixture
def default_cassette_name(request: pytest.FixtureRequest) -> str:
    marker = request.node.get_closest_marker("default_cassette")
    if marker is not None:
        if len(marker.args) != 1 or not isinstance(marker.args[0], str):
            raise pytest.UsageError("@pytest.mark.default_cassette takes one name")
        return str(marker.args[0])
    name = request.node.name
    if request.cls is not None:
        name = f"{request.cls.__name__}.{name}"
    return name.translate(_PATH_HOSTILE)


def _marker_options(request: pytest.FixtureRequest) -> Dict[str, Any]:
    options: Dict[str, Any] = {}
    markers = list(request.node.iter_markers("vcr"))  # nearest first
    for marker in reversed(markers):
        if marker.args:
            raise pytest.UsageError(
                f"{request.node.nodeid}: @pytest.mark.vcr with cassette paths {marker.args!r}: combining "
                "extra cassettes is pytest-recording's feature; install pytest-recording (edgequake's "
                "bridge works with it), or use default_cassette"
            )
        options.update(marker.kwargs)
    return options


@pytest.fixture(autouse=True)
def vcr(
    request: pytest.FixtureRequest, record_mode: str, vcr_cassette_dir: str, default_cassette_name: str
) -> Iterator[Optional[Any]]:
    if request.node.get_closest_marker("vcr") is None:
        yield None
        return
    try:
        import vcr as vcrpy
    except ImportError:
        raise pytest.UsageError(
            "@pytest.mark.vcr needs vcrpy, the cassette library: pip install 'edgequake[compat]' (or vcrpy)"
        ) from None

    from edgequake_harness.vcr.scrub import config_with_scrubbing

    config: Dict[str, Any] = dict(request.getfixturevalue("vcr_config"))
    marker = _marker_options(request)
    mode = record_mode
    if "record_mode" in config:
        mode = validated_mode(config.pop("record_mode"), "vcr_config")
    if "record_mode" in marker:
        mode = validated_mode(marker.pop("record_mode"), "@pytest.mark.vcr")
    options = config_with_scrubbing({**config, **marker})
    options.setdefault("cassette_library_dir", vcr_cassette_dir)
    recorder = vcrpy.VCR(path_transformer=vcrpy.VCR.ensure_suffix(".yaml"), record_mode=mode)
    with recorder.use_cassette(default_cassette_name, **options) as cassette:
        yield cassette
