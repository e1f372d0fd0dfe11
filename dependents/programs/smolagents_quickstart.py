"""smolagents' quickstart: a ToolCallingAgent on LiteLLMModel making one tool call then its final
answer, the same agent on the Anthropic route, and LiteLLMRouterModel (litellm's Router)."""

from __future__ import annotations

import _fake
from _fake import chat, script, step, tool_call
from smolagents import LiteLLMModel, LiteLLMRouterModel, ToolCallingAgent, tool


@tool
def get_weather(city: str) -> str:
    """Gets the weather in a city.

    Args:
        city: the city's name
    """
    return f"sunny in {city}"


def run_agent(model: object) -> dict:
    agent = ToolCallingAgent(tools=[get_weather], model=model, max_steps=3, verbosity_level=0)
    answer = agent.run("What is the weather in Paris?")
    steps = [
        {
            "tool_calls": [(c.name, c.arguments) for c in (getattr(s, "tool_calls", None) or [])],
            "observations": getattr(s, "observations", None),
            "token_usage": (
                {"input": s.token_usage.input_tokens, "output": s.token_usage.output_tokens}
                if getattr(s, "token_usage", None)
                else None
            ),
        }
        for s in agent.memory.steps
        if type(s).__name__ == "ActionStep"
    ]
    return {"answer": answer, "steps": steps}


def agent_replies(section: str, anthropic: bool = False) -> None:
    if anthropic:
        script(
            section,
            _fake.anthropic(tool_use={"name": "get_weather", "input": {"city": "Paris"}}),
            _fake.anthropic(tool_use={"name": "final_answer", "input": {"answer": "It is sunny in Paris."}}),
        )
    else:
        script(
            section,
            chat(tool_calls=[tool_call("get_weather", {"city": "Paris"})]),
            chat(tool_calls=[tool_call("final_answer", {"answer": "It is sunny in Paris."}, "call_fake_2")]),
        )


def main() -> None:
    with step("tool_calling_agent") as out:
        agent_replies("tool_calling_agent")
        model = LiteLLMModel(model_id="openai/gpt-4o-mini", api_base=_fake.OPENAI_BASE, api_key=_fake.KEY)
        out.update(run_agent(model))

    with step("model_generate") as out:
        script("model_generate", chat("Paris is the capital of France."))
        model = LiteLLMModel(model_id="openai/gpt-4o-mini", api_base=_fake.OPENAI_BASE, api_key=_fake.KEY)
        msg = model.generate([{"role": "user", "content": [{"type": "text", "text": "Capital of France?"}]}])
        out["content"] = msg.content
        out["token_usage"] = {"input": msg.token_usage.input_tokens, "output": msg.token_usage.output_tokens}

    with step("anthropic_agent") as out:
        agent_replies("anthropic_agent", anthropic=True)
        model = LiteLLMModel(
            model_id="anthropic/claude-sonnet-4-5", api_base=_fake.ANTHROPIC_BASE, api_key=_fake.KEY
        )
        out.update(run_agent(model))

    with step("router_agent") as out:
        agent_replies("router_agent")
        model = LiteLLMRouterModel(
            model_id="group-1",
            api_base=_fake.OPENAI_BASE,
            api_key=_fake.KEY,
            model_list=[
                {
                    "model_name": "group-1",
                    "litellm_params": {
                        "model": "openai/gpt-4o-mini",
                        "api_base": _fake.OPENAI_BASE,
                        "api_key": _fake.KEY,
                    },
                }
            ],
        )
        out.update(run_agent(model))

    _fake.finish()


main()
