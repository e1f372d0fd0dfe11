"""litellm's rerank response type (mirrors ``litellm.types.rerank.RerankResponse``): Cohere's rerank
reply as it is (``id``, ``results`` of ``{index, relevance_score[, document]}``, ``meta``), with the
hidden params litellm attaches."""

# Annotations are evaluated eagerly on purpose (no `from __future__ import annotations`): see _base.

from typing import Any, Dict, List, Optional

from pydantic import PrivateAttr

from edgequake.types._base import _Obj

__all__ = ["RerankResponse"]


class RerankResponse(_Obj):
    id: Optional[str] = None
    results: Optional[List[Dict[str, Any]]] = None
    meta: Optional[Dict[str, Any]] = None

    _hidden_params: Dict[str, Any] = PrivateAttr(default_factory=dict)

    @property
    def hidden_params(self) -> Dict[str, Any]:
        return self._hidden_params

    @hidden_params.setter
    def hidden_params(self, value: Dict[str, Any]) -> None:
        self._hidden_params = value


RerankResponse.__module__ = __name__
