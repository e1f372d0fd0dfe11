"""HTTP/1.1 message syntax for the loopback server (loopback.py): parse a request head, take a body
off the receive buffer, build a response head. Pure functions on bytes, kept apart from the
connection handling so each can be read (and tested) alone.

Strict where leniency would hide a client bug (a head line without a colon, a bad length: 400),
lenient where RFC 9112 allows it (chunk extensions and trailer fields are accepted and dropped).
"""

from __future__ import annotations

from typing import Dict, Iterable, List, Optional, Tuple

HeaderList = List[Tuple[str, str]]
Fields = Dict[str, List[str]]
# Framing is the server's: a caller's own values could only contradict what is actually sent.
_FRAMING = frozenset({"content-length", "transfer-encoding"})


class Request:
    """One request: `fields` maps each lowercase header name to its values, in order."""

    __slots__ = ("_lines", "body", "fields", "method", "target", "version")

    def __init__(self, method: str, target: str, version: str, fields: Fields, lines: List[str]) -> None:
        self.method = method
        self.target = target  # the request-target as sent, query included
        self.version = version
        self.fields = fields
        self._lines = lines
        self.body = b""

    @property
    def headers(self) -> HeaderList:
        """Every header field as sent, names' case, duplicates and order kept. Built on demand: it
        costs a tuple per field, and the benchmark's path never asks."""
        return [
            (name.strip(), value.strip()) for name, _, value in (line.partition(":") for line in self._lines)
        ]

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]

    def header(self, name: str) -> str:
        """All values of the lowercase `name`, joined as HTTP combines repeated fields ('' if none)."""
        return ", ".join(self.fields.get(name, ()))

    @property
    def keep_alive(self) -> bool:
        if "connection" not in self.fields:  # the usual case, kept cheap
            return self.version == "HTTP/1.1"
        connection = self.header("connection").lower()
        return "close" not in connection and (self.version == "HTTP/1.1" or "keep-alive" in connection)


def parse_head(raw: bytes) -> Optional[Request]:
    """The request line and header fields before the blank line; None if malformed (a 400)."""
    lines = raw.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].upper().startswith("HTTP/1."):
        return None
    del lines[0]
    fields: Fields = {}
    for line in lines:
        name, sep, value = line.partition(":")
        name = name.strip()
        if not sep or not name:
            return None
        fields.setdefault(name.lower(), []).append(value.strip())
    return Request(parts[0].upper(), parts[1], parts[2].upper(), fields, lines)


def response_head(status: int, reason: str, headers: Iterable[Tuple[str, str]], framing: bytes) -> bytes:
    """A status line and header block; the caller's framing headers are replaced by `framing`."""
    lines = [f"HTTP/1.1 {status} {reason}"]
    lines.extend(f"{name}: {value}" for name, value in headers if name.lower() not in _FRAMING)
    return ("\r\n".join(lines) + "\r\n").encode("latin-1", "replace") + framing + b"\r\n\r\n"


def take_body(buf: bytearray, request: Request) -> Optional[bytes]:
    """The request's whole body once it is all in `buf` (then removed from it), else None; ValueError
    if the framing is malformed (a 400)."""
    fields = request.fields
    if "transfer-encoding" not in fields or "chunked" not in request.header("transfer-encoding").lower():
        lengths = fields.get("content-length")
        if lengths is None:
            return b""
        text = lengths[0] if len(lengths) == 1 else ", ".join(lengths)  # repeated: not a number
        if not text.isdigit():
            raise ValueError(f"bad content-length {text!r}")
        length = int(text)
        if len(buf) < length:
            return None
        body = bytes(buf[:length])
        del buf[:length]
        return body
    pieces: List[bytes] = []
    pos = 0
    while True:
        eol = buf.find(b"\r\n", pos)
        if eol < 0:
            return None
        size = int(bytes(buf[pos:eol]).split(b";", 1)[0].strip(), 16)
        if size == 0:
            end = buf.find(b"\r\n\r\n", eol)  # after any trailer fields, which are dropped
            if end < 0:
                return None
            del buf[: end + 4]
            return b"".join(pieces)
        start = eol + 2
        if len(buf) < start + size + 2:
            return None
        if buf[start + size : start + size + 2] != b"\r\n":
            raise ValueError("chunk data not followed by CRLF")
        pieces.append(bytes(buf[start : start + size]))
        pos = start + size + 2
