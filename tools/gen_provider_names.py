"""Regenerates edgequake/_call/provider_names.py from the installed (pinned) litellm."""

from __future__ import annotations

import os
import pathlib

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import litellm

HEADER = '''"""Every provider name litellm {version} recognises as a `provider/` model prefix
(`litellm.provider_list`).

Generated from the pinned reference by `python tools/gen_provider_names.py`; a fact table, not code.
Used to tell "a provider edgequake does not speak natively" from "a model name containing a slash".
"""

from __future__ import annotations

LITELLM_PROVIDERS: frozenset[str] = frozenset(
    (
'''


def main() -> None:
    from importlib.metadata import version

    names = sorted(str(getattr(p, "value", p)) for p in litellm.provider_list)
    body = "".join(f"        {n!r},\n" for n in names)
    text = HEADER.format(version=version("litellm")) + body + "    )\n)\n"
    target = pathlib.Path(__file__).resolve().parent.parent / "edgequake" / "_call" / "provider_names.py"
    target.write_text(text)


if __name__ == "__main__":
    main()
