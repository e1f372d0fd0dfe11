"""edgequake installed as litellm the supported ways: ``python -m edgequake run`` and
``edgequake.install_as_litellm()``. Subprocesses: the test process keeps its own modules."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import List

from tests.test_delegation import _SERVED, REPO, _run

_APP = _SERVED + textwrap.dedent("""
    import litellm  # a program written for litellm
    import litellm.types.utils
    from litellm.types.utils import ModelResponse
    from litellm import completion, exceptions
    import edgequake, edgequake.types.utils
    litellm.suppress_debug_info = True
    print("same", litellm is edgequake, litellm.types.utils is edgequake.types.utils,
          ModelResponse is edgequake.types.utils.ModelResponse, exceptions is edgequake.exceptions)
    server.enqueue(Reply(body=payloads.chat()), Reply(body=payloads.chat()))
    native = completion(model="openai/gpt-4o-mini", messages=payloads.USER, api_base=BASE, api_key="k")
    delegated = completion(model="hosted_vllm/m", messages=payloads.USER, api_base=BASE, api_key="k")
    print("calls", isinstance(native, ModelResponse), isinstance(delegated, ModelResponse))
    # the real litellm was imported for the delegated call; litellm's names still give edgequake
    from edgequake._delegate.locate import real_litellm
    print("real-kept-aside", sys.modules["litellm"] is edgequake, real_litellm() is not edgequake,
          sys.modules["litellm.types.utils"] is edgequake.types.utils)
    print("argv", sys.argv[1:])
    server.stop()
    raise SystemExit(3)
""")


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(REPO), "LITELLM_LOCAL_MODEL_COST_MAP": "True"}


def _cli(args: List[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "edgequake", *args], capture_output=True, text=True,
                          env=_env(), cwd=cwd, timeout=120)  # fmt: skip


def test_run_script_installs_edgequake_as_litellm(tmp_path: Path) -> None:
    app = tmp_path / "app.py"
    app.write_text(_APP)
    done = _cli(["run", str(app), "--flag", "x"], REPO)
    assert done.returncode == 3, done.stderr[-4000:]  # the program's own exit status
    assert done.stdout.split("\n")[:4] == [
        "same True True True True",
        "calls True True",
        "real-kept-aside True True True",
        "argv ['--flag', 'x']",
    ]


def test_run_module_form(tmp_path: Path) -> None:
    (tmp_path / "mymod.py").write_text(
        "import sys, litellm, litellm.exceptions, edgequake\n"
        "print(litellm is edgequake, litellm.exceptions is edgequake.exceptions, sys.argv[1:])\n"
    )
    done = _cli(["run", "-m", "mymod", "-q", "--help"], tmp_path)
    assert done.returncode == 0, done.stderr[-4000:]
    assert done.stdout.strip() == "True True ['-q', '--help']"


def test_usage_errors_exit_2_and_say_how(tmp_path: Path) -> None:
    for args in ([], ["run"], ["run", "-m"], ["nonsense"], ["run", str(tmp_path / "missing.py")]):
        done = _cli(args, tmp_path)
        assert done.returncode == 2, args
        assert "python -m edgequake run" in done.stderr, args


def test_install_in_a_notebook_cell_then_libraries_see_edgequake() -> None:
    out = _run("""
        import edgequake, sys
        assert edgequake.install_as_litellm() is edgequake
        edgequake.install_as_litellm()  # idempotent
        import litellm.utils, litellm.types.utils, litellm.litellm_core_utils.get_llm_provider_logic as g
        import edgequake.litellm_core_utils.get_llm_provider_logic as ours
        print(litellm.utils is edgequake.utils, g is ours, litellm.types.utils.__spec__.name)
        try:
            import litellm.no_such_module
        except ModuleNotFoundError as e:
            print("missing", e.name)
    """)
    assert out == ["True True edgequake.types.utils", "missing litellm.no_such_module"]


def test_install_after_litellm_was_imported_warns_and_still_delegates() -> None:
    out = _run(
        _SERVED
        + textwrap.dedent("""
        import warnings
        import litellm as real
        import edgequake
        edgequake.suppress_debug_info = True
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            edgequake.install_as_litellm()
        print([w.category.__name__ for w in caught], "before" in str(caught[0].message))
        import litellm
        server.enqueue(Reply(body=payloads.chat()))
        r = litellm.completion(model="hosted_vllm/m", messages=payloads.USER, api_base=BASE, api_key="k")
        print(litellm is edgequake, real is not edgequake, type(r).__module__)
        server.stop()
    """)
    )
    assert out == ["['RuntimeWarning'] True", "True True edgequake.types"]


def test_litellm_names_give_edgequake_after_a_delegated_call_imported_the_real_one() -> None:
    # The delegated call imports the real litellm, which publishes its own `litellm.utils`,
    # `litellm.types.rerank`, ...: a later import of those names must still give edgequake's.
    out = _run(
        _SERVED
        + textwrap.dedent("""
        import edgequake
        edgequake.install_as_litellm()
        import litellm
        litellm.suppress_debug_info = True
        for _ in range(2):
            server.enqueue(Reply(body=payloads.chat()))
            litellm.completion(model="hosted_vllm/m", messages=payloads.USER, api_base=BASE, api_key="k")
        from litellm.utils import supports_function_calling
        from litellm.types.utils import ModelResponse
        import litellm.types.rerank as rerank
        print(supports_function_calling.__module__, ModelResponse.__module__, rerank.__name__)
        server.stop()
    """)
    )
    assert out == ["edgequake._params.capabilities edgequake.types edgequake.types.rerank"]
