"""Finding the real litellm distribution, also when ``sys.modules["litellm"]`` is edgequake.

Users run libraries written for litellm on edgequake by installing it under litellm's name
(``sys.modules["litellm"] = edgequake``). A plain ``import litellm`` in the delegation path then gets
edgequake back and the call recurses forever. litellm itself also resolves its own name, at import
time and inside functions at call time (``import litellm``, ``from litellm.x import y``), and its lazy
attribute machinery reads ``sys.modules["litellm"]`` directly. What this module does about each
(docs/adr/0009-delegation.md has the measurements):

* **the first import** runs with the alias lifted: every ``litellm`` / ``litellm.*`` entry of
  ``sys.modules`` that is not litellm's own module is taken out, ``import litellm`` runs normally,
  litellm's own module objects are recorded in :data:`_REAL`, and the aliases are put back. Only
  another thread importing ``litellm`` by name during that one import can see the real package.
* **call-time imports** made *by litellm's own code* are answered from :data:`_REAL` by a
  ``builtins.__import__`` wrapper (the importing module's globals tell who asks), so they get litellm
  while every other caller keeps getting edgequake. It decides by caller, not by time window, so it
  holds across threads and asyncio tasks. A direct child of ``litellm`` that is not loaded yet is
  loaded under the real package, never under edgequake.
* **``litellm._lazy_imports``**, which reads ``sys.modules["litellm"]`` and calls
  ``importlib.import_module`` on litellm's names, gets views of ``sys`` and ``importlib`` that answer
  litellm's names from :data:`_REAL`.

None of this is installed unless litellm's name is taken by something else when a delegated call
starts, so a process that never swaps pays nothing.
"""

from __future__ import annotations

import builtins
import importlib
import importlib.machinery
import importlib.util
import os
import sys
import threading
from types import ModuleType
from typing import Any, Dict, Optional

_NAME = "litellm"
_PREFIX = _NAME + "."

_lock = threading.RLock()
# litellm's own modules by name: what its code must get when it imports itself.
_REAL: Dict[str, ModuleType] = {}
_executing: Dict[str, int] = {}  # modules this module is executing -> thread id (partial until done)
_state: Dict[str, Any] = {"root": None, "shielded": False}


class LitellmMissing(Exception):
    """litellm cannot be imported (not installed, or made unimportable)."""


def _ours(name: str) -> bool:
    return name == _NAME or name.startswith(_PREFIX)


def _genuine(name: str, module: Any) -> bool:
    """litellm's own module for ``name``: an alias (edgequake's module under litellm's name) keeps
    its own ``__name__``."""
    return isinstance(module, ModuleType) and getattr(module, "__name__", None) == name


def real_litellm() -> ModuleType:
    """The real litellm package; raises :class:`LitellmMissing` when it cannot be imported."""
    top = _REAL.get(_NAME)
    if top is None:
        top = _first_import()
    current = sys.modules.get(_NAME, top)
    if current is None:  # made unimportable since (Python's marker): honoured as for the first import
        raise LitellmMissing("sys.modules['litellm'] is None")
    if current is not top and not _state["shielded"]:
        _shield(top)
    return top


def _first_import() -> ModuleType:
    with _lock:
        top = _REAL.get(_NAME)
        if top is not None:
            return top
        current = sys.modules.get(_NAME, _lock)
        if current is None:  # `sys.modules["litellm"] = None`: Python's own "unimportable" marker
            raise LitellmMissing("sys.modules['litellm'] is None")
        lifted = {
            name: module
            for name, module in list(sys.modules.items())
            if _ours(name) and not _genuine(name, module)
        }
        for name in lifted:
            del sys.modules[name]
        try:
            top = importlib.import_module(_NAME)
        except ImportError as exc:
            raise LitellmMissing(str(exc)) from None
        finally:
            _record()
            sys.modules.update(lifted)  # the aliases keep the public names
        if not _genuine(_NAME, top):  # a finder handed back an alias again: there is no real one
            raise LitellmMissing("the module importable as 'litellm' is not litellm")
        _state["root"] = os.path.dirname(top.__file__ or "") + os.sep
        if lifted:
            _shield(top)
        return top


def _record() -> None:
    for name, module in list(sys.modules.items()):
        if _ours(name) and _genuine(name, module):
            _REAL.setdefault(name, module)


# -- call time: litellm's own imports answered from _REAL ------------------------------------------


def _shield(top: ModuleType) -> None:
    with _lock:
        if _state["shielded"]:
            return
        _record()
        _state["root"] = os.path.dirname(top.__file__ or "") + os.sep
        original = builtins.__import__

        def __import__(
            name: str, globals: Any = None, locals: Any = None, fromlist: Any = (), level: int = 0
        ) -> Any:
            # The cheap test first: this runs for every import statement in the process.
            if globals is not None and sys.modules.get(_NAME) is not _REAL[_NAME]:
                caller = globals.get("__name__")
                if isinstance(caller, str) and _ours(caller) and _from_litellm(globals):
                    absolute = _absolute(name, globals, level)
                    if _ours(absolute):
                        return _answer(absolute, fromlist)
            return original(name, globals, locals, fromlist, level)

        builtins.__import__ = __import__
        _patch_lazy_imports()
        _state["shielded"] = True


