"""The suite's fake provider on 127.0.0.1: each program scripts the replies it needs, section by section,
through a control path, and the server records every other request it gets (method, path, body).

Why scripted by the program rather than by the runner: the replies a library needs (dspy's
``[[ ## answer ## ]]`` fields, instructor's tool call, smolagents' ``final_answer``) belong next to the
calls that need them, and one program file then reads as one quickstart. The replies are fixed JSON, so
both runs of a program (real litellm, edgequake) get byte-identical answers.

Replies are served in order whatever the path, so one queue answers OpenAI's ``/v1/chat/completions``
and Anthropic's ``/v1/messages`` alike. An unscripted request gets a 500 error body (and is recorded):
a library that makes an extra call shows up as a difference, never as a hang.
"""

from __future__ import annotations

import json
from collections import deque
from typing import Any, Deque, Dict, List

from edgequake_harness.replay.loopback import Connection, HTTPServer, Request

CONTROL = "/__fake__/script"
NO_REPLY = {"error": {"message": "fake server: no reply scripted for this request", "type": "fake_server"}}


class FakeProvider(HTTPServer):
    """Answers scripted replies in order and keeps every request it answered, tagged with its section."""

    def __init__(self) -> None:
        super().__init__(self._serve)
        self.section = "start"
        self.replies: Deque[Dict[str, Any]] = deque()
        self.requests: List[Dict[str, Any]] = []

    def _serve(self, request: Request, conn: Connection) -> None:
        path = request.target
        if request.method == "POST" and path == CONTROL:
            script = json.loads(request.body)
            self.section = str(script["section"])
            self.replies = deque(script["replies"])
            conn.respond(200, "OK", [("content-type", "application/json")], b"{}")
            return
        self.requests.append({"section": self.section, **_describe(request, path)})
        reply = self.replies.popleft() if self.replies else {"status": 500, "json": NO_REPLY}
        _answer(reply, conn)


def _describe(request: Request, path: str) -> Dict[str, Any]:
    body: Any
    try:
        body = json.loads(request.body) if request.body else None
    except ValueError:
        body = request.body.decode("utf-8", "replace")
    return {"method": request.method, "path": path, "body": body}


def _answer(reply: Dict[str, Any], conn: Connection) -> None:
    status = int(reply.get("status", 200))
    if "sse" not in reply:
        body = json.dumps(reply.get("json", {})).encode()
        conn.respond(status, "X", [("content-type", "application/json")], body)
        return
    conn.head(status, "X", [("content-type", "text/event-stream")])
    for event in reply["sse"]:
        data = event["data"] if isinstance(event["data"], str) else json.dumps(event["data"])
        name = event.get("event")
        conn.chunk((f"event: {name}\n" if name else "").encode() + f"data: {data}\n\n".encode())
    conn.end()
