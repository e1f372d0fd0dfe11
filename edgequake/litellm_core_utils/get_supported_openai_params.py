"""``litellm.litellm_core_utils.get_supported_openai_params`` (crewai's import path)."""

from edgequake.utils import get_supported_openai_params

__all__ = ["get_supported_openai_params"]
