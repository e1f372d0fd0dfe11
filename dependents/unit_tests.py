"""The libraries' own offline unit tests that exercise litellm, run with pytest both ways (real litellm,
edgequake as ``litellm``), counted per outcome, with the tests whose outcome differs named.

Sources: each library's sdist at the pinned version (``pip download --no-binary``), unpacked once into
``.dependents-cache/`` (git-ignored). A test that patches a litellm internal (``patch("litellm.x.y")``,
``patch.object(litellm, "y")``, ``monkeypatch.setattr(litellm, ...)``) tests litellm's insides as much
as the library: such tests are listed with the internal they patch (found by reading the test files).

    python -m dependents.unit_tests [--only langchain-litellm] [--report-dir dependents]
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = ROOT / ".dependents-cache"
PYTHON = ROOT / ".venv-dependents" / "bin" / "python"


@dataclass(frozen=True)
class Suite:
    library: str
    requirement: str  # the sdist to unpack (the pinned version), or "env:<VAR>": a source tree named there
    paths: Tuple[str, ...]  # test files or directories inside it
    deselect: Tuple[str, ...] = ()  # node ids left out, each for a reason given beside it
    args: Tuple[str, ...] = ()
    env: Tuple[Tuple[str, str], ...] = ()
    python: Path = PYTHON


SUITES = [
    Suite(
        "langchain-litellm",
        "langchain-litellm==0.11.2",
        ("tests/unit_tests",),
        deselect=(
            # imports every module of the package in a fresh interpreter per module (24 s), and
            # checks the distribution's declared dependencies: packaging, not litellm
            "tests/unit_tests/test_check_imports.py",
            "tests/unit_tests/test_dependencies.py",
            "tests/unit_tests/test_dependency_floors.py",
            "tests/unit_tests/test_release_notes.py",
        ),
    ),
    Suite(
        "dspy",
        # dspy's sdists ship no tests, and its repository is not copied into this one: point this at a
        # dspy 3.3.1 checkout (git clone --branch 3.3.1 https://github.com/stanfordnlp/dspy) to run them
        "env:DEPENDENTS_DSPY_SOURCE",
        ("tests/clients",),
        python=ROOT / ".venv-dependents-dspy" / "bin" / "python",
    ),
    Suite(
        "instructor",
        "instructor==1.17.0",
        # its litellm tests: client construction (skipped without a key, so a fake one is set) and the
        # auto-client's litellm builder; the rest of its suite is about other providers
        ("tests/llm/test_litellm.py", "tests/coverage/test_auto_client_tail_coverage.py"),
        args=("-k", "litellm"),
        env=(("OPENAI_API_KEY", "sk-fake-dependents"),),
    ),
]


@dataclass
class Outcomes:
    counts: Dict[str, int] = field(default_factory=dict)
    tests: Dict[str, str] = field(default_factory=dict)  # node id -> outcome
    messages: Dict[str, str] = field(default_factory=dict)  # node id -> first line of the failure
    seconds: float = 0.0
    returncode: int = 0
    tail: str = ""


def unpack(suite: Suite) -> Path:
    """The sdist's tree, downloaded and unpacked on first use (or the source tree an env var names)."""
    if suite.requirement.startswith("env:"):
        return Path(os.environ[suite.requirement[len("env:") :]])
    name, version = suite.requirement.split("==")
    CACHE.mkdir(exist_ok=True)
    for stem in (f"{name.replace('-', '_')}-{version}", f"{name}-{version}"):
        if (CACHE / stem).is_dir():
            return CACHE / stem
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                str(PYTHON),
                "-m",
                "pip",
                "download",
                "-q",
                "--no-deps",
                "--no-binary",
                ":all:",
                "-d",
                tmp,
                suite.requirement,
            ],
            check=True,
        )
        archive = next(Path(tmp).glob("*.tar.gz"))
        with tarfile.open(archive) as tar:
            tar.extractall(CACHE, filter="data")
    return unpack(suite)


