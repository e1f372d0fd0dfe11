"""litellm's rerank response type (mirrors ``litellm.types.rerank.RerankResponse``): Cohere's rerank
reply as it is (``id``, ``results`` of ``{index, relevance_score[, document]}``, ``meta``), with the
hidden params litellm attaches."""

# Annotations are evaluated eagerly on purpose (no `from __future__ import annotations`): see _base.

from typing import Any, Dict, List, Optional

from edgequake.types._base import _WithHiddenParams

__all__ = ["RerankResponse"]


class RerankResponse(_WithHiddenParams):
    id: Optional[str] = None
    results: Optional[List[Dict[str, Any]]] = None
    meta: Optional[Dict[str, Any]] = None



RerankResponse.__module__ = __name__
