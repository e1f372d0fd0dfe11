"""Figures the reliability tests measure (exit runs, the file-limit test, the soak), recorded for
docs/reliability.md: when ``EDGEQUAKE_FIGURES`` names a file, each `record` appends one JSON line to
it. tools/gen_reliability.py sets it, runs those tests and turns the lines into the doc's figures."""

from __future__ import annotations

import json
import os
import time
from typing import Any


def record(name: str, **values: Any) -> None:
    path = os.environ.get("EDGEQUAKE_FIGURES")
    if not path:
        return
    line = json.dumps({"name": name, "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **values})
    with open(path, "a", encoding="utf-8") as out:
        out.write(line + "\n")
