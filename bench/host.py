"""The two processes a run is made of: the benchmark server (a child, on its own CPU) and the
machine facts recorded beside the numbers."""

from __future__ import annotations

import http.client
import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

from bench.routes import ROUTES

REPO_ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = REPO_ROOT / "bench"


def cpu_plan(pin: bool) -> Tuple[Optional[int], Optional[int]]:
    """(client CPU, server CPU), or (None, None) when not pinning."""
    if not pin or not hasattr(os, "sched_getaffinity"):
        return None, None
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return None, None
    return cpus[0], cpus[1]


class Server:
    """The benchmark server as a child process; it exits when we close its stdin."""

    def __init__(self, cpu: Optional[int]) -> None:
        command = [sys.executable, str(BENCH_DIR / "server.py"), "--port", "0", "--exit-on-stdin-eof"]
        if cpu is not None:
            command += ["--cpu", str(cpu)]
        self.proc = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=str(REPO_ROOT)
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().decode().split()
        if len(line) != 2 or line[0] != "LISTENING":
            self.stop()
            raise RuntimeError(f"benchmark server did not start (said {line!r})")
        self.port = int(line[1])
        self.root_url = f"http://127.0.0.1:{self.port}"
        self.base_url = ROUTES["openai"].base_url(self.root_url)  # schema 1's server.base_url

    def stats(self) -> Dict[str, Any]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("GET", "/_stats")
            return dict(json.loads(conn.getresponse().read()))
        finally:
            conn.close()

    def stop(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def machine(client_cpu: Optional[int], server_cpu: Optional[int]) -> Dict[str, Any]:
    model = ""
    try:
        with open("/proc/cpuinfo") as fh:
            model = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), "")
    except OSError:
        pass
    return {
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "executable": sys.executable,
        "cpu_model": model,
        "cpu_count": os.cpu_count(),
        "client_cpu": client_cpu,
        "server_cpu": server_cpu,
        "loadavg_at_start": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }
