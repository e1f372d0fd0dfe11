"""Measures which call keywords the pinned litellm puts into the request body it sends.

    python tools/measure_litellm_params.py [--routes openai,groq,mistral] [--json OUT]

Runs litellm's ``completion`` (and ``embedding`` on the openai route) against a stdlib HTTP server on
127.0.0.1, once per keyword: every name in litellm's own list of litellm-owned kwargs
(``litellm.types.utils.all_litellm_params``, plus a made-up ``_litellm_*`` name for its prefix rule),
the names edgequake reads as controls, and a few names litellm does not know. Each keyword gets a
plausible value (from its declared type in litellm, else tried in turn until litellm makes a request);
the script records whether the name appeared in the body, and prints a summary. The facts measured
here are what ``tools/gen_litellm_params.py`` encodes and ``tests/test_arguments.py`` asserts.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import threading
import time
import typing
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Dict, List, Optional, Tuple

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import litellm
from litellm.types import litellm_params as owned
from litellm.types.utils import (
    CustomPricingLiteLLMParams,
    StandardCallbackDynamicParams,
    all_litellm_params,
)

litellm.suppress_debug_info = True

CHAT = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1700000000,
    "model": "m",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}
EMBED = {
    "object": "list",
    "data": [{"object": "embedding", "index": 0, "embedding": [0.1, 0.2]}],
    "model": "text-embedding-3-small",
    "usage": {"prompt_tokens": 1, "total_tokens": 1},
}

# route: (model, api_base suffix)
ROUTES = {
    "openai": ("openai/gpt-4o-mini", "/v1"),
    "groq": ("groq/llama-3.1-8b-instant", "/openai/v1"),
    "mistral": ("mistral/mistral-small-latest", "/v1"),
}

# Names that are not in litellm's list, measured for comparison: unknown names, names edgequake reads,
# and names libraries pass (router / proxy keys).
EXTRA_NAMES = [
    "foo_bar",
    "frobnicate",
    "safe_prompt",
    "_litellm_made_up",
    "drop_params",
    "additional_drop_params",
    "organization",
    "azure_ad_token",
    "api_type",
    "base_url",
    "extra_body",
    "user_api_key",
    "user_api_key_hash",
    "user_api_key_alias",
    "model_group",
    "timeout",
    "extra_headers",
    "deployment_id",
    "default_headers",
    "context_management",
]


class _Handler(BaseHTTPRequestHandler):
    seen: ClassVar[List[Tuple[str, Any]]] = []

    def do_POST(self) -> None:  # http.server's name
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw)
        except ValueError:
            body = raw.decode("latin-1")
        _Handler.seen.append((self.path, body))
        reply = json.dumps(EMBED if self.path.endswith("/embeddings") else CHAT).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args: Any) -> None:
        pass


def _annotations() -> Dict[str, Any]:
    """Each litellm-owned name's declared type, from the declarations ``all_litellm_params`` splices."""
    types: Dict[str, Any] = {}
    for root in owned.LITELLM_OWNED_ROOTS:
        for leaf in dataclasses.fields(root):
            for f in dataclasses.fields(leaf.type):  # type: ignore[arg-type]
                types[f.metadata.get(owned.WIRE_NAME, f.name)] = f.type
    types.update(StandardCallbackDynamicParams.__annotations__)
    for name, info in CustomPricingLiteLLMParams.model_fields.items():
        types[name] = info.annotation
    return types


def _candidates(name: str, annotation: Any) -> List[Any]:
    text = annotation if isinstance(annotation, str) else repr(annotation)
    for prefix in ("typing.", "ReadOnly[", "Final["):
        text = text.replace(prefix, "")
    first: List[Any] = []
    if "bool" in text:
        first.append(True)
    if "float" in text:
        first.append(0.5)
    if "int" in text and "bool" not in text:
        first.append(1)
    if "Mapping" in text or "dict" in text:
        first.append({"k": "v"})
    if "Sequence" in text or "list" in text:
        first.append(["x"])
    if "str" in text or "Literal" in text:
        args = typing.get_args(annotation) if not isinstance(annotation, str) else ()
        lit = [a for a in args if isinstance(a, str)]
        first.append(lit[0] if lit else "x")
    return [*SPECIAL.get(name, []), *first, "x", 1, True, {"k": "v"}, ["x"], {"default": 5.0}, []]


