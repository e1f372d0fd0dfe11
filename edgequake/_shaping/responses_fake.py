"""litellm's faked Responses stream, for a model its map does not say streams natively: the whole reply,
fetched without ``stream``, replayed as the events a live stream would have sent.

The order, as litellm 1.110.2 builds it: created and in progress (the response with no output, in
progress); per output item its ``output_item.added`` (the item as it opens: no content, arguments or
summary yet), then for a message each content part (added, 5-character text or refusal deltas, one
event per annotation, text/refusal done, part done), for a function call 5-character argument deltas
and the done arguments, for a reasoning item each summary part (added, deltas, text done, part done),
then ``output_item.done``; last ``response.completed`` with the whole response. Every event is then
numbered 0, 1, 2... as its ``sequence_number``.
"""

from __future__ import annotations

from typing import Any, Dict, List

__all__ = ["synthetic_events"]

_CHUNK = 5  # litellm's MockResponsesAPIStreamingIterator.CHUNK_SIZE


def _dump(value: Any) -> Dict[str, Any]:
    if isinstance(value, dict):
        return dict(value)
    dump = getattr(value, "model_dump", None)
    return dump() if callable(dump) else {}


def _opening_item(item: Dict[str, Any]) -> Dict[str, Any]:
    kind = item.get("type")
    if kind == "message":
        return {**item, "content": [], "status": "in_progress"}
    if kind == "function_call":
        return {**item, "arguments": "", "status": "in_progress"}
    if kind == "custom_tool_call":
        return {**item, "input": ""}
    if kind == "reasoning":
        return {**item, "summary": []}
    return item


def _opening_part(part: Dict[str, Any]) -> Dict[str, Any]:
    if part.get("type") == "output_text":
        return {**part, "text": ""}
    if part.get("type") == "refusal":
        return {**part, "refusal": ""}
    return part


def _deltas(text: str) -> List[str]:
    return [text[i : i + _CHUNK] for i in range(0, len(text), _CHUNK)]


def _part_events(where: Dict[str, Any], part: Dict[str, Any], out: List[Dict[str, Any]]) -> None:
    kind = part.get("type")
    out.append({"type": "response.content_part.added", **where, "part": _opening_part(part)})
    if kind == "output_text":
        text = str(part.get("text") or "")
        out.extend({"type": "response.output_text.delta", **where, "delta": d} for d in _deltas(text))
        annotations = part.get("annotations")
        for index, annotation in enumerate(annotations if isinstance(annotations, list) else []):
            out.append(
                {
                    "type": "response.output_text.annotation.added",
                    **where,
                    "annotation_index": index,
                    "annotation": annotation,
                }
            )
        out.append({"type": "response.output_text.done", **where, "text": text})
        done = {
            "type": "output_text",
            "text": text,
            "annotations": part.get("annotations", []) or [],
            "logprobs": part.get("logprobs"),
        }
    elif kind == "refusal":
        refusal = str(part.get("refusal") or "")
        out.extend({"type": "response.refusal.delta", **where, "delta": d} for d in _deltas(refusal))
        out.append({"type": "response.refusal.done", **where, "refusal": refusal})
        done = {"type": "refusal", "refusal": refusal}
    elif kind == "reasoning_text":
        done = {"type": "reasoning_text", "reasoning": str(part.get("reasoning") or "")}
    else:
        return
    out.append({"type": "response.content_part.done", **where, "part": done})


def _item_events(index: int, item: Dict[str, Any], item_id: str, out: List[Dict[str, Any]]) -> None:
    kind = item.get("type")
    where = {"item_id": item_id, "output_index": index}
    if kind == "message":
        content = item.get("content")
        for part_index, part in enumerate(content if isinstance(content, list) else []):
            _part_events({**where, "content_index": part_index}, _dump(part), out)
    elif kind == "function_call":
        arguments = str(item.get("arguments") or "")
        out.extend(
            {"type": "response.function_call_arguments.delta", **where, "delta": d}
            for d in _deltas(arguments)
        )
        out.append({"type": "response.function_call_arguments.done", **where, "arguments": arguments})
    elif kind == "custom_tool_call":
        text = str(item.get("input") or "")
        out.extend(
            {"type": "response.custom_tool_call_input.delta", **where, "delta": d} for d in _deltas(text)
        )
        out.append({"type": "response.custom_tool_call_input.done", **where, "input": text})
    elif kind == "reasoning":
        summary = item.get("summary")
        for s_index, raw in enumerate(summary if isinstance(summary, list) else []):
            part = _dump(raw)
            text = str(part.get("text") or "")
            at = {**where, "summary_index": s_index}
            out.append({"type": "response.reasoning_summary_part.added", **at, "part": {**part, "text": ""}})
            out.extend(
                {"type": "response.reasoning_summary_text.delta", **at, "delta": d} for d in _deltas(text)
            )
            out.append({"type": "response.reasoning_summary_text.done", **at, "text": text})
            out.append({"type": "response.reasoning_summary_part.done", **at, "part": part})


def synthetic_events(response: Any) -> List[Any]:
    """The faked stream's events for ``response`` (a ``ResponsesAPIResponse``, ids already managed)."""
    from edgequake._shaping.responses import event

    opening = response.model_copy(deep=True, update={"status": "in_progress", "output": []})
    raw: List[Dict[str, Any]] = [
        {"type": "response.created", "response": opening},
        {"type": "response.in_progress", "response": opening.model_copy(deep=True)},
    ]
    for index, output_item in enumerate(response.output or []):
        item = _dump(output_item)
        item_id = str(item.get("id") or response.id)
        raw.append({"type": "response.output_item.added", "output_index": index, "item": _opening_item(item)})
        _item_events(index, item, item_id, raw)
        raw.append({"type": "response.output_item.done", "output_index": index, "item": item})
    raw.append({"type": "response.completed", "response": response})
    events = []
    for number, data in enumerate(raw):
        events.append(event({**data, "sequence_number": number}, ""))
    return events
