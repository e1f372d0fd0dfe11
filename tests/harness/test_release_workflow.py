"""The release workflow (.github/workflows/release.yml): its shape, and the parts that can run here
run exactly as written: the OpenSSL check, the sharded conformance steps, the merge and the gate
(on a few cassettes, the baseline cut down to them). Building a wheel takes minutes: that test is
`slow` and runs only with EDGEQUAKE_BUILD_WHEEL=1."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List

import pytest
import yaml
from conftest import REPO

from edgequake_harness.modes import ALL_MODES

WORKFLOW = REPO / ".github" / "workflows" / "release.yml"


@pytest.fixture(scope="module")
def workflow() -> Dict[str, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    data["on"] = data.pop(True, data.get("on"))
    return data


def _step(job: Dict[str, Any], name: str) -> Dict[str, Any]:
    (step,) = [s for s in job["steps"] if s.get("name") == name]
    return step


def _uses(job: Dict[str, Any]) -> List[str]:
    return [s["uses"].split("@")[0] for s in job["steps"] if "uses" in s]


def test_the_release_is_gated_on_the_merged_report_of_every_shard(workflow: Dict[str, Any]) -> None:
    jobs = workflow["jobs"]
    assert set(workflow["on"]) == {"push", "workflow_dispatch"}
    assert workflow["on"]["push"]["tags"] == ["v*"]
    # Publishing waits for the wheels, the sdist and the gate; the gate for every shard.
    assert set(jobs["publish"]["needs"]) == {"wheels", "sdist", "gate"}
    assert jobs["publish"]["if"] == "startsWith(github.ref, 'refs/tags/v')"
    assert jobs["publish"]["permissions"] == {"id-token": "write"}
    assert jobs["gate"]["needs"] == "conformance"
    shards = jobs["conformance"]["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, int(workflow["env"]["SHARDS"]) + 1))
    assert jobs["conformance"]["strategy"]["fail-fast"] is False
    # Wheels on the three systems, with maturin, checked for the abi3 tag.
    oses = {entry["os"].split("-")[0] for entry in jobs["wheels"]["strategy"]["matrix"]["include"]}
    assert oses == {"ubuntu", "macos", "windows"}
    assert "PyO3/maturin-action" in _uses(jobs["wheels"])
    assert "*-cp39-abi3-*" in _step(jobs["wheels"], "the wheel is abi3")["run"]
    # The gate requires all five modes, the same list as .ci/run's gate.
    gate = _step(jobs["gate"], "gate on the baseline in every mode")["run"]
    required = re.findall(r"--require-mode (\S+)", gate)
    assert required == list(ALL_MODES)
    ci_run = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert re.findall(r"--require-mode (\S+)", ci_run) == required
    # Artifacts: the shard uploads what the gate job downloads.
    upload = [s for s in jobs["conformance"]["steps"] if s.get("uses", "").startswith("actions/upload")]
    download = [s for s in jobs["gate"]["steps"] if s.get("uses", "").startswith("actions/download")]
    assert upload[0]["with"]["name"] == "compat-shard-${{ matrix.shard }}"
    assert download[0]["with"]["pattern"] == "compat-shard-*" and download[0]["with"]["path"] == "shards"


def test_the_build_is_abi3_and_rustls_only() -> None:
    workspace = (REPO / "Cargo.toml").read_text(encoding="utf-8")
    assert re.search(r'^pyo3 = \{[^}]*features = \["abi3-py39"\]', workspace, re.M)
    assert re.search(r'^reqwest = \{[^}]*default-features = false[^}]*"rustls-tls"', workspace, re.M)
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'requires-python = ">=3.9"' in pyproject
    assert "openssl" not in (REPO / "Cargo.lock").read_text(encoding="utf-8").lower()


def _bash(script: str, cwd: Path, env: Dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_the_openssl_check_step_passes_as_written(workflow: Dict[str, Any]) -> None:
    if shutil.which("cargo") is None:
        pytest.skip("cargo is not installed")
    name = "no OpenSSL in the dependency tree (reqwest with rustls)"
    script = _step(workflow["jobs"]["wheels"], name)["run"]
    env = {**os.environ, "CARGO_NET_OFFLINE": "true"}  # the lock file and the local registry suffice
    done = _bash(script, REPO, env)
    assert done.returncode == 0, done.stdout + done.stderr
    # And it can fail: the same check finds a tree line naming openssl.
    failing = script.replace(
        "tree=$(cargo tree -p edgequake-core -e normal --features python --target all --prefix none)",
        "tree='openssl-sys v0.9.0'",
    )
    assert failing != script
    assert _bash(failing, REPO, env).returncode == 1


def _subset(tmp_path: Path) -> List[str]:
    """Three recorded (not authored) cases of different providers, conformant in all five modes of
    the committed baseline; their cassettes are copied under tmp_path/cassettes."""
    baseline = json.loads((REPO / "reports" / "baseline.json").read_text(encoding="utf-8"))
    modes: Dict[str, Dict[str, str]] = {}
    cassette: Dict[str, str] = {}
    for case in baseline["cases"]:
        modes.setdefault(case["id"], {})[case["mode"]] = case["outcome"]
        cassette[case["id"]] = case["cassette"]
    chosen: Dict[str, str] = {}
    for case_id in sorted(modes):
        provider, _, name = case_id.split("/", 2)
        stable = not name.startswith(("authored", "fuzz"))
        wanted = stable and provider in ("openai", "anthropic", "gemini") and provider not in chosen
        judged = modes[case_id]
        if wanted and set(judged) == set(ALL_MODES) and set(judged.values()) == {"conformant"}:
            chosen[provider] = case_id
    assert len(chosen) == 3
    for case_id in chosen.values():
        source = REPO / cassette[case_id]
        target = tmp_path / "cassettes" / source.relative_to(REPO / "cassettes")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
        meta = source.with_name(source.name.split(".")[0] + ".case.yaml")
        if meta.exists():
            shutil.copy(meta, target.with_name(meta.name))
    cut = {**baseline, "cases": [c for c in baseline["cases"] if c["id"] in chosen.values()]}
    (tmp_path / "baseline.json").write_text(json.dumps(cut), encoding="utf-8")
    return sorted(chosen.values())


# Parsing the whole baseline makes the collector run: a socket another test of this worker leaked
# (litellm's cached clients) can be finalised here, and would fail this test instead of that one.
@pytest.mark.filterwarnings(
    "ignore:Exception ignored in. <socket.socket:pytest.PytestUnraisableExceptionWarning"
)
def test_the_shard_merge_and_gate_steps_run_as_written(workflow: Dict[str, Any], tmp_path: Path) -> None:
    chosen = _subset(tmp_path)
    jobs = workflow["jobs"]
    shards = 2  # the workflow's SHARDS is a parameter; two shards of three cases suffice here
    env = {
        **os.environ,
        **{k: str(v) for k, v in workflow["env"].items()},
        "CASSETTES": str(tmp_path / "cassettes"),
        "BASELINE": str(tmp_path / "baseline.json"),
        "SHARDS": str(shards),
        "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""),
    }
    work = tmp_path / "work"
    work.mkdir()
    replay = _step(jobs["conformance"], "replay this shard")["run"]
    assert "${{ matrix.shard }}" in replay
    for shard in range(1, shards + 1):
        done = _bash(replay.replace("${{ matrix.shard }}", str(shard)), work, env)
        assert done.returncode == 0, done.stdout + done.stderr
        # actions/upload-artifact then actions/download-artifact (pattern, path: shards).
        shutil.move(str(work / "shard-report"), str(work / "shards" / f"compat-shard-{shard}"))
    for name in ("merge the shard reports", "gate on the baseline in every mode"):
        done = _bash(_step(jobs["gate"], name)["run"], work, env)
        assert done.returncode == 0, f"{name}: {done.stdout}{done.stderr}"
    assert "gate: passed against" in done.stdout
    merged = json.loads((work / "merged" / "compat.json").read_text(encoding="utf-8"))
    assert sorted({c["id"] for c in merged["cases"]}) == chosen
    assert set(merged["summary"]["modes"]) == set(ALL_MODES)
    assert merged["run"]["merged"]["shards"] == ["1/2", "2/2"]
    assert (work / "merged" / "junit.xml").is_file()

    # The gate step fails the job when the merged report is worse than the baseline.
    worse = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    worse["cases"].append({**worse["cases"][0], "id": "openai/chat/only-in-the-baseline"})
    (tmp_path / "baseline.json").write_text(json.dumps(worse), encoding="utf-8")
    done = _bash(_step(jobs["gate"], "gate on the baseline in every mode")["run"], work, env)
    assert done.returncode == 1 and "missing from this run" in done.stdout
    # The merge step refuses when a shard is missing.
    shutil.rmtree(work / "shards" / "compat-shard-2")
    done = _bash(_step(jobs["gate"], "merge the shard reports")["run"], work, env)
    assert done.returncode == 2 and "missing shard(s) 2/2" in done.stderr


@pytest.mark.slow
def test_a_built_wheel_is_abi3(tmp_path: Path) -> None:
    if os.environ.get("EDGEQUAKE_BUILD_WHEEL") != "1":
        pytest.skip("builds a release wheel (minutes): set EDGEQUAKE_BUILD_WHEEL=1")
    maturin = shutil.which("maturin")
    if maturin is None:
        pytest.skip("maturin is not installed")
    done = subprocess.run(
        [maturin, "build", "--release", "-o", str(tmp_path)], cwd=REPO, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    (wheel,) = tmp_path.glob("*.whl")
    assert "-cp39-abi3-" in wheel.name
