"""Secrets left open by issue 12 (item 5): a provider error body that echoes the key it rejected,
and a successful response's ``_hidden_params["api_base"]``.

* An echoed key becomes litellm's ``REDACTED`` in the exception's message and its ``response``: on
  anthropic litellm's own pattern redaction does the same (compared below); on the openai-SDK routes
  litellm shows the key, and edgequake deliberately does not (docs/differences.md).
* ``api_base`` is litellm's string without URL userinfo or credential query values (litellm keeps
  them raw).
"""

from __future__ import annotations

from typing import Any

import pytest

import edgequake
from tests import payloads
from tests.loopback import LoopbackServer, Reply

KEY = "sk-ant-canary-0123456789abcdef"


def _anthropic_401(module: Any, server: LoopbackServer) -> BaseException:
    server.enqueue(Reply(status=401, body={"error": {"message": f"invalid x-api-key {KEY} given"}}))
    with pytest.raises(Exception) as caught:
        module.completion(
            model="anthropic/claude-sonnet-4-5", messages=payloads.USER, api_key=KEY, api_base=server.url
        )
    return caught.value


def test_an_echoed_key_is_redacted_as_litellm_redacts_it(server: LoopbackServer) -> None:
    litellm = pytest.importorskip("litellm")
    litellm.suppress_debug_info = True
    ours, theirs = _anthropic_401(edgequake, server), _anthropic_401(litellm, server)
    assert KEY not in str(ours)
    assert str(ours) == str(theirs)
    assert type(ours).__name__ == type(theirs).__name__ == "AuthenticationError"


def test_an_echoed_key_never_reaches_an_sdk_route_exception(server: LoopbackServer) -> None:
    key = "sk-proj-canary-0123456789"
    server.enqueue(Reply(status=401, body={"error": {"message": f"Incorrect API key provided: {key}."}}))
    with pytest.raises(edgequake.AuthenticationError) as caught:
        edgequake.completion(
            model="openai/gpt-4o-mini",
            messages=payloads.USER,
            api_key=key,
            api_base=server.url + "/v1",
            max_retries=0,
        )
    assert key not in str(caught.value)
    assert "Incorrect API key provided: REDACTED." in str(caught.value)
    assert key not in caught.value.response.text


def test_a_short_key_is_not_searched_for(server: LoopbackServer) -> None:
    # "k" would match everywhere: a key that short is left, and the message stays readable.
    server.enqueue(Reply(status=401, body={"error": {"message": "bad key k"}}))
    with pytest.raises(edgequake.AuthenticationError) as caught:
        edgequake.completion(
            model="openai/gpt-4o-mini",
            messages=payloads.USER,
            api_key="k",
            api_base=server.url + "/v1",
            max_retries=0,
        )
    assert "bad key k" in str(caught.value)


@pytest.mark.parametrize(
    ("base", "shown"),
    [
        ("http://user:secret-pw@{host}/v1", "http://{host}/v1"),
        ("http://{host}/v1?key=secret-value&x=1", "http://{host}/v1?key=REDACTED&x=1"),
        ("http://{host}/v1", "http://{host}/v1"),
    ],
)
def test_hidden_params_api_base_has_no_credential(server: LoopbackServer, base: str, shown: str) -> None:
    host = server.url.split("//", 1)[1]
    server.enqueue(Reply(body=payloads.chat("hi")))
    response = edgequake.completion(
        model="openai/gpt-4o-mini",
        messages=payloads.USER,
        api_key="k",
        api_base=base.format(host=host),
        max_retries=0,
    )
    assert response._hidden_params["api_base"] == shown.format(host=host)
