"""The harness under hostile input: one bad file is one skipped case naming the file and why, never an
aborted run; YAML alias bombs are refused before they expand; case metadata cannot point a target at
another host (issue 12, item 8)."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict

import pytest

from edgequake_harness.cassettes.bounded_yaml import YamlBoundsError, load
from edgequake_harness.cassettes.case import base_path_problem, collect, load_case
from tests.harness.conftest import CHAT_BODY as CHAT

REQUEST = {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}
# Nine levels of nine aliases each: 9**9 (387 million) leaves from a 400-byte document.
BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}' if prev else 'x'] * 9)}]\n"
    for prev, name in zip(["", *"abcdefgh"], "abcdefghi")
)


def har(content: Dict[str, Any]) -> Dict[str, Any]:
    return {
        "log": {
            "entries": [
                {
                    "request": {
                        "method": "POST",
                        "url": "https://api.openai.com/v1/chat/completions",
                        "headers": [],
                        "postData": {"mimeType": "application/json", "text": json.dumps(REQUEST)},
                    },
                    "response": {
                        "status": 200,
                        "statusText": "OK",
                        "headers": [{"name": "content-type", "value": "application/json"}],
                        "content": content,
                    },
                }
            ]
        }
    }


GOOD = har({"mimeType": "application/json", "text": json.dumps(CHAT)})


def write(path: Path, content: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


@pytest.mark.parametrize(
    ("name", "content", "meta", "reason"),
    [
        ("bad_base64", har({"text": "@@not base64!", "encoding": "base64"}), None, "invalid base64"),
        ("log_is_a_list", {"log": [1, 2]}, None, "no 'log.entries' list"),
        ("entry_not_an_object", {"log": {"entries": [1]}}, None, "must be an object"),
        ("interaction_text", GOOD, "interaction: 'abc'\n", "'interaction' must be"),
        ("interaction_bool", GOOD, "interaction: true\n", "'interaction' must be"),
        ("kwargs_list", GOOD, "kwargs: [1, 2]\n", "'kwargs' must be a mapping"),
        ("volatile_mapping", GOOD, "volatile: {a: 1}\n", "'volatile' must be a list"),
        ("call_kwargs", GOOD, "call: {function: completion, model: openai/x, kwargs: [1]}\n", "call.kwargs"),
        ("meta_bomb", GOOD, BOMB, "alias bomb"),
        ("meta_not_utf8", GOOD, b"\xff\xfe", "invalid case metadata"),
    ],
)
def test_one_bad_file_is_one_skipped_case_naming_it(
    tmp_path: Path, name: str, content: object, meta: Any, reason: str
) -> None:
    path = write(tmp_path / "openai" / f"{name}.har", content)
    if isinstance(meta, bytes):
        (tmp_path / "openai" / f"{name}.case.yaml").write_bytes(meta)
    elif meta is not None:
        write(tmp_path / "openai" / f"{name}.case.yaml", meta)
    case = load_case(path)
    assert case.skip and reason in case.skip, case.skip
    assert name in case.skip  # the reason names the file


def test_bad_files_beside_good_ones_leave_the_good_ones_judged(tmp_path: Path) -> None:
    write(tmp_path / "openai" / "good.har", GOOD)
    write(tmp_path / "openai" / "bad.har", {"log": [1]})
    write(tmp_path / "openai" / "bomb.yaml", BOMB + "interactions: [*i]\n")
    cases = {case.name: case for case in collect([tmp_path])}
    assert cases["good"].call is not None and not cases["good"].skip
    assert cases["bad"].skip and cases["bomb"].skip and "alias bomb" in cases["bomb"].skip


def test_an_alias_bomb_is_refused_within_bounded_memory(tmp_path: Path) -> None:
    """In a child with a 1 GiB address-space cap: expanding the bomb would need tens of GB."""
    path = write(tmp_path / "openai" / "bomb.yaml", BOMB + "interactions: [*i]\n")
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "from edgequake_harness.cassettes.case import load_case\n"
        f"case = load_case(__import__('pathlib').Path({str(path)!r}))\n"
        "print(case.skip)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "alias bomb" in out.stdout
    assert resource.getrlimit(resource.RLIMIT_AS)  # the cap was the child's only


def test_bounded_yaml_keeps_ordinary_aliases_and_refuses_huge_documents(monkeypatch: Any) -> None:
    import yaml

    assert load("a: &x [1, 2]\nb: *x\n", yaml.SafeLoader) == {"a": [1, 2], "b": [1, 2]}
    monkeypatch.setattr("edgequake_harness.cassettes.bounded_yaml.MAX_BYTES", 10)
    with pytest.raises(YamlBoundsError, match="over the 10 limit"):
        load("a: [1, 2, 3, 4]\n", yaml.SafeLoader)


@pytest.mark.parametrize(
    "base_path",
    ["@evil.example:80", ".evil.example", "//evil.example/v1", "/v1@x", "/v1\\..", "/a b", ":80/v1", "x/v1"],
)
def test_a_base_path_cannot_leave_the_replay_server(tmp_path: Path, base_path: str) -> None:
    assert base_path_problem(base_path)
    meta = f"call: {{function: completion, model: openai/gpt-4o, base_path: {json.dumps(base_path)}}}\n"
    path = write(tmp_path / "openai" / "case.har", GOOD)
    write(tmp_path / "openai" / "case.case.yaml", meta)
    case = load_case(path)
    assert case.skip and "base_path" in case.skip


@pytest.mark.parametrize("base_path", ["", "/v1", "/openai/deployments/my-deploy", "/api/v1/"])
def test_ordinary_base_paths_are_kept(base_path: str) -> None:
    assert base_path_problem(base_path) is None