def run_suite(suite: Suite, source: Path, impl: str, timeout: float = 900) -> Outcomes:
    fd, junit = tempfile.mkstemp(suffix=".xml")
    os.close(fd)
    command = [
        str(suite.python),
        str(HERE / "launch.py"),
        impl,
        "-m",
        "pytest",
        *suite.paths,
        *suite.args,
        "-q",
        "-p",
        "no:cacheprovider",
        # a module that cannot be imported on one side fails alone; the others still run
        "--continue-on-collection-errors",
        f"--junitxml={junit}",
        "-o",
        "junit_family=xunit1",
    ]
    for node in suite.deselect:
        command += ["--ignore", node] if "::" not in node else ["--deselect", node]
    env = {
        **os.environ,
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",
        "HTTP_PROXY": "http://127.0.0.1:9",
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "NO_PROXY": "127.0.0.1,localhost",
    }
    for name in list(env):
        if name.endswith("_API_KEY"):
            env.pop(name)
    env.update(dict(suite.env))
    start = time.monotonic()
    try:
        done = subprocess.run(command, cwd=source, env=env, capture_output=True, text=True, timeout=timeout)
        code, tail = done.returncode, "\n".join(done.stdout.strip().splitlines()[-5:])
    except subprocess.TimeoutExpired:
        code, tail = -1, f"timed out after {timeout}s"
    outcomes = _parse_junit(Path(junit))
    Path(junit).unlink(missing_ok=True)
    outcomes.seconds, outcomes.returncode, outcomes.tail = time.monotonic() - start, code, tail
    return outcomes


def _parse_junit(path: Path) -> Outcomes:
    out = Outcomes(counts={"passed": 0, "failed": 0, "error": 0, "skipped": 0})
    try:
        tree = ET.parse(path)
    except (ET.ParseError, FileNotFoundError):
        return out
    for case in tree.iter("testcase"):
        node = f"{case.get('file') or case.get('classname')}::{case.get('name')}"
        outcome, message = "passed", ""
        for child in case:
            if child.tag in ("failure", "error", "skipped"):
                outcome = {"failure": "failed"}.get(child.tag, child.tag)
                lines = (child.get("message") or "").strip().splitlines()
                message = lines[0][:300] if lines else ""
                if message == "collection failure":  # the module's import error is in the body
                    raised = [x for x in (child.text or "").splitlines() if x.startswith("E   ")]
                    message = "not importable: " + (raised[-1][4:].strip() if raised else "?")
                break
        out.tests[node] = outcome
        out.counts[outcome] = out.counts.get(outcome, 0) + 1
        if message and outcome != "skipped":
            out.messages[node] = message
    return out


# -- tests that patch litellm's internals ------------------------------------------------------------


def litellm_patches(source: Path, paths: Sequence[str]) -> Dict[str, List[str]]:
    """test name -> the litellm internals it patches (string targets and patched attributes)."""
    found: Dict[str, List[str]] = {}
    for base in paths:
        root = source / base
        files = [root] if root.is_file() else sorted(root.rglob("test_*.py"))
        for file in files:
            try:
                tree = ast.parse(file.read_text(encoding="utf-8"))
            except SyntaxError:
                continue
            for test, targets in _patches_in(tree):
                found.setdefault(f"{file.relative_to(source)}::{test}", []).extend(targets)
            internals = _internal_imports(tree)
            if internals:  # a module-level import of litellm's insides: every test in the file needs it
                found.setdefault(f"{file.relative_to(source)} (imports)", []).extend(internals)
    return {k: sorted(set(v)) for k, v in found.items()}


def _patches_in(tree: ast.Module) -> List[Tuple[str, List[str]]]:
    results = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            targets = [t for call in ast.walk(node) if isinstance(call, ast.Call) for t in _targets(call)]
            targets += [t for d in node.decorator_list if isinstance(d, ast.Call) for t in _targets(d)]
            if targets:
                results.append((node.name, targets))
    return results


def _internal_imports(tree: ast.Module) -> List[str]:
    """``from litellm.llms.x import Y`` at module level: litellm's insides, not its public surface."""
    public = ("litellm.types", "litellm.utils", "litellm.exceptions")
    out = []
    for node in tree.body:
        module = node.module if isinstance(node, ast.ImportFrom) else None
        if module and module.startswith("litellm.") and not module.startswith(public):
            out += [f"{module}.{a.name}" for a in node.names]
    return out


