"""Runs one suite program with the real litellm or with edgequake as ``litellm``: the one place the
suite chooses the implementation:
``python dependents/launch.py {litellm|edgequake} PROGRAM.py`` (or ``-m MODULE ARGS``).

With ``edgequake`` it is edgequake's supported way, ``python -m edgequake run PROGRAM.py`` (which
installs edgequake as ``litellm`` before the program imports anything); with ``litellm`` the program
runs as ``python PROGRAM.py`` would.
"""

from __future__ import annotations

import os
import runpy
import sys


def main() -> None:
    impl, rest = sys.argv[1], sys.argv[2:]
    if impl == "edgequake":
        from edgequake.__main__ import main as edgequake_run

        sys.exit(edgequake_run(["run", *rest]))
    if impl != "litellm":
        raise SystemExit(f"unknown implementation {impl!r}: litellm or edgequake")
    if rest[0] == "-m":  # a module, as `python -m`: the libraries' own test suites (`-m pytest`)
        sys.argv = [rest[1], *rest[2:]]
        sys.path.insert(0, os.getcwd())
        runpy.run_module(rest[1], run_name="__main__", alter_sys=True)
        return
    sys.argv = list(rest)
    sys.path.insert(0, os.path.dirname(os.path.abspath(rest[0])))
    runpy.run_path(rest[0], run_name="__main__")


if __name__ == "__main__":
    main()
