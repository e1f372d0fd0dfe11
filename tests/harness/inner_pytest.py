"""What an in-process `pytester.runpytest("--compat", ...)` needs, in one place.

pytester runs the inner session inside this test process, under this process's warning filters
(`error`, from pyproject). Objects other tests left behind (litellm's clients, sockets, coroutines)
are collected whenever the collector next runs, which may be during an inner item: their
"Exception ignored in ..." then fails an inner test that has nothing to do with them (stop 17's
`compat::openai/chat/chat[async]`). Inner runs therefore ignore unraisable-exception warnings;
`test_plugin.test_a_compat_session_leaves_no_unraisable_exception` runs the plugin in a fresh
process with those warnings as errors, where every one would be the plugin's own.
"""

from __future__ import annotations

from importlib import metadata
from typing import List

# Third-party plugins that cost ~2 s per in-process pytester run and play no part here.
QUIET = ["-p", "no:hypothesispytest", "-p", "no:anyio", "-p", "no:asyncio", "-p", "no:cacheprovider"]
FOREIGN_GARBAGE = ["-W", "ignore::pytest.PytestUnraisableExceptionWarning"]


def plugin_args(in_process: bool = True) -> List[str]:
    # Installed, the plugin loads through its pytest11 entry point; from a checkout it needs -p.
    installed = any(ep.name == "edgequake_compat" for ep in metadata.entry_points(group="pytest11"))
    return (
        QUIET
        + (FOREIGN_GARBAGE if in_process else [])
        + ([] if installed else ["-p", "edgequake_harness.pytest_plugin"])
    )


def preimport() -> None:
    # pytester's in-process runs restore sys.modules afterwards; importing the heavy modules once
    # keeps each inner run from importing them again (seconds per run otherwise).
    import vcr.serializers.yamlserializer  # noqa: F401

    import edgequake_harness.cli
    import edgequake_harness.run.runner  # noqa: F401