def _targets(call: ast.Call) -> List[str]:
    name = ast.unparse(call.func)
    if name.split(".")[-1] not in ("patch", "object", "setattr", "setitem") or not call.args:
        return []
    first = call.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str) and first.value.startswith("litellm"):
        return [first.value]
    owner = ast.unparse(first)
    if owner.startswith("litellm") and len(call.args) > 1:
        attr = call.args[1]
        if isinstance(attr, ast.Constant) and isinstance(attr.value, str):
            return [f"{owner}.{attr.value}"]
    return []


# -- the whole run -----------------------------------------------------------------------------------


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="")
    parser.add_argument("--report-dir", default=str(HERE))
    args = parser.parse_args(argv)
    wanted = {x.strip() for x in args.only.split(",") if x.strip()}
    results = []
    failures: List[str] = []
    for suite in SUITES:
        if wanted and suite.library not in wanted:
            continue
        if not suite.python.exists():
            print(f"{suite.library}: skipped, {suite.python} missing (make dependents creates it)")
            continue
        variable = suite.requirement[len("env:") :] if suite.requirement.startswith("env:") else None
        if variable and not os.environ.get(variable):
            print(f"{suite.library}: skipped, its tests are not on PyPI: set {variable} to a source tree")
            continue
        source = unpack(suite)
        runs = {impl: run_suite(suite, source, impl) for impl in ("litellm", "edgequake")}
        ref, cand = runs["litellm"], runs["edgequake"]
        worse = sorted(t for t, o in ref.tests.items() if o == "passed" and cand.tests.get(t) != "passed")
        # a test whose module did not import on edgequake has no outcome there: the module's error says why
        unimportable = {
            t.split("::")[0]: m for t, m in cand.messages.items() if m.startswith("not importable")
        }
        better = sorted(t for t, o in cand.tests.items() if o == "passed" and ref.tests.get(t) != "passed")
        results.append(
            {
                "library": suite.library,
                "source": suite.requirement if "/" in suite.requirement else suite.requirement + " sdist",
                "paths": list(suite.paths),
                "deselected": list(suite.deselect),
                "runs": {
                    impl: {k: v for k, v in vars(run).items() if k != "tests"} for impl, run in runs.items()
                },
                "only_on_litellm": {
                    t: cand.messages.get(t)
                    or unimportable.get(t.split("::")[0])
                    or cand.tests.get(t, "not run")
                    for t in worse
                },
                "unimportable_on_edgequake": unimportable,
                "only_on_edgequake": better,
                "patches_litellm": litellm_patches(source, suite.paths),
            }
        )
        counts = " / ".join(f"{impl} {_counts(run)}" for impl, run in runs.items())
        print(f"{suite.library}: {counts}; {len(worse)} pass only on litellm")
        for test in unexplained(results[-1]):
            failures.append(
                f"{suite.library}: {test} passes only on litellm: {results[-1]['only_on_litellm'][test]}"
            )
    out = Path(args.report_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "unit_tests.json").write_text(json.dumps({"schema": 1, "suites": results}, indent=2) + "\n")
    from dependents.report import write_unit_tests

    write_unit_tests(out, results)
    for line in failures:
        print(f"FAIL {line}")
    return 1 if failures else 0


def unexplained(result: Dict[str, Any]) -> List[str]:
    """Tests that pass on litellm only, for no reason the report gives: not patching a litellm
    internal, and not lost with a module that imports one (``litellm.llms.*``: litellm's own HTTP and
    provider machinery, which edgequake's Rust core replaces)."""
    internal_import = any(
        "No module named 'litellm.llms" in m for m in result["unimportable_on_edgequake"].values()
    )
    out = []
    for test, why in result["only_on_litellm"].items():
        module_error = result["unimportable_on_edgequake"].get(test.split("::")[0], "")
        if test in result["patches_litellm"] or "No module named 'litellm.llms" in module_error:
            continue
        if why == "not run" and internal_import:
            continue  # collected through a module that could not be imported (see the report)
        out.append(test)
    return out


def _counts(run: Outcomes) -> str:
    c = run.counts
    return f"{c.get('passed', 0)} passed, {c.get('failed', 0)} failed, {c.get('error', 0)} errors"


if __name__ == "__main__":
    sys.exit(main())
