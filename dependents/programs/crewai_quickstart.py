"""crewai's quickstart on its LiteLLM route (``LLM(..., is_litellm=True)``): one agent, one task, one
crew kickoff; then the same crew through Anthropic's route."""

from __future__ import annotations

import os
import tempfile

# crewai keeps state under the user's data dir; a fresh one per run keeps the two runs apart.
os.environ.setdefault("CREWAI_STORAGE_DIR", tempfile.mkdtemp(prefix="crewai-"))
os.environ.setdefault("CREWAI_TRACING_ENABLED", "false")

import _fake
from _fake import chat, script, step
from crewai import LLM, Agent, Crew, Task

FINAL = "Thought: I now know the final answer\nFinal Answer: Paris is the capital of France."


def kickoff(llm: LLM) -> dict:
    agent = Agent(
        role="Geographer",
        goal="Answer geography questions",
        backstory="You know every capital.",
        llm=llm,
        verbose=False,
        allow_delegation=False,
    )
    task = Task(description="What is the capital of France?", expected_output="One sentence.", agent=agent)
    result = Crew(agents=[agent], tasks=[task], verbose=False).kickoff()
    usage = result.token_usage
    return {
        "raw": result.raw,
        "tasks": [t.raw for t in result.tasks_output],
        "token_usage": {
            k: getattr(usage, k, None) for k in ("prompt_tokens", "completion_tokens", "total_tokens")
        },
    }


def main() -> None:
    with step("crew_kickoff") as out:
        script("crew_kickoff", chat(FINAL))
        llm = LLM(model="openai/gpt-4o-mini", is_litellm=True, api_base=_fake.OPENAI_BASE, api_key=_fake.KEY)
        out["llm_class"] = type(llm).__name__
        out.update(kickoff(llm))

    with step("llm_call") as out:
        script("llm_call", chat("Bonjour."))
        llm = LLM(model="openai/gpt-4o-mini", is_litellm=True, api_base=_fake.OPENAI_BASE, api_key=_fake.KEY)
        out["answer"] = llm.call([{"role": "user", "content": "Say hello in French"}])

    with step("anthropic_kickoff") as out:
        script("anthropic_kickoff", _fake.anthropic(FINAL))
        llm = LLM(
            model="anthropic/claude-sonnet-4-5",
            is_litellm=True,
            api_base=_fake.ANTHROPIC_BASE,
            api_key=_fake.KEY,
        )
        out.update(kickoff(llm))

    _fake.finish()


main()
