"""Installed names must not collide with a user's project.

The wheel used to install a top-level package named `harness` and register its pytest plugin from
it, so in any project with its own `harness/` folder `python -m pytest` failed before collecting
anything. These tests build such a project and run pytest in a fresh process, as its owner would.
"""

from __future__ import annotations

from importlib import metadata

import pytest

pytest_plugins = ["pytester"]

# Modules that only a `--compat` run needs: the plugin must not import them otherwise.
_HEAVY = ("edgequake_harness.run", "edgequake_harness.judge", "yaml", "litellm", "vcr")


def _users_project(pytester: pytest.Pytester) -> None:
    pytester.mkpydir("harness")
    (pytester.path / "harness" / "__init__.py").write_text('OWNER = "the user"\n')
    pytester.mkpydir("tests")
    (pytester.path / "tests" / "helpers.py").write_text("def answer() -> int:\n    return 42\n")
    (pytester.path / "tests" / "test_users_code.py").write_text(
        "import sys\n"
        "import harness\n"
        "from tests.helpers import answer\n"
        "\n"
        "def test_the_users_own_harness_and_tests_packages():\n"
        '    assert harness.OWNER == "the user"\n'
        "    assert answer() == 42\n"
        "\n"
        "def test_the_compat_plugin_is_inert():\n"
        f"    heavy = {_HEAVY!r}\n"
        "    loaded = [m for m in sys.modules if m.startswith(heavy)]\n"
        "    assert loaded == []\n"
    )


def test_entry_point_names_a_unique_module() -> None:
    (plugin,) = [ep for ep in metadata.entry_points(group="pytest11") if ep.name == "edgequake_compat"]
    assert plugin.value == "edgequake_harness.pytest_plugin"


def test_pytest_runs_in_a_project_with_its_own_harness_and_tests(pytester: pytest.Pytester) -> None:
    _users_project(pytester)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
    assert "edgequake" in _plugins_line(result), "the plugin was loaded, from its unique name"


def test_the_compat_option_is_offered_there_too(pytester: pytest.Pytester) -> None:
    _users_project(pytester)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--help")
    assert result.ret == 0
    assert "--compat" in result.stdout.str()


def _plugins_line(result: pytest.RunResult) -> str:
    return next((line for line in result.stdout.lines if line.startswith("plugins:")), "")
