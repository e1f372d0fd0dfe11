"""Regenerate ``edgequake/_cost/model_prices.json`` (and ``model_info_keys.json``) from the installed,
pinned litellm.

The price table is litellm's own data, ``model_prices_and_context_window_backup.json`` (MIT, BerriAI/
litellm; see ``edgequake/_cost/PROVENANCE.md``), copied as parsed JSON written compactly (same content,
about a quarter smaller, and faster to parse). ``model_info_keys.json`` holds the key order of litellm's
``get_model_info`` answer, measured by asking it about a model, so edgequake's answer has the same keys
in the same order. ``tests/test_cost.py`` checks both against the installed litellm, so a litellm
upgrade shows up as a failing test until this is run again.

    LITELLM_LOCAL_MODEL_COST_MAP=True python tools/refresh_model_prices.py
"""

from __future__ import annotations

import importlib.metadata
import json
import os
from pathlib import Path
from typing import Any, Dict, List

OUT = Path(__file__).resolve().parents[1] / "edgequake" / "_cost"
PINNED = "1.110.2"


def litellm_prices() -> Dict[str, Any]:
    import litellm

    path = Path(litellm.__file__).parent / "model_prices_and_context_window_backup.json"
    with open(path, encoding="utf-8") as file:
        data: Dict[str, Any] = json.load(file)
    return data


def model_info_keys() -> List[str]:
    """The keys litellm's ModelInfo carries for a plain priced chat model, in its order (the
    above-threshold keys a model adds come after them, as litellm appends them)."""
    import litellm

    return list(litellm.get_model_info("gpt-3.5-turbo"))


def write_index() -> None:
    """``model_prices.index.json``: where each entry's text is in the table (edgequake/_cost/table.py
    prices a call from it without parsing the whole file)."""
    from edgequake._cost.table import build_index

    text = (OUT / "model_prices.json").read_text(encoding="utf-8")
    with open(OUT / "model_prices.index.json", "w", encoding="utf-8") as file:
        json.dump(build_index(text), file, separators=(",", ":"))


def main() -> None:
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    version = importlib.metadata.version("litellm")
    if version != PINNED:
        raise SystemExit(f"litellm {version} is installed; the table is generated from {PINNED}")
    prices = litellm_prices()
    with open(OUT / "model_prices.json", "w", encoding="utf-8") as file:
        json.dump(prices, file, separators=(",", ":"), ensure_ascii=False)
    write_index()
    with open(OUT / "model_info_keys.json", "w", encoding="utf-8") as file:
        json.dump({"litellm": version, "keys": model_info_keys()}, file, indent=0)
    print(f"wrote {len(prices)} entries from litellm {version}")


if __name__ == "__main__":
    main()
