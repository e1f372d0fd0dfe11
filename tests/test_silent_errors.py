"""Issue 9, non-stream: a 200 body that is an error object, or that litellm cannot read as a completion,
raises litellm's exception on every native route, sync and async; it never comes back as a
ModelResponse. Expected values: litellm 1.110.2 on the same bodies (tools/measure_silent_errors.py);
the deliberate differences are named where they occur."""

from __future__ import annotations

import pytest

import edgequake
from tests.loopback import LoopbackServer, Reply
from tests.silent import ALL, BOOM, ROUTES, call_kwargs, complete, described, is_litellm_family, label

# What litellm raised (sync) for 200 + {"error": {"message": "boom", "type": "server_error", "code": 500}}.
ERROR_BODY = {
    "openai": (
        "InternalServerError",
        "litellm.InternalServerError: InternalServerError: OpenAIException - boom",
    ),
    "azure": ("APIError", "litellm.APIError: AzureException APIError - boom"),
    "mistral": (
        "InternalServerError",
        "litellm.InternalServerError: InternalServerError: MistralException - boom",
    ),
    "xai": ("InternalServerError", "litellm.InternalServerError: InternalServerError: XaiException - boom"),
    "openrouter": ("APIError", "litellm.APIError: APIError: OpenrouterException - boom"),
    "deepseek": (
        "InternalServerError",
        "litellm.InternalServerError: InternalServerError: DeepseekException - boom",
    ),
    "together_ai": (
        "InternalServerError",
        "litellm.InternalServerError: InternalServerError: Together_aiException - boom",
    ),
    "huggingface": ("APIError", "litellm.APIError: HuggingfaceException - boom"),
    "cerebras": (
        "InternalServerError",
        "litellm.InternalServerError: InternalServerError: CerebrasException - boom",
    ),
    # Deliberate: litellm's groq route crashes on the missing service_tier (APIConnectionError) and
    # fireworks_ai returns an empty ModelResponse; both never read `error`. They raise as their
    # openai-compatible siblings do.
    "groq": ("InternalServerError", "litellm.InternalServerError: InternalServerError: GroqException - boom"),
    "fireworks_ai": (
        "InternalServerError",
        "litellm.InternalServerError: InternalServerError: Fireworks_aiException - boom",
    ),
}
# Deliberate: on openai, azure and cerebras litellm's *sync* path loses the text (it reads
# "OpenAIException - " there); its async path, and every other route, carry the provider's message.


@pytest.mark.parametrize("aio", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("route", ALL)
def test_an_error_body_is_raised_not_returned(server: LoopbackServer, route: str, aio: bool) -> None:
    exc = complete(server, route, BOOM, aio=aio)
    cls, message = ERROR_BODY[route]
    assert described(exc) == (cls, 500), exc
    assert str(exc) == message
    assert is_litellm_family(exc)
    assert exc.llm_provider == route
    assert exc.model in (ROUTES[route][1], f"{route}/{ROUTES[route][1]}")  # async: as the caller wrote it
    assert len(server.seen) == 1, "a 200 is not retried"


@pytest.mark.parametrize(
    ("route", "error", "expected"),
    [
        # no code: litellm uses 422; its own HTTP routes build the BadRequestError without a reply (400)
        ("openai", {"message": "boom"}, ("BadRequestError", 422)),
        ("mistral", {"message": "boom"}, ("BadRequestError", 400)),
        ("openrouter", {"message": "boom"}, ("BadRequestError", 400)),
        ("huggingface", {"message": "boom"}, ("APIError", 422)),
        ("xai", {"message": "boom", "code": 401}, ("AuthenticationError", 401)),
        ("deepseek", {"message": "boom", "code": 404}, ("NotFoundError", 404)),
        ("together_ai", {"message": "boom", "code": 429}, ("RateLimitError", 429)),
        ("azure", {"message": "boom", "code": 503}, ("ServiceUnavailableError", 503)),
        ("cerebras", {"message": "boom", "code": 529}, ("APIError", 529)),
        # the mapper's text rules apply to the message
        ("mistral", {"message": "Rate limit reached for requests", "code": 500}, ("RateLimitError", 429)),
        (
            "deepseek",
            {"message": "This model's maximum context length is 10 tokens", "code": 400},
            ("ContextWindowExceededError", 400),
        ),
        # litellm carries a non-numeric code as the status ("server_error"); edgequake says 500
        ("mistral", {"message": "boom", "code": "server_error"}, ("APIError", 500)),
        ("openai", {"message": "boom", "code": None}, ("APIError", 500)),
    ],
)
def test_the_error_objects_code_is_the_status(
    server: LoopbackServer, route: str, error: dict, expected: tuple
) -> None:
    assert described(complete(server, route, {"error": error})) == expected


def test_a_string_error_is_an_error_too(server: LoopbackServer) -> None:
    exc = complete(server, "mistral", {"error": "boom"})
    assert described(exc) == ("BadRequestError", 400)
    assert str(exc) == "litellm.BadRequestError: MistralException - Error in response object"


def test_an_error_next_to_real_choices_still_wins(server: LoopbackServer) -> None:
    body = {**_body(), "error": {"message": "boom", "code": 503}}
    assert described(complete(server, "xai", body)) == ("ServiceUnavailableError", 503)


@pytest.mark.parametrize("error", [None, {"message": "", "code": None}])
def test_an_empty_error_next_to_choices_is_an_answer(server: LoopbackServer, error: object) -> None:
    resp = complete(server, "deepseek", {**_body(), "error": error})
    assert resp.choices[0].message.content == "hi"


def _body(**kw: object) -> dict:
    body = {
        "id": "chatcmpl-S1",
        "object": "chat.completion",
        "created": 1700000000,
        "model": "m-served",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}],
    }
    body.update(kw)
    return body


