"""langchain-litellm's quickstart: ChatLiteLLM invoke, stream, bind_tools with a tool call, ainvoke,
and the Anthropic route."""

from __future__ import annotations

import asyncio

import _fake
from _fake import chat, chat_stream, script, step, tool_call
from langchain_core.messages import HumanMessage
from langchain_core.tools import tool
from langchain_litellm import ChatLiteLLM


@tool
def get_weather(city: str) -> str:
    """The weather in a city."""
    return f"sunny in {city}"


def message(msg: object) -> dict:
    return {
        "type": type(msg).__name__,
        "content": getattr(msg, "content", None),
        "tool_calls": getattr(msg, "tool_calls", None),
        "usage_metadata": getattr(msg, "usage_metadata", None),
        "finish_reason": (getattr(msg, "response_metadata", {}) or {}).get("finish_reason"),
    }


def main() -> None:
    llm = ChatLiteLLM(
        model="openai/gpt-4o-mini", api_base=_fake.OPENAI_BASE, api_key=_fake.KEY, max_retries=0
    )

    with step("invoke") as out:
        script("invoke", chat("Hello from the fake provider."))
        out["message"] = message(llm.invoke([HumanMessage(content="Say hello")]))

    with step("stream") as out:
        script("stream", chat_stream(["Hel", "lo ", "there."]))
        chunks = list(llm.stream("Say hello"))
        out["pieces"] = [c.content for c in chunks]
        merged = chunks[0]
        for c in chunks[1:]:
            merged = merged + c
        out["merged"] = message(merged)

    with step("bind_tools") as out:
        script("bind_tools", chat(tool_calls=[tool_call("get_weather", {"city": "Paris"})]))
        msg = llm.bind_tools([get_weather]).invoke("What is the weather in Paris?")
        out["message"] = message(msg)
        out["tool_result"] = get_weather.invoke(msg.tool_calls[0]["args"])

    with step("ainvoke") as out:
        script("ainvoke", chat("Async hello."))
        out["message"] = message(asyncio.run(llm.ainvoke("Say hello")))

    with step("anthropic_invoke") as out:
        script("anthropic_invoke", _fake.anthropic("Hello from Claude."))
        claude = ChatLiteLLM(
            model="anthropic/claude-sonnet-4-5", api_base=_fake.ANTHROPIC_BASE, api_key=_fake.KEY
        )
        out["message"] = message(claude.invoke("Say hello"))

    with step("anthropic_stream") as out:
        script("anthropic_stream", _fake.anthropic_stream(["Hel", "lo."]))
        claude = ChatLiteLLM(
            model="anthropic/claude-sonnet-4-5", api_base=_fake.ANTHROPIC_BASE, api_key=_fake.KEY
        )
        out["pieces"] = [c.content for c in claude.stream("Say hello")]

    _fake.finish()


main()
