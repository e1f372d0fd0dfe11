"""`python -m edgequake_harness` is the same program as the `edgequake-harness` console script."""

from __future__ import annotations

import sys

from edgequake_harness.cli import main

if __name__ == "__main__":
    sys.exit(main())
