"""The modes a case is judged in, by name (a module of constants: option parsing imports it, and the
pytest plugin must stay light until ``--compat`` is given).

``sync`` and ``async`` are the consumption modes; ``sync/<variant>`` are the call variants
(``edgequake_harness.run.variants``): the same call configured the other ways users configure it.
"""

from __future__ import annotations

CONSUMPTION_MODES = ("sync", "async")  # cassettes.case.MODES
VARIANTS = ("globals", "env", "library-args")
SEPARATOR = "/"
VARIANT_MODES = tuple(f"sync{SEPARATOR}{v}" for v in VARIANTS)
ALL_MODES = CONSUMPTION_MODES + VARIANT_MODES
