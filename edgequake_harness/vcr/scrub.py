"""What never reaches a cassette on disk: credentials in headers, query strings, bodies, cookies.

Applied through vcrpy's own hooks (`filter_headers`, `filter_query_parameters`,
`before_record_request`, `before_record_response`), so a live request is scrubbed the same way
before it is matched against the (scrubbed) recordings, and the bridge applies the same functions
to the interactions it appends itself.
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple, Union
from urllib.parse import parse_qsl, urlencode

REDACTED = "REDACTED"

# Request headers that carry a credential: bearer tokens, each provider's key header, cookies.
SECRET_HEADERS = (
    "authorization",
    "proxy-authorization",
    "api-key",
    "x-api-key",
    "x-goog-api-key",
    "ocp-apim-subscription-key",
    "cookie",
)
# Query parameters that carry one (Gemini's `key=`, and the usual token names).
SECRET_PARAMS = ("key", "api_key", "apikey", "api-key", "access_token", "token", "client_secret", "sig")
# Response headers that hand one out.
SECRET_RESPONSE_HEADERS = ("set-cookie", "set-cookie2")
# Body fields whose value is a credential, compared with case, '-' and '_' ignored. "key" alone is
# not among them: in a body it is usually data (a metadata key, a cache key), never a provider key.
_SECRET_FIELDS = frozenset(
    {
        "apikey",
        "xapikey",
        "accesstoken",
        "refreshtoken",
        "idtoken",
        "clientsecret",
        "password",
        "secret",
        "secretkey",
        "authorization",
        "awssecretaccesskey",
        "awssessiontoken",
    }
)
_SEPARATORS = re.compile(r"[-_\s]")

Filter = Union[str, Tuple[str, Any]]


def is_secret_field(name: str) -> bool:
    return _SEPARATORS.sub("", name).lower() in _SECRET_FIELDS


def with_defaults(user: Iterable[Filter], defaults: Iterable[str]) -> List[Filter]:
    """The user's vcrpy filter list plus each default it does not already name (case-insensitive):
    a user's own replacement value for a header wins over plain removal."""
    merged = list(user)
    named = {(entry if isinstance(entry, str) else entry[0]).lower() for entry in merged}
    merged.extend(name for name in defaults if name not in named)
    return merged


def _scrub_value(value: Any) -> Tuple[Any, bool]:
    if isinstance(value, dict):
        changed = False
        out: Dict[Any, Any] = {}
        for key, item in value.items():
            if isinstance(key, str) and is_secret_field(key) and item not in (None, ""):
                out[key], changed = REDACTED, True
            else:
                out[key], sub = _scrub_value(item)
                changed = changed or sub
        return out, changed
    if isinstance(value, list):
        pieces = [_scrub_value(item) for item in value]
        return [p for p, _ in pieces], any(c for _, c in pieces)
    return value, False


def scrub_body(body: Any) -> Any:
    """A JSON or form body with its credential fields' values replaced; anything else as it was.
    Unchanged bodies keep their exact bytes (a recording must not be re-serialised for nothing)."""
    if body is None:
        return body
    raw = body if isinstance(body, (bytes, bytearray)) else str(body).encode("utf-8", "surrogateescape")
    text = bytes(raw).decode("utf-8", "replace").strip()
    if text[:1] in ("{", "["):
        try:
            parsed = json.loads(text)
        except ValueError:
            return body
        scrubbed, changed = _scrub_value(parsed)
        if not changed:
            return body
        out = json.dumps(scrubbed, ensure_ascii=False).encode()
        return out if isinstance(body, (bytes, bytearray)) else out.decode()
    if "=" in text and " " not in text:
        pairs = parse_qsl(text, keep_blank_values=True)
        if pairs and any(is_secret_field(k) or k.lower() in SECRET_PARAMS for k, _ in pairs):
            cleaned = [
                (k, REDACTED if is_secret_field(k) or k.lower() in SECRET_PARAMS else v) for k, v in pairs
            ]
            out_text = urlencode(cleaned)
            return out_text.encode() if isinstance(body, (bytes, bytearray)) else out_text
    return body


def scrub_request(request: Any) -> Any:
    """A vcrpy Request's body scrubbed in place (headers and query are vcrpy's filters' job)."""
    if request is not None:
        request.body = scrub_body(request.body)
    return request


def scrub_response(response: Optional[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """A vcrpy response dict without cookie-setting headers and with credential body fields replaced."""
    if response is None:
        return None
    headers = response.get("headers") or {}
    response["headers"] = {
        name: values for name, values in headers.items() if name.lower() not in SECRET_RESPONSE_HEADERS
    }
    body = response.get("body")
    if isinstance(body, dict) and "string" in body:
        body["string"] = scrub_body(body["string"])
    return response


def hooks(user: Any, ours: Callable[[Any], Any]) -> List[Callable[[Any], Any]]:
    """vcrpy hook lists: the user's hook(s) first (one may drop the interaction with None, and vcrpy
    then stops), ours last, so nothing a user hook adds back escapes the scrubbing."""
    if user is None:
        return [ours]
    if callable(user):
        return [user, ours]
    return [*user, ours]


def config_with_scrubbing(config: Dict[str, Any]) -> Dict[str, Any]:
    """`use_cassette` keyword arguments with the secret filters added to the user's own."""
    out = dict(config)
    out["filter_headers"] = with_defaults(config.get("filter_headers", ()), SECRET_HEADERS)
    out["filter_query_parameters"] = with_defaults(config.get("filter_query_parameters", ()), SECRET_PARAMS)
    out["before_record_request"] = hooks(config.get("before_record_request"), scrub_request)
    out["before_record_response"] = hooks(config.get("before_record_response"), scrub_response)
    return out
