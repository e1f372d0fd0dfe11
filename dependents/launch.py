"""Runs one suite program with the real litellm or with edgequake as ``litellm``: the one place the
suite swaps implementations:
``python dependents/launch.py {litellm|edgequake} PROGRAM.py`` (or ``-m MODULE ARGS``).

The swap is edgequake's supported way when this edgequake has it (``install_as_litellm``, which also
answers ``litellm.types.utils`` and the other submodule imports with edgequake's own modules), else the
bare ``sys.modules["litellm"] = edgequake`` alias.
"""

from __future__ import annotations

import os
import runpy
import sys


def swap_in_edgequake() -> None:
    import edgequake

    install = getattr(edgequake, "install_as_litellm", None)
    if install is not None:
        install()
    else:
        sys.modules["litellm"] = edgequake
        import edgequake.types

        edgequake.types.present_as_litellm()


def main() -> None:
    impl, program = sys.argv[1], sys.argv[2]
    if impl == "edgequake":
        swap_in_edgequake()
    elif impl != "litellm":
        raise SystemExit(f"unknown implementation {impl!r}: litellm or edgequake")
    if program == "-m":  # a module, as `python -m`: the libraries' own test suites (`-m pytest`)
        module = sys.argv[3]
        sys.argv = [module, *sys.argv[4:]]
        sys.path.insert(0, os.getcwd())
        runpy.run_module(module, run_name="__main__", alter_sys=True)
        return
    sys.argv = [program, *sys.argv[3:]]
    sys.path.insert(0, os.path.dirname(os.path.abspath(program)))
    runpy.run_path(program, run_name="__main__")


if __name__ == "__main__":
    main()
