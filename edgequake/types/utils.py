"""litellm's import path for its response classes (``litellm.types.utils``): libraries written against
litellm import from here, so ``import edgequake as litellm`` keeps ``from litellm.types.utils import ...``
working. The classes are the ones in ``edgequake.types``."""

from edgequake.types._dicts import GenericStreamingChunk
from edgequake.types._message import (
    ChatCompletionAudioResponse,
    ChatCompletionDeltaToolCall,
    ChatCompletionMessageToolCall,
    Choices,
    Delta,
    Function,
    FunctionCall,
    Message,
    StreamingChoices,
)
from edgequake.types._response import (
    CompletionTokensDetailsWrapper,
    Embedding,
    EmbeddingResponse,
    ModelResponse,
    ModelResponseBase,
    ModelResponseStream,
    PromptTokensDetailsWrapper,
    Usage,
)
from edgequake.types.text_completion import Logprobs, TextChoices, TextCompletionResponse

__all__ = [
    "ChatCompletionAudioResponse",
    "ChatCompletionDeltaToolCall",
    "ChatCompletionMessageToolCall",
    "Choices",
    "CompletionTokensDetailsWrapper",
    "Delta",
    "Embedding",
    "EmbeddingResponse",
    "Function",
    "FunctionCall",
    "GenericStreamingChunk",
    "Logprobs",
    "Message",
    "ModelResponse",
    "ModelResponseBase",
    "ModelResponseStream",
    "PromptTokensDetailsWrapper",
    "StreamingChoices",
    "TextChoices",
    "TextCompletionResponse",
    "Usage",
]
