"""``TextCompletionStreamWrapper``: litellm's stream object for ``text_completion(stream=True)``.

It wraps a chat stream (edgequake's ``CustomStreamWrapper``, fed either a provider's chat chunks or
its native ``/completions`` chunks read as chat chunks) and converts each chunk into a
``TextCompletionResponse``, as litellm's wrapper of the same name does; usage is kept only with
``stream_options={"include_usage": True}``. Both sync and async iteration, ``close()`` and ``with``.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator, Optional


def chat_chunk(raw: Any) -> Any:
    # Imported on first use: `import edgequake` must not load the response types (pydantic).
    from edgequake._shaping.text_completion import chat_chunk as convert

    return convert(raw)


class TextChunks:
    """A core stream of native ``/completions`` chunks, read as chat chunks (same interface)."""

    def __init__(self, core_stream: Any) -> None:
        self._stream = core_stream
        self.headers = core_stream.headers

    def next(self) -> Any:
        raw = self._stream.next()
        return None if raw is None else chat_chunk(raw)

    def next_async(self, loop: Any, deliver: Callable[[bool, Any], None]) -> Any:
        def converted(ok: bool, value: Any) -> None:
            deliver(ok, chat_chunk(value) if ok and value is not None else value)

        return self._stream.next_async(loop, converted)

    def close(self) -> None:
        self._stream.close()


class TextCompletionStreamWrapper:
    """Iterates ``TextCompletionResponse`` chunks, sync (``for``) or async (``async for``)."""

    def __init__(
        self,
        completion_stream: Any,
        model: Optional[str],
        stream_options: Any = None,
        custom_llm_provider: Optional[str] = None,
        *,
        convert: Optional[Callable[[Any], Any]] = None,
    ) -> None:
        self.completion_stream = completion_stream
        self.model = model
        self.stream_options = stream_options
        self.custom_llm_provider = custom_llm_provider
        self.include_usage = isinstance(stream_options, dict) and stream_options.get("include_usage") is True
        self._convert = convert  # a delegated stream's chunks are already text chunks (converted types)

    def convert_to_text_completion_object(self, chunk: Any) -> Any:
        from edgequake._shaping.text_completion import from_chat_chunk

        return from_chat_chunk(chunk, self.include_usage)

    def _one(self, chunk: Any) -> Any:
        if self._convert is not None:
            return self._convert(chunk)
        return self.convert_to_text_completion_object(chunk)

    def __iter__(self) -> Iterator[Any]:
        return self

    def _foreign(self, exc: Exception) -> Optional[BaseException]:
        """A delegated stream's failure as edgequake's exception (to raise with litellm's chained as the
        cause); None when it is to be raised as it is."""
        if self._convert is None:
            return None
        from edgequake._delegate.convert import exception_from_litellm

        converted = exception_from_litellm(exc)
        return None if converted is exc else converted

    def __next__(self) -> Any:
        try:
            chunk = next(self.completion_stream)
        except StopIteration:
            raise
        except Exception as exc:
            converted = self._foreign(exc)
            if converted is None:
                raise
            raise converted from exc
        return self._one(chunk)

    def __aiter__(self) -> TextCompletionStreamWrapper:
        return self

    async def __anext__(self) -> Any:
        try:
            chunk = await self.completion_stream.__anext__()
        except StopAsyncIteration:
            raise
        except Exception as exc:
            converted = self._foreign(exc)
            if converted is None:
                raise
            raise converted from exc
        return self._one(chunk)

    def close(self) -> None:
        close = getattr(self.completion_stream, "close", None)
        if callable(close):
            close()

    async def aclose(self) -> None:
        self.close()

    def __enter__(self) -> TextCompletionStreamWrapper:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    async def __aenter__(self) -> TextCompletionStreamWrapper:
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        self.close()
