"""edgequake.exceptions and edgequake._errors.from_core against litellm 1.110.2's observed behaviour.

The expected values are literals measured by running litellm (max_retries=0) against a loopback
server answering each scenario; each test names its scenario. Only the last test needs litellm.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import textwrap

import httpx
import openai
import pytest

from edgequake import exceptions as ex
from edgequake._errors.from_core import debug_info, exception_provider, from_core

MESSAGES = [{"role": "user", "content": "hi"}]
BASE = "http://127.0.0.1:8080/v1"
DBG = (
    "\nModel: gpt-4o-mini\nAPI Base: `http://127.0.0.1:8080/v1`"
    "\nMessages: `[{'role': 'user', 'content': 'hi'}]`"
)

RATE_LIMIT_BODY = json.dumps(
    {
        "error": {
            "message": "Rate limit reached for gpt-4o-mini in organization org-x on requests per min (RPM): "
            "Limit 3, Used 3, Requested 1.",
            "type": "requests",
            "param": None,
            "code": "rate_limit_exceeded",
        }
    }
)
CONTEXT_BODY = json.dumps(
    {
        "error": {
            "message": "This model's maximum context length is 128000 tokens. "
            "However, your messages resulted in "
            "200000 tokens. Please reduce the length of the messages.",
            "type": "invalid_request_error",
            "param": "messages",
            "code": "context_length_exceeded",
        }
    }
)
POLICY_BODY = json.dumps(
    {
        "error": {
            "message": "Your request was rejected as a result of our safety system.",
            "type": "invalid_request_error",
            "param": None,
            "code": "content_policy_violation",
        }
    }
)
BAD_JSON = '{"id": "chatcmpl-x", "choices": [ this is not json'


def build(info: dict, provider: str = "openai", model: str = "gpt-4o-mini", **kw: object) -> Exception:
    args: dict = {
        "model": model,
        "llm_provider": provider,
        "api_base": BASE,
        "messages": MESSAGES,
        "max_retries": None,
        "num_retries": None,
    }
    args.update(kw)
    return from_core(info, **args)


# --- hierarchy -----------------------------------------------------------------------------------

OPENAI_BASE = {  # litellm class -> the first openai class in its MRO (litellm exception_classes.json)
    "AuthenticationError": "AuthenticationError",
    "BadRequestError": "BadRequestError",
    "ContextWindowExceededError": "BadRequestError",
    "ContentPolicyViolationError": "BadRequestError",
    "UnsupportedParamsError": "BadRequestError",
    "RejectedRequestError": "BadRequestError",
    "PaymentRequiredError": "BadRequestError",
    "NotFoundError": "NotFoundError",
    "PermissionDeniedError": "PermissionDeniedError",
    "UnprocessableEntityError": "UnprocessableEntityError",
    "RateLimitError": "RateLimitError",
    "Timeout": "APITimeoutError",
    "InternalServerError": "InternalServerError",
    "ServiceUnavailableError": "APIStatusError",
    "MidStreamFallbackError": "APIStatusError",
    "BadGatewayError": "APIStatusError",
    "APIError": "APIError",
    "APIConnectionError": "APIConnectionError",
    "APIResponseValidationError": "APIResponseValidationError",
    "JSONSchemaValidationError": "APIResponseValidationError",
    "OpenAIError": "OpenAIError",
}


@pytest.mark.parametrize("name", sorted(OPENAI_BASE))
def test_each_class_subclasses_the_openai_class_litellm_does(name: str) -> None:
    cls = getattr(ex, name)
    first_openai = next(
        c for c in cls.__mro__ if c.__module__ == "openai" or c.__module__.startswith("openai.")
    )
    assert first_openai is getattr(openai, OPENAI_BASE[name])
    assert cls.__module__ == "edgequake.exceptions" and cls.__qualname__ == name


def test_litellm_subclass_chains() -> None:
    assert issubclass(ex.ContextWindowExceededError, ex.BadRequestError)
    assert issubclass(ex.MidStreamFallbackError, ex.ServiceUnavailableError)
    assert issubclass(ex.JSONSchemaValidationError, ex.APIResponseValidationError)
    assert ex.LITELLM_EXCEPTION_TYPES[0] is ex.AuthenticationError and len(ex.LITELLM_EXCEPTION_TYPES) == 22


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError):
        ex.NoSuchError  # noqa: B018


def test_except_openai_class_catches_ours() -> None:
    with pytest.raises(openai.RateLimitError):
        raise ex.RateLimitError("x", llm_provider="openai", model="m")


# --- constructors, attributes, str() ------------------------------------------------------------


def test_str_appends_retries_only_when_truthy() -> None:
    e = ex.AuthenticationError("boom", llm_provider="openai", model="m")
    assert str(e) == repr(e) == "litellm.AuthenticationError: boom"
    e = ex.AuthenticationError("boom", llm_provider="openai", model="m", num_retries=2, max_retries=3)
    assert str(e) == "litellm.AuthenticationError: boom LiteLLM Retried: 2 times, LiteLLM Max Retries: 3"
    e = ex.NotFoundError("boom", model="m", llm_provider="p", num_retries=0, max_retries=0)
    assert str(e) == "litellm.NotFoundError: boom"


def test_stub_responses_and_fixed_fields() -> None:
    e = ex.AuthenticationError("x", llm_provider="p", model="m")
    assert (e.status_code, str(e.response.request.url), e.response.request.method) == (
        401,
        "https://litellm.ai",
        "GET",
    )
    r = ex.RateLimitError("x", llm_provider="p", model="m")
    assert (r.code, r.type, r.category, r.headers, r.detail) == (
        "429",
        "throttling_error",
        "vendor_rate_limit",
        None,
        "litellm.RateLimitError: x",
    )
    assert str(r.response.request.url) == "https://cloud.google.com/vertex-ai/"
    i = ex.InternalServerError("x", llm_provider="p", model="m", provider_status_code=529)
    assert (i.status_code, i.type, i.provider_status_code) == (500, "internal_server_error", 529)
    t = ex.Timeout("slow", model="m", llm_provider="p")
    assert (t.status_code, t.args, str(t.request.url)) == (
        408,
        ("Request timed out.",),
        "https://api.openai.com/v1",
    )
    assert not hasattr(t, "response")
    assert ex.Timeout("x", model="m", llm_provider="p", exception_status_code=504).status_code == 504
    c = ex.APIConnectionError("down", llm_provider="p", model="m")
    assert (c.status_code, str(c)) == (500, "litellm.APIConnectionError: down")
    a = ex.APIError(529, "over", llm_provider="p", model="m")
    assert (a.status_code, str(a)) == (529, "litellm.APIError: over")


def test_prefix_doubling_like_litellm() -> None:
    # scenario: openai 400 context window
    e = ex.ContextWindowExceededError(
        "ContextWindowExceededError: OpenAIException - long", model="m", llm_provider="openai"
    )
    assert str(e) == (
        "litellm.ContextWindowExceededError: litellm.BadRequestError: "
        "ContextWindowExceededError: OpenAIException - long"
    )
    assert e.args == ("litellm.BadRequestError: ContextWindowExceededError: OpenAIException - long",)
    p = ex.ContentPolicyViolationError("no", model="m", llm_provider="azure")
    assert str(p) == "litellm.BadRequestError: litellm.ContentPolicyViolationError: no"
    u = ex.UnsupportedParamsError("bad param", llm_provider="p", model="m")
    # litellm never calls the base constructor: args are just the positional arguments, no body.
    assert (str(u), u.args, hasattr(u, "body")) == (
        "litellm.UnsupportedParamsError: bad param",
        ("bad param",),
        False,
    )
    v = ex.APIResponseValidationError("shape", llm_provider="p", model="m")
    assert str(v) == "shape"  # the openai base overwrites the prefixed message, as in litellm


def test_midstream_fallback_keeps_original_status() -> None:
    orig = ex.RateLimitError("x", llm_provider="p", model="m")
    e = ex.MidStreamFallbackError("broke", model="m", llm_provider="vertex_ai_beta", original_exception=orig)
    assert e.status_code == 429 and str(e.response.request.url) == "https://vertex_ai_beta.com/v1/"
    assert str(e) == (
        "litellm.MidStreamFallbackError: broke Original exception: RateLimitError: litellm.RateLimitError: x"
    )


def test_pickle_round_trip() -> None:
    import pickle

    e = ex.APIConnectionError("down", llm_provider="p", model="m")
    assert type(pickle.loads(pickle.dumps(type(e)))) is type(type(e))


# --- from_core ------------------------------------------------------------------------------------


def test_debug_info_format() -> None:
    assert debug_info("gpt-4o-mini", BASE, MESSAGES) == DBG
    assert (
        debug_info("m", "https://user:pw@h.example/v1?key=1", None)
        == "\nModel: m\nAPI Base: `https://h.example/v1`"
    )
    assert exception_provider("together_ai") == "Together_aiException"


def test_status_rate_limit_openai() -> None:
    # scenario: openai 429 with retry-after
    info = {
        "kind": "status",
        "class": "RateLimitError",
        "status_code": 429,
        "body": RATE_LIMIT_BODY,
        "headers": {"retry-after": "0", "x-request-id": "req_1"},
        "message": "RateLimitError: OpenAIException - "
        "Rate limit reached for gpt-4o-mini in organization org-x on "
        "requests per min (RPM): Limit 3, Used 3, Requested 1.",
        "url": "http://127.0.0.1:8080/v1/chat/completions",
    }
    e = build(info)
    assert type(e) is ex.RateLimitError and e.status_code == 429
    assert str(e).startswith("litellm.RateLimitError: RateLimitError: OpenAIException - Rate limit reached")
    assert e.litellm_debug_info is None  # litellm's rate-limit phrase branch omits it
    assert e.body["code"] == "rate_limit_exceeded" and (e.code, e.type) == ("429", "throttling_error")
    assert e.litellm_response_headers["retry-after"] == "0" and e.request_id == "req_1"
    assert str(e.response.request.url) == "http://127.0.0.1:8080/v1/chat/completions"


def test_status_context_window_mistral() -> None:
    # scenario: mistral 400 context window (raw body quoted, stub response)
    info = {
        "kind": "status",
        "class": "ContextWindowExceededError",
        "status_code": 400,
        "body": CONTEXT_BODY,
        "headers": {},
        "message": f"ContextWindowExceededError: MistralException - {CONTEXT_BODY}",
    }
    e = build(info, "mistral", "mistral-small")
    assert str(e) == (
        "litellm.ContextWindowExceededError: litellm.BadRequestError: ContextWindowExceededError: "
        f"MistralException - {CONTEXT_BODY}"
    )
    assert e.body is None and str(e.response.request.url) == "https://api.openai.com/v1"
    assert e.litellm_debug_info == DBG.replace("gpt-4o-mini", "mistral-small")


def test_status_content_policy_azure() -> None:
    # scenario: azure 400 code content_policy_violation
    info = {
        "kind": "status",
        "class": "ContentPolicyViolationError",
        "status_code": 400,
        "body": POLICY_BODY,
        "headers": {},
        "message": "Your request was rejected as a result of our safety system.",
    }
    e = build(info, "azure", "dep")
    assert str(e) == (
        "litellm.BadRequestError: litellm.ContentPolicyViolationError: "
        "Your request was rejected as a result of our safety system."
    )
    assert e.body == {
        "message": "Your request was rejected as a result of our safety system.",
        "type": "invalid_request_error",
        "code": "content_policy_violation",
        "param": None,
    }
    assert e.provider_specific_fields["azure_error"]["code"] == "content_policy_violation"


def test_status_huggingface_has_no_debug_info() -> None:
    # scenario: huggingface 404 -> APIError (litellm's huggingface mapper has no 404 branch)
    body = '{"error": {"message": "Not found"}}'
    info = {
        "kind": "status",
        "class": "APIError",
        "status_code": 404,
        "body": body,
        "headers": {},
        "message": f"HuggingfaceException - {body}",
    }
    e = build(info, "huggingface", "together/x")
    assert (type(e), e.status_code, e.litellm_debug_info) == (ex.APIError, 404, None)
    assert str(e.request.url) == "https://docs.litellm.ai/docs"


def test_timeout_kinds() -> None:
    # scenario: openai read timeout (SDK text, no numbers)
    sdk = {
        "kind": "timeout",
        "class": "Timeout",
        "status_code": 408,
        "body": None,
        "headers": {},
        "message": "APITimeoutError - Request timed out. Error_str: Request timed out.",
    }
    e = build(sdk)
    assert str(e) == "litellm.Timeout: APITimeoutError - Request timed out. Error_str: Request timed out."
    assert e.litellm_response_headers is None and e.litellm_debug_info == DBG
    # scenario: groq read timeout, timeout=0.5
    groq = {
        "kind": "timeout",
        "class": "Timeout",
        "status_code": 408,
        "body": None,
        "headers": {},
        "message": "Timeout Error: GroqException - litellm.Timeout: Read timed out.",
        "timeout": 0.5,
        "elapsed": 0.5441,
    }
    assert str(build(groq, "groq", "llama")) == (
        "litellm.Timeout: Timeout Error: GroqException - litellm.Timeout: "
        "Read timed out. Timeout passed=0.5, time taken=0.544 seconds"
    )


def test_connect_kinds() -> None:
    # scenario: connection refused (port 1)
    sdk = {
        "kind": "connect",
        "class": "InternalServerError",
        "status_code": 500,
        "body": None,
        "headers": {},
        "message": "InternalServerError: OpenAIException - Connection error.",
        "errno": 111,
    }
    e = build(sdk)
    assert str(e) == "litellm.InternalServerError: InternalServerError: OpenAIException - Connection error."
    assert str(e.response.request.url) == "https://api.openai.com/v1" and e.type == "internal_server_error"
    compat = {
        "kind": "connect",
        "class": "InternalServerError",
        "status_code": 500,
        "body": None,
        "headers": {},
        "message": "InternalServerError: XaiException - tcp connect error",
        "errno": 111,
    }
    assert str(build(compat, "xai", "grok-2")) == (
        "litellm.InternalServerError: InternalServerError: XaiException - [Errno 111] Connection refused"
    )
    refused = {**compat, "class": "APIConnectionError", "message": "x"}
    assert str(build(refused, "openrouter", "o/m")) == (
        "litellm.APIConnectionError: APIConnectionError: OpenrouterException - [Errno 111] Connection refused"
    )


def test_transport_kind_falls_back_to_core_message() -> None:
    info = {
        "kind": "transport",
        "class": "InternalServerError",
        "status_code": 500,
        "body": None,
        "headers": {},
        "message": "InternalServerError: OpenAIException - Connection error.",
    }
    assert type(build(info)) is ex.InternalServerError


def test_decode_kinds() -> None:
    # scenario: 200 with malformed JSON
    base = {
        "kind": "decode",
        "status_code": 500,
        "body": BAD_JSON,
        "headers": {"content-type": "application/json"},
        "message": "core text",
    }
    e = build({**base, "class": "InternalServerError"})
    assert str(e) == (
        "litellm.InternalServerError: InternalServerError: OpenAIException - error - Expecting value: "
        "line 1 column 35 (char 34), Received response - <APIResponse [200 OK] type=<class "
        "'openai.types.chat.chat_completion.ChatCompletion'>>, Type of response - <class "
        "'openai._legacy_response.LegacyAPIResponse'>"
    )
    x = build({**base, "class": "APIError", "status_code": 200}, "xai", "grok-2")
    assert (x.status_code, str(x)) == (
        200,
        "litellm.APIError: APIError: XaiException - Unable to get json response - "
        f"Expecting value: line 1 column 35 (char 34), Original Response: {BAD_JSON}",
    )
    assert x.litellm_response_headers["content-type"] == "application/json"
    m = build({**base, "class": "APIConnectionError", "body": ""}, "mistral", "mistral-small")
    assert str(m) == (
        "litellm.APIConnectionError: APIConnectionError: MistralException - Expecting value: "
        "line 1 column 1 (char 0)"
    )
    assert m.litellm_response_headers is None


def test_stream_event_and_invalid_request() -> None:
    info = {
        "kind": "stream_event",
        "class": "InternalServerError",
        "status_code": 500,
        "body": '{"error": {"message": "Overloaded"}}',
        "headers": {},
        "message": "InternalServerError: OpenAIException - Overloaded",
    }
    assert (
        str(build(info)) == "litellm.InternalServerError: InternalServerError: OpenAIException - Overloaded"
    )
    bad = {
        "kind": "invalid_request",
        "class": "BadRequestError",
        "status_code": 400,
        "body": None,
        "headers": {},
        "message": "messages is required",
    }
    e = build(bad)
    assert (type(e), str(e)) == (ex.BadRequestError, "litellm.BadRequestError: messages is required")


def test_retries_are_set_only_when_given() -> None:
    info = {"kind": "invalid_request", "class": "BadRequestError", "status_code": 400, "message": "m"}
    e = build(info, num_retries=2, max_retries=3)
    assert str(e) == "litellm.BadRequestError: m LiteLLM Retried: 2 times, LiteLLM Max Retries: 3"


def test_unknown_class_becomes_api_error() -> None:
    info = {
        "kind": "status",
        "class": "SomethingNew",
        "status_code": 418,
        "body": "",
        "headers": {},
        "message": "m",
    }
    e = build(info)
    assert (type(e), e.status_code) == (ex.APIError, 418)


# --- lazy import ------------------------------------------------------------------------------------


def _run(code: str) -> str:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True, env=env
    ).stdout.strip()


def test_importing_exceptions_does_not_import_openai() -> None:
    out = _run("""
        import sys
        import edgequake.exceptions, edgequake._errors.from_core
        print("openai" in sys.modules, "httpx" in sys.modules)
        edgequake.exceptions.RateLimitError
        print("openai" in sys.modules)
    """)
    assert out.splitlines() == ["False False", "True"]


def test_fallback_bases_without_openai() -> None:
    out = _run("""
        import sys
        sys.modules["openai"] = None  # makes `import openai` raise ImportError
        from edgequake import exceptions as ex
        e = ex.BadRequestError("x", model="m", llm_provider="p", body={"code": 7, "type": "t", "param": "q"})
        print(type(e).__mro__[1].__module__, e.status_code, e.code, e.type, e.param, str(e))
    """)
    assert out == "edgequake._errors.bases 400 7 t q litellm.BadRequestError: x"


# --- live comparison (optional) ---------------------------------------------------------------------


@pytest.mark.skipif(importlib.util.find_spec("litellm") is None, reason="litellm is not installed")
def test_constructors_match_live_litellm() -> None:
    probe = """
        import json, os, sys
        os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
        mod = sys.argv[1]
        if mod == "litellm":
            import litellm.exceptions as ex
        else:
            import edgequake.exceptions as ex
        cases = [
            ex.AuthenticationError("a", llm_provider="p", model="m", num_retries=1),
            ex.ContextWindowExceededError("c", model="m", llm_provider="p"),
            ex.ContentPolicyViolationError("c", model="m", llm_provider="p"),
            ex.RateLimitError("r", llm_provider="p", model="m", max_retries=2),
            ex.Timeout("t", model="m", llm_provider="p", exception_status_code=504),
            ex.InternalServerError("i", llm_provider="p", model="m"),
            ex.ServiceUnavailableError("s", llm_provider="p", model="m"),
            ex.BadGatewayError("b", llm_provider="p", model="m"),
            ex.APIError(529, "a", llm_provider="p", model="m"),
            ex.APIConnectionError("c", llm_provider="p", model="m"),
            ex.APIResponseValidationError("v", llm_provider="p", model="m"),
            ex.UnsupportedParamsError("u", llm_provider="p", model="m"),
            ex.PaymentRequiredError("p", model="m", llm_provider="p"),
            ex.RejectedRequestError("r", model="m", llm_provider="p", request_data={}),
        ]
        out = []
        for e in cases:
            mro = [c.__name__ for c in type(e).__mro__]
            out.append([type(e).__name__, mro, str(e), list(map(str, e.args)),
                        getattr(e, "status_code", None), getattr(e, "code", None), getattr(e, "type", None),
                        str(getattr(getattr(e, "response", None), "url", None))])
        print(json.dumps(out))
    """
    ours = json.loads(_run(f"import sys; sys.argv = ['x', 'edgequake']\n{textwrap.dedent(probe)}"))
    theirs = json.loads(
        _run(f"import sys; sys.argv = ['x', 'litellm']\n{textwrap.dedent(probe)}").splitlines()[-1]
    )
    assert ours == theirs


def test_response_is_httpx() -> None:
    e = ex.BadRequestError("x", model="m", llm_provider="p")
    assert isinstance(e.response, httpx.Response) and e.response.status_code == 400
