"""Issue 9, streams: an error chunk inside a 200 stream (OpenRouter's mid-stream `finish_reason:
"error"` chunk with an `error` object included) ends the stream with litellm's exception carrying the
provider's message, on every native route, sync and async; chunks litellm cannot read fail as in
litellm, and the odd-but-valid ones pass. Expected values: litellm 1.110.2 on the same events
(tools/measure_silent_errors.py)."""

from __future__ import annotations

import pytest

from tests.loopback import LoopbackServer
from tests.silent import ALL, HEAD, OWN_HTTP, SDK, STOP, chunk, described, is_litellm_family, original, stream

OPENROUTER_ERROR = {"code": "server_error", "message": "Provider disconnected unexpectedly"}
# The last chunk of cassettes/openrouter/authored__stream_error_midstream.yaml.
MIDSTREAM = [*HEAD, chunk({"content": ""}, "error", error=OPENROUTER_ERROR)]

# The exception the stream wrapper wraps in MidStreamFallbackError, per route (litellm, numeric 5xx
# code; on OpenRouter and Groq litellm crashes with ValueError on the code "server_error", so there
# edgequake raises what a numeric 500 gives: deliberate).
WRAPPED = {r: ("InternalServerError", 500) for r in ALL} | {
    "openai": ("APIConnectionError", 500),
    "azure": ("APIConnectionError", 500),
    "cerebras": ("APIConnectionError", 500),
    "openrouter": ("APIError", 500),
    "huggingface": ("APIError", 500),
}


