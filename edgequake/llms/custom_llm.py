"""``litellm.llms.custom_llm``: the base class of litellm's custom providers, so code that defines one
(dspy's test server does, at import) imports on edgequake. edgequake does not call custom providers:
a call whose model names a provider registered in ``custom_provider_map`` raises NotImplementedError
(``edgequake._call.settings``), rather than going elsewhere."""

from __future__ import annotations

from typing import Any, NoReturn

__all__ = ["CustomLLM", "CustomLLMError"]


class CustomLLMError(Exception):
    """litellm's error for custom providers: ``status_code`` and ``message``."""

    def __init__(self, status_code: Any, message: Any) -> None:
        self.status_code = status_code
        self.message = message
        super().__init__(message)


def _not_implemented() -> NoReturn:
    raise CustomLLMError(status_code=500, message="Not implemented yet!")


class CustomLLM:
    """Subclass and override, as with litellm; every method not overridden raises litellm's error."""

    def completion(self, *args: Any, **kwargs: Any) -> Any:
        _not_implemented()

    def streaming(self, *args: Any, **kwargs: Any) -> Any:
        _not_implemented()

    async def acompletion(self, *args: Any, **kwargs: Any) -> Any:
        _not_implemented()

    async def astreaming(self, *args: Any, **kwargs: Any) -> Any:
        _not_implemented()

    def embedding(self, *args: Any, **kwargs: Any) -> Any:
        _not_implemented()

    async def aembedding(self, *args: Any, **kwargs: Any) -> Any:
        _not_implemented()

    def image_generation(self, *args: Any, **kwargs: Any) -> Any:
        _not_implemented()

    async def aimage_generation(self, *args: Any, **kwargs: Any) -> Any:
        _not_implemented()