def _from_litellm(globals: Dict[str, Any]) -> bool:
    path = globals.get("__file__")
    return isinstance(path, str) and path.startswith(_state["root"])


def _absolute(name: str, globals: Dict[str, Any], level: int) -> str:
    if level == 0:
        return name
    package = globals.get("__package__") or globals["__name__"].rpartition(".")[0]
    return importlib.util.resolve_name("." * level + name, package)


def _answer(absolute: str, fromlist: Any) -> ModuleType:
    """What ``__import__`` returns: the leaf for ``from x import ...``, else the top package."""
    module = real_module(absolute)
    if not fromlist:
        return _REAL[_NAME]
    if hasattr(module, "__path__"):
        for item in fromlist:
            if item != "*" and not hasattr(module, item):
                try:
                    real_module(f"{absolute}.{item}")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{absolute}.{item}":
                        raise  # a missing dependency of that submodule, not a missing name
    return module


def real_module(name: str) -> ModuleType:
    """litellm's own module ``name`` (``litellm.x.y``), importing it under the real package if needed."""
    module = _REAL.get(name)
    if module is not None:
        owner = _executing.get(name)
        if owner is not None and owner != threading.get_ident():
            with _lock:  # another thread is still executing it: wait, as Python's module locks do
                pass
        return module
    parent_name, _, child = name.rpartition(".")
    parent = real_module(parent_name) if parent_name else None
    if parent is None:
        return real_litellm()
    if sys.modules.get(parent_name) is parent and not _displaced(name):
        module = importlib.import_module(name)  # parent in place: Python's own machinery and locks
        _REAL.setdefault(name, module)
        return module
    return _load_under(parent, name, child)


def _displaced(name: str) -> bool:
    present = sys.modules.get(name)
    return present is not None and not _genuine(name, present)


def _load_under(parent: ModuleType, name: str, child: str) -> ModuleType:
    """Import ``name`` as litellm's submodule when ``sys.modules`` holds an alias for its parent (or
    for it): found on the real parent's ``__path__``, set on the real parent, never on edgequake."""
    with _lock:
        module = _REAL.get(name)
        if module is not None:
            return module
        spec = importlib.machinery.PathFinder.find_spec(name, getattr(parent, "__path__", None))
        if spec is None or spec.loader is None:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        module = importlib.util.module_from_spec(spec)
        displaced = sys.modules.get(name)
        # Published while it runs: dataclasses and pydantic look classes' modules up by name.
        sys.modules[name] = module
        _REAL[name] = module
        _executing[name] = threading.get_ident()
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del _REAL[name]
            sys.modules.pop(name, None)
            raise
        finally:
            _executing.pop(name, None)
            if displaced is not None:
                sys.modules[name] = displaced
        setattr(parent, child, module)
        return module


# -- litellm._lazy_imports: its direct sys.modules reads -------------------------------------------


class _ModulesView:
    """``sys.modules`` as litellm's own code should see it: its names are its modules."""

    def __getitem__(self, name: str) -> Any:
        module = _REAL.get(name)
        return module if module is not None else sys.modules[name]

    def get(self, name: str, default: Any = None) -> Any:
        module = _REAL.get(name)
        return module if module is not None else sys.modules.get(name, default)

    def __contains__(self, name: str) -> bool:
        return name in _REAL or name in sys.modules


class _SysView:
    def __init__(self) -> None:
        self.modules = _ModulesView()

    def __getattr__(self, name: str) -> Any:
        return getattr(sys, name)


class _ImportlibView:
    def __getattr__(self, name: str) -> Any:
        return getattr(importlib, name)

    @staticmethod
    def import_module(name: str, package: Optional[str] = None) -> ModuleType:
        absolute = importlib.util.resolve_name(name, package) if name.startswith(".") else name
        if _ours(absolute):
            return real_module(absolute)
        return importlib.import_module(name, package)


def _patch_lazy_imports() -> None:
    # Only this module of litellm reads sys.modules["litellm"] at call time (litellm 1.110.2, grep'd);
    # its two module globals are swapped for views, litellm's code itself is untouched.
    try:
        lazy = real_module("litellm._lazy_imports")
    except ImportError:
        return
    if getattr(lazy, "sys", None) is sys:
        lazy.sys = _SysView()  # type: ignore[attr-defined]
    if getattr(lazy, "importlib", None) is importlib:
        lazy.importlib = _ImportlibView()  # type: ignore[attr-defined]
