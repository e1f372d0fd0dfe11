"""``python -m edgequake run app.py [args]`` / ``python -m edgequake run -m module [args]``: run a program
written for litellm on edgequake, unchanged (edgequake is installed as ``litellm`` first, see
``edgequake._as_litellm``). ``python -m edgequake run -m pytest tests/`` runs a test suite that way.

Arguments after the script or module belong to it, as with ``python app.py`` / ``python -m module``,
so they are not parsed here.
"""

from __future__ import annotations

import os
import runpy
import sys
from typing import List, Optional

USAGE = """usage: python -m edgequake run SCRIPT [ARGS...]
       python -m edgequake run -m MODULE [ARGS...]
       python -m edgequake --version

Runs a program written for litellm with edgequake installed as `litellm`
(the same as calling edgequake.install_as_litellm() before anything imports litellm)."""


def main(argv: Optional[List[str]] = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] in (["-h"], ["--help"]):
        print(USAGE)
        return 0
    if args[:1] == ["--version"]:
        from edgequake import __version__

        print(f"edgequake {__version__}")
        return 0
    if args[:1] != ["run"] or len(args) < 2 or args[1:] == ["-m"]:
        print(USAGE, file=sys.stderr)
        return 2
    import edgequake

    edgequake.install_as_litellm()
    if args[1] == "-m":
        module, rest = args[2], args[3:]
        sys.argv = [module, *rest]
        sys.path.insert(0, os.getcwd())  # as `python -m module` does
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    else:
        script = args[1]
        if not os.path.exists(script):
            print(f"python -m edgequake run: can't open file {script!r}", file=sys.stderr)
            return 2
        sys.argv = args[1:]
        sys.path.insert(0, os.path.dirname(os.path.abspath(script)))  # as `python app.py` does
        runpy.run_path(script, run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main())
