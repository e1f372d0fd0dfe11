"""Regenerates edgequake/_call/litellm_params.py from the installed (pinned) litellm.

    python tools/gen_litellm_params.py [--check]

litellm decides which ``completion()`` / ``embedding()`` keywords are its own with
``litellm.types.utils.is_litellm_owned_kwarg``: a name in ``all_litellm_params`` or one starting with
``litellm.constants.INTERNAL_KWARG_PREFIX``. Its ``get_non_default_completion_params`` and
``embedding()`` filter those out before anything is handed to the provider (unknown names go on, into
``extra_body`` on the OpenAI-compatible routes, which the SDK merges into the body).
``tools/measure_litellm_params.py`` measures the same on the wire.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys
from typing import Iterable, List

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import litellm  # noqa: F401 - loads litellm's lazily bound modules the way a user's import does
from litellm.constants import INTERNAL_KWARG_PREFIX
from litellm.types.utils import all_litellm_params

TARGET = pathlib.Path(__file__).resolve().parent.parent / "edgequake" / "_call" / "litellm_params.py"
WIDTH = 110  # ruff's line-length
INDENT = " " * 8

HEADER = '''"""Every call keyword litellm {version} owns: the names its `completion()` and `embedding()`
keep out of the provider's request body. litellm's rule (`litellm.types.utils.is_litellm_owned_kwarg`):
the name is in `all_litellm_params` ({count} names: connection settings, routing, caching, logging
callbacks, custom pricing, internal state) or starts with `INTERNAL_KWARG_PREFIX`.

Generated from the pinned reference by `python tools/gen_litellm_params.py`; a fact table, not code.
`edgequake._call.arguments.split_kwargs` keeps these names out of the body, as litellm does.
"""

from __future__ import annotations

LITELLM_OWNED_PREFIX = {prefix!r}

LITELLM_OWNED_PARAMS: frozenset[str] = frozenset(
    (
'''


def _packed(names: Iterable[str]) -> List[str]:
    """The names as string literals, several to a line, each line within ruff's limit."""
    lines: List[str] = []
    line = INDENT
    for name in names:
        item = f"{name!r},"
        if line != INDENT and len(line) + 1 + len(item) > WIDTH:
            lines.append(line)
            line = INDENT
        line = line + (" " if line != INDENT else "") + item
    if line != INDENT:
        lines.append(line)
    return lines


def render() -> str:
    from importlib.metadata import version

    names = sorted(set(all_litellm_params))
    head = HEADER.format(version=version("litellm"), count=len(names), prefix=INTERNAL_KWARG_PREFIX)
    return head + "".join(line + "\n" for line in _packed(names)) + "    )\n)\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if the file differs instead of writing")
    args = parser.parse_args()
    text = render()
    if args.check:
        if TARGET.read_text() != text:
            print(f"{TARGET} is stale: run python tools/gen_litellm_params.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