# Values the type alone does not give (formats litellm validates).
SPECIAL: Dict[str, List[Any]] = {
    "daily_reset_time": ["00:00"],
    "tiered_pricing": [[{"range": [0, 1000], "input_cost_per_token": 1e-6}]],
    "stream_timeout_by_service_tier": [{"default": 5.0}],
    "timeout_by_service_tier": [{"default": 5.0}],
}
# Names whose value is the call's own target: given the values that reach the loopback server.
TARGET = ("api_base", "base_url", "api_key", "custom_llm_provider", "client")


def _target_value(name: str, route: str, kind: str, api_base: str) -> Any:
    if name in ("api_base", "base_url"):
        return api_base
    if name == "api_key":
        return "k"
    if name == "custom_llm_provider":
        return route
    if route == "openai":  # client: the SDK client litellm would otherwise make
        import openai

        return openai.OpenAI(base_url=api_base, api_key="k", max_retries=0)
    from litellm.llms.custom_httpx.http_handler import HTTPHandler

    return HTTPHandler()


def _call(kind: str, model: str, api_base: str, name: str, value: Any) -> Tuple[str, Optional[Any]]:
    before = len(_Handler.seen)
    kwargs = {"api_base": api_base, "api_key": "k", "num_retries": 0, "max_retries": 0, "timeout": 5}
    kwargs[name] = value
    started = time.monotonic()
    try:
        if kind == "embedding":
            litellm.embedding(model=model, input=["hi"], **kwargs)
        else:
            litellm.completion(model=model, messages=[{"role": "user", "content": "hi"}], **kwargs)
        error = ""
    except Exception as exc:  # recorded: the value was refused or steered the call
        error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:120] if str(exc) else ''}"
    if os.environ.get("MEASURE_TRACE"):
        print(f"{kind} {model} {name}={value!r}: {time.monotonic() - started:.2f}s {error}", file=sys.stderr)
    if len(_Handler.seen) == before:
        return error or "no request", None
    return error, _Handler.seen[-1][1]


def measure(kind: str, route: str, base: str, names: List[str]) -> Dict[str, Dict[str, Any]]:
    model, suffix = ROUTES[route]
    if kind == "embedding":
        model = "openai/text-embedding-3-small"
    types = _annotations()
    out: Dict[str, Dict[str, Any]] = {}
    for name in names:
        tried = []
        values = (
            [_target_value(name, route, kind, base + suffix)]
            if name in TARGET
            else _candidates(name, types.get(name, ""))
        )
        for value in values:
            error, body = _call(kind, model, base + suffix, name, value)
            tried.append(error)
            if body is not None:
                where = "top" if name in body else ""
                if isinstance(body.get("extra_body"), dict) and name in body["extra_body"]:
                    where = "extra_body"  # would be a bug in the measurement: the SDK merges extra_body
                out[name] = {"value": repr(value), "in_body": where, "error": error}
                break
        else:
            out[name] = {"value": None, "in_body": None, "error": tried[0]}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--routes", default="openai,groq,mistral")
    parser.add_argument("--json", help="write the full measurement here")
    args = parser.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    listed = sorted(set(all_litellm_params))
    names = listed + [n for n in EXTRA_NAMES if n not in listed]
    results: Dict[str, Dict[str, Dict[str, Any]]] = {}
    for route in args.routes.split(","):
        results[f"completion/{route}"] = measure("completion", route, base, names)
    results["embedding/openai"] = measure("embedding", "openai", base, names)
    server.shutdown()

    from importlib.metadata import version

    print(f"litellm {version('litellm')}: {len(listed)} names in all_litellm_params")
    for key, rows in results.items():
        sent = sorted(n for n, r in rows.items() if r["in_body"])
        listed_sent = [n for n in sent if n in listed]
        unmeasured = sorted(n for n, r in rows.items() if r["in_body"] is None)
        print(f"\n== {key}")
        print(f"  listed names that reached the body: {listed_sent}")
        print(f"  other names that reached the body: {[n for n in sent if n not in listed]}")
        kept = [n for n in EXTRA_NAMES if n not in listed and rows[n]["in_body"] == ""]
        print(f"  other names kept out: {kept}")
        print(f"  no request made ({len(unmeasured)}):")
        for n in unmeasured:
            print(f"    {n}: {rows[n]['error']}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=1, sort_keys=True)


if __name__ == "__main__":
    sys.exit(main())