# (class, status) litellm raised per route; "no choices" is litellm's converter's own bare APIError
# (llm_provider and model empty), which the SDK routes re-map.
_NO_CHOICES = {r: ("APIError", 500) for r in ALL} | {
    "openai": ("InternalServerError", 500),
    "cerebras": ("InternalServerError", 500),
}
_UNREADABLE = {r: ("APIConnectionError", 500) for r in ALL} | {
    "openai": ("InternalServerError", 500),
    "cerebras": ("InternalServerError", 500),
    "azure": ("APIError", 500),
}
ODD_BODIES = {
    "empty_object": ({}, _NO_CHOICES, "no 'choices'. Raw keys: []"),
    "choices_null": (_body(choices=None), _NO_CHOICES, "'choices' that is not a list (NoneType)"),
    "choices_null_item": (_body(choices=[None]), _UNREADABLE, None),
    "content_5": (
        _body(
            choices=[{"index": 0, "message": {"role": "assistant", "content": 5}, "finish_reason": "stop"}]
        ),
        _UNREADABLE,
        "Invalid response object",
    ),
    "message_null": (
        _body(choices=[{"index": 0, "message": None, "finish_reason": "stop"}]),
        _UNREADABLE,
        None,
    ),
    "json_array": ([1, 2], _UNREADABLE, None),
}
# Deliberate, as for error bodies: litellm's groq route crashes on these bodies for another reason
# (missing service_tier, same class) and fireworks_ai answers `{}`, `choices: null` and a null message
# with an empty ModelResponse; edgequake raises as on the other routes.


@pytest.mark.parametrize("aio", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("case", list(ODD_BODIES))
@pytest.mark.parametrize("route", ALL)
def test_a_body_litellm_cannot_read_raises(server: LoopbackServer, route: str, case: str, aio: bool) -> None:
    body, expected, text = ODD_BODIES[case]
    exc = complete(server, route, body, aio=aio)
    assert described(exc) == expected[route], exc
    assert is_litellm_family(exc)
    if text is not None:
        assert text in str(exc)


def test_no_choices_is_litellms_bare_converter_error(server: LoopbackServer) -> None:
    exc = complete(server, "mistral", _body(choices=None))
    assert str(exc) == (
        "litellm.APIError: LiteLLM: provider returned 'choices' that is not a list (NoneType). "
        "Raw keys: ['id', 'object', 'created', 'model', 'choices']"
    )
    assert (exc.llm_provider, exc.model) == ("", "")
    exc = complete(server, "openai", {})
    assert str(exc) == (
        "litellm.InternalServerError: InternalServerError: OpenAIException - litellm.APIError: "
        "LiteLLM: provider returned a response with no 'choices'. Raw keys: []"
    )
    assert (exc.llm_provider, exc.model) == ("openai", "m")


def test_a_json_array_body_fails_where_each_route_reads_it(server: LoopbackServer) -> None:
    assert str(complete(server, "openai", [1, 2])) == (
        "litellm.InternalServerError: InternalServerError: OpenAIException - Empty or invalid response "
        "from LLM endpoint. Received: [1, 2]. Check the reverse proxy or model server configuration."
    )
    assert str(complete(server, "azure", [1, 2])) == (
        "litellm.APIError: AzureException APIError - Unexpected response from Azure: [1, 2]"
    )
    assert str(complete(server, "mistral", [1, 2])) == (
        "litellm.APIConnectionError: APIConnectionError: MistralException - "
        "'list' object has no attribute 'get'"
    )


@pytest.mark.parametrize("route", ["openai", "deepseek"])
def test_valid_oddities_still_answer(server: LoopbackServer, route: str) -> None:
    assert complete(server, route, _body(choices=[])).choices == []
    assert (
        complete(
            server,
            route,
            _body(
                choices=[
                    {"index": 0, "message": {"role": "assistant", "content": None}, "finish_reason": "stop"}
                ]
            ),
        )
        .choices[0]
        .message.content
        is None
    )


def test_mistral_content_blocks_are_not_an_error(server: LoopbackServer) -> None:
    body = _body(
        choices=[
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": [{"type": "text", "text": "hi"}]},
            }
        ]
    )
    assert complete(server, "mistral", body).choices[0].message.content == "hi"
    assert described(complete(server, "xai", body)) == ("APIConnectionError", 500)


@pytest.mark.parametrize(
    ("route", "expected"),
    [
        ("openai", ("InternalServerError", 500)),
        ("mistral", ("InternalServerError", 500)),
        ("openrouter", ("APIError", 500)),
        ("azure", ("APIError", 500)),
    ],
)
def test_an_embedding_error_body_is_raised(server: LoopbackServer, route: str, expected: tuple) -> None:
    server.enqueue(Reply(status=200, body={"error": {"message": "boom", "code": 500}}))
    args = call_kwargs(server, route)
    args.pop("messages")
    with pytest.raises(Exception) as info:
        edgequake.embedding(input=["a"], **args)
    assert described(info.value) == expected
    assert label(route) in str(info.value) or route == "azure"
