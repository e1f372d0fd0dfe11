"""Runs each library's program twice, in fresh subprocesses (real litellm, then edgequake as
``litellm``), each against a fresh fake provider, judges the pair and writes the report.

    python -m dependents.runner [--only dspy,instructor] [--report-dir dependents]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from dependents.compare import Verdict, judge
from dependents.fake_server import FakeProvider

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
IMPLEMENTATIONS = ("litellm", "edgequake")


@dataclass(frozen=True)
class Program:
    library: str
    path: Path
    python: Path  # the venv's interpreter that has the library (crewai has a venv of its own)


def default_programs() -> List[Program]:
    main = ROOT / ".venv-dependents" / "bin" / "python"
    crewai = ROOT / ".venv-dependents-crewai" / "bin" / "python"
    programs = HERE / "programs"
    return [
        Program("dspy", programs / "dspy_quickstart.py", main),
        Program("instructor", programs / "instructor_quickstart.py", main),
        Program("langchain-litellm", programs / "langchain_quickstart.py", main),
        Program("smolagents", programs / "smolagents_quickstart.py", main),
        Program("crewai", programs / "crewai_quickstart.py", crewai),
    ]


@dataclass
class Run:
    results: Dict[str, Any]
    requests: List[Dict[str, Any]]
    seconds: float
    returncode: int
    stderr_tail: str


def run_once(program: Program, impl: str, timeout: float = 600) -> Run:
    """One fresh interpreter, one fresh fake provider: nothing carries over between the two runs."""
    server = FakeProvider().start()
    fd, out = tempfile.mkstemp(prefix=f"dependents-{program.library}-{impl}-", suffix=".json")
    os.close(fd)
    env = {
        **os.environ,
        "DEPENDENTS_FAKE_URL": server.url,
        "DEPENDENTS_OUT": out,
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",
        "PYTHONHASHSEED": "0",
        # the libraries' own telemetry and update checks stay off (no network beyond 127.0.0.1)
        "CREWAI_DISABLE_TELEMETRY": "true",
        "OTEL_SDK_DISABLED": "true",
        "DO_NOT_TRACK": "1",
        "HF_HUB_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "OPENAI_API_KEY": "sk-fake-dependents",
        "ANTHROPIC_API_KEY": "sk-ant-fake-dependents",
        # any connection other than to the fake provider fails at once (httpx and reqwest honour these)
        "HTTP_PROXY": "http://127.0.0.1:9",
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "ALL_PROXY": "http://127.0.0.1:9",
        "NO_PROXY": "127.0.0.1,localhost",
    }
    env.pop("PYTHONPATH", None)
    start = time.monotonic()
    try:
        proc = subprocess.run(
            [str(program.python), str(HERE / "launch.py"), impl, str(program.path)],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=tempfile.gettempdir(),
        )
        code, stderr = proc.returncode, proc.stderr
    except subprocess.TimeoutExpired as exc:
        code, stderr = -1, f"timed out after {timeout}s\n{exc.stderr or ''}"
    finally:
        seconds = time.monotonic() - start
        server.stop()
    try:
        results = json.loads(Path(out).read_text() or "{}")
    except ValueError:
        results = {}
    finally:
        Path(out).unlink(missing_ok=True)
    if code != 0 and not results:
        results = {"program": {"error": f"exit {code}: {_tail(stderr, 8)}"}}
    return Run(results, server.requests, seconds, code, _tail(stderr, 30))


def _tail(text: Any, lines: int) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return "\n".join(str(text or "").strip().splitlines()[-lines:])


def run_program(program: Program) -> Tuple[Verdict, Dict[str, Run]]:
    runs = {impl: run_once(program, impl) for impl in IMPLEMENTATIONS}
    ref, cand = runs["litellm"], runs["edgequake"]
    verdict = judge(
        program.library, program.path.name, ref.results, cand.results, ref.requests, cand.requests
    )
    return verdict, runs


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated libraries (default: all)")
    parser.add_argument("--report-dir", default=str(HERE))
    args = parser.parse_args(argv)
    wanted = {x.strip() for x in args.only.split(",") if x.strip()}
    from dependents.report import write_report

    verdicts, details = [], {}
    for program in default_programs():
        if wanted and program.library not in wanted:
            continue
        if not program.python.exists():
            print(f"{program.library}: skipped, {program.python} missing (make dependents creates it)")
            continue
        verdict, runs = run_program(program)
        verdicts.append(verdict)
        details[program.library] = runs
        mark = "ok" if verdict.ok else "DIFFERENT"
        took = " / ".join(f"{impl} {run.seconds:.1f}s" for impl, run in runs.items())
        print(f"{program.library}: {mark} ({took}) {verdict.first_difference}")
    write_report(Path(args.report_dir), verdicts, details)
    different = [v.library for v in verdicts if not v.ok]
    if different:
        print(f"FAIL: not the same on edgequake as on litellm: {', '.join(different)} (dependents/report.md)")
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
