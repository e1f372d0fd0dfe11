"""litellm's objects turned into edgequake's: responses, stream chunks and exceptions.

A delegated call must look like any other edgequake call: ``isinstance(r, edgequake.ModelResponse)``,
``except edgequake.RateLimitError``. Conversion is structural and by class name (litellm's
``ModelResponse`` becomes edgequake's ``ModelResponse``, its ``Usage`` edgequake's ``Usage``, ...), and
copies what pydantic stores rather than re-validating: the declared fields, the extras, which of them
count as *set* (``model_dump()`` is ``exclude_unset`` for responses) and the private attributes
(``_hidden_params``, ``_response_headers``, ``_response_ms``). Values without an edgequake counterpart
(litellm's ``ChoiceLogprobs``, TypedDicts, openai's models) are kept as they are, so nothing is lost.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from pydantic import BaseModel

_PLAIN = (str, int, float, bool, type(None), bytes)
_types: Dict[str, Any] = {}  # edgequake's response classes by name, filled on first use


def _edgequake_types() -> Dict[str, Any]:
    if not _types:
        from edgequake.types import utils

        _types.update({name: getattr(utils, name) for name in utils.__all__})
    return _types


def from_litellm(value: Any) -> Any:
    """``value`` with every litellm response object in it replaced by edgequake's equivalent."""
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, BaseModel):
        target = _edgequake_types().get(type(value).__name__)
        # isinstance: with edgequake installed as litellm its own classes name litellm's module too
        if target is None or isinstance(value, target) or not type(value).__module__.startswith("litellm."):
            return value
        return _model(value, target)
    if isinstance(value, list):
        return [from_litellm(v) for v in value]
    if type(value) is dict:
        return {k: from_litellm(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(from_litellm(v) for v in value)
    return value


def _model(source: BaseModel, target: Any) -> Any:
    declared = target.model_fields
    was_set = source.__pydantic_fields_set__
    state: Dict[str, Any] = dict(target._defaults)
    extra: Dict[str, Any] = {}
    now_set = set()
    own_private = target.__private_attributes__
    private: Dict[str, Any] = {k: v.get_default() for k, v in own_private.items()}
    loose: Dict[str, Any] = {}  # underscore attributes edgequake does not declare: kept reachable
    for name, value in source.__dict__.items():
        if name in was_set:
            (state if name in declared else extra)[name] = from_litellm(value)
            now_set.add(name)
        elif name in declared:  # present but unset: a default, left out of model_dump() on both sides
            state[name] = from_litellm(value)
        elif name.startswith("_"):  # litellm keeps `_response_ms` in __dict__, edgequake as private
            (private if name in own_private else loose)[name] = from_litellm(value)
    for name, value in (source.__pydantic_extra__ or {}).items():
        (state if name in declared else extra)[name] = from_litellm(value)
        now_set.add(name)
    for name, value in (source.__pydantic_private__ or {}).items():
        (private if name in own_private else loose)[name] = from_litellm(value)
    state.update(loose)
    obj = target.__new__(target)
    object.__setattr__(obj, "__dict__", state)
    object.__setattr__(obj, "__pydantic_extra__", extra)
    object.__setattr__(obj, "__pydantic_fields_set__", now_set)
    object.__setattr__(obj, "__pydantic_private__", private if own_private else None)
    return obj


# -- exceptions --------------------------------------------------------------------------------


def exception_from_litellm(
    exc: BaseException, _memo: Optional[Dict[int, BaseException]] = None
) -> BaseException:
    """edgequake's exception for one litellm raised, or ``exc`` itself when it is not litellm's.

    The class is edgequake's class of the same name (edgequake has one for every class in
    ``litellm.exceptions`` 1.110.2); a class a later litellm adds maps to its nearest base edgequake
    has, so ``except edgequake.<Base>`` still catches it. The instance is made without running the
    constructor and gets the litellm instance's ``args`` and attributes (message, status_code,
    llm_provider, model, response, litellm_debug_info, retries, body/code/param/type...), with
    exceptions among them (``MidStreamFallbackError.original_exception``) converted too, so ``str()``
    and every attribute read the same. Anything else (``ValueError``, openai's or httpx's own
    errors, cancellation) passes through unchanged.
    """
    target = _exception_class(type(exc))
    if target is None:
        return exc
    memo = _memo if _memo is not None else {}
    done = memo.get(id(exc))
    if done is not None:
        return done
    new = target.__new__(target, *exc.args)
    memo[id(exc)] = new
    for name, value in vars(exc).items():
        if isinstance(value, BaseException):
            value = exception_from_litellm(value, memo)
        setattr(new, name, value)
    return new


def _exception_class(cls: type) -> Any:
    if not cls.__module__.startswith("litellm."):
        return None
    from edgequake import exceptions

    names = set(exceptions.__all__)
    for base in cls.__mro__:
        if base.__module__.startswith("litellm.") and base.__name__ in names:
            found = getattr(exceptions, base.__name__)
            if isinstance(found, type) and issubclass(found, BaseException):
                return found
    return None
