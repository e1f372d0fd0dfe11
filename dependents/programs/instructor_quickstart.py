"""instructor's quickstart over litellm: structured output whose first answer fails validation (one
retry), the usage totalled over both attempts, the async client, and the Anthropic route."""

from __future__ import annotations

import asyncio

import _fake
import instructor
import litellm
from _fake import chat, script, step, tool_call
from pydantic import BaseModel, field_validator


class User(BaseModel):
    name: str
    age: int

    @field_validator("name")
    @classmethod
    def upper(cls, value: str) -> str:
        if value != value.upper():
            raise ValueError("name must be in uppercase")
        return value


MESSAGES = [{"role": "user", "content": "Extract: jason is 25 years old"}]
OPENAI = {"model": "openai/gpt-4o-mini", "api_base": _fake.OPENAI_BASE, "api_key": _fake.KEY}


def usage_of(completion: object) -> dict:
    usage = getattr(completion, "usage", None)
    return {k: getattr(usage, k, None) for k in ("prompt_tokens", "completion_tokens", "total_tokens")}


def main() -> None:
    client = instructor.from_litellm(litellm.completion)

    with step("structured_with_retry") as out:
        script(
            "structured_with_retry",
            chat(
                tool_calls=[tool_call("User", {"name": "jason", "age": 25})],
                prompt_tokens=40,
                completion_tokens=9,
            ),
            chat(
                tool_calls=[tool_call("User", {"name": "JASON", "age": 25})],
                prompt_tokens=90,
                completion_tokens=9,
            ),
        )
        user, completion = client.chat.completions.create_with_completion(
            response_model=User, messages=MESSAGES, max_retries=2, **OPENAI
        )
        out["user"] = user.model_dump()
        out["usage_total"] = usage_of(completion)
        out["completion_type"] = type(completion).__name__
        out["finish_reason"] = completion.choices[0].finish_reason

    with step("async_structured") as out:
        script("async_structured", chat(tool_calls=[tool_call("User", {"name": "ANA", "age": 30})]))
        aclient = instructor.from_litellm(litellm.acompletion)
        user = asyncio.run(aclient.chat.completions.create(response_model=User, messages=MESSAGES, **OPENAI))
        out["user"] = user.model_dump()

    with step("anthropic_structured") as out:
        script(
            "anthropic_structured",
            _fake.anthropic(tool_use={"name": "User", "input": {"name": "JASON", "age": 25}}),
        )
        user, completion = client.chat.completions.create_with_completion(
            model="anthropic/claude-sonnet-4-5",
            api_base=_fake.ANTHROPIC_BASE,
            api_key=_fake.KEY,
            response_model=User,
            messages=MESSAGES,
            max_retries=1,
        )
        out["user"] = user.model_dump()
        out["usage_total"] = usage_of(completion)

    _fake.finish()


main()
