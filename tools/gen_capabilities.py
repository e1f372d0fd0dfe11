"""Regenerate ``edgequake/_params/capabilities.json``: litellm's ``supports_*`` answers per model.

litellm answers ``supports_function_calling(model)`` and its siblings from its cost map through a long
lookup (provider-prefixed keys, case folding, generalisation, provider-level defaults). Libraries ask
these before they call (crewai, dspy, langchain-litellm), with the model string their user configured.
This asks the pinned litellm every function about every cost-map name as users write it (the key, the
key with its provider prefix, the prefix-less name with ``custom_llm_provider``) and about a name no
map knows per provider (that provider's default), and stores the answers as bit masks. Never edited by
hand; ``tests/test_utils_api.py`` checks it.

    LITELLM_LOCAL_MODEL_COST_MAP=True python tools/gen_capabilities.py
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, Optional, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from edgequake.utils import SUPPORTS_FUNCTIONS

OUT = Path(__file__).resolve().parents[1] / "edgequake" / "_params" / "capabilities.json"
# The supports_* functions edgequake answers (edgequake.utils); bit i is FUNCTIONS[i].
FUNCTIONS = SUPPORTS_FUNCTIONS
UNKNOWN_MODEL = "edgequake-no-such-model"


def queries(model_cost: Dict[str, Any]) -> Iterator[Tuple[str, Optional[str]]]:
    for key, entry in model_cost.items():
        provider = entry.get("litellm_provider") if isinstance(entry, dict) else None
        if not isinstance(provider, str) or key == "sample_spec":
            continue
        yield key, None
        if key.startswith(provider + "/"):
            yield key[len(provider) + 1 :], provider
        else:
            yield f"{provider}/{key}", None
            yield key, provider


def mask(litellm: Any, model: str, provider: Optional[str]) -> int:
    bits = 0
    for i, name in enumerate(FUNCTIONS):
        try:
            answer = getattr(litellm.utils, name)(model=model, custom_llm_provider=provider)
        except Exception:  # litellm's own functions catch and answer False; a raise counts as False
            answer = False
        if answer is True:
            bits |= 1 << i
    return bits


def main() -> None:
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    import litellm
    import litellm.utils
    from litellm.litellm_core_utils.fallback_generalizations import get_fallback_generalization_rules

    litellm.suppress_debug_info = True
    answers: Dict[str, int] = {}
    providers = set()
    for model, provider in queries(litellm.model_cost):
        providers.add(provider or "")
        answers[f"{model}|{provider or ''}"] = mask(litellm, model, provider)
    defaults = {p: mask(litellm, f"{p}/{UNKNOWN_MODEL}", None) for p in sorted(p for p in providers if p)}
    # For names the map does not list, the cost map's capability rules (a regex and model info,
    # unioned in order over every rule that matches): kept as data, applied by _params.capabilities.
    rules = [
        {"pattern": rule["pattern"], "true": sorted(k for k, v in rule["model_info"].items() if v is True)}
        for rule in get_fallback_generalization_rules()
        if "litellm_provider" not in rule.get("model_info", {}) and "extends" not in rule
    ]
    table = {
        "rules": rules,
        "about": f"litellm {importlib.metadata.version('litellm')} supports_* answers per model; generated "
        "by tools/gen_capabilities.py. Keys are 'model|custom_llm_provider'; bit i is functions[i].",
        "functions": list(FUNCTIONS),
        "defaults": defaults,
        "answers": answers,
    }
    OUT.write_text(json.dumps(table, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(answers)} queries, {sum(1 for v in answers.values() if v)} with any capability")


if __name__ == "__main__":
    main()
