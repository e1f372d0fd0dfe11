"""The dependents suite's judging, without the libraries: stand-in "library" programs (plain litellm
calls through the suite's own helper) run through the real runner, both ways, against its fake
provider. A pair that differs in a request body or a result must be reported as different."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path
from typing import Any, Dict, List

import pytest

from dependents.compare import first_difference, judge, normalise
from dependents.report import render
from dependents.runner import Program, run_program

PROGRAM = """
import _fake, litellm
from _fake import chat, script, step

with step("call") as out:
    script("call", chat("hello"))
    r = litellm.completion(model="openai/gpt-4o-mini", api_base=_fake.OPENAI_BASE, api_key=_fake.KEY,
                           messages=[{{"role": "user", "content": {content}}}])
    out["content"] = r.choices[0].message.content
    out["usage"] = r.usage.total_tokens
_fake.finish()
"""


def _program(tmp_path: Path, name: str, source: str) -> Program:
    # next to the suite's helper, as the real programs are (they import `_fake`)
    programs = Path(__file__).resolve().parent.parent / "dependents" / "programs"
    path = tmp_path / name
    path.write_text(f"import sys; sys.path.insert(0, {str(programs)!r})\n" + textwrap.dedent(source))
    return Program(name.removesuffix(".py"), path, Path(sys.executable))


def test_same_program_both_ways_is_the_same(tmp_path: Path) -> None:
    verdict, runs = run_program(_program(tmp_path, "same.py", PROGRAM.format(content='"hi"')))
    assert runs["litellm"].results["call"] == {"content": "hello", "usage": 18}
    assert runs["litellm"].results["_litellm_is"] == "litellm"
    assert runs["edgequake"].results["_litellm_is"] == "edgequake"  # the swap happened
    assert verdict.ok, verdict.first_difference
    assert verdict.requests == (1, 1)


def test_a_body_that_differs_is_reported(tmp_path: Path) -> None:
    # the message depends on which implementation answers to `litellm`: the bodies differ
    content = '"hi from " + litellm.__name__'
    verdict, _ = run_program(_program(tmp_path, "differs.py", PROGRAM.format(content=content)))
    assert verdict.same_result
    assert not verdict.same_bodies and not verdict.ok
    assert "section 'call'" in verdict.first_difference
    assert "hi from litellm" in verdict.first_difference and "hi from edgequake" in verdict.first_difference


def test_a_step_error_on_one_side_is_a_different_result(tmp_path: Path) -> None:
    source = """
    import _fake, litellm
    from _fake import step
    with step("names") as out:
        out["value"] = litellm.__name__ == "litellm" or litellm.no_such_name
    _fake.finish()
    """
    verdict, _ = run_program(_program(tmp_path, "errs.py", source))
    assert not verdict.same_result
    assert "no_such_name" in verdict.candidate_errors["names"]
    assert not verdict.reference_errors
    assert "names" in render([verdict], {})


def test_a_crashing_program_is_recorded_not_raised(tmp_path: Path) -> None:
    verdict, runs = run_program(_program(tmp_path, "crash.py", "raise SystemExit(3)\n"))
    assert runs["litellm"].returncode == 3
    assert "exit 3" in runs["litellm"].results["program"]["error"]
    assert verdict.same_result  # both crashed the same way: judged equal, still listed as errors
    assert verdict.reference_errors and verdict.candidate_errors and not verdict.ok


def test_volatile_values_are_ignored_and_others_are_not() -> None:
    a: Dict[str, Any] = {"id": "chatcmpl-0b5c1d9e-8f6a-4c1b-9a51-3d2e8f7a6b10", "created": 1, "x": [1, 2]}
    b: Dict[str, Any] = {"id": "chatcmpl-7e2a4c6b-1d3f-4a5b-8c9d-0e1f2a3b4c5d", "created": 2, "x": [1, 2]}
    assert first_difference(normalise(a), normalise(b)) is None
    b["x"] = [1, 3]
    assert first_difference(normalise(a), normalise(b)) == (".x[1]", 2, 3)
    assert first_difference([1], [1, 2]) == (".length", 1, 2)
    assert first_difference({"k": 1}, {}) == (".k", 1, "<missing>")


def test_where_a_step_raised_is_shown_not_judged() -> None:
    ref = {"s": {"error": "E: boom", "where": "litellm/main.py:1"}}
    cand = {"s": {"error": "E: boom", "where": "edgequake/_call/run.py:9"}}
    requests: List[Dict[str, Any]] = []
    verdict = judge("lib", "p.py", ref, cand, requests, requests)
    assert verdict.same_result and verdict.same_bodies
    assert verdict.candidate_errors == {"s": "E: boom (at edgequake/_call/run.py:9)"}


@pytest.mark.parametrize("swap_ok", [True, False])
def test_an_edgequake_run_that_imported_litellm_is_a_broken_swap(swap_ok: bool) -> None:
    cand = {"_litellm_is": "edgequake" if swap_ok else "litellm"}
    verdict = judge("lib", "p.py", {"_litellm_is": "litellm"}, cand, [], [])
    assert verdict.swap_ok is swap_ok and verdict.ok is swap_ok


def test_an_error_naming_another_features_name_is_marked_blocked() -> None:
    from dependents.report import blocked_on

    assert blocked_on("AttributeError: module 'edgequake' has no attribute 'success_callback'") == "callbacks"
    assert (
        blocked_on("AttributeError: module 'edgequake' has no attribute 'token_counter'") == "cost functions"
    )
    assert blocked_on("KeyError: 'answer'") == ""


def test_a_test_passing_only_on_litellm_without_a_reason_fails_the_suite() -> None:
    from dependents.unit_tests import unexplained

    lost = "not importable: ModuleNotFoundError: No module named 'litellm.llms.x'"
    result = {
        "only_on_litellm": {
            "t/test_a.py::patches": "failed",
            "t/test_b.py::lost_with_module": lost,
            "t/test_c.py::plain": "failed",
        },
        "patches_litellm": {"t/test_a.py::patches": ["litellm.completion"]},
        "unimportable_on_edgequake": {"t/test_b.py": lost},
    }
    assert unexplained(result) == ["t/test_c.py::plain"]
    result["only_on_litellm"].pop("t/test_c.py::plain")
    assert unexplained(result) == []
