"""The base every response type shares, and the validation-free constructor the hot path uses.

Why construction bypasses pydantic is explained in the package docstring (``edgequake.types``).
Annotations here are evaluated eagerly (no ``from __future__ import annotations``): the package
re-homes these classes to ``edgequake.types`` (see its ``__init__``), and string annotations would
then be resolved against that module's namespace by ``typing.get_type_hints`` and pydantic subclassing.
"""

from typing import TYPE_CHECKING, Any, ClassVar, Dict, Optional

from pydantic import BaseModel, ConfigDict, PrivateAttr

# BaseModel's slots, set through their descriptors: a stream builds three objects per chunk, and
# this is about a third cheaper than `object.__setattr__` by name.
_set_dict = object.__setattr__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__
_get_private = BaseModel.__dict__["__pydantic_private__"].__get__
_object_new = object.__new__


def _new(
    cls: Any,
    fields: Dict[str, Any],
    extra: Optional[Dict[str, Any]] = None,
    private: Optional[Dict[str, Any]] = None,
) -> Any:
    """Build a model instance without validation.

    ``fields`` holds the declared fields that count as *set*; declared fields missing from it get their
    default and stay unset (so ``exclude_unset`` drops them, as in litellm). ``extra`` is the
    ``__pydantic_extra__`` dict (always "set").
    """
    obj = _object_new(cls)
    d = cls._defaults.copy()
    d.update(fields)
    _set_dict(obj, "__dict__", d)
    if extra is None:
        extra = {}
        _set_fields_set(obj, set(fields))
    else:
        _set_fields_set(obj, {*fields, *extra})
    _set_extra(obj, extra)
    if private is None and cls.__private_attributes__:
        private = {k: v.get_default() for k, v in cls.__private_attributes__.items()}
    _set_private(obj, private)
    return obj


def extras_as_attributes(cls: Any, *names: str) -> None:
    """Makes extras that litellm keeps on every instance of ``cls`` (a stream Delta's ``content``, a
    choice's ``delta``) plain properties: read at a property's cost instead of through pydantic's
    ``__getattr__`` after a failed lookup (a tenth of the time; every chunk is read several times).
    They stay extras: a missing one is the same AttributeError, setting one stores it as pydantic
    stores an extra, and dumps, equality and ``model_fields_set`` do not change."""
    for name in names:
        setattr(cls, name, _ExtraAttribute(name))


class _ExtraAttribute(property):
    def __init__(self, name: str) -> None:
        def read(obj: Any) -> Any:
            try:
                return obj.__pydantic_extra__[name]
            except (KeyError, TypeError):
                raise AttributeError(f"{type(obj).__name__!r} object has no attribute {name!r}") from None

        def write(obj: Any, value: Any) -> None:
            obj.__pydantic_extra__[name] = value
            obj.__pydantic_fields_set__.add(name)

        def delete(obj: Any) -> None:
            try:
                del obj.__pydantic_extra__[name]
            except (KeyError, TypeError):
                raise AttributeError(name) from None

        super().__init__(read, write, delete)


class _Obj(BaseModel):
    """Shared base: extra="allow" (provider extras land on the object) and dict-style access."""

    model_config = ConfigDict(
        extra="allow", protected_namespaces=(), arbitrary_types_allowed=True, defer_build=True
    )
    _defaults: ClassVar[Dict[str, Any]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        # Precompute declared-field defaults once per class for _new().
        cls._defaults = {
            name: f.get_default(call_default_factory=True) for name, f in cls.model_fields.items()
        }

    if not TYPE_CHECKING:  # type checkers keep pydantic's view (an unknown attribute is an error)

        def __getattr__(self, name: str) -> Any:
            # Extras (litellm keeps many keys as extras) and private attributes (`_hidden_params`,
            # read several times per call) are found only through pydantic's general __getattr__,
            # which for a private one first asks its PrivateAttr for a descriptor: both are answered
            # here first. Misses take pydantic's path, which also raises its AttributeError.
            if name[:1] != "_":
                try:
                    return self.__pydantic_extra__[name]
                except (KeyError, TypeError):
                    pass
            elif name in type(self).__private_attributes__:
                try:
                    return _get_private(self)[name]
                except (AttributeError, KeyError, TypeError):  # not set up yet, or not set
                    pass
            return BaseModel.__getattr__(self, name)

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key, default)

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)

    def __setitem__(self, key: str, value: Any) -> None:
        setattr(self, key, value)

    def __contains__(self, key: str) -> bool:
        return hasattr(self, key)

    def json(self, **kwargs: Any) -> Any:  # type: ignore[override]
        # litellm's .json() returns the model_dump() dict, not a string.
        return self.model_dump(**kwargs)


class _WithHiddenParams(_Obj):
    """A result carrying litellm's per-call bookkeeping in ``_hidden_params``, which litellm also
    exposes as the ``hidden_params`` property (responses, rerank and text completion results)."""

    _hidden_params: Dict[str, Any] = PrivateAttr(default_factory=dict)

    @property
    def hidden_params(self) -> Dict[str, Any]:
        return self._hidden_params

    @hidden_params.setter
    def hidden_params(self, value: Dict[str, Any]) -> None:
        self._hidden_params = value