@pytest.mark.parametrize("aio", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("route", ALL)
def test_a_midstream_error_chunk_is_raised_with_the_providers_message(
    server: LoopbackServer, route: str, aio: bool
) -> None:
    seen, exc = stream(server, route, MIDSTREAM, aio=aio)
    assert seen == [["", None], ["Hel", None]], "the text before the error, and no made-up finish"
    assert described(exc) == ("MidStreamFallbackError", 500), exc
    assert original(exc) == WRAPPED[route]
    assert is_litellm_family(exc) and is_litellm_family(exc.original_exception)
    assert "Provider disconnected unexpectedly" in str(exc)
    assert exc.generated_content == "Hel"


def test_openrouters_midstream_error_reads_as_its_parser_writes_it(server: LoopbackServer) -> None:
    _, exc = stream(server, "openrouter", MIDSTREAM)
    assert str(exc.original_exception) == (
        "litellm.APIError: APIError: OpenrouterException - Message: Provider disconnected unexpectedly, "
        "Metadata: {}, User ID: "
    )
    assert exc.llm_provider == "openrouter"


@pytest.mark.parametrize(
    ("route", "code", "raised", "wrapped"),
    [
        ("mistral", 502, ("MidStreamFallbackError", 502), ("BadGatewayError", 502)),
        ("xai", 429, ("MidStreamFallbackError", 429), ("RateLimitError", 429)),
        ("openrouter", 502, ("MidStreamFallbackError", 502), ("APIError", 502)),
        ("openrouter", 429, ("MidStreamFallbackError", 429), ("RateLimitError", 429)),
        ("huggingface", 502, ("MidStreamFallbackError", 502), ("APIError", 502)),
        # a client error is raised as it is
        ("deepseek", 400, ("BadRequestError", 400), ("OK", None)),
        ("openrouter", 400, ("BadRequestError", 400), ("OK", None)),
        # the SDK routes ignore the code
        ("openai", 429, ("MidStreamFallbackError", 500), ("APIConnectionError", 500)),
    ],
)
def test_a_chunks_error_code_is_its_status(
    server: LoopbackServer, route: str, code: int, raised: tuple, wrapped: tuple
) -> None:
    events = [*HEAD, chunk({"content": ""}, "error", error={**OPENROUTER_ERROR, "code": code})]
    _, exc = stream(server, route, events)
    assert described(exc) == raised
    assert original(exc) == wrapped


def test_openrouters_parser_needs_code_and_message(server: LoopbackServer) -> None:
    _, exc = stream(server, "openrouter", [*HEAD, {"error": {"code": 502}}, STOP])
    assert described(exc) == ("BadRequestError", 400)
    assert str(exc) == (
        "litellm.BadRequestError: OpenrouterException - KeyError: 'message', Got unexpected response "
        "from OpenRouter: {'error': {'code': 502}}"
    )


@pytest.mark.parametrize("route", ALL)
def test_an_empty_error_object_is_no_error_except_on_openrouter(server: LoopbackServer, route: str) -> None:
    seen, exc = stream(server, route, [*HEAD, {"error": {}}, STOP])
    if route == "openrouter":
        assert described(exc) == ("BadRequestError", 400)
    else:
        assert exc is None and seen[-1] == [None, "stop"]


@pytest.mark.parametrize("aio", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("route", ALL)
def test_a_json_array_chunk_fails_the_stream(server: LoopbackServer, route: str, aio: bool) -> None:
    seen, exc = stream(server, route, [*HEAD, [1, 2], STOP], aio=aio)
    assert seen == [["", None], ["Hel", None]]
    assert described(exc) == ("MidStreamFallbackError", 500), exc
    assert original(exc) == ("APIConnectionError", 500)
    assert "'list' object" in str(exc) or "list indices" in str(exc)


@pytest.mark.parametrize("route", ALL)
def test_an_empty_json_array_is_skipped_by_litellms_own_routes(server: LoopbackServer, route: str) -> None:
    seen, exc = stream(server, route, [*HEAD, [], STOP])
    if route in SDK:  # the openai SDK reads `.choices` off it
        assert original(exc) == ("APIConnectionError", 500)
    else:
        assert exc is None and seen == [["", None], ["Hel", None], [None, "stop"]]


@pytest.mark.parametrize("route", ALL)
def test_an_empty_object_chunk_is_skipped(server: LoopbackServer, route: str) -> None:
    seen, exc = stream(server, route, [*HEAD, {}, STOP])
    assert exc is None, exc  # OpenRouter used to raise a KeyError-style BadRequestError here
    assert seen == [["", None], ["Hel", None], [None, "stop"]]


@pytest.mark.parametrize("aio", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("route", ALL)
def test_a_null_choice_fails_the_stream(server: LoopbackServer, route: str, aio: bool) -> None:
    _, exc = stream(server, route, [*HEAD, dict(chunk({}), choices=[None]), STOP], aio=aio)
    assert described(exc) == ("MidStreamFallbackError", 500), exc
    assert original(exc) == ("APIConnectionError", 500)


@pytest.mark.parametrize("route", ALL)
def test_null_choices_fail_only_where_litellms_parser_iterates_them(
    server: LoopbackServer, route: str
) -> None:
    seen, exc = stream(server, route, [*HEAD, dict(chunk({}), choices=None), STOP])
    if route in ("xai", "openrouter", "groq"):
        assert original(exc) == ("APIConnectionError", 500)
    else:
        assert exc is None and seen[-1] == [None, "stop"]


@pytest.mark.parametrize("aio", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("route", ALL)
def test_non_text_content_passes_as_litellm_passes_it(server: LoopbackServer, route: str, aio: bool) -> None:
    seen, exc = stream(server, route, [chunk({"role": "assistant", "content": 5}), STOP], aio=aio)
    assert exc is None, exc
    assert seen == [[5, None], [None, "stop"]]


@pytest.mark.parametrize("route", ALL)
def test_an_aborted_generation_is_an_error(server: LoopbackServer, route: str) -> None:
    seen, exc = stream(server, route, [*HEAD, chunk({}, "abort")])
    if route == "openrouter":  # litellm's OpenRouter parser maps "abort" to "stop"
        assert exc is None and seen[-1] == [None, "stop"]
        return
    assert described(exc) == ("MidStreamFallbackError", 500)
    assert original(exc) == ("APIError" if route == "huggingface" else "InternalServerError", 500)
    assert "Upstream generation aborted (finish_reason=abort)" in str(exc)


@pytest.mark.parametrize("route", ALL)
def test_finish_reason_error_fails_where_the_openai_sdk_streams(server: LoopbackServer, route: str) -> None:
    seen, exc = stream(server, route, [*HEAD, chunk({}, "error")])
    if route in SDK:
        assert original(exc) == ("APIConnectionError", 500)
        assert "raised a streaming error - finish_reason: error" in str(exc)
    else:
        assert route in OWN_HTTP and exc is None and seen[-1] == [None, "stop"]


@pytest.mark.parametrize("route", ["mistral", "openrouter", "groq"])
def test_a_null_delta_fails_litellms_own_parsers(server: LoopbackServer, route: str) -> None:
    _, exc = stream(server, route, [*HEAD, chunk(None), STOP])
    assert original(exc) == ("APIConnectionError", 500)
    seen, exc = stream(server, "openai", [*HEAD, chunk(None), STOP])
    assert exc is None and seen[-1] == [None, "stop"]


def test_a_number_for_choices_fails_where_the_parser_iterates_it(server: LoopbackServer) -> None:
    _, exc = stream(server, "openrouter", [*HEAD, dict(chunk({}), choices=0), STOP])
    assert original(exc) == ("APIConnectionError", 500)
    assert "'int' object is not iterable" in str(exc)
    seen, exc = stream(server, "mistral", [*HEAD, dict(chunk({}), choices=0), STOP])
    assert exc is None and seen[-1] == [None, "stop"]
