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
  holds across threads and asyncio tasks. A submodule of litellm that is not loaded yet is imported
  the way the first import is, with litellm's names given back to litellm for that one import (its
  namespace packages find their paths through their parents' entries in ``sys.modules``).
* **afterwards** litellm's modules that an import published under a name edgequake also has
  (``litellm.utils``) are withdrawn from ``sys.modules``, so ``from litellm.utils import x`` keeps
  giving edgequake's.
* **``litellm._lazy_imports``**, which reads ``sys.modules["litellm"]`` and calls
  ``importlib.import_module`` on litellm's names, gets views of ``sys`` and ``importlib`` that answer
  litellm's names from :data:`_REAL`.

None of this is installed unless litellm's name is taken by something else when a delegated call
starts, so a process that never swaps pays nothing.
"""

from __future__ import annotations

import builtins
import contextlib
import importlib
import importlib.machinery
import importlib.util
import os
import sys
import threading
from types import ModuleType
from typing import Any, Dict, Iterator, Optional

from edgequake._as_litellm import suspended

_NAME = "litellm"
_PREFIX = _NAME + "."

_lock = threading.RLock()
# litellm's own modules by name: what its code must get when it imports itself.
_REAL: Dict[str, ModuleType] = {}
_state: Dict[str, Any] = {"root": None, "shielded": False, "importing": 0}


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
        try:
            with _litellms_names() as lifted:
                top = importlib.import_module(_NAME)
        except ImportError as exc:
            raise LitellmMissing(str(exc)) from None
        if not _genuine(_NAME, top):  # a finder handed back an alias again: there is no real one
            raise LitellmMissing("the module importable as 'litellm' is not litellm")
        _state["root"] = os.path.dirname(top.__file__ or "") + os.sep
        if lifted:
            _shield(top)
        return top


@contextlib.contextmanager
def _litellms_names() -> Iterator[Dict[str, ModuleType]]:
    """While litellm imports itself or one of its submodules: its names are its own modules (edgequake's
    aliases lifted, litellm's recorded modules back, edgequake's alias finder standing aside), so
    Python's import machinery, module locks and namespace-package paths work as without edgequake.
    Yields the aliases lifted. Afterwards the aliases are back, and litellm's modules published under a
    name edgequake also has are withdrawn (see :func:`_vacate_shared_names`)."""
    with _lock, suspended():
        lifted = {n: m for n, m in list(sys.modules.items()) if _ours(n) and not _genuine(n, m)}
        for name in lifted:
            del sys.modules[name]
        for name, module in _REAL.items():
            sys.modules.setdefault(name, module)
        try:
            yield lifted
        finally:
            _record()
            sys.modules.update(lifted)  # the aliases keep the public names
            if lifted and not _state["importing"]:
                _vacate_shared_names()


def adopt_imported() -> None:
    """litellm was imported for real before edgequake took its name: keep its modules as litellm's own."""
    with _lock:
        _record()
        top = _REAL.get(_NAME)
        if top is not None:
            _state["root"] = os.path.dirname(top.__file__ or "") + os.sep


def _vacate_shared_names() -> None:
    """With litellm's name taken by edgequake, the real import just published litellm's own modules
    under names edgequake also has (``litellm.utils``, ``litellm.types.rerank``): a later
    ``from litellm.utils import x`` would get litellm's module. Those entries are withdrawn (litellm's
    code keeps reaching them through :data:`_REAL`), so the next import of the name finds edgequake's."""
    for name, module in list(sys.modules.items()):  # a copy: other threads import meanwhile
        shared = name.startswith(_PREFIX) and _genuine(name, module) and _edgequake_has(name)
        if shared and sys.modules.get(name) is module:
            del sys.modules[name]


_SHARED: Dict[str, bool] = {}  # memo: litellm module name -> whether edgequake has a module of that name


def _edgequake_has(name: str) -> bool:
    known = _SHARED.get(name)
    if known is None:
        ours = "edgequake" + name[len(_NAME) :]
        try:
            known = ours in sys.modules or importlib.util.find_spec(ours) is not None
        except (ImportError, ValueError):  # a parent that is not a package, or not importable
            known = False
        _SHARED[name] = known
    return known


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
        if getattr(getattr(module, "__spec__", None), "_initializing", False):
            with _lock:  # another thread is still executing it (it holds the lock): wait, as Python does
                pass
        return module
    parent_name, _, child = name.rpartition(".")
    if not parent_name:
        return real_litellm()
    parent = real_module(parent_name)
    if parent_name == _NAME and sys.modules.get(_NAME) is not parent:
        return _load_under(parent, name, child)  # the top name stays edgequake's, even for a moment
    with _lineage(name):
        module = _REAL.get(name) or importlib.import_module(name)  # Python's own machinery and locks
    _REAL.setdefault(name, module)
    return module


@contextlib.contextmanager
def _lineage(name: str) -> Iterator[None]:
    """For importing ``litellm.a.b.c``: litellm's own ``litellm.a``, ``litellm.a.b`` (and ``.c``, if
    loaded) under their names for the import (never the top name). Python finds a child on its parent's
    entry in ``sys.modules``, and a namespace package recomputes its path from its parent's entry."""
    parts = name.split(".")
    names = [".".join(parts[:i]) for i in range(2, len(parts) + 1)]
    with _lock, suspended():
        stashed = {n: sys.modules.get(n) for n in names if n in _REAL and sys.modules.get(n) is not _REAL[n]}
        sys.modules.update({n: _REAL[n] for n in stashed})
        _state["importing"] += 1
        try:
            yield
        finally:
            _state["importing"] -= 1
            _record()
            for n, previous in stashed.items():
                if previous is None:
                    sys.modules.pop(n, None)
                else:
                    sys.modules[n] = previous
            # Only once the outermost import is done: a nested one still needs its ancestors' entries.
            if not _state["importing"] and sys.modules.get(_NAME) is not _REAL.get(_NAME):
                _vacate_shared_names()


def _load_under(parent: ModuleType, name: str, child: str) -> ModuleType:
    """Import ``litellm.x`` while ``sys.modules["litellm"]`` is edgequake: found on the real package's
    ``__path__``, set on the real package, never on edgequake."""
    with _lock, suspended():
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
        spec._initializing = True  # type: ignore[attr-defined]  # importlib's own mark of a module still executing (see real_module)
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del _REAL[name]
            sys.modules.pop(name, None)
            raise
        finally:
            spec._initializing = False  # type: ignore[attr-defined]
            if displaced is not None:
                sys.modules[name] = displaced
        setattr(parent, child, module)
        if not _state["importing"]:
            _vacate_shared_names()
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
