"""Installing edgequake under litellm's name, so programs and libraries written for litellm run on it
unchanged: ``edgequake.install_as_litellm()`` (a notebook's first cell) or ``python -m edgequake run
app.py`` (``edgequake/__main__.py``).

A bare ``sys.modules["litellm"] = edgequake`` is not enough: ``import litellm.types.utils`` would then
find ``types/utils.py`` on edgequake's path and execute it a second time as a new module named
``litellm.types.utils``, so its classes would not be edgequake's (``isinstance`` and ``except`` fail
across the two copies). The finder below answers every ``litellm.<x>`` import whose parent is one of
edgequake's modules with edgequake's own module object ``edgequake.<x>``: one copy, two names.

It stands aside for the real litellm: the delegation layer imports litellm and its submodules with
litellm's names given back to it (``edgequake._delegate.locate``, inside :func:`suspended`), and
those imports go to Python's normal finders.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import threading
import warnings
from types import ModuleType
from typing import Any, Iterator, Optional, Sequence

__all__ = ["install_as_litellm", "installed", "suspended"]

_NAME = "litellm"
_OURS = "edgequake"
_lock = threading.RLock()
_suspended = threading.local()


def _edgequake() -> ModuleType:
    return sys.modules[_OURS]


class _AliasLoader(importlib.abc.Loader):
    """Hands back edgequake's module for a litellm name (imported if needed), unchanged."""

    def __init__(self, target: str) -> None:
        self.target = target
        self._spec: Any = None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        module = importlib.import_module(self.target)
        self._spec = getattr(module, "__spec__", None)
        return module

    def exec_module(self, module: ModuleType) -> None:
        # importlib stamped the alias spec on the module; it keeps its own (reload, tools that read it).
        if self._spec is not None:
            module.__spec__ = self._spec


class _AliasFinder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Optional[Sequence[str]], target: Optional[ModuleType] = None
    ) -> Optional[importlib.machinery.ModuleSpec]:
        if getattr(_suspended, "depth", 0):
            return None
        if fullname == _NAME:
            ours = _OURS
        elif fullname.startswith(_NAME + "."):
            # Every litellm name edgequake has, whatever its parent: litellm's own imports of its
            # modules run suspended (edgequake._delegate.locate), so they never get here.
            ours = _OURS + fullname[len(_NAME) :]
            try:
                if importlib.util.find_spec(ours) is None:
                    return None  # Python's own "No module named 'litellm.x'"
            except (ImportError, ValueError):
                return None
        else:
            return None
        return importlib.machinery.ModuleSpec(fullname, _AliasLoader(ours))


_FINDER = _AliasFinder()


def installed() -> bool:
    """Whether ``import litellm`` gives edgequake in this process."""
    return sys.modules.get(_NAME) is sys.modules.get(_OURS) and _FINDER in sys.meta_path


@contextlib.contextmanager
def suspended() -> Iterator[None]:
    """Imports in this thread within the block find the real litellm (the delegation layer's one import)."""
    _suspended.depth = getattr(_suspended, "depth", 0) + 1
    try:
        yield
    finally:
        _suspended.depth -= 1


def install_as_litellm() -> ModuleType:
    """Make ``import litellm`` (and ``litellm.types.utils``, ``from litellm import completion``, ...) give
    edgequake in this process; returns edgequake. Call it before the libraries that use litellm are
    imported. Idempotent. The real litellm, if installed, stays reachable for delegated providers."""
    with _lock:
        ours = _edgequake()
        present = sys.modules.get(_NAME)
        if present is not None and present is not ours:
            from edgequake._delegate import locate

            locate.adopt_imported()  # its modules stay litellm's own for delegation
            warnings.warn(
                "litellm was imported before edgequake.install_as_litellm(): modules that already hold "
                "it keep the real litellm; install edgequake first (python -m edgequake run ...)",
                RuntimeWarning,
                stacklevel=2,
            )
        if _FINDER not in sys.meta_path:
            sys.meta_path.insert(0, _FINDER)
        for name, module in list(sys.modules.items()):  # edgequake's loaded modules, under litellm's names
            if name == _OURS or name.startswith(_OURS + "."):
                sys.modules[_NAME + name[len(_OURS) :]] = module
        sys.modules[_NAME] = ours
        # Modules not loaded yet present themselves so when they are first imported.
        for name in (".types", ".types.llms.openai"):
            loaded = sys.modules.get(_OURS + name)
            if loaded is not None:
                loaded.present_as_litellm()
        return ours
